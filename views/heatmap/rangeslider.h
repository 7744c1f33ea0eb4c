#pragma once

#include <QWidget>

namespace rw {

// Two handles on one track (Qt has no range slider): the heatmap's time
// window over the loaded span. Positions are whole steps in [0, maximum()].
// The mouse drags the nearer handle; the keyboard moves the lower handle with
// Left/Right (Page Up/Down: a tenth) and the upper one with Shift held;
// Home/End reset the window to everything. rangeChanged is emitted on every
// move (the owner waits for a pause before recounting).
class RangeSlider : public QWidget
{
    Q_OBJECT
public:
    explicit RangeSlider(QWidget* parent = nullptr);

    int maximum() const { return m_max; }
    int lower() const { return m_lower; }
    int upper() const { return m_upper; }
    // clamped to [0, maximum()], lower <= upper
    void setRange(int lower, int upper);
    QSize sizeHint() const override { return {240, 26}; }
    QSize minimumSizeHint() const override { return {80, 26}; }

Q_SIGNALS:
    void rangeChanged(int lower, int upper);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void focusInEvent(QFocusEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;

private:
    int xOf(int position) const;
    int positionAt(int x) const;

    int m_max = 1000;
    int m_lower = 0, m_upper = 1000;
    bool m_draggingUpper = false;
};

} // namespace rw
