#pragma once

#include "app/text/queryerrortext.h"
#include "model/tracequery.h"

#include <QTimer>
#include <QWidget>

class QLineEdit;
class QToolButton;

namespace rw {

// The filter box and the decision chips beside it. Like Wireshark's display
// filter, the box turns green or red as you type, with the parse error in its
// tooltip. Emits the effective query text (box AND chips), debounced.
class FilterBar : public QWidget
{
    Q_OBJECT
public:
    explicit FilterBar(QWidget* parent = nullptr);

    QString effectiveQuery() const;
    bool isValid() const { return m_valid; }
    QLineEdit* lineEdit() const { return m_edit; }
    void setText(const QString& text);
    // no text and no chip: everything shows (Go to Trace needs the trace visible)
    void clear();

Q_SIGNALS:
    void queryChanged(const QString& query);

private:
    void validate();
    void scheduleEmit();

    QLineEdit* m_edit = nullptr;
    std::vector<QToolButton*> m_chips;
    QTimer m_debounce;
    bool m_valid = true;
};

} // namespace rw
