#include "views/reevaluationpanel.h"

#include "app/text/plural.h"

#include "model/visibletext.h"

#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace rw {

namespace {

enum ItemRole { SectionRole = Qt::UserRole, KeyRole, RowRole, EventRole };

QString flipText(const std::string& key)
{
    QString s = QString::fromStdString(key);
    s.replace(QStringLiteral("->"), QStringLiteral(" → "));
    return s;
}

} // namespace

ReevaluationPanel::ReevaluationPanel(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_header = new QLabel(this);
    m_header->setWordWrap(true);
    m_header->setTextFormat(Qt::PlainText);
    layout->addWidget(m_header);
    m_tree = new QTreeWidget(this);
    m_tree->setColumnCount(2);
    m_tree->setHeaderLabels({tr("What changed"), tr("Decisions · traces")});
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_tree->setUniformRowHeights(true);
    m_tree->setAccessibleName(tr("Re-evaluation summary"));
    m_tree->setRootIsDecorated(true);
    layout->addWidget(m_tree, 1);
    connect(m_tree, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem* item) { activate(item); });
    connect(m_tree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) { activate(item); });
    showMessage(tr("Load a policy bundle (Policy ▸ Load Policy Bundle…) and re-evaluate traces to see what it would "
                   "have decided."));
}

void ReevaluationPanel::showMessage(const QString& text)
{
    m_result.reset();
    m_tree->clear();
    m_header->setText(text);
}

QString ReevaluationPanel::headerText() const { return m_header->text(); }

void ReevaluationPanel::setResult(std::shared_ptr<const Workspace> ws, std::shared_ptr<const WorkspaceReevaluation> result,
                                  const QString& bundle, const QString& scope)
{
    m_ws = std::move(ws);
    m_result = std::move(result);
    m_tree->clear();
    const ReplayDiffSummary& s = m_result->summary;
    m_header->setText(tr("%1 under %2: %3 in %4; %5 changed (in %6), %7 unchanged, %8 not "
                         "replayable. Click a count to list its traces.")
                          .arg(scope, bundle)
                          .arg(counted(s.decisionPoints, "decision point", "decision points"))
                          .arg(counted(m_result->tracesExamined, "trace", "traces"))
                          .arg(s.changed)
                          .arg(counted(m_result->tracesChanged, "trace", "traces"))
                          .arg(s.unchanged)
                          .arg(s.notReplayable));
    auto section = [&](const QString& title, const QString& id, const std::map<std::string, std::size_t>& counts,
                       const std::map<std::string, std::vector<std::uint32_t>>& rows, bool flips) {
        auto* top = new QTreeWidgetItem(m_tree, {title, QString()});
        top->setData(0, SectionRole, id);
        top->setFirstColumnSpanned(false);
        QFont f = top->font(0);
        f.setBold(true);
        top->setFont(0, f);
        std::size_t total = 0;
        // biggest first: what an engineer looks at first
        std::vector<std::pair<std::string, std::size_t>> sorted(counts.begin(), counts.end());
        std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
        for (const auto& [key, count] : sorted) {
            const auto it = rows.find(key);
            const std::size_t traces = it == rows.end() ? 0 : it->second.size();
            auto* item = new QTreeWidgetItem(top, {visibleText(flips ? flipText(key) : QString::fromStdString(key)),
                                                   tr("%1 · %2").arg(count).arg(traces)});
            item->setData(0, SectionRole, id);
            item->setData(0, KeyRole, QString::fromStdString(key));
            item->setToolTip(0, item->text(0) + QStringLiteral("\n") +
                                    tr("%1 decision points in %2; click to list them")
                                        .arg(count)
                                        .arg(traces == 1 ? tr("1 trace") : tr("%1 traces").arg(traces)));
            total += count;
        }
        top->setText(1, QString::number(total));
        top->setExpanded(true);
    };
    if (s.changed == 0) {
        auto* none = new QTreeWidgetItem(m_tree, {tr("No decision changed"), QString()});
        none->setDisabled(true);
    } else {
        section(tr("Flips"), QStringLiteral("flips"), s.flips, m_result->flipRows, true);
        section(tr("By new rule"), QStringLiteral("rules"), s.byRule, m_result->ruleRows, false);
        section(tr("By agent"), QStringLiteral("agents"), s.byAgent, m_result->agentRows, false);
        section(tr("By tool"), QStringLiteral("tools"), s.byTool, m_result->toolRows, false);
    }
    if (!m_result->notReplayable.empty()) {
        auto* top = new QTreeWidgetItem(m_tree, {tr("Not replayable"), QString::number(m_result->notReplayable.size())});
        QFont f = top->font(0);
        f.setBold(true);
        top->setFont(0, f);
        const std::size_t shown = std::min<std::size_t>(m_result->notReplayable.size(), 500);
        for (std::size_t i = 0; i < shown; ++i) {
            const auto& p = m_result->notReplayable[i];
            const TraceRow& row = m_ws->row(p.row);
            const ReplayModel& m = m_ws->fileOf(row);
            QStringList missing;
            for (const std::string& name : missingFactNames(p.missing))
                missing << QString::fromStdString(name);
            const std::string_view id = m_ws->str(row, row.traceId);
            auto* item = new QTreeWidgetItem(top, {tr("%1, line %2: no %3")
                                                       .arg(visibleUtf8(id))
                                                       .arg(m.event(p.event).line)
                                                       .arg(missing.join(QStringLiteral(", "))),
                                                   QString()});
            item->setData(0, SectionRole, QStringLiteral("not-replayable"));
            item->setData(0, RowRole, p.row);
            item->setData(0, EventRole, p.event);
            item->setToolTip(0, item->text(0) + QStringLiteral("\n") + tr("Click to open this decision point"));
        }
        if (shown < m_result->notReplayable.size())
            new QTreeWidgetItem(top, {tr("… and %1 more").arg(m_result->notReplayable.size() - shown), QString()});
        top->setExpanded(m_result->notReplayable.size() <= 20);
    }
    if (!s.rulesNeverFired.empty()) {
        QStringList rules;
        for (const std::string& r : s.rulesNeverFired)
            rules << QString::fromStdString(r);
        auto* item = new QTreeWidgetItem(m_tree, {tr("Rules that never fired: %1").arg(rules.join(QStringLiteral(", "))), QString()});
        item->setToolTip(0, item->text(0));
    }
}

