#include "views/jsondiffview.h"

#include "views/jsonhighlighter.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSplitter>
#include <QTextBlock>
#include <QVBoxLayout>

#include <unordered_map>

namespace rw {

namespace {

QPlainTextEdit* makeEdit(QWidget* parent, const QString& name)
{
    auto* edit = new QPlainTextEdit(parent);
    edit->setReadOnly(true);
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setAccessibleName(name);
    new JsonHighlighter(edit->document());
    return edit;
}

} // namespace

JsonDiffView::JsonDiffView(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* top = new QHBoxLayout;
    m_header = new QLabel(this);
    m_header->setTextFormat(Qt::PlainText);
    m_hideIds = new QCheckBox(tr("Hide ids and timestamps"), this);
    m_hideIds->setChecked(true);
    m_hideIds->setToolTip(tr("Event ids, trace and plan ids and timestamps differ between any two runs"));
    top->addWidget(m_header, 1);
    top->addWidget(m_hideIds);
    layout->addLayout(top);
    connect(m_hideIds, &QCheckBox::toggled, this, [this] { refresh(); });
    auto* split = new QSplitter(Qt::Horizontal, this);
    m_changes = new QListWidget(split);
    m_changes->setAccessibleName(tr("JSON changes"));
    m_left = makeEdit(split, tr("Left JSON"));
    m_right = makeEdit(split, tr("Right JSON"));
    split->setSizes({380, 400, 400});
    layout->addWidget(split, 1);
    // the two sides scroll together, like every side-by-side diff
    connect(m_left->verticalScrollBar(), &QScrollBar::valueChanged, m_right->verticalScrollBar(), &QScrollBar::setValue);
    connect(m_right->verticalScrollBar(), &QScrollBar::valueChanged, m_left->verticalScrollBar(), &QScrollBar::setValue);
    connect(m_changes, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0 && static_cast<std::size_t>(row) < m_diff.size())
            scrollTo(QString::fromStdString(m_diff[static_cast<std::size_t>(row)].pointer));
    });
    clear(tr("Select a row to compare the raw JSON of both sides."));
}

bool JsonDiffView::isIdentityPointer(const std::string& pointer)
{
    const std::string last = pointer.substr(pointer.rfind('/') + 1);
    return last == "timestamp" || last == "event_id" || last == "trace_id" || last == "parent_trace_id" ||
           last == "execution_plan_id" || last == "plan_id" || last == "step_id" || last == "run_id";
}

void JsonDiffView::clear(const QString& message)
{
    m_all.clear();
    m_diff.clear();
    m_haveLeft = m_haveRight = false;
    m_leftText = {};
    m_rightText = {};
    m_changes->clear();
    m_left->clear();
    m_right->clear();
    m_header->setText(message);
}

void JsonDiffView::setDocuments(const std::optional<nlohmann::ordered_json>& left, const QString& leftNote,
                                const std::optional<nlohmann::ordered_json>& right, const QString& rightNote)
{
    clear(QString());
    const nlohmann::ordered_json empty = nlohmann::ordered_json::object();
    m_all = diffJson(left ? *left : empty, right ? *right : empty, &m_truncated);
    // what decided first: decision, reason, rule, risk; the rest in document order
    auto rank = [](const JsonChange& c) {
        static const char* const first[] = {"/decision", "/reason", "/matched_rule", "/risk_level"};
        for (int i = 0; i < 4; ++i)
            if (c.pointer == first[i])
                return i;
        return 4;
    };
    std::stable_sort(m_all.begin(), m_all.end(), [&](const JsonChange& a, const JsonChange& b) { return rank(a) < rank(b); });
    m_haveLeft = left.has_value();
    m_haveRight = right.has_value();
    m_leftNote = leftNote;
    m_rightNote = rightNote;
    if (left)
        m_leftText = prettyJsonWithPointers(*left);
    if (right)
        m_rightText = prettyJsonWithPointers(*right);
    m_left->setPlainText(left ? QString::fromStdString(m_leftText.text) : leftNote);
    m_right->setPlainText(right ? QString::fromStdString(m_rightText.text) : rightNote);
    refresh();
}

