#include "views/diffview.h"

#include "views/diffcelldelegate.h"
#include "views/graphview.h"
#include "views/jsondiffview.h"
#include "views/models/comparisonmodel.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace rw {

namespace {

// rows whose change marker is not "same"
class DifferencesOnly : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setEnabled(bool on)
    {
        m_on = on;
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override
    {
        return !m_on || sourceModel()->index(row, 0, parent).data(ComparisonModel::ChangeRole).toInt() != static_cast<int>(RowChange::Same);
    }

private:
    bool m_on = false;
};

QString swatch(const QColor& c, const QString& sign, const QString& text)
{
    return QStringLiteral("<span style='color:%1;font-weight:bold'>%2</span> %3").arg(c.name(), sign, text.toHtmlEscaped());
}

} // namespace

DiffView::DiffView(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 0);
    auto* top = new QHBoxLayout;
    m_title = new QLabel(this);
    m_title->setTextFormat(Qt::PlainText);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_summary = new QLabel(this);
    m_summary->setTextFormat(Qt::PlainText);
    m_onlyDiff = new QCheckBox(tr("Only differences"), this);
    top->addWidget(m_title, 1);
    top->addWidget(m_summary);
    top->addSpacing(12);
    top->addWidget(m_onlyDiff);
    layout->addLayout(top);

    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    auto* split = new QSplitter(Qt::Vertical, m_tabs);
    m_table = new QTableView(split);
    m_model = new ComparisonModel(this);
    auto* proxy = new DifferencesOnly(this);
    m_proxy = proxy;
    m_proxy->setSourceModel(m_model);
    m_table->setModel(m_proxy);
    m_table->setItemDelegate(new DiffCellDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->setWordWrap(false);
    m_table->setAccessibleName(tr("Compared steps"));
    m_json = new JsonDiffView(split);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    m_tabs->addTab(split, tr("Steps"));

    auto* graphPage = new QWidget(m_tabs);
    auto* gl = new QVBoxLayout(graphPage);
    gl->setContentsMargins(0, 0, 0, 0);
    m_legend = new QLabel(graphPage);
    m_legend->setTextFormat(Qt::RichText);
    m_graph = new GraphView(graphPage);
    gl->addWidget(m_legend);
    gl->addWidget(m_graph, 1);
    m_tabs->addTab(graphPage, tr("Graph overlay"));
    layout->addWidget(m_tabs, 1);

    connect(m_onlyDiff, &QCheckBox::toggled, this, [proxy](bool on) { proxy->setEnabled(on); });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
        if (current.isValid())
            showRow(m_proxy->mapToSource(current).row());
    });
    // a node of the overlay selects the row that holds its event
    connect(m_graph, &GraphView::eventSelected, this, [this](std::uint32_t event) {
        const int row = m_model->rowOfEvent(1, event);
        if (row < 0)
            return;
        const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
        if (index.isValid()) {
            m_table->setCurrentIndex(index);
            m_tabs->setCurrentIndex(0);
        }
    });
    showMessage(tr("Nothing compared yet. Select a trace and use Trace ▸ Mark for Comparison (M), then select another and "
                   "Compare with Marked Trace (Shift+M); or load a policy bundle and use Policy ▸ Compare with "
                   "Re-evaluation (R)."));
}

void DiffView::showMessage(const QString& text)
{
    m_data.reset();
    m_model->setComparison({});
    m_title->setText(QString());
    m_summary->setText(QString());
    m_json->clear(text);
    m_graph->showMessage(text.section(QLatin1Char('.'), 0, 0));
}

QString DiffView::summaryText() const { return m_summary->text(); }

