#pragma once
/// @file comparisontablemodel.h
/// The comparisons of one facet of an agreement report, as a table: one row per pair of raters
/// (or the human majority and a judge). An adapter: it owns a copy of the report's rows and never
/// computes statistics itself.

#include "agreementreport.h"
#include "raternames.h"

#include <QAbstractTableModel>

namespace concord::ui {

class ComparisonTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ComparisonTableModel)

public:
    enum Column { RaterA, RaterB, Units, Agreement, Kappa, Ac1, Pabak, ColumnCount };
    /// Roles beyond Qt's: numbers for sorting and drawing (undefined values are invalid QVariants).
    enum Role {
        SortRole = Qt::UserRole + 1, ///< a number (or string) that sorts the column sensibly
        KappaRole,                   ///< double
        CiLowRole,                   ///< double: asymptotic 95% CI of kappa
        CiHighRole,                  ///< double
        ComparisonRole,              ///< int: model::Comparison
    };

    explicit ComparisonTableModel(QObject *parent = nullptr);

    /// The rows, raters named as `names` names them.
    void setComparisons(std::vector<model::PairAgreement> pairs, RaterNames names = {});
    const model::PairAgreement *comparison(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<model::PairAgreement> m_pairs;
    RaterNames m_names;
};

/// "0.61", or "—" when undefined; a value that rounds to zero reads "0.00", never "-0.00".
QString formatNumber(const std::optional<double> &value, int decimals = 2);
/// `value` to `decimals` places, "-0.00" written "0.00" (a κ just below 0 is not negative to read).
QString fixedNumber(double value, int decimals = 2);

/// Rater A (`a`) or B of a comparison as the views name it: "human majority" only for rater A of
/// a judge-vs-majority comparison (a human may be called "majority" too), else the rater as
/// `names` names it.
QString comparisonRater(const model::PairAgreement &p, bool a, const RaterNames &names);

} // namespace concord::ui
