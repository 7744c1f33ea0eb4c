#include "graphview.h"

#include "styles.h"

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
        return trustStyle(QString::fromStdString(n.trust)).color.lighter(165);
    if (n.kind == GraphNodeKind::Agent)
        return QColor(0xe4, 0xe0, 0xf2);
    if (n.kind == GraphNodeKind::Plan || n.kind == GraphNodeKind::Collapsed)
        return QColor(0xee, 0xf2, 0xf7);
    if (n.decision.empty())
        return QColor(0xe8, 0xe8, 0xe8);
    return decisionStyle(QString::fromStdString(n.decision)).color.lighter(170);
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
    auto* item = m_scene->addSimpleText(text);
    item->setBrush(palette().color(QPalette::PlaceholderText));
    m_scene->setSceneRect(item->boundingRect().adjusted(-20, -20, 20, 20));
    resetTransform();
}

void GraphView::setGraph(const ReplayModel* model, ExecutionGraph graph, const GraphLayout& layout)
{
    m_scene->clear();
    m_nodes.clear();
    m_model = model;
    m_graph = std::move(graph);
    const QColor text = QColor(0x20, 0x20, 0x20);
    // edges first, under the nodes
    for (std::size_t i = 0; i < layout.edges.size(); ++i) {
        const GraphLayout::Edge& e = layout.edges[i];
        if (e.points.size() < 4)
            continue;
        bool untrusted = false;
        for (const GraphEdge& ge : m_graph.edges)
            if (ge.from == e.from && ge.to == e.to)
                untrusted = ge.untrusted;
        QPainterPath path(QPointF(e.points[0].first, e.points[0].second) * kPointsPerInch);
        for (std::size_t k = 1; k + 2 < e.points.size(); k += 3)
            path.cubicTo(QPointF(e.points[k].first, e.points[k].second) * kPointsPerInch,
                         QPointF(e.points[k + 1].first, e.points[k + 1].second) * kPointsPerInch,
                         QPointF(e.points[k + 2].first, e.points[k + 2].second) * kPointsPerInch);
        const QColor color = untrusted ? QColor(0xD5, 0x5E, 0x00) : palette().color(QPalette::Mid);
        auto* item = m_scene->addPath(path, QPen(color, untrusted ? 2.2 : 1.2));
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
        auto* item = m_scene->addPath(shapeFor(n, r), QPen(fillFor(n).darker(160), 1), QBrush(fillFor(n)));
        item->setZValue(1);
        item->setData(0, static_cast<int>(i));
        QString tip = QString::fromStdString(n.label);
        if (!n.detail.empty())
            tip += QStringLiteral("\n") + QString::fromStdString(n.detail);
        tip += tr("\n%1 event(s); click to select").arg(n.events.size());
        item->setToolTip(tip);
        auto* label = new QGraphicsSimpleTextItem(QString::fromStdString(n.label), item);
        QFont f = font();
        f.setPointSizeF(f.pointSizeF() * 0.9);
        f.setBold(n.kind == GraphNodeKind::Governance || n.kind == GraphNodeKind::Outcome);
        label->setFont(f);
        label->setBrush(text);
        QRectF lr = label->boundingRect();
        QString detail = QString::fromStdString(n.detail);
        QGraphicsSimpleTextItem* sub = nullptr;
        if (!detail.isEmpty()) {
            sub = new QGraphicsSimpleTextItem(QFontMetrics(f).elidedText(detail, Qt::ElideRight, static_cast<int>(r.width() - 12)), item);
            QFont sf = f;
            sf.setBold(false);
            sf.setPointSizeF(f.pointSizeF() * 0.88);
            sub->setFont(sf);
            sub->setBrush(QColor(0x40, 0x40, 0x40));
        }
        const qreal total = lr.height() + (sub ? sub->boundingRect().height() : 0);
        label->setPos(r.center().x() - lr.width() / 2, r.center().y() - total / 2);
        if (sub)
            sub->setPos(r.center().x() - sub->boundingRect().width() / 2, r.center().y() - total / 2 + lr.height());
        m_nodes.push_back(item);
    }
    m_scene->setSceneRect(QRectF(0, 0, layout.width * kPointsPerInch, layout.height * kPointsPerInch).adjusted(-20, -20, 20, 20));
    m_fitted = true;
    fit();
}

QPointF GraphView::nodeCenter(int i) const { return m_nodes[static_cast<std::size_t>(i)]->boundingRect().center(); }

void GraphView::setSelectedEvent(std::int64_t eventIndex)
{
    for (std::size_t i = 0; i < m_nodes.size(); ++i) {
        const auto& events = m_graph.nodes[i].events;
        const bool hit = eventIndex >= 0 && std::find(events.begin(), events.end(), static_cast<std::uint32_t>(eventIndex)) != events.end();
        QPen pen = m_nodes[i]->pen();
        pen.setColor(hit ? palette().color(QPalette::Highlight) : fillFor(m_graph.nodes[i]).darker(160));
        pen.setWidthF(hit ? 3 : 1);
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
