#include "views/eventdrawer.h"

#include "views/stepfields.h"

#include "views/chips.h"

#include "model/eventjson.h"
#include "model/visibletext.h"
#include "views/jsonhighlighter.h"
#include "views/styles.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace rw {

namespace {

using Json = nlohmann::ordered_json;

// values of the record as a person reads them: hidden characters escaped
QString jsonText(const Json& v)
{
    if (v.is_string())
        return visibleUtf8(v.get_ref<const std::string&>());
    return visibleJsonText(v.dump(-1, ' ', false, Json::error_handler_t::replace));
}

// RFC 6901 escaping of one reference token
QString pointerToken(const QString& key)
{
    QString t = key;
    t.replace(QLatin1Char('~'), QStringLiteral("~0"));
    t.replace(QLatin1Char('/'), QStringLiteral("~1"));
    return t;
}

void addJsonNode(QTreeWidgetItem* parent, const QString& key, const Json& value, const QString& pointer)
{
    auto* item = new QTreeWidgetItem(parent);
    item->setText(0, visibleText(key));
    item->setData(0, Qt::UserRole, pointer);
    if (value.is_object()) {
        item->setText(2, QStringLiteral("object"));
        item->setText(1, QStringLiteral("{%1}").arg(value.size()));
        for (auto it = value.begin(); it != value.end(); ++it) {
            const QString k = QString::fromStdString(it.key());
            addJsonNode(item, k, it.value(), pointer + QLatin1Char('/') + pointerToken(k));
        }
    } else if (value.is_array()) {
        item->setText(2, QStringLiteral("array"));
        item->setText(1, QStringLiteral("[%1]").arg(value.size()));
        for (std::size_t i = 0; i < value.size(); ++i)
            addJsonNode(item, QString::number(i), value[i], pointer + QLatin1Char('/') + QString::number(i));
    } else {
        item->setText(1, jsonText(value));
        item->setText(2, QString::fromLatin1(value.type_name()));
    }
}

} // namespace

