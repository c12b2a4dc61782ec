#pragma once
/// @file kappadelegate.h
/// Draws a kappa cell as its number beside a small bar: the 95% CI as a line on a −1…1 scale,
/// kappa as a dot, 0 marked, and 0.4 and up shaded (0.4–0.6 is "good in practice" for a judge).

#include <QStyledItemDelegate>

namespace concord::ui {

class KappaDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KappaDelegate)

public:
    /// Reads kappa and its CI from the given item-data roles.
    KappaDelegate(int kappaRole, int ciLowRole, int ciHighRole, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_kappaRole, m_ciLowRole, m_ciHighRole;
};

} // namespace concord::ui
