#pragma once

#include "replay/compare/jsondiff.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;

namespace rw {

// The raw JSON of both sides of a compared row, pretty-printed side by side
// with the lines of every change marked, and the list of changes (JSON
// pointer, old and new value); clicking a change scrolls both sides to it.
class JsonDiffView : public QWidget
{
    Q_OBJECT
public:
    explicit JsonDiffView(QWidget* parent = nullptr);

    // A side without an event passes nullopt and a note ("only on the right").
    void setDocuments(const std::optional<nlohmann::ordered_json>& left, const QString& leftNote,
                      const std::optional<nlohmann::ordered_json>& right, const QString& rightNote);
    void clear(const QString& message);

    QPlainTextEdit* leftText() const { return m_left; }
    QPlainTextEdit* rightText() const { return m_right; }
    QListWidget* changeList() const { return m_changes; }
    // lines marked on each side (tests)
    int markedLines(int side) const;
    // ids and timestamps differ between any two runs; hidden by default
    QCheckBox* hideIdentity() const { return m_hideIds; }
    // true for pointers like /timestamp, /event_id, /plan_steps/0/step_id
    static bool isIdentityPointer(const std::string& pointer);

private:
    void mark(QPlainTextEdit* edit, const PointerText& text, bool left);
    void scrollTo(const QString& pointer);
    void refresh();

    QLabel* m_header = nullptr;
    QListWidget* m_changes = nullptr;
    QPlainTextEdit* m_left = nullptr;
    QPlainTextEdit* m_right = nullptr;
    PointerText m_leftText, m_rightText;
    std::vector<JsonChange> m_all;  // every change
    std::vector<JsonChange> m_diff; // the ones shown
    bool m_truncated = false;
    bool m_haveLeft = false, m_haveRight = false;
    QString m_leftNote, m_rightNote;
    QCheckBox* m_hideIds = nullptr;
};

} // namespace rw
