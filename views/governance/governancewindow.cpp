#include "views/governance/governancewindow.h"

#include "app/text/governancetext.h"
#include "model/timestamp.h"
#include "views/governance/chartgeometry.h"
#include "views/governance/governancechart.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QStandardItemModel>
#include <QVBoxLayout>

namespace rw {

using namespace analysis;

namespace {

// the windows, as hours back from the last counted hour (0: all)
constexpr int kWindowHours[] = {0, 24, 24 * 7, 24 * 30};

QString timeTerm(std::int64_t us)
{
    return QString::fromStdString(formatTimestampUtc(us).substr(0, 16)); // 2026-03-05T14:00
}

} // namespace

GovernanceWindow::GovernanceWindow(QWidget* parent) : QWidget(parent, Qt::Window)
{
    setWindowTitle(tr("Governance Metrics"));
    setObjectName(QStringLiteral("governanceMetrics"));
    m_metric = new QComboBox(this);
    for (std::size_t i = 0; i < kGovernanceCounters; ++i)
        m_metric->addItem(governanceCounterLabel(static_cast<GovernanceCounter>(i)), static_cast<int>(i));
    m_metric->setCurrentIndex(static_cast<int>(GovernanceCounter::Traces));
    m_breakdown = new QComboBox(this);
    m_breakdown->addItem(tr("Total"), static_cast<int>(GovernanceBreakdown::Total));
    m_breakdown->addItem(tr("By agent"), static_cast<int>(GovernanceBreakdown::Agent));
    m_breakdown->addItem(tr("By tool"), static_cast<int>(GovernanceBreakdown::Tool));
    m_breakdown->addItem(tr("By tenant"), static_cast<int>(GovernanceBreakdown::Tenant));
    m_window = new QComboBox(this);
    m_window->addItem(tr("All time"));
    m_window->addItem(tr("Last 24 hours"));
    m_window->addItem(tr("Last 7 days"));
    m_window->addItem(tr("Last 30 days"));
    m_window->setToolTip(tr("Counted back from the last hour with data"));
    m_export = new QPushButton(tr("&Export"), this);
    auto* menu = new QMenu(m_export);
    menu->addAction(tr("Chart as PNG…"), this, [this] { Q_EMIT exportRequested(QStringLiteral("png")); });
    menu->addAction(tr("Chart as SVG…"), this, [this] { Q_EMIT exportRequested(QStringLiteral("svg")); });
    menu->addAction(tr("All counts as CSV (by hour, agent, tool, tenant)…"), this,
                    [this] { Q_EMIT exportRequested(QStringLiteral("csv")); });
    m_export->setMenu(menu);

    auto* controls = new QHBoxLayout;
    const auto labelled = [&](const QString& text, QWidget* w) {
        auto* label = new QLabel(text, this);
        label->setBuddy(w);
        controls->addWidget(label);
        controls->addWidget(w);
    };
    labelled(tr("&Metric:"), m_metric);
    labelled(tr("&Breakdown:"), m_breakdown);
    labelled(tr("&Window:"), m_window);
    controls->addStretch(1);
    controls->addWidget(m_export);

    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_caption = new QLabel(this);
    QFont bold = m_caption->font();
    bold.setBold(true);
    m_caption->setFont(bold);
    m_chart = new GovernanceChart(this);
    m_hint = new QLabel(this);
    m_hint->setWordWrap(true);
    m_hint->setForegroundRole(QPalette::PlaceholderText);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_summary);
    layout->addWidget(m_caption);
    layout->addWidget(m_chart, 1);
    layout->addWidget(m_hint);

    for (QComboBox* box : {m_metric, m_breakdown, m_window})
        connect(box, &QComboBox::currentIndexChanged, this, &GovernanceWindow::rebuild);
    connect(m_chart, &GovernanceChart::pointActivated, this, [this](int bucket, int series) {
        const QString query = queryFor(bucket, series);
        if (!query.isEmpty())
            Q_EMIT showTraces(query);
    });
    resize(900, 520);
    setCounts(nullptr);
}

void GovernanceWindow::setCounts(std::shared_ptr<const GovernanceCounts> counts)
{
    m_counts = std::move(counts);
    m_export->setEnabled(m_counts != nullptr);
    m_chart->setEnabled(true);
    m_summary->setText(m_counts ? tr("All open files, all time: ") + governanceSummaryLine(*m_counts)
                                : tr("Open audit files or run traces to count their metrics."));
    rebuild();
}

void GovernanceWindow::setBusy(const QString& text)
{
    m_summary->setText(text);
    m_export->setEnabled(false);
    m_chart->setEnabled(false); // its points are of the files before: not clickable meanwhile
}

// per-trace counters have no tool (a trace is counted once, with tool ""): no breakdown by tool
bool perTrace(GovernanceCounter c)
{
    return c == GovernanceCounter::Traces || c == GovernanceCounter::ReplayableTraces ||
           c == GovernanceCounter::ReconstructableTraces || c == GovernanceCounter::RuntimeIncidents ||
           c == GovernanceCounter::ToolAnomalies;
}

