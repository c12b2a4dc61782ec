#pragma once
/// @file confusionmatrixwidget.h
/// A confusion matrix as a heat map: rows are rater A's categories, columns rater B's; the
/// darker a cell, the more units. Clicking a cell reports it (to list the units behind it).

#include <QWidget>

#include <vector>

namespace concord::ui {

class ConfusionMatrixWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConfusionMatrixWidget)

public:
    explicit ConfusionMatrixWidget(QWidget *parent = nullptr);

    /// `cells` is row-major, labels.size() × labels.size().
    void setMatrix(const QString &rowTitle, const QString &columnTitle, const QStringList &labels,
                   std::vector<qint64> cells);
    void clear();
    /// The rectangle of cell (row, column) in widget coordinates (for tests and hit-testing).
    QRect cellRect(int row, int column) const;
    QPoint selectedCell() const { return m_selected; }
    /// Who the rows and the columns are (rater names as shown).
    QString rowTitle() const { return m_rowTitle; }
    QString columnTitle() const { return m_columnTitle; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void cellClicked(int row, int column);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;

private:
    QRect gridRect() const;

    QString m_rowTitle, m_columnTitle;
    QStringList m_labels;
    std::vector<qint64> m_cells;
    QPoint m_selected{-1, -1};
};

} // namespace concord::ui
