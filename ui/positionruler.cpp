#include "positionruler.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace concord::ui {

namespace {
constexpr int kInset = 3; ///< pixels kept free at both ends, so marks at 0 and 1 stay visible
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

void PositionRuler::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), QColor(0xf1, 0xf1, 0xee));
    p.setPen(QColor(0xd6, 0xd6, 0xd0));
    p.drawLine(0, 0, 0, height());

    // The part of the document on screen.
    if (m_viewTo > m_viewFrom) {
        const int top = yOf(m_viewFrom), bottom = std::max(yOf(m_viewTo), top + 3);
        p.fillRect(QRect(1, top, width() - 1, bottom - top), QColor(0xdd, 0xdd, 0xd6));
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
        const int y = yOf(m_evidencePosition);
        p.setRenderHint(QPainter::Antialiasing);
        QPainterPath diamond;
        const double cx = width() / 2.0, r = std::min(5.0, width() / 2.0 - 1);
        diamond.moveTo(cx, y - r);
        diamond.lineTo(cx + r, y);
        diamond.lineTo(cx, y + r);
        diamond.lineTo(cx - r, y);
        diamond.closeSubpath();
        p.fillPath(diamond, kEvidencePositionColor);
        p.setPen(QPen(Qt::white, 1));
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