void GovernanceWindow::rebuild()
{
    const auto counter = static_cast<GovernanceCounter>(m_metric->currentData().toInt());
    if (auto* items = qobject_cast<QStandardItemModel*>(m_breakdown->model())) {
        const int byTool = m_breakdown->findData(static_cast<int>(GovernanceBreakdown::Tool));
        items->item(byTool)->setEnabled(!perTrace(counter));
        items->item(byTool)->setToolTip(perTrace(counter) ? tr("Counted once per trace, not per tool") : QString());
        if (perTrace(counter) && m_breakdown->currentIndex() == byTool) {
            m_breakdown->setCurrentIndex(0); // calls rebuild again
            return;
        }
    }
    m_hint->setText(perTrace(counter)
                        ? tr("Click a point (or move to it with the arrow keys and press Enter) to list the traces behind it.")
                        : tr("Click a point (or move to it with the arrow keys and press Enter) to list the traces first "
                             "seen in its bucket: events are counted in their own hour, so a trace that started "
                             "earlier is not among them."));
    if (!m_counts) {
        m_chart->setData({}, {});
        m_caption->clear();
        return;
    }
    const auto breakdown = static_cast<GovernanceBreakdown>(m_breakdown->currentData().toInt());
    const int hours = kWindowHours[std::clamp(m_window->currentIndex(), 0, 3)];
    std::int64_t from = INT64_MIN;
    if (hours > 0)
        if (const std::int64_t last = lastCountedHour(*m_counts); last != INT64_MIN) {
            from = last - static_cast<std::int64_t>(hours - 1) * kHourMicros;
            // past two weeks the chart has days: the window starts at midnight, its first day whole
            if (hours > 24 * 14)
                from = from - ((from % (24 * kHourMicros)) + 24 * kHourMicros) % (24 * kHourMicros);
        }
    m_chart->setData(governanceChart(*m_counts, counter, breakdown, from), m_metric->currentText().toLower());
    m_caption->setText(caption());
}

QString GovernanceWindow::caption() const
{
    const GovernanceChartData& shown = m_chart->data();
    if (!m_counts)
        return {};
    QString text = m_metric->currentText();
    if (m_breakdown->currentIndex() > 0)
        text += QLatin1Char(' ') + m_breakdown->currentText().toLower();
    if (!shown.empty()) {
        text += shown.bucketUs == kHourMicros        ? tr(", per hour")
                : shown.bucketUs == 24 * kHourMicros ? tr(", per day")
                                                     : tr(", per week (from Monday)");
        text += tr(", %1 \u2013 %2 UTC")
                    .arg(bucketLabel(shown, 0), QString::fromStdString(formatTimestampUtc(shown.bucketStart(shown.buckets - 1) + shown.bucketUs - 1).substr(0, 16)).replace(QLatin1Char('T'), QLatin1Char(' ')));
    }
    if (shown.undated > 0)
        text += tr(" \u00b7 %n without a time, not drawn", nullptr, static_cast<int>(shown.undated));
    return text;
}

QString GovernanceWindow::exportFooter(std::size_t files) const
{
    return tr("Replay Workbench \u00b7 %n open file(s) \u00b7 window: %1 \u00b7 made %2 UTC", nullptr, static_cast<int>(files))
        .arg(m_window->currentText(), QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm")));
}

QString GovernanceWindow::queryFor(int bucket, int series) const
{
    const GovernanceChartData& shown = m_chart->data();
    if (bucket < 0 || series < 0 || static_cast<std::size_t>(bucket) >= shown.buckets ||
        static_cast<std::size_t>(series) >= shown.series.size())
        return {};
    const std::int64_t start = shown.bucketStart(static_cast<std::size_t>(bucket));
    QString query = QStringLiteral("first_seen>=%1 first_seen<%2").arg(timeTerm(start), timeTerm(start + shown.bucketUs));
    const GovernanceSeries& s = shown.series[static_cast<std::size_t>(series)];
    const auto breakdown = static_cast<GovernanceBreakdown>(m_breakdown->currentData().toInt());
    const char* field = breakdown == GovernanceBreakdown::Agent ? "agent"
                        : breakdown == GovernanceBreakdown::Tool ? "tool"
                        : breakdown == GovernanceBreakdown::Tenant ? "tenant"
                                                                   : nullptr;
    const auto quotable = [](const std::string& name) {
        return !name.empty() && name.find_first_of("\"\\") == std::string::npos;
    };
    // a name the filter cannot say exactly (none, or with a quote or a backslash):
    // no query rather than one that lists more traces than the point counts
    if (field && !s.rest) {
        if (!quotable(s.name))
            return {};
        query += QStringLiteral(" %1:\"%2\"").arg(QLatin1String(field), QString::fromStdString(s.name));
    }
    // the rest: none of the series shown by name
    if (field && s.rest)
        for (const GovernanceSeries& named : shown.series) {
            if (named.rest)
                continue;
            if (!quotable(named.name))
                return {};
            query += QStringLiteral(" NOT %1:\"%2\"").arg(QLatin1String(field), QString::fromStdString(named.name));
        }
    return query;
}

} // namespace rw
