#include "views/graphview.h"

#include "app/text/graphfoldtext.h"
#include "model/visibletext.h"
#include "views/styles.h"

#include <QGraphicsPathItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>

#include <cmath>

namespace rw {

namespace {

constexpr double kPointsPerInch = 72.0;

QColor fillFor(const GraphNode& n)
{
    if (n.kind == GraphNodeKind::Provenance)
        return trustStyle(trustFromText(n.trust)).color.lighter(165);
    if (n.kind == GraphNodeKind::Agent)
        return QColor(0xe4, 0xe0, 0xf2);
    // a decision tree's plans carry their decision; the execution graph's do not
    if ((n.kind == GraphNodeKind::Plan && n.decision.empty()) || n.kind == GraphNodeKind::Collapsed)
        return QColor(0xee, 0xf2, 0xf7);
    if (n.decision.empty())
        return QColor(0xe8, 0xe8, 0xe8);
    return decisionStyle(decisionFromText(n.decision)).color.lighter(170);
}

QPainterPath shapeFor(const GraphNode& n, const QRectF& r)
{
    QPainterPath path;
    switch (n.kind) {
    case GraphNodeKind::Capability:
    case GraphNodeKind::Budget:
    case GraphNodeKind::Policy: {
        // diamond-ish: a hexagon keeps long labels readable
        const qreal d = std::min<qreal>(r.height() / 2, 14);
        path.moveTo(r.left() + d, r.top());
        path.lineTo(r.right() - d, r.top());
        path.lineTo(r.right(), r.center().y());
        path.lineTo(r.right() - d, r.bottom());
        path.lineTo(r.left() + d, r.bottom());
        path.lineTo(r.left(), r.center().y());
        path.closeSubpath();
        break;
    }
    case GraphNodeKind::Governance:
    case GraphNodeKind::Approval:
        path.addRoundedRect(r, r.height() / 2, r.height() / 2);
        break;
    default:
        path.addRoundedRect(r, 6, 6);
        break;
    }
    return path;
}

} // namespace

GraphView::GraphView(QWidget* parent) : QGraphicsView(parent)
{
    m_scene = new QGraphicsScene(this);
    setScene(m_scene);
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setAccessibleName(tr("Execution graph"));
    showMessage(tr("Select a trace to see its execution graph"));
}

void GraphView::showMessage(const QString& text)
{
    m_scene->clear();
    m_nodes.clear();
    m_graph = {};
    m_foldNote.clear();
    auto* item = m_scene->addSimpleText(text);
    item->setBrush(palette().color(QPalette::PlaceholderText));
    m_scene->setSceneRect(item->boundingRect().adjusted(-20, -20, 20, 20));
    resetTransform();
}

static QColor diffColor(DiffMark mark)
{
    // the fills already carry the decision colours: marks are borders, line
    // styles and a sign in the corner, in colours the decisions do not use
    switch (mark) {
    case DiffMark::Added: return QColor(0x00, 0x72, 0xB2);
    case DiffMark::Removed: return QColor(0x80, 0x80, 0x80);
    case DiffMark::Changed: return QColor(0xCC, 0x79, 0xA7);
    case DiffMark::Same: break;
    }
    return {};
}

void GraphView::setGraphDiff(const ReplayModel* model, GraphDiff diff, const GraphLayout& layout)
{
    m_nodeMarks = std::move(diff.nodeMarks);
    m_edgeMarks = std::move(diff.edgeMarks);
    m_was = std::move(diff.was);
    drawGraph(model, std::move(diff.graph), layout);
}

DiffMark GraphView::nodeMark(int i) const
{
    return static_cast<std::size_t>(i) < m_nodeMarks.size() ? m_nodeMarks[static_cast<std::size_t>(i)] : DiffMark::Same;
}

void GraphView::setGraph(const ReplayModel* model, ExecutionGraph graph, const GraphLayout& layout)
{
    m_nodeMarks.clear();
    m_edgeMarks.clear();
    m_was.clear();
    drawGraph(model, std::move(graph), layout);
}

void GraphView::drawGraph(const ReplayModel* model, ExecutionGraph graph, const GraphLayout& layout)
{
    m_scene->clear();
    m_nodes.clear();
    m_basePens.clear();
    m_model = model;
    m_graph = std::move(graph);
    const QColor text = QColor(0x20, 0x20, 0x20);
    // edges first, under the nodes
    for (std::size_t i = 0; i < layout.edges.size(); ++i) {
        const GraphLayout::Edge& e = layout.edges[i];
        if (e.points.size() < 4)
            continue;
        bool untrusted = false;
        DiffMark mark = DiffMark::Same;
        BranchMark branch = BranchMark::None;
        for (std::size_t k = 0; k < m_graph.edges.size(); ++k)
            if (m_graph.edges[k].from == e.from && m_graph.edges[k].to == e.to) {
                untrusted = m_graph.edges[k].untrusted;
                branch = m_graph.edges[k].mark;
                if (k < m_edgeMarks.size())
                    mark = m_edgeMarks[k];
            }
        QPainterPath path(QPointF(e.points[0].first, e.points[0].second) * kPointsPerInch);
        for (std::size_t k = 1; k + 2 < e.points.size(); k += 3)
            path.cubicTo(QPointF(e.points[k].first, e.points[k].second) * kPointsPerInch,
                         QPointF(e.points[k + 1].first, e.points[k + 1].second) * kPointsPerInch,
                         QPointF(e.points[k + 2].first, e.points[k + 2].second) * kPointsPerInch);
        QColor color = untrusted ? QColor(0xD5, 0x5E, 0x00) : palette().color(QPalette::Mid);
        QPen pen(color, untrusted ? 2.2 : 1.2);
        // decision trees: the path taken bold, branches left dashed (policy's in vermillion)
        switch (branch) {
        case BranchMark::Chosen:
            color = palette().color(QPalette::Text);
            pen = QPen(color, 2.2);
            break;
        case BranchMark::Rejected:
        case BranchMark::Abandoned:
            color = QColor(0x9a, 0x9a, 0x9a);
            pen = QPen(color, 1.2, Qt::DashLine);
            break;
        case BranchMark::PolicyRejected:
            color = QColor(0xD5, 0x5E, 0x00);
            pen = QPen(color, 1.8, Qt::DashLine);
            break;
        case BranchMark::None: break;
        }
        if (mark == DiffMark::Added || mark == DiffMark::Removed) {
            color = diffColor(mark);
            pen = QPen(color, 2.4, mark == DiffMark::Removed ? Qt::DashLine : Qt::SolidLine);
        }
        auto* item = m_scene->addPath(path, pen);
        item->setZValue(0);
        // arrowhead towards the target node's border
        const QPointF tip = path.pointAtPercent(1.0);
        const QPointF from = path.pointAtPercent(0.92);
        const QLineF dir(from, tip);
        QPolygonF head;
        head << tip;
        const double angle = std::atan2(dir.dy(), dir.dx());
        for (const double side : {2.6, -2.6})
            head << tip - QPointF(std::cos(angle + side / 6) * 8, std::sin(angle + side / 6) * 8);
        m_scene->addPolygon(head, QPen(color), QBrush(color))->setZValue(0);
    }
    for (std::size_t i = 0; i < m_graph.nodes.size() && i < layout.nodes.size(); ++i) {
        const GraphNode& n = m_graph.nodes[i];
        const GraphLayout::Node& ln = layout.nodes[i];
        const QRectF r(QPointF((ln.x - ln.width / 2) * kPointsPerInch, (ln.y - ln.height / 2) * kPointsPerInch),
                       QSizeF(ln.width * kPointsPerInch, ln.height * kPointsPerInch));
        const DiffMark mark = nodeMark(static_cast<int>(i));
        QColor fill = fillFor(n);
        QPen pen(fill.darker(160), 1);
        const bool muted = n.mark == BranchMark::Rejected || n.mark == BranchMark::Abandoned;
        if (n.mark == BranchMark::Rejected) {
            fill = QColor(0xf2, 0xf2, 0xf2); // never performed: no decision to show
            pen = QPen(QColor(0x8c, 0x8c, 0x8c), 1, Qt::DashLine);
        } else if (n.mark == BranchMark::Abandoned) {
            // performed, then left: its decision's colour, faded, behind a dashed border
            fill = QColor::fromRgbF(fill.redF() * 0.5 + 0.5, fill.greenF() * 0.5 + 0.5, fill.blueF() * 0.5 + 0.5);
            pen = QPen(QColor(0x8c, 0x8c, 0x8c), 1.2, Qt::DashLine);
        } else if (n.mark == BranchMark::PolicyRejected) {
            pen = QPen(QColor(0xD5, 0x5E, 0x00), 2.2);
        } else if (n.mark == BranchMark::Chosen) {
            pen = QPen(fill.darker(220), 2);
        }
        if (mark != DiffMark::Same) {
            pen = QPen(diffColor(mark), 3, mark == DiffMark::Removed ? Qt::DashLine : Qt::SolidLine);
            if (mark == DiffMark::Removed)
                fill.setAlpha(110); // only on the left side: drawn as a ghost
        }
        auto* item = m_scene->addPath(shapeFor(n, r), pen, QBrush(fill));
        m_basePens.push_back(pen);
        item->setZValue(1);
        item->setData(0, static_cast<int>(i));
        // labels and details carry tool names, agents and intents from the log
        QString tip = visibleUtf8(n.label);
        if (!n.detail.empty())
            tip += QStringLiteral("\n") + visibleUtf8(n.detail);
        if (mark == DiffMark::Added)
            tip += tr("\nOnly on the right side");
        else if (mark == DiffMark::Removed)
            tip += tr("\nOnly on the left side");
        else if (mark == DiffMark::Changed)
            tip += QStringLiteral("\n") + visibleUtf8(m_was[i]);
        if (n.mark == BranchMark::Rejected)
            tip += tr("\nConsidered and not taken");
        else if (n.mark == BranchMark::Abandoned)
            tip += tr("\nExplored, then abandoned: a later step resumed from before it");
        else if (n.mark == BranchMark::PolicyRejected)
            tip += tr("\nRejected by policy");
        if (!n.events.empty())
            tip += tr("\n%1 event(s); click to select").arg(n.events.size());
        item->setToolTip(tip);
        auto* label = new QGraphicsSimpleTextItem(visibleUtf8(n.label), item);
        QFont f = font();
        f.setPointSizeF(f.pointSizeF() * 0.9);
        f.setBold(n.kind == GraphNodeKind::Governance || n.kind == GraphNodeKind::Outcome);
        label->setFont(f);
        label->setBrush(muted ? QColor(0x55, 0x55, 0x55) : text);
        QRectF lr = label->boundingRect();
        QString detail = visibleUtf8(mark == DiffMark::Changed && i < m_was.size() ? m_was[i] : n.detail);
        QGraphicsSimpleTextItem* sub = nullptr;
        if (!detail.isEmpty()) {
            sub = new QGraphicsSimpleTextItem(QFontMetrics(f).elidedText(detail, Qt::ElideRight, static_cast<int>(r.width() - 12)), item);
            QFont sf = f;
            sf.setBold(false);
            sf.setPointSizeF(f.pointSizeF() * 0.88);
            sub->setFont(sf);
            sub->setBrush(QColor(0x40, 0x40, 0x40));
        }
        if (mark != DiffMark::Same) {
            const QString sign = mark == DiffMark::Added ? QStringLiteral("+") : mark == DiffMark::Removed ? QStringLiteral("−") : QStringLiteral("≠");
            auto* badge = m_scene->addEllipse(QRectF(r.left() - 7, r.top() - 7, 16, 16), QPen(Qt::NoPen), QBrush(diffColor(mark)));
            badge->setZValue(2);
            auto* s = new QGraphicsSimpleTextItem(sign, badge);
            QFont bf = f;
            bf.setBold(true);
            s->setFont(bf);
            s->setBrush(Qt::white);
            s->setPos(r.left() + 1 - s->boundingRect().width() / 2, r.top() + 1 - s->boundingRect().height() / 2);
        }
        const qreal total = lr.height() + (sub ? sub->boundingRect().height() : 0);
        label->setPos(r.center().x() - lr.width() / 2, r.center().y() - total / 2);
        if (sub)
            sub->setPos(r.center().x() - sub->boundingRect().width() / 2, r.center().y() - total / 2 + lr.height());
        m_nodes.push_back(item);
    }
    QRectF bounds(0, 0, layout.width * kPointsPerInch, layout.height * kPointsPerInch);
    // a folded graph says so above it: the counts are not in any node's label
    m_foldNote = graphFoldText(m_graph);
    if (!m_foldNote.isEmpty()) {
        auto* note = m_scene->addSimpleText(m_foldNote);
        note->setBrush(palette().color(QPalette::PlaceholderText));
        note->setPos(0, -note->boundingRect().height() - 8);
        bounds = bounds.united(note->sceneBoundingRect());
    }
    m_scene->setSceneRect(bounds.adjusted(-20, -20, 20, 20));
    m_fitted = true;
    fit();
}

QPointF GraphView::nodeCenter(int i) const { return m_nodes[static_cast<std::size_t>(i)]->boundingRect().center(); }

void GraphView::setSelectedEvent(std::int64_t eventIndex)
{
    for (std::size_t i = 0; i < m_nodes.size(); ++i) {
        const auto& events = m_graph.nodes[i].events;
        const bool hit = eventIndex >= 0 && std::find(events.begin(), events.end(), static_cast<std::uint32_t>(eventIndex)) != events.end();
        QPen pen = m_basePens[i];
        if (hit) {
            pen.setColor(palette().color(QPalette::Highlight));
            pen.setWidthF(3);
        }
        m_nodes[i]->setPen(pen);
    }
}

void GraphView::fit()
{
    fitInView(m_scene->sceneRect(), Qt::KeepAspectRatio);
    // never blow a small graph up beyond its natural size
    if (transform().m11() > 1.0)
        resetTransform();
    m_fitted = true;
}

void GraphView::wheelEvent(QWheelEvent* event)
{
    const double factor = std::pow(1.2, event->angleDelta().y() / 120.0);
    scale(factor, factor);
    m_fitted = false;
    event->accept();
}

void GraphView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton) {
        for (QGraphicsItem* item = itemAt(event->pos()); item; item = item->parentItem()) {
            const QVariant index = item->data(0);
            if (index.isValid()) {
                const auto& events = m_graph.nodes[static_cast<std::size_t>(index.toInt())].events;
                if (!events.empty())
                    Q_EMIT eventSelected(events.front());
                return;
            }
        }
    }
    QGraphicsView::mousePressEvent(event);
}

void GraphView::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_0 || event->key() == Qt::Key_Home)
        fit();
    else if (event->key() == Qt::Key_Plus || event->key() == Qt::Key_Equal)
        scale(1.2, 1.2);
    else if (event->key() == Qt::Key_Minus)
        scale(1 / 1.2, 1 / 1.2);
    else
        QGraphicsView::keyPressEvent(event);
}

void GraphView::resizeEvent(QResizeEvent* event)
{
    QGraphicsView::resizeEvent(event);
    if (m_fitted)
        fit();
}

} // namespace rw
