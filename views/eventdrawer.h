#pragma once

#include "model/replaymodel.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTabWidget;
class QTreeWidget;
class QTreeWidgetItem;

namespace rw {

class BadgeStrip;
class JsonHighlighter;

// The event drawer: the structured fields of one event (decision, reason,
// rule, risk, stage, plan and steps, capabilities, budget against limits,
// identity, approval, provenance), then its raw JSON: the exact original
// bytes of the line with file, line and byte offset; a pretty-printed,
// highlighted view; a collapsible tree; search; copy line / pretty / JSON
// pointer of the selected node.
class EventDrawer : public QWidget
{
    Q_OBJECT
public:
    explicit EventDrawer(QWidget* parent = nullptr);

    void setEvent(const ReplayModel* model, std::int64_t eventIndex);
    void clear();
    // Marks every occurrence of `text` in the raw line (an anomaly's witness
    // value), until the next event; returns how many.
    int highlightRaw(const QString& text);
    int rawHighlights() const;

    // for tests and the clipboard actions
    QString rawText() const;
    QString prettyText() const;
    QString selectedPointer() const;
    QTabWidget* tabs() const { return m_tabs; }
    const BadgeStrip* badges() const { return m_badges; }

public Q_SLOTS:
    void copyLine();
    void copyPretty();
    void copyPointer();
    void findNext();
    void focusSearch();

private:
    void fillFields(const ReplayModel& m, std::size_t eventIndex, const void* json);
    QTreeWidgetItem* addField(QTreeWidgetItem* parent, const QString& key, const QString& value);

    QLabel* m_header = nullptr;
    BadgeStrip* m_badges = nullptr;
    QTabWidget* m_tabs = nullptr;
    QTreeWidget* m_fields = nullptr;
    QPlainTextEdit* m_raw = nullptr;
    QPlainTextEdit* m_pretty = nullptr;
    QTreeWidget* m_tree = nullptr;
    QLineEdit* m_search = nullptr;
    JsonHighlighter* m_highlighter = nullptr;
    QByteArray m_rawBytes;
};

} // namespace rw