QTreeWidgetItem* ReevaluationPanel::findItem(const QString& section, const QString& key) const
{
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem* top = m_tree->topLevelItem(i);
        for (int c = 0; c < top->childCount(); ++c) {
            QTreeWidgetItem* item = top->child(c);
            if (item->data(0, SectionRole).toString() == section &&
                (key.isEmpty() || item->data(0, KeyRole).toString() == key))
                return item;
        }
    }
    return nullptr;
}

void ReevaluationPanel::activate(QTreeWidgetItem* item)
{
    if (!m_result || !item)
        return;
    const QString section = item->data(0, SectionRole).toString();
    if (section == QLatin1String("not-replayable")) {
        Q_EMIT pointRequested(item->data(0, RowRole).toUInt(), item->data(0, EventRole).toUInt());
        return;
    }
    const QVariant key = item->data(0, KeyRole);
    if (!key.isValid())
        return;
    const std::map<std::string, std::vector<std::uint32_t>>* rows = nullptr;
    if (section == QLatin1String("flips"))
        rows = &m_result->flipRows;
    else if (section == QLatin1String("rules"))
        rows = &m_result->ruleRows;
    else if (section == QLatin1String("agents"))
        rows = &m_result->agentRows;
    else if (section == QLatin1String("tools"))
        rows = &m_result->toolRows;
    if (!rows)
        return;
    const auto it = rows->find(key.toString().toStdString());
    if (it != rows->end())
        Q_EMIT rowsRequested(item->parent()->text(0) + QStringLiteral(": ") + item->text(0), it->second);
}

} // namespace rw
