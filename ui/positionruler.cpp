#include "positionruler.h"

#include "answerpanel.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace concord::ui {

namespace {
constexpr double kMarkerRadius = 5;
/// Pixels kept free at both ends: the ◆ at 0 or 1 is drawn whole, inside the strip.
constexpr int kInset = int(kMarkerRadius) + 2;
const QColor kEvidencePositionColor(0x6a, 0x1b, 0x9a);
} // namespace

PositionRuler::PositionRuler(QWidget *parent) : QWidget(parent)
{
    setCursor(Qt::PointingHandCursor);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Expanding);
    setToolTip(
        tr("The whole document: marked evidence, find matches, and (◆) where the item's evidence sits. "
           "Click to jump."));
}

void PositionRuler::setSpans(std::vector<Span> spans)
{
    m_spans = std::move(spans);
    update();
}

void PositionRuler::setMatches(std::vector<double> positions)
{
    m_matches = std::move(positions);
    update();
}

void PositionRuler::setEvidencePosition(double position)
{
    m_evidencePosition = position;
    update();
}

void PositionRuler::setViewport(double from, double to)
{
    if (from == m_viewFrom && to == m_viewTo)
        return;
    m_viewFrom = from;
    m_viewTo = to;
    update();
}

int PositionRuler::yOf(double fraction) const
{
    const int usable = std::max(1, height() - 2 * kInset);
    return kInset + int(std::lround(std::clamp(fraction, 0.0, 1.0) * usable));
}

double PositionRuler::fractionAt(int y) const
{
    const int usable = std::max(1, height() - 2 * kInset);
    return std::clamp(double(y - kInset) / usable, 0.0, 1.0);
}

QRectF PositionRuler::evidenceMarkerRect() const
{
    if (m_evidencePosition < 0)
        return {};
    const double r = std::min(kMarkerRadius, width() / 2.0 - 1);
    return {width() / 2.0 - r, yOf(m_evidencePosition) - r, 2 * r, 2 * r};
}

void PositionRuler::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    // From the palette, so the strip reads on a light and on a dark theme.
    const QColor window = palette().color(QPalette::Window), text = palette().color(QPalette::WindowText);
    p.fillRect(rect(), shade::mix(window, text, 0.06));
    p.setPen(shade::mix(window, text, 0.22));
    p.drawLine(0, 0, 0, height());

    // The part of the document on screen: a clear band with an outline.
    if (m_viewTo > m_viewFrom) {
        const int top = yOf(m_viewFrom), bottom = std::max(yOf(m_viewTo), top + 3);
        const QRect band(1, top, width() - 1, bottom - top);
        p.fillRect(band, shade::mix(window, text, 0.2));
        p.setPen(shade::mix(window, text, 0.45));
        p.drawLine(band.topLeft(), band.topRight());
        p.drawLine(band.bottomLeft(), band.bottomRight());
    }
    // Find matches: amber ticks on the left half; one per pixel row is enough.
    p.setPen(QPen(QColor(0xd2, 0x8c, 0x00), 2));
    int lastY = -1;
    for (double m : m_matches) {
        const int y = yOf(m);
        if (y == lastY)
            continue;
        lastY = y;
        p.drawLine(2, y, width() / 2, y);
    }
    // Evidence passages: blocks on the right, at least 3 pixels tall so a short one shows.
    for (const Span &s : m_spans) {
        const int top = yOf(s.from), bottom = std::max(yOf(s.to), top + 3);
        p.fillRect(QRect(width() / 2 - 1, top, width() / 2, bottom - top), s.color);
    }
    if (m_evidencePosition >= 0) {
        const QRectF box = evidenceMarkerRect();
        p.setRenderHint(QPainter::Antialiasing);
        QPainterPath diamond;
        diamond.moveTo(box.center().x(), box.top());
        diamond.lineTo(box.right(), box.center().y());
        diamond.lineTo(box.center().x(), box.bottom());
        diamond.lineTo(box.left(), box.center().y());
        diamond.closeSubpath();
        p.fillPath(diamond, shade::readableOn(kEvidencePositionColor, window, 3.0));
        p.setPen(QPen(palette().color(QPalette::Base), 1));
        p.drawPath(diamond);
    }
}

void PositionRuler::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton)
        emit positionClicked(fractionAt(int(event->position().y())));
}

bool PositionRuler::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip && m_evidencePosition >= 0) {
        auto *help = static_cast<QHelpEvent *>(event);
        if (std::abs(help->pos().y() - yOf(m_evidencePosition)) <= 6) {
            QToolTip::showText(help->globalPos(),
                               tr("The item's evidence sits here (%1% into the document)")
                                   .arg(std::lround(m_evidencePosition * 100)),
                               this);
            return true;
        }
    }
    return QWidget::event(event);
}

} // namespace concord::ui