void JsonDiffView::refresh()
{
    m_changes->clear();
    m_diff.clear();
    std::size_t hidden = 0;
    for (const JsonChange& c : m_all) {
        if (m_hideIds->isChecked() && isIdentityPointer(c.pointer))
            ++hidden;
        else
            m_diff.push_back(c);
    }
    for (const JsonChange& c : m_diff) {
        QString text = QString::fromStdString(c.pointer.empty() ? std::string("/") : c.pointer) + QStringLiteral("  ");
        switch (c.kind) {
        case JsonChange::Kind::Added: text += tr("added %1").arg(QString::fromStdString(c.right)); break;
        case JsonChange::Kind::Removed: text += tr("removed %1").arg(QString::fromStdString(c.left)); break;
        case JsonChange::Kind::Changed:
            text += QString::fromStdString(c.left) + QStringLiteral(" → ") + QString::fromStdString(c.right);
            break;
        }
        auto* item = new QListWidgetItem(text, m_changes);
        item->setToolTip(text);
    }
    if (!m_haveLeft || !m_haveRight) {
        m_header->setText(!m_haveLeft ? m_leftNote : m_rightNote);
        return;
    }
    mark(m_left, m_leftText, true);
    mark(m_right, m_rightText, false);
    if (!m_diff.empty())
        scrollTo(QString::fromStdString(m_diff.front().pointer));
    QString header = m_all.empty() ? tr("The raw records are identical.")
                                   : m_diff.size() == 1 ? tr("1 JSON change") : tr("%1 JSON changes").arg(m_diff.size());
    if (hidden > 0)
        header += tr(" (%1 in ids and timestamps hidden)").arg(hidden);
    if (m_truncated)
        header += tr("; only the first %1 are listed").arg(m_all.size());
    m_header->setText(header);
}

void JsonDiffView::mark(QPlainTextEdit* edit, const PointerText& text, bool left)
{
    QList<QTextEdit::ExtraSelection> marks;
    const QColor removed(0xCC, 0x79, 0xA7, 70), added(0x00, 0x72, 0xB2, 60), changed(0xE6, 0x9F, 0x00, 80);
    // a line is marked when its pointer or one of its ancestors changed:
    // depth lookups per line, not one per change (a record may differ everywhere)
    std::unordered_map<std::string, JsonChange::Kind> changes;
    for (const JsonChange& c : m_diff)
        if (!((left && c.kind == JsonChange::Kind::Added) || (!left && c.kind == JsonChange::Kind::Removed)))
            changes.emplace(c.pointer, c.kind);
    for (std::size_t line = 0; line < text.linePointers.size(); ++line) {
        std::string p = text.linePointers[line];
        const JsonChange::Kind* hit = nullptr;
        while (!hit) {
            const auto it = changes.find(p);
            if (it != changes.end())
                hit = &it->second;
            else if (p.empty())
                break;
            else
                p.erase(p.rfind('/'));
        }
        if (!hit)
            continue;
        QTextEdit::ExtraSelection sel;
        sel.format.setBackground(*hit == JsonChange::Kind::Changed ? changed : left ? removed : added);
        sel.format.setProperty(QTextFormat::FullWidthSelection, true);
        sel.cursor = QTextCursor(edit->document()->findBlockByNumber(static_cast<int>(line)));
        marks << sel;
    }
    edit->setExtraSelections(marks);
}

int JsonDiffView::markedLines(int side) const
{
    return static_cast<int>((side == 0 ? m_left : m_right)->extraSelections().size());
}

void JsonDiffView::scrollTo(const QString& pointer)
{
    const std::string p = pointer.toStdString();
    for (auto [edit, text] : {std::pair{m_left, &m_leftText}, std::pair{m_right, &m_rightText}}) {
        for (std::size_t line = 0; line < text->linePointers.size(); ++line) {
            if (text->linePointers[line] == p) {
                const QTextBlock block = edit->document()->findBlockByNumber(static_cast<int>(line));
                QTextCursor cursor(block);
                edit->setTextCursor(cursor);
                edit->centerCursor();
                break;
            }
        }
    }
}

} // namespace rw
