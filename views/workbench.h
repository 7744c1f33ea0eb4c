#pragma once

#include <QString>
#include <QStringList>
#include <Qt>

#include <functional>

class QDockWidget;
class QMenu;
class QWidget;

namespace rw {

class Session;
class TracePage;

// What a feature of the window is built with (hotspot's pages get their
// dependencies passed in; Qt Creator's plugins register their own actions):
// the session, the trace page, and the shell's places for menus, docks,
// status widgets and messages. A feature registers what it shows in its
// constructor; features never know each other and meet only through the
// session's signals and the trace page. The shell (MainWindow) implements it.
class Workbench
{
public:
    enum class Menu { File, Edit, Go, Trace, Policy, View, Help };

    virtual ~Workbench() = default;

    virtual Session& session() = 0;
    virtual TracePage& tracePage() = 0;
    // the window, as the parent of dialogs and features
    virtual QWidget* host() = 0;
    virtual QMenu* menu(Menu which) = 0;
    // Adds the dock, hidden, and its toggle to the View menu. Its object name
    // keeps its place in a saved layout.
    virtual void addDock(QDockWidget* dock, Qt::DockWidgetArea area) = 0;
    // Shows and raises the dock; a width > 0 sizes it once it is laid out.
    virtual void showDock(QDockWidget* dock, int width = 0) = 0;
    // A permanent widget on the right of the status bar.
    virtual void addStatusWidget(QWidget* widget) = 0;
    // The bar under the filter: text, and an optional action button.
    virtual void showInfo(const QString& text, const QString& action = {}, std::function<void()> onAction = {}) = 0;
    virtual void hideInfo() = 0;
    // A transient status-bar message (0: until replaced or cleared).
    virtual void showMessage(const QString& text, int timeoutMs = 0) = 0;
    virtual void openFiles(const QStringList& paths, bool append = false) = 0;
    // False for screenshots and tests: no saved settings, no windows that pop
    // up on their own.
    virtual bool interactive() const = 0;
};

} // namespace rw
