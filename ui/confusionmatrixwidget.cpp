#include "confusionmatrixwidget.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>

namespace concord::ui {

namespace {
constexpr int kHeaderWidth = 150; // row labels
constexpr int kHeaderHeight = 58; // title and column labels (two lines for a long value)
} // namespace

ConfusionMatrixWidget::ConfusionMatrixWidget(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(false);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ConfusionMatrixWidget::setMatrix(const QString &rowTitle, const QString &columnTitle,
                                      const QStringList &labels, std::vector<qint64> cells)
{
    m_rowTitle = rowTitle;
    m_columnTitle = columnTitle;
    m_labels = labels;
    m_cells = std::move(cells);
    m_selected = {-1, -1};
    setToolTip(labels.isEmpty() ? QString() : tr("Rows: %1. Columns: %2.").arg(rowTitle, columnTitle));
    update();
}

void ConfusionMatrixWidget::clear() { setMatrix({}, {}, {}, {}); }

QSize ConfusionMatrixWidget::sizeHint() const { return {kHeaderWidth + 4 * 90, kHeaderHeight + 4 * 48}; }
QSize ConfusionMatrixWidget::minimumSizeHint() const
{
    return {kHeaderWidth + 3 * 50, kHeaderHeight + 3 * 30};
}

QRect ConfusionMatrixWidget::gridRect() const { return rect().adjusted(kHeaderWidth, kHeaderHeight, -8, -8); }

QRect ConfusionMatrixWidget::cellRect(int row, int column) const
{
    const int k = int(m_labels.size());
    if (k == 0)
        return {};
    const QRect grid = gridRect();
    const int w = grid.width() / k, h = std::min(grid.height() / k, 64);
    return {grid.left() + column * w, grid.top() + row * h, w, h};
}

void ConfusionMatrixWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const int k = int(m_labels.size());
    if (k == 0 || m_cells.size() != std::size_t(k * k)) {
        p.setPen(palette().placeholderText().color());
        p.drawText(rect(), Qt::AlignCenter, tr("Select a comparison to see its confusion matrix"));
        return;
    }
    const qint64 maximum = std::max<qint64>(1, *std::max_element(m_cells.begin(), m_cells.end()));
    const QColor base = palette().highlight().color();
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(palette().text().color());
    // Long rater names and values are elided in the middle (ids differ at both ends: a judge's
    // hash, a team's suffix), never drawn over their neighbours; the tooltip has them whole.
    const QFontMetrics boldMetrics(bold);
    const QRect columnTitle(kHeaderWidth, 0, gridRect().width(), 20);
    p.drawText(columnTitle, Qt::AlignCenter,
               boldMetrics.elidedText(m_columnTitle, Qt::ElideMiddle, columnTitle.width()));
    const QRect rowTitle(0, kHeaderHeight - 22, kHeaderWidth - 8, 20);
    p.drawText(
        rowTitle, Qt::AlignRight | Qt::AlignVCenter,
        boldMetrics.elidedText(m_rowTitle, Qt::ElideMiddle,
                               rowTitle.width() - boldMetrics.horizontalAdvance(QStringLiteral(" ↓"))) +
            QStringLiteral(" ↓"));
    p.setFont(font());
    const QFontMetrics metrics(font());
    for (int c = 0; c < k; ++c) {
        const QRect cell = cellRect(0, c);
        const QRect label(cell.left() + 2, 20, cell.width() - 4, kHeaderHeight - 22);
        // A value too wide for its column ("declined_correctly") wraps at its underscores.
        QString text = m_labels[c];
        if (metrics.horizontalAdvance(text) > label.width())
            text.replace(QLatin1Char('_'), QStringLiteral("_\n"));
        QStringList lines = text.split(QLatin1Char('\n'));
        for (QString &line : lines)
            line = metrics.elidedText(line, Qt::ElideMiddle, label.width());
        p.drawText(label, Qt::AlignCenter, lines.join(QLatin1Char('\n')));
    }
    for (int r = 0; r < k; ++r) {
        const QRect cell = cellRect(r, 0);
        p.setPen(palette().text().color());
        const QRect label(0, cell.top(), kHeaderWidth - 8, cell.height());
        p.drawText(label, Qt::AlignRight | Qt::AlignVCenter,
                   metrics.elidedText(m_labels[r], Qt::ElideMiddle, label.width()));
        for (int c = 0; c < k; ++c) {
            const qint64 n = m_cells[std::size_t(r * k + c)];
            const QRect box = cellRect(r, c).adjusted(2, 2, -2, -2);
            QColor fill = base;
            const double share = double(n) / double(maximum);
            fill.setAlphaF(0.08 + 0.85 * share);
            p.setPen(Qt::NoPen);
            p.setBrush(fill);
            p.drawRoundedRect(box, 4, 4);
            if (r == c) {
                p.setPen(QPen(palette().text().color(), 1, Qt::DotLine));
                p.setBrush(Qt::NoBrush);
                p.drawRoundedRect(box, 4, 4);
            }
            if (m_selected == QPoint(c, r)) {
                p.setPen(QPen(palette().text().color(), 2));
                p.setBrush(Qt::NoBrush);
                p.drawRoundedRect(box, 4, 4);
            }
            p.setPen(share > 0.55 ? palette().highlightedText().color() : palette().text().color());
            p.drawText(box, Qt::AlignCenter, QString::number(n));
        }
    }
}

void ConfusionMatrixWidget::mousePressEvent(QMouseEvent *event)
{
    const int k = int(m_labels.size());
    for (int r = 0; r < k; ++r)
        for (int c = 0; c < k; ++c)
            if (cellRect(r, c).contains(event->position().toPoint())) {
                m_selected = {c, r};
                update();
                emit cellClicked(r, c);
                return;
            }
}

} // namespace concord::ui