void DiffView::setData(std::shared_ptr<const ComparisonData> comparison)
{
    m_data = std::move(comparison);
    const TraceComparison& c = m_data->comparison;
    m_model->setComparison(c);
    m_title->setText(m_data->leftTitle + QStringLiteral("   ⇄   ") + m_data->rightTitle);
    m_legend->setText(swatch(DiffCellDelegate::changeColor(int(RowChange::Added)), QStringLiteral("+"), tr("only %1").arg(m_data->rightName)) +
                      QStringLiteral("&nbsp;&nbsp;&nbsp;") +
                      swatch(DiffCellDelegate::changeColor(int(RowChange::Removed)), QStringLiteral("−"),
                             tr("only %1 (dashed)").arg(m_data->leftName)) +
                      QStringLiteral("&nbsp;&nbsp;&nbsp;") +
                      swatch(DiffCellDelegate::changeColor(int(RowChange::Changed)), QStringLiteral("≠"),
                             tr("decision, trust or label changed (\"was …\" under the label)")) +
                      QStringLiteral("&nbsp;&nbsp;&nbsp;") +
                      tr("Fills: decision and trust colours, as on the timeline; vermillion edges: paths from untrusted sources."));
    m_summary->setText(tr("Steps: %1 same · %2 changed · %3 only %4 · %5 only %6 · plans %7 ↔ %8")
                           .arg(c.same)
                           .arg(c.changed)
                           .arg(c.removed)
                           .arg(m_data->leftName)
                           .arg(c.added)
                           .arg(m_data->rightName)
                           .arg(c.leftPlans)
                           .arg(c.rightPlans));
    QHeaderView* h = m_table->horizontalHeader();
    h->setSectionResizeMode(QHeaderView::Interactive);
    const int em = m_table->fontMetrics().averageCharWidth();
    const int widths[] = {6, 22, 25, 16, 18, 26, 4, 25, 16, 18, 26, 22};
    for (int i = 0; i < ComparisonModel::ColumnCount; ++i)
        m_table->setColumnWidth(i, widths[i] * em);
    // the reasons take what is left: they are the longest and say why
    h->setSectionResizeMode(ComparisonModel::LeftReasonColumn, QHeaderView::Stretch);
    h->setSectionResizeMode(ComparisonModel::RightReasonColumn, QHeaderView::Stretch);
    h->setStretchLastSection(false);
    m_json->clear(tr("Select a row to compare the raw JSON of both sides."));
    if (m_data->layout)
        m_graph->setGraphDiff(m_data->right.model, m_data->graph, *m_data->layout);
    else
        m_graph->showMessage(tr("The graphs could not be laid out: %1").arg(m_data->layoutError));
    // start on the first changed decision, else the first difference: that is what the user came for
    for (const bool decisionOnly : {true, false}) {
        for (int r = 0; r < m_model->rowCount(); ++r) {
            const CompareRow& row = m_model->compareRow(r);
            if (decisionOnly ? row.fieldChanged(CompareField::Decision) : row.change != RowChange::Same) {
                m_table->setCurrentIndex(m_proxy->mapFromSource(m_model->index(r, 0)));
                m_table->scrollTo(m_table->currentIndex());
                return;
            }
        }
    }
    if (m_model->rowCount() > 0)
        m_table->setCurrentIndex(m_proxy->index(0, 0));
}

void DiffView::showRow(int sourceRow)
{
    if (!m_data || sourceRow < 0 || sourceRow >= m_model->rowCount())
        return;
    const CompareRow& r = m_model->compareRow(sourceRow);
    std::optional<nlohmann::ordered_json> left, right;
    QString leftNote = tr("Only on the right side."), rightNote = tr("Only on the left side.");
    std::string error;
    if (r.left >= 0) {
        left = sideEventJson(m_data->left, static_cast<std::uint32_t>(r.left), &error);
        if (!left)
            leftNote = tr("The record could not be read: %1").arg(QString::fromStdString(error));
    }
    if (r.right >= 0) {
        right = sideEventJson(m_data->right, static_cast<std::uint32_t>(r.right), &error);
        if (!right)
            rightNote = tr("The record could not be read: %1").arg(QString::fromStdString(error));
    }
    // the overlay is not highlighted from here: a selection border would read as a diff mark
    m_json->setDocuments(left, leftNote, right, rightNote);
}

} // namespace rw
