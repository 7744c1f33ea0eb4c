#pragma once

#include "views/workbench.h"

#include <QMainWindow>

#include <map>

class QMenu;

namespace rw {

class InfoBar;
class Session;
class StatusSummary;
class TaskProgressWidget;
class TracePage;

// The window shell (Qt Creator's main window, hotspot's MainWindow): menus,
// docks, the status bar with one row per running task, drag and drop,
// recent files and saved layout. Everything the window shows comes from the
// trace page and the features (views/features.cpp), which are built with the
// Workbench this shell implements and register their own actions, docks and
// status widgets; adding one needs no change here.
class MainWindow : public QMainWindow, public Workbench
{
    Q_OBJECT
public:
    struct Options
    {
        bool persistSettings = true; // off for screenshots and tests: a fixed, clean layout
    };

    explicit MainWindow(Options options, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Workbench
    Session& session() override { return *m_session; }
    TracePage& tracePage() override { return *m_page; }
    QWidget* host() override { return this; }
    QMenu* menu(Menu which) override { return m_menus.at(which); }
    void addDock(QDockWidget* dock, Qt::DockWidgetArea area) override;
    void showDock(QDockWidget* dock, int width = 0) override;
    void addStatusWidget(QWidget* widget) override;
    void showInfo(const QString& text, const QString& action = {}, std::function<void()> onAction = {}) override;
    void hideInfo() override;
    void showMessage(const QString& text, int timeoutMs = 0) override;
    void openFiles(const QStringList& paths, bool append = false) override;
    bool interactive() const override { return m_options.persistSettings; }

    // A feature by type (tests, the screenshot driver): features are children of the window.
    template <class Feature>
    Feature* feature() const
    {
        return findChild<Feature*>(QString(), Qt::FindDirectChildrenOnly);
    }
    // Runs the event loop until no task but hashing runs (tests, screenshots).
    bool waitUntilIdle(int timeoutMs = 60000);
    // The status bar's words, left to right.
    QString statusText() const;
    TaskProgressWidget* taskProgress() const { return m_tasks; }
    InfoBar* infoBar() const { return m_info; }

Q_SIGNALS:
    // a load finished and every page shows it
    void loaded();

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildMenus();
    void finishMenus();
    void connectSession();
    void openDialog();
    void about();
    void addRecent(const QStringList& paths);
    void rebuildRecentMenu();

    Options m_options;
    Session* m_session = nullptr;
    TracePage* m_page = nullptr;
    InfoBar* m_info = nullptr;
    StatusSummary* m_summary = nullptr;
    TaskProgressWidget* m_tasks = nullptr;
    std::map<Menu, QMenu*> m_menus;
    QMenu* m_recentMenu = nullptr;
};

} // namespace rw
