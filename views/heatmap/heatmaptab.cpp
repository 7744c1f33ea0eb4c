#include "views/heatmap/heatmaptab.h"

#include "views/filterbar.h"
#include "views/heatmap/heatmapview.h"
#include "views/heatmap/rangeslider.h"
#include "app/text/plural.h"
#include "app/text/outputtext.h"
#include "model/outputfile.h"
#include "model/visibletext.h"
#include "views/session/session.h"
#include "views/trace/tracepage.h"
#include "views/workbench.h"

#include <QDateTime>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTimeZone>
#include <QTimer>
#include <QPointer>
#include <QScrollArea>
#include <QVBoxLayout>

namespace rw {

using namespace analysis;

PermissionHeatmapTab::PermissionHeatmapTab(Workbench& workbench) : QObject(workbench.host()), m_workbench(workbench)
{
    m_page = new QWidget(workbench.host());
    m_page->setObjectName(QStringLiteral("heatmapPage"));
    auto* layout = new QVBoxLayout(m_page);
    layout->setContentsMargins(6, 4, 6, 4);
    m_caption = new QLabel(m_page);
    m_caption->setWordWrap(true);
    m_caption->setTextFormat(Qt::PlainText);
    m_caption->setText(tr("Agents × permissions of the analysed runs. Shade: the share of the agent's runs that used "
                          "it (pale: few, dark: all). Dashed box: granted, never used (over-provisioned). Red frame and "
                          "corner: escalated in at least 2 runs and 20% of the agent's runs. Click a cell for its traces."));
    layout->addWidget(m_caption);
    // the time window: runs that started in it are counted
    auto* controls = new QHBoxLayout;
    auto* windowLabel = new QLabel(tr("Runs &started in:"), m_page);
    m_slider = new RangeSlider(m_page);
    windowLabel->setBuddy(m_slider);
    m_window = new QLabel(m_page);
    m_window->setTextFormat(Qt::PlainText);
    m_window->setMinimumWidth(m_window->fontMetrics().horizontalAdvance(QStringLiteral("2026-03-07 09:15 – 2026-03-07 09:15 UTC · 9999 of 9999 runs")));
    auto* exportButton = new QPushButton(tr("Export…"), m_page);
    exportButton->setToolTip(tr("Save the heatmap as PNG or SVG"));
    controls->addWidget(windowLabel);
    controls->addWidget(m_slider, 1);
    controls->addWidget(m_window);
    controls->addWidget(exportButton);
    layout->addLayout(controls);
    m_view = new HeatmapView(m_page);
    m_scroll = new QScrollArea(m_page);
    m_scroll->setWidget(m_view);
    m_scroll->setWidgetResizable(false);
    m_scroll->setFrameShape(QFrame::NoFrame);
    layout->addWidget(m_scroll, 1);
    workbench.tracePage().addTab(m_page, tr("Permissions"), false);

    connect(m_view, &HeatmapView::cellActivated, this, [this](const QString& agent, const QString& permission, bool used) {
        QString query = filterFor(agent, used ? permission : QString());
        // the list shows what the cell counts: traces whose first event is in the window (runs start with their first step)
        if (const auto [from, to] = window(); from != kNoTime) {
            // to the microsecond, as the filter reads times and the count compares them
            const auto stamp = [](std::int64_t us) -> QString { // a QString, never a builder of temporaries
                const std::int64_t frac = ((us % 1000000) + 1000000) % 1000000;
                return QDateTime::fromMSecsSinceEpoch((us - frac) / 1000, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) +
                       QStringLiteral(".%1").arg(frac, 6, 10, QLatin1Char('0'));
            };
            query += QStringLiteral(" first_seen>=%1 first_seen<%2").arg(stamp(from), stamp(to));
        }
        m_workbench.tracePage().filterBar()->setText(query);
        m_workbench.showMessage(used ? tr("Showing the traces behind the cell: %1").arg(query)
                                     : tr("%1 was granted and never used: showing the agent's traces (%2)").arg(permission, query),
                                8000);
    });
    // a drag moves the window many times a second: counted again once it rests
    m_recount = new QTimer(this);
    m_recount->setSingleShot(true);
    m_recount->setInterval(150);
    connect(m_recount, &QTimer::timeout, this, &PermissionHeatmapTab::count);
    connect(m_slider, &RangeSlider::rangeChanged, this, [this] {
        updateWindowText();
        m_recount->start();
    });
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(m_page, tr("Export heatmap"), QStringLiteral("heatmap.png"),
                                                          tr("PNG image (*.png);;SVG drawing (*.svg)"));
        if (path.isEmpty())
            return;
        if (const QString why = exportTo(path); !why.isEmpty())
            QMessageBox::warning(m_page, tr("Export heatmap"), why);
    });
    Session& session = workbench.session();
    connect(&session, &Session::analysed, this, [this](std::shared_ptr<const WorkspaceAnalysis> result) {
        m_analysis = std::move(result);
        // a new analysis starts with every run; its span is found by the count (off the GUI thread)
        m_span = {};
        m_spanKnown = false;
        const QSignalBlocker quiet(m_slider);
        m_slider->setRange(0, m_slider->maximum());
        m_slider->setEnabled(false);
        updateWindowText();
        count();
    });
}

