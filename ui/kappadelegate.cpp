#include "kappadelegate.h"

#include <QApplication>
#include <QPainter>

namespace concord::ui {

namespace {
constexpr int kBarWidth = 96;
}

KappaDelegate::KappaDelegate(int kappaRole, int ciLowRole, int ciHighRole, QObject *parent)
    : QStyledItemDelegate(parent), m_kappaRole(kappaRole), m_ciLowRole(ciLowRole), m_ciHighRole(ciHighRole)
{
}

QSize KappaDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.rwidth() += kBarWidth + 24;
    return size;
}

void KappaDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const
{
    QStyleOptionViewItem text = option;
    initStyleOption(&text, index);
    const QRect bar(option.rect.right() - kBarWidth - 6, option.rect.top() + 4, kBarWidth,
                    option.rect.height() - 8);
    text.rect.setRight(bar.left() - 10);
    QStyle *style = option.widget ? option.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &text, painter, option.widget);

    const QVariant kappa = index.data(m_kappaRole);
    if (!kappa.isValid())
        return;
    auto x = [&](double k) { return bar.left() + (std::clamp(k, -1.0, 1.0) + 1.0) / 2.0 * bar.width(); };
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QPalette &palette = option.palette;
    const bool selected = option.state & QStyle::State_Selected;
    const QColor ink = selected ? palette.highlightedText().color() : palette.text().color();
    QColor band = QColor(0x3c, 0xa0, 0x5a);
    band.setAlpha(selected ? 90 : 55);
    // From 0.4 up: where a judge agrees with humans well enough to use (0.4–0.6 is good in
    // practice, more is better still), so a kappa of 0.95 is not outside the good zone.
    painter->fillRect(QRectF(QPointF(x(0.4), bar.top()), QPointF(x(1.0), bar.bottom())), band);
    QColor axis = ink;
    axis.setAlpha(90);
    painter->setPen(QPen(axis, 1));
    painter->drawLine(QPointF(bar.left(), bar.center().y()), QPointF(bar.right(), bar.center().y()));
    painter->drawLine(QPointF(x(0), bar.top()), QPointF(x(0), bar.bottom()));
    const QVariant low = index.data(m_ciLowRole), high = index.data(m_ciHighRole);
    painter->setPen(QPen(ink, 2, Qt::SolidLine, Qt::RoundCap));
    if (low.isValid() && high.isValid())
        painter->drawLine(QPointF(x(low.toDouble()), bar.center().y()),
                          QPointF(x(high.toDouble()), bar.center().y()));
    painter->setPen(Qt::NoPen);
    painter->setBrush(selected ? ink : palette.highlight().color());
    painter->drawEllipse(QPointF(x(kappa.toDouble()), bar.center().y()), 4, 4);
    painter->restore();
}

} // namespace concord::ui