EventDrawer::EventDrawer(QWidget* parent) : QWidget(parent)
{
    setAccessibleName(tr("Event details"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_header = new QLabel(tr("No event selected"), this);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_header->setWordWrap(true);
    layout->addWidget(m_header);
    m_badges = new BadgeStrip(this);
    layout->addWidget(m_badges);

    auto* searchRow = new QHBoxLayout;
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Find in JSON"));
    m_search->setAccessibleName(tr("Find in event JSON"));
    m_search->setClearButtonEnabled(true);
    searchRow->addWidget(m_search, 1);
    auto* copyLine = new QPushButton(tr("Copy line"), this);
    auto* copyPretty = new QPushButton(tr("Copy pretty"), this);
    auto* copyPointer = new QPushButton(tr("Copy pointer"), this);
    copyLine->setToolTip(tr("Copy the exact original bytes of the line"));
    copyPointer->setToolTip(tr("Copy the JSON pointer of the node selected in the tree"));
    for (QPushButton* b : {copyLine, copyPretty, copyPointer})
        searchRow->addWidget(b);
    layout->addLayout(searchRow);

    m_tabs = new QTabWidget(this);
    m_fields = new QTreeWidget(this);
    m_fields->setHeaderLabels({tr("Field"), tr("Value")});
    m_fields->setAccessibleName(tr("Event fields"));
    m_fields->header()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_fields->header()->resizeSection(0, 172);
    m_fields->setTextElideMode(Qt::ElideMiddle); // ids keep both ends visible
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_raw = new QPlainTextEdit(this);
    m_raw->setReadOnly(true);
    m_raw->setFont(mono);
    m_raw->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_raw->setAccessibleName(tr("Raw line"));
    m_pretty = new QPlainTextEdit(this);
    m_pretty->setReadOnly(true);
    m_pretty->setFont(mono);
    m_pretty->setAccessibleName(tr("Pretty-printed JSON"));
    m_highlighter = new JsonHighlighter(m_pretty->document());
    m_tree = new QTreeWidget(this);
    m_tree->setHeaderLabels({tr("Key"), tr("Value"), tr("Type")});
    m_tree->setAccessibleName(tr("JSON tree"));
    m_tabs->addTab(m_fields, tr("Fields"));
    m_tabs->addTab(m_raw, tr("Raw"));
    m_tabs->addTab(m_pretty, tr("Pretty"));
    m_tabs->addTab(m_tree, tr("Tree"));
    layout->addWidget(m_tabs, 1);

    connect(copyLine, &QPushButton::clicked, this, &EventDrawer::copyLine);
    connect(copyPretty, &QPushButton::clicked, this, &EventDrawer::copyPretty);
    connect(copyPointer, &QPushButton::clicked, this, &EventDrawer::copyPointer);
    connect(m_search, &QLineEdit::returnPressed, this, &EventDrawer::findNext);
    connect(m_search, &QLineEdit::textChanged, m_highlighter, &JsonHighlighter::setSearchTerm);
}

void EventDrawer::clear()
{
    m_header->setText(tr("No event selected"));
    m_fields->clear();
    m_raw->setExtraSelections({});
    m_raw->clear();
    m_pretty->clear();
    m_tree->clear();
    m_rawBytes.clear();
    m_badges->setChips({});
}

int EventDrawer::highlightRaw(const QString& text)
{
    QList<QTextEdit::ExtraSelection> marks;
    if (!text.isEmpty()) {
        QTextCharFormat format;
        // the palette's highlight, lightened: readable in light and dark themes alike
        QColor mark = palette().color(QPalette::Highlight);
        mark.setAlpha(90);
        format.setBackground(mark);
        format.setFontUnderline(true);
        QTextCursor at(m_raw->document());
        while (!(at = m_raw->document()->find(text, at, QTextDocument::FindCaseSensitively)).isNull()) {
            QTextEdit::ExtraSelection selection;
            selection.cursor = at;
            selection.format = format;
            marks << selection;
        }
    }
    m_raw->setExtraSelections(marks);
    if (!marks.isEmpty())
        m_raw->setTextCursor(QTextCursor(marks.front().cursor.block())); // scrolled to the first
    return static_cast<int>(marks.size());
}

int EventDrawer::rawHighlights() const
{
    return static_cast<int>(m_raw->extraSelections().size());
}

QTreeWidgetItem* EventDrawer::addField(QTreeWidgetItem* parent, const QString& key, const QString& value)
{
    auto* item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(m_fields);
    item->setText(0, key);
    item->setText(1, value);
    item->setToolTip(1, value);
    return item;
}

void EventDrawer::setEvent(const ReplayModel* model, std::int64_t eventIndex)
{
    clear();
    if (!model || eventIndex < 0 || static_cast<std::size_t>(eventIndex) >= model->eventCount())
        return;
    const EventRecord& e = model->event(static_cast<std::size_t>(eventIndex));
    const std::string_view raw = model->raw(e);
    m_rawBytes = QByteArray(raw.data(), static_cast<qsizetype>(raw.size()));
    const QString file = visibleUtf8(model->path());
    m_header->setToolTip(file);
    m_header->setText(tr("<b>%1</b> · %2<br><small>%3 · line %4 · offset %5 · %6 bytes</small>")
                          .arg(visibleUtf8(model->str(e, Field::EventType)).toHtmlEscaped(),
                               visibleUtf8(model->str(e, Field::Decision)).toHtmlEscaped(),
                               file.section(QLatin1Char('/'), -1).toHtmlEscaped())
                          .arg(e.line)
                          .arg(e.offset)
                          .arg(e.length));
    // the exact bytes (rawText(), copy) but shown with bidi and invisible
    // characters as JSON escapes, so the line cannot display reordered
    m_raw->setPlainText(visibleJsonText(raw));

    std::string error;
    const auto json = parseEventJson(*model, e, &error);
    if (json) {
        m_pretty->setPlainText(visibleJsonText(json->dump(2, ' ', false, Json::error_handler_t::replace)));
        auto* root = new QTreeWidgetItem(m_tree);
        root->setText(0, tr("(event)"));
        root->setData(0, Qt::UserRole, QString());
        for (auto it = json->begin(); it != json->end(); ++it) {
            const QString k = QString::fromStdString(it.key());
            addJsonNode(root, k, it.value(), QLatin1Char('/') + pointerToken(k));
        }
        root->setExpanded(true);
        m_tree->resizeColumnToContents(0);
    } else {
        m_pretty->setPlainText(tr("This line is not readable JSON: %1").arg(QString::fromStdString(error)));
    }
    fillFields(*model, static_cast<std::size_t>(eventIndex), json ? &*json : nullptr);

    // the words shown escaped, as the event table shows them
    auto shown = [&](Field f) { return e.s(f) == kNoStr ? QString() : visibleUtf8(model->str(e, f)); };
    std::vector<Chip> chips = chipsFor(ChipKind::Decision, QVariant::fromValue(e.decision), shown(Field::Decision));
    for (Chip& c : chipsFor(ChipKind::Risk, QVariant::fromValue(e.risk), shown(Field::RiskLevel)))
        chips.push_back({tr("risk %1").arg(c.text), c.color, c.shape});
    for (Chip& c : chipsFor(ChipKind::Agent, QVariant::fromValue(eventAgent(*model, e))))
        chips.push_back(std::move(c));
    for (Chip& c : chipsFor(ChipKind::Provenance, QVariant::fromValue(eventProvenance(*model, e))))
        chips.push_back(std::move(c));
    m_badges->setChips(std::move(chips));
}

void EventDrawer::fillFields(const ReplayModel& m, std::size_t index, const void* jsonPtr)
{
    const Json* json = static_cast<const Json*>(jsonPtr);
    const EventRecord& e = m.event(index);
    auto s = [&](Field f) { return e.s(f) == kNoStr ? QString() : visibleUtf8(m.str(e, f)); };
    auto add = [&](QTreeWidgetItem* parent, const QString& k, const QString& v) {
        if (!v.isEmpty())
            addField(parent, k, v);
    };
    auto member = [&](const char* key) -> const Json* {
        if (!json || !json->is_object() || !json->contains(key))
            return nullptr;
        return &(*json)[key];
    };
    if (e.has(EventFlag::Rejected)) {
        addField(nullptr, tr("Status"), tr("Unreadable record: kept as raw bytes, not replayed"));
    }
    // a run step: what the agent did and why, first
    if (const RunStep* step = m.runStep(index); step && !e.has(EventFlag::Rejected)) {
        addRunStepFields([this](QTreeWidgetItem* parent, const QString& k, const QString& v) -> QTreeWidgetItem* {
            return v.isEmpty() ? nullptr : addField(parent, k, v);
        }, m, index, *step, json);
    }
    add(nullptr, tr("Decision"), s(Field::Decision));
    // the whole tool name: the tables cut it, and a hostile name hides its tail there
    add(nullptr, tr("Tool"), s(Field::ToolName));
    add(nullptr, tr("Reason"), s(Field::Reason));
    add(nullptr, tr("Matched rule"), s(Field::MatchedRule));
    add(nullptr, tr("Risk"), s(Field::RiskLevel));
    add(nullptr, tr("Stage"), s(Field::DecisionStage));
    add(nullptr, tr("Event type"), s(Field::EventType) + (e.has(EventFlag::Legacy) ? tr(" (inferred, legacy record)") : QString()));
    add(nullptr, tr("Timestamp"), s(Field::Timestamp));
    add(nullptr, tr("Event id"), s(Field::EventId));
    add(nullptr, tr("Trace"), s(Field::TraceId));
    add(nullptr, tr("Approval id"), s(Field::ApprovalId));

    auto* identity = addField(nullptr, tr("Identity"), s(Field::AgentName));
    add(identity, tr("Agent id"), s(Field::AgentId));
    add(identity, tr("Trust level"), s(Field::AgentTrustLevel));
    add(identity, tr("Environment"), s(Field::AgentEnvironment));
    add(identity, tr("Tenant"), s(Field::TenantId));
    add(identity, tr("Policy bundle"), s(Field::PolicyBundle));
    add(identity, tr("Runtime mode"), s(Field::RuntimeMode));
    add(identity, tr("Budget context"), s(Field::BudgetContext));
    add(identity, tr("Framework"), s(Field::Framework));

    if (e.s(Field::PlanId) != kNoStr || e.s(Field::ExecutionPlanId) != kNoStr) {
        auto* plan = addField(nullptr, tr("Plan"), s(Field::PlanIntent));
        add(plan, tr("Plan id"), s(Field::PlanId));
        add(plan, tr("Execution plan"), s(Field::ExecutionPlanId));
        add(plan, tr("Risk"), s(Field::PlanRiskLevel));
        QStringList caps;
        for (const StrId c : m.list(e.requestedCaps))
            caps << visibleUtf8(m.str(c));
        add(plan, tr("Requested capabilities"), caps.join(QStringLiteral(", ")));
        if (const Json* steps = member("plan_steps"); steps && steps->is_array()) {
            auto* stepsItem = addField(plan, tr("Steps"), QString::number(steps->size()));
            for (const Json& step : *steps) {
                if (!step.is_object())
                    continue;
                auto text = [&](const char* k) { return step.contains(k) ? jsonText(step[k]) : QString(); };
                auto* st = addField(stepsItem, text("order"), text("tool_name"));
                add(st, tr("Intent"), text("intent"));
                add(st, tr("Capability"), text("capability"));
                add(st, tr("Target"), text("target"));
                add(st, tr("Risk"), text("risk_level"));
                add(st, tr("Parameters"), text("parameters"));
            }
        }
        plan->setExpanded(true);
    }
    QStringList granted;
    for (const StrId c : m.list(e.grantedCaps))
        granted << visibleUtf8(m.str(c));
    if (!granted.isEmpty() || member("capability_risks") || e.s(Field::Capability) != kNoStr) {
        auto* cap = addField(nullptr, tr("Capability"), s(Field::Capability));
        add(cap, tr("Granted"), granted.join(QStringLiteral(", ")));
        if (const Json* risks = member("capability_risks"); risks && !risks->is_null())
            add(cap, tr("Capability risks"), jsonText(*risks));
        add(cap, tr("Protocol"), s(Field::Protocol));
        if (e.s(Field::ClientId) != kNoStr || e.s(Field::ServerName) != kNoStr)
            add(cap, tr("Client / server"), QString(s(Field::ClientId) + QStringLiteral(" / ") + s(Field::ServerName)));
    }
    if (e.has(EventFlag::HasRuntimeUsage) || e.has(EventFlag::HasRuntimeBudget)) {
        auto* budget = addField(nullptr, tr("Budget"), s(Field::BudgetStatus));
        static const char* const kNames[4] = {"tool calls", "depth", "runtime seconds", "cost USD"};
        for (int i = 0; i < 4; ++i) {
            const QString used = e.has(EventFlag::HasRuntimeUsage) ? QString::number(e.usage[static_cast<std::size_t>(i)]) : tr("?");
            const QString limit = e.has(EventFlag::HasRuntimeBudget) ? QString::number(e.budget[static_cast<std::size_t>(i)]) : tr("?");
            addField(budget, QString::fromLatin1(kNames[i]), used + QStringLiteral(" / ") + limit);
        }
        QStringList viol;
        for (const StrId v : m.list(e.violations))
            viol << visibleUtf8(m.str(v));
        add(budget, tr("Violations"), viol.join(QStringLiteral(", ")));
        budget->setExpanded(true);
    }
    const auto prov = m.provenance(e);
    if (!prov.empty()) {
        auto* p = addField(nullptr, tr("Provenance"), QString::number(prov.size()));
        for (const ProvenanceItem& item : prov) {
            auto* it = addField(p, sourceTypeLabel(visibleUtf8(m.str(item.sourceType))), visibleUtf8(m.str(item.sourceName)));
            add(it, tr("Trust"), visibleUtf8(m.str(item.trustLevel)));
            add(it, tr("Origin"), visibleUtf8(m.str(item.originUri)));
            add(it, tr("Hash"), visibleUtf8(m.str(item.sourceHash)));
        }
        p->setExpanded(true);
    }
    identity->setExpanded(true);
}

QString EventDrawer::rawText() const { return QString::fromUtf8(m_rawBytes); }
QString EventDrawer::prettyText() const { return m_pretty->toPlainText(); }

QString EventDrawer::selectedPointer() const
{
    const QTreeWidgetItem* item = m_tree->currentItem();
    return item ? item->data(0, Qt::UserRole).toString() : QString();
}

void EventDrawer::copyLine()
{
    // the exact bytes: as text when they are UTF-8, which readable lines are
    QApplication::clipboard()->setText(QString::fromUtf8(m_rawBytes));
}

void EventDrawer::copyPretty() { QApplication::clipboard()->setText(m_pretty->toPlainText()); }

void EventDrawer::copyPointer() { QApplication::clipboard()->setText(selectedPointer()); }

void EventDrawer::focusSearch()
{
    m_search->setFocus();
    m_search->selectAll();
}

void EventDrawer::findNext()
{
    const QString term = m_search->text();
    if (term.isEmpty())
        return;
    QPlainTextEdit* view = m_tabs->currentWidget() == m_raw ? m_raw : m_pretty;
    if (view == m_pretty && m_tabs->currentWidget() != m_pretty)
        m_tabs->setCurrentWidget(m_pretty);
    if (!view->find(term)) {
        view->moveCursor(QTextCursor::Start);
        view->find(term);
    }
}

} // namespace rw
