#include "views/governance/chartpainter.h"

#include "model/visibletext.h"
#include "replay/evidence/evidencereport.h"
#include "views/styles.h"

#include <QPainter>
#include <QPainterPath>
#include <QPalette>

namespace rw {

namespace {

// dash patterns in units of the line width (empty: solid), the same for Qt and SVG
const std::vector<std::vector<double>>& dashes()
{
    static const std::vector<std::vector<double>> kDashes = {{}, {6, 3}, {1.5, 2.5}, {6, 2, 1.5, 2}, {10, 4}, {3, 3}, {6, 2, 1.5, 2, 1.5, 2}};
    return kDashes;
}

// the workbench's marker shapes (styles.h), one per series in turn
MarkerShape markerOf(int series)
{
    static constexpr MarkerShape kShapes[] = {MarkerShape::Circle, MarkerShape::Square, MarkerShape::Triangle, MarkerShape::Diamond};
    return kShapes[static_cast<std::size_t>(series) % std::size(kShapes)];
}

// markers only where they do not crowd the line (a circle is drawn as such in SVG,
// the other shapes are polygons)
bool markersShown(const ChartGeometry::Line& line)
{
    return line.points.size() <= 72;
}

QColor colourOf(const ChartStyle& s, int series)
{
    return s.series[static_cast<std::size_t>(series) % s.series.size()];
}

// a series' line: its colour and its dash pattern
QPen seriesPen(const ChartStyle& s, int series)
{
    QPen pen(colourOf(s, series), 2);
    const std::vector<double>& dash = dashes()[static_cast<std::size_t>(series) % dashes().size()];
    if (!dash.empty())
        pen.setDashPattern(QList<qreal>(dash.begin(), dash.end()));
    return pen;
}

// text from the traces for XML: hidden characters shown (XML 1.0 forbids
// most control characters), then markup escaped, as the evidence report does
std::string xml(const QString& text)
{
    std::string out = htmlEscape(visibleText(text.toStdString()));
    // U+FFFE and U+FFFF are no XML characters either
    for (const char* bad : {"\xEF\xBF\xBE", "\xEF\xBF\xBF"})
        for (std::size_t at = out.find(bad); at != std::string::npos; at = out.find(bad, at))
            out.replace(at, 3, "\xEF\xBF\xBD");
    return out;
}

// a legend name in SVG, where nothing measures it: at most 40 characters
QString shortened(const QString& text)
{
    return text.size() <= 40 ? text : text.left(19) + QStringLiteral("\u2026") + text.right(20);
}

std::string num(double v)
{
    return QString::number(v, 'f', 1).toStdString();
}

std::string colour(const QColor& c)
{
    return c.name(QColor::HexRgb).toStdString();
}

std::string svgPath(const QPainterPath& path)
{
    std::string d;
    for (int i = 0; i < path.elementCount(); ++i) {
        const QPainterPath::Element e = path.elementAt(i);
        d += (e.isMoveTo() ? "M" : "L") + num(e.x) + ',' + num(e.y) + ' ';
    }
    return d + 'Z';
}

} // namespace

ChartStyle chartStyle(const QPalette& palette)
{
    ChartStyle s;
    s.background = palette.color(QPalette::Base);
    s.text = palette.color(QPalette::Text);
    s.axis = palette.color(QPalette::Text);
    s.axis.setAlpha(160);
    s.grid = palette.color(QPalette::Text);
    s.grid.setAlpha(40);
    // Okabe-Ito: told apart by most colour-blind readers
    // (Okabe-Ito's orange and sky blue darkened for contrast on white; grey is the rest's alone)
    for (const char* hex : {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#B07A00", "#3A8FC4", "#6E6E6E"})
        s.series.emplace_back(QString::fromLatin1(hex));
    return s;
}

void paintChart(QPainter& p, const ChartGeometry& g, const ChartStyle& s, ChartGeometry::Hit highlight)
{
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(QRectF(QPointF(0, 0), g.size), s.background);
    const QFontMetricsF fm(p.font());
    p.setPen(s.text);
    if (!g.title.isEmpty()) {
        const QFont normal = p.font();
        QFont bold = normal;
        bold.setBold(true);
        p.setFont(bold);
        p.drawText(g.titleAt, QFontMetricsF(bold).elidedText(g.title, Qt::ElideRight, g.size.width() - 16));
        p.setFont(normal);
    }
    if (!g.footer.isEmpty())
        p.drawText(g.footerAt, fm.elidedText(g.footer, Qt::ElideRight, g.size.width() - 16));
    p.setPen(QPen(s.grid, 1));
    for (const ChartGeometry::Tick& t : g.yTicks)
        p.drawLine(QPointF(g.plot.left(), t.pos), QPointF(g.plot.right(), t.pos));
    p.setPen(QPen(s.axis, 1));
    p.drawLine(g.plot.bottomLeft(), g.plot.bottomRight());
    p.drawLine(g.plot.bottomLeft(), g.plot.topLeft());
    p.setPen(s.text);
    for (const ChartGeometry::Tick& t : g.yTicks)
        p.drawText(QRectF(0, t.pos - fm.height() / 2, g.plot.left() - 6, fm.height()), Qt::AlignRight | Qt::AlignVCenter, t.label);
    for (const ChartGeometry::Tick& t : g.xTicks) {
        p.drawLine(QPointF(t.pos, g.plot.bottom()), QPointF(t.pos, g.plot.bottom() + 4));
        p.drawText(QPointF(t.labelX, g.plot.bottom() + 6 + fm.ascent()), t.label);
    }
    if (!g.emptyText.isEmpty())
        p.drawText(g.plot, Qt::AlignCenter, g.emptyText);
    for (const ChartGeometry::Line& line : g.lines) {
        const QColor c = colourOf(s, line.series);
        p.setPen(seriesPen(s, line.series));
        p.drawPolyline(line.points.data(), static_cast<int>(line.points.size()));
        if (markersShown(line)) {
            // made once per line: painting a point allocates nothing
            const MarkerPaint marker = markerPaint(markerOf(line.series), 3, c, c);
            for (const QPointF& pt : line.points)
                paintMarker(p, marker, pt);
        }
    }
    if (highlight.valid() && static_cast<std::size_t>(highlight.series) < g.lines.size()) {
        const QPointF pt = g.lines[static_cast<std::size_t>(highlight.series)].points[static_cast<std::size_t>(highlight.bucket)];
        p.setPen(QPen(s.text, 2));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(pt, 6, 6);
    }
    for (const ChartGeometry::LegendItem& item : g.legend) {
        const QColor c = colourOf(s, item.series);
        p.setPen(seriesPen(s, item.series));
        p.drawLine(QPointF(item.swatch.left(), item.swatch.center().y()), QPointF(item.swatch.right(), item.swatch.center().y()));
        paintMarker(p, markerPaint(markerOf(item.series), 3, c, c), item.swatch.center());
        p.setPen(s.text);
        p.drawText(item.textAt, fm.elidedText(item.text, Qt::ElideMiddle, g.size.width() - item.textAt.x() - 4));
    }
    p.restore();
}

std::string chartSvg(const ChartGeometry& g, const ChartStyle& s, const QString& title)
{
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                      num(g.size.width()) + "\" height=\"" + num(g.size.height()) + "\" viewBox=\"0 0 " +
                      num(g.size.width()) + ' ' + num(g.size.height()) +
                      "\" font-family=\"sans-serif\" font-size=\"11\">\n<title>" + xml(title) + "</title>\n";
    out += "<rect width=\"100%\" height=\"100%\" fill=\"" + colour(s.background) + "\"/>\n";
    if (!g.title.isEmpty())
        out += "<text x=\"" + num(g.titleAt.x()) + "\" y=\"" + num(g.titleAt.y()) + "\" font-weight=\"bold\" fill=\"" +
               colour(s.text) + "\">" + xml(g.title) + "</text>\n";
    if (!g.footer.isEmpty())
        out += "<text x=\"" + num(g.footerAt.x()) + "\" y=\"" + num(g.footerAt.y()) + "\" fill=\"" + colour(s.text) +
               "\">" + xml(g.footer) + "</text>\n";
    const auto line = [&](double x1, double y1, double x2, double y2, const QColor& c) {
        out += "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2) +
               "\" stroke=\"" + colour(c) + "\" stroke-opacity=\"" + num(c.alphaF()) + "\"/>\n";
    };
    for (const ChartGeometry::Tick& t : g.yTicks) {
        line(g.plot.left(), t.pos, g.plot.right(), t.pos, s.grid);
        out += "<text x=\"" + num(g.plot.left() - 6) + "\" y=\"" + num(t.pos + 4) + "\" text-anchor=\"end\" fill=\"" +
               colour(s.text) + "\">" + xml(t.label) + "</text>\n";
    }
    line(g.plot.left(), g.plot.bottom(), g.plot.right(), g.plot.bottom(), s.axis);
    line(g.plot.left(), g.plot.bottom(), g.plot.left(), g.plot.top(), s.axis);
    for (const ChartGeometry::Tick& t : g.xTicks)
        out += "<text x=\"" + num(t.labelX) + "\" y=\"" + num(g.plot.bottom() + 18) + "\" fill=\"" +
               colour(s.text) + "\">" + xml(t.label) + "</text>\n";
    if (!g.emptyText.isEmpty())
        out += "<text x=\"" + num(g.plot.center().x()) + "\" y=\"" + num(g.plot.center().y()) +
               "\" text-anchor=\"middle\" fill=\"" + colour(s.text) + "\">" + xml(g.emptyText) + "</text>\n";
    const auto stroke = [&](int series) {
        std::string a = "stroke=\"" + colour(colourOf(s, series)) + "\" stroke-width=\"2\" fill=\"none\"";
        const std::vector<double>& dash = dashes()[static_cast<std::size_t>(series) % dashes().size()];
        if (!dash.empty()) {
            a += " stroke-dasharray=\"";
            for (std::size_t i = 0; i < dash.size(); ++i)
                a += (i ? "," : "") + num(dash[i] * 2);
            a += '"';
        }
        return a;
    };
    // a marker: a circle as such, the other shapes as polygons
    const auto marker = [&](int series, QPointF pt) {
        const std::string fill = " fill=\"" + colour(colourOf(s, series)) + "\"/>\n";
        if (markerOf(series) == MarkerShape::Circle)
            return "<circle cx=\"" + num(pt.x()) + "\" cy=\"" + num(pt.y()) + "\" r=\"3\"" + fill;
        return "<path d=\"" + svgPath(markerPath(markerOf(series), pt, 3)) + '"' + fill;
    };
    for (const ChartGeometry::Line& l : g.lines) {
        out += "<polyline " + stroke(l.series) + " points=\"";
        for (const QPointF& pt : l.points)
            out += num(pt.x()) + ',' + num(pt.y()) + ' ';
        out += "\"/>\n";
        if (markersShown(l))
            for (const QPointF& pt : l.points)
                out += marker(l.series, pt);
    }
    for (const ChartGeometry::LegendItem& item : g.legend) {
        out += "<line x1=\"" + num(item.swatch.left()) + "\" y1=\"" + num(item.swatch.center().y()) + "\" x2=\"" +
               num(item.swatch.right()) + "\" y2=\"" + num(item.swatch.center().y()) + "\" " + stroke(item.series) + "/>\n";
        out += marker(item.series, item.swatch.center());
        out += "<text x=\"" + num(item.textAt.x()) + "\" y=\"" + num(item.textAt.y()) + "\" fill=\"" + colour(s.text) +
               "\">" + xml(shortened(item.text)) + "</text>\n";
    }
    return out + "</svg>\n";
}

} // namespace rw
