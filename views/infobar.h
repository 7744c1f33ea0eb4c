#pragma once

#include <QFrame>

#include <functional>

class QLabel;
class QPushButton;

namespace rw {

// The message bar under the filter (like a browser's or KDE's KMessageWidget):
// a text, an optional action button and a close button.
class InfoBar : public QFrame
{
    Q_OBJECT
public:
    explicit InfoBar(QWidget* parent = nullptr);

    void showMessage(const QString& text, const QString& action = {}, std::function<void()> onAction = {});
    QString text() const;

Q_SIGNALS:
    // closed with its ✕ (not by its action)
    void dismissed();

private:
    QLabel* m_label = nullptr;
    QPushButton* m_action = nullptr;
    std::function<void()> m_callback;
};

} // namespace rw
