// Draws the Concord icon from one description into an SVG and PNGs of the hicolor sizes, so the
// scalable and bitmap icons cannot drift apart. Usage: concord_icongen OUTDIR
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QPainterPath>

#include <cstdio>
#include <vector>

namespace {

// Geometry in a 256 × 256 box: two answer cards side by side on a teal tile, a shared badge below.
struct Shape
{
    enum Kind { RoundedRect, Line, Circle } kind;
    double x1, y1, x2, y2, radius; // rect: corners; line: ends; circle: centre (x1, y1) and radius
    const char *fill;              // nullptr for strokes
    const char *stroke;
    double width;
};

const std::vector<Shape> kShapes = {
    {Shape::RoundedRect, 8, 8, 248, 248, 52, "#1d5c74", nullptr, 0},
    {Shape::RoundedRect, 40, 52, 122, 172, 12, "#ffffff", nullptr, 0},
    {Shape::RoundedRect, 134, 52, 216, 172, 12, "#ffffff", nullptr, 0},
    {Shape::Line, 56, 80, 106, 80, 0, nullptr, "#9bb8c4", 9},
    {Shape::Line, 56, 104, 100, 104, 0, nullptr, "#9bb8c4", 9},
    {Shape::Line, 56, 128, 94, 128, 0, nullptr, "#9bb8c4", 9},
    {Shape::Line, 150, 80, 200, 80, 0, nullptr, "#9bb8c4", 9},
    {Shape::Line, 150, 104, 194, 104, 0, nullptr, "#9bb8c4", 9},
    {Shape::Line, 150, 128, 200, 128, 0, nullptr, "#9bb8c4", 9},
    {Shape::Circle, 128, 190, 0, 0, 34, "#f2a93b", nullptr, 0},
    {Shape::Line, 113, 190, 124, 202, 0, nullptr, "#ffffff", 10},
    {Shape::Line, 124, 202, 145, 177, 0, nullptr, "#ffffff", 10},
};

QString svg()
{
    QString out = QStringLiteral("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"256\" height=\"256\" "
                                 "viewBox=\"0 0 256 256\">\n");
    for (const Shape &s : kShapes) {
        switch (s.kind) {
        case Shape::RoundedRect:
            out += QStringLiteral("  <rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" rx=\"%5\" fill=\"%6\"/>\n")
                       .arg(s.x1).arg(s.y1).arg(s.x2 - s.x1).arg(s.y2 - s.y1).arg(s.radius).arg(QLatin1String(s.fill));
            break;
        case Shape::Line:
            out += QStringLiteral("  <line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%4\" stroke=\"%5\" stroke-width=\"%6\" "
                                  "stroke-linecap=\"round\"/>\n")
                       .arg(s.x1).arg(s.y1).arg(s.x2).arg(s.y2).arg(QLatin1String(s.stroke)).arg(s.width);
            break;
        case Shape::Circle:
            out += QStringLiteral("  <circle cx=\"%1\" cy=\"%2\" r=\"%3\" fill=\"%4\"/>\n")
                       .arg(s.x1).arg(s.y1).arg(s.radius).arg(QLatin1String(s.fill));
            break;
        }
    }
    return out + QStringLiteral("</svg>\n");
}

QImage png(int size)
{
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(size / 256.0, size / 256.0);
    for (const Shape &s : kShapes) {
        switch (s.kind) {
        case Shape::RoundedRect: {
            QPainterPath path;
            path.addRoundedRect(QRectF(QPointF(s.x1, s.y1), QPointF(s.x2, s.y2)), s.radius, s.radius);
            p.fillPath(path, QColor(QLatin1String(s.fill)));
            break;
        }
        case Shape::Line:
            p.setPen(QPen(QColor(QLatin1String(s.stroke)), s.width, Qt::SolidLine, Qt::RoundCap));
            p.drawLine(QPointF(s.x1, s.y1), QPointF(s.x2, s.y2));
            break;
        case Shape::Circle:
            p.setPen(Qt::NoPen);
            p.setBrush(QColor(QLatin1String(s.fill)));
            p.drawEllipse(QPointF(s.x1, s.y1), s.radius, s.radius);
            break;
        }
    }
    return image;
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: concord_icongen OUTDIR\n");
        return 2;
    }
    const QDir dir(QString::fromLocal8Bit(argv[1]));
    dir.mkpath(QStringLiteral("."));
    QFile file(dir.filePath(QStringLiteral("concord.svg")));
    if (!file.open(QIODevice::WriteOnly) || file.write(svg().toUtf8()) < 0)
        return 1;
    for (int size : {16, 24, 32, 48, 64, 128, 256, 512})
        if (!png(size).save(dir.filePath(QStringLiteral("concord-%1.png").arg(size))))
            return 1;
    return 0;
}