std::pair<std::int64_t, std::int64_t> PermissionHeatmapTab::window() const
{
    // the whole span is no window at all: runs without a start time count too
    if (m_span.firstUs == kNoTime || (m_slider->lower() == 0 && m_slider->upper() == m_slider->maximum()))
        return {kNoTime, kNoTime};
    const double span = static_cast<double>(m_span.lastUs - m_span.firstUs) + 1; // the last start inside
    const auto at = [&](int position) {
        return m_span.firstUs + static_cast<std::int64_t>(span * position / m_slider->maximum());
    };
    return {at(m_slider->lower()), at(m_slider->upper())};
}

void PermissionHeatmapTab::updateWindowText()
{
    const auto [from, to] = window();
    if (!m_analysis || !m_spanKnown || m_span.firstUs == kNoTime) {
        m_window->setText(m_analysis && m_spanKnown ? tr("no run has a start time") : QString());
        return;
    }
    const auto stamp = [](std::int64_t us) {
        return QDateTime::fromMSecsSinceEpoch(us / 1000, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    };
    if (from == kNoTime)
        m_window->setText(tr("%1 – %2 UTC · all runs").arg(stamp(m_span.firstUs), stamp(m_span.lastUs)));
    else
        m_window->setText(tr("%1 – %2 UTC").arg(stamp(from), stamp(to - 1)));
}

void PermissionHeatmapTab::count()
{
    const std::shared_ptr<const WorkspaceAnalysis> result = m_analysis;
    if (!result) {
        m_view->setHeatmap(nullptr);
        return;
    }
    const auto [from, to] = window();
    struct Counted
    {
        std::shared_ptr<const PermissionHeatmap> heatmap;
        RunStartSpan span; // of the whole analysis: where the slider's window lies
    };
    const QPointer<PermissionHeatmapTab> self(this); // the window may close before the count ends
    m_workbench.session().tasks().start<Counted>(
        TaskKind::Heatmap, tr("Counting permissions"),
        [result, from = from, to = to](const CancelToken&, TaskProgress&) {
            return Counted{std::make_shared<const PermissionHeatmap>(buildPermissionHeatmap(*result, from, to)), runStartSpan(*result)};
        },
        [this, self, result, from = from](Counted counted) {
            if (!self || result != m_workbench.session().analysis() || result != m_analysis || from != window().first)
                return; // a newer analysis, or another window, has its own
            if (!m_spanKnown) {
                m_span = counted.span;
                m_spanKnown = true;
                m_slider->setEnabled(m_span.dated > 0 && m_span.firstUs < m_span.lastUs);
                updateWindowText();
            }
            std::shared_ptr<const PermissionHeatmap> heatmap = std::move(counted.heatmap);
            std::uint64_t runs = 0;
            for (const std::uint32_t n : heatmap->agentRuns)
                runs += n;
            if (from != kNoTime)
                m_window->setText(m_window->text() + QStringLiteral(" · ") +
                                  tr("%1 of %2").arg(runs).arg(rw::counted(m_span.dated + m_span.undated, "run", "runs")));
            m_view->setHeatmap(std::move(heatmap));
            Q_EMIT shown();
        });
}

QString PermissionHeatmapTab::windowText() const
{
    return m_window->text();
}

QString PermissionHeatmapTab::exportTo(const QString& path) const
{
    if (!m_view->heatmap())
        return tr("Nothing has been counted yet.");
    // never over an open audit file, a directory, a FIFO or a device
    OutputRules rules;
    if (const std::shared_ptr<const Workspace> ws = m_workbench.session().workspace())
        for (std::size_t f = 0; f < ws->fileCount(); ++f)
            rules.inputs.push_back(ws->file(f).path());
    const OutputTarget target = chooseOutputFile(QFile::encodeName(path).toStdString(), std::move(rules));
    if (!target.ok())
        return QString::fromStdString(outputFailureText(target.requested, target.failure));
    // the picture says what it counts: the window and the files it came from
    const QStringList paths = m_workbench.session().paths();
    const QString files = paths.size() == 1 ? QFileInfo(paths.front()).fileName() : counted(static_cast<std::uint64_t>(paths.size()), "file", "files");
    const QString caption = m_span.firstUs == kNoTime ? tr("Permission heatmap · %1").arg(files)
                                                      : tr("Permission heatmap · runs started %1 · %2").arg(m_window->text(), files);
    const QByteArray bytes = m_view->render(path.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive), visibleText(caption));
    if (bytes.isEmpty())
        return tr("The heatmap could not be encoded.");
    const OutputFailure failure = writeOutputFile(target, std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
    return failure.error == OutputError::None ? QString() : QString::fromStdString(outputFailureText(target.requested, failure));
}

QString PermissionHeatmapTab::filterFor(const QString& agent, const QString& permission)
{
    // quoted as the filter language reads quotes: \" and \\ inside, no wildcard
    const auto quoted = [](QString v) -> QString {
        v.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\""));
        return QLatin1Char('"') + v + QLatin1Char('"');
    };
    if (agent.isEmpty()) // runs without an agent id: by the permission alone
        return QStringLiteral("perm:%1").arg(quoted(permission));
    if (permission.isEmpty()) // a grant never used: no step names it, the agent's traces do
        return QStringLiteral("agent:%1").arg(quoted(agent));
    return QStringLiteral("agent:%1 perm:%2").arg(quoted(agent), quoted(permission));
}

} // namespace rw
