#pragma once

#include <QObject>
#include <QString>

#include <cstdint>
#include <memory>

namespace rw {

class DiffView;
class Workbench;
struct ComparisonResult;

// Side-by-side comparison: mark a trace (M) and compare the selected one with
// it (Shift+M), or compare a trace with its re-evaluation under the loaded
// policy (R). The result is the Compare tab of the trace page.
class ComparisonController : public QObject
{
    Q_OBJECT
public:
    explicit ComparisonController(Workbench& workbench);

    void markForComparison();
    bool compareWithMarked();
    bool compareWithReevaluation();

    DiffView* diffView() const { return m_diff; }

Q_SIGNALS:
    void compared();

private:
    struct Titles
    {
        QString left, right, leftName, rightName;
    };
    void start(const Titles& titles);
    void show(std::shared_ptr<const ComparisonResult> result);

    Workbench& m_workbench;
    DiffView* m_diff = nullptr;
    Titles m_titles; // of the comparison running or shown
    std::int64_t m_markedRow = -1;
};

} // namespace rw
