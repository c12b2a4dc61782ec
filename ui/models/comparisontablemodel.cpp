#include "comparisontablemodel.h"

namespace concord::ui {

QString fixedNumber(double value, int decimals)
{
    QString text = QString::number(value, 'f', decimals);
    if (text.startsWith(QLatin1Char('-')) && text.toDouble() == 0.0)
        text.remove(0, 1); // "-0.00" reads as a negative kappa that is not there
    return text;
}

QString formatNumber(const std::optional<double> &value, int decimals)
{
    return value ? fixedNumber(*value, decimals) : QStringLiteral("—");
}

QString comparisonRater(const model::PairAgreement &p, bool a, const RaterNames &names)
{
    if (a && p.comparison == model::Comparison::JudgeMajority)
        return ComparisonTableModel::tr("human majority");
    return names.name(a ? p.raterA : p.raterB);
}

namespace {

QVariant number(const std::optional<double> &value) { return value ? QVariant(*value) : QVariant(); }

/// Below this many units the asymptotic interval says little (with 2 units it can be [−0.33,
/// −0.33]): the κ is shown without one, and the tooltip says why.
constexpr std::int64_t kFewUnits = 10;

} // namespace

ComparisonTableModel::ComparisonTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void ComparisonTableModel::setComparisons(std::vector<model::PairAgreement> pairs, RaterNames names)
{
    beginResetModel();
    m_pairs = std::move(pairs);
    m_names = std::move(names);
    endResetModel();
}

const model::PairAgreement *ComparisonTableModel::comparison(int row) const
{
    return row >= 0 && row < rowCount() ? &m_pairs[std::size_t(row)] : nullptr;
}

int ComparisonTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_pairs.size());
}

int ComparisonTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ComparisonTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const model::PairAgreement &p = m_pairs[std::size_t(index.row())];
    const auto column = Column(index.column());
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case RaterA:
            return comparisonRater(p, true, m_names);
        case RaterB:
            return comparisonRater(p, false, m_names);
        case Units:
            return QVariant::fromValue(qlonglong(p.kappa.n));
        case Agreement:
            return p.agreement.po ? QStringLiteral("%1%").arg(*p.agreement.po * 100.0, 0, 'f', 1)
                                  : QStringLiteral("—");
        case Kappa:
            if (!p.kappa.kappa)
                return QStringLiteral("—");
            if (p.kappa.n < kFewUnits)
                return tr("%1  (too few units for a CI)").arg(formatNumber(p.kappa.kappa));
            return QStringLiteral("%1  [%2, %3]")
                .arg(formatNumber(p.kappa.kappa), formatNumber(p.kappa.ciLow), formatNumber(p.kappa.ciHigh));
        case Ac1:
            return formatNumber(p.ac1.ac1);
        case Pabak:
            return formatNumber(p.pabak.pabak);
        case ColumnCount:
            break;
        }
        break;
    case SortRole:
        switch (column) {
        case RaterA:
        case RaterB:
            return data(index, Qt::DisplayRole);
        case Units:
            return QVariant::fromValue(qlonglong(p.kappa.n));
        case Agreement:
            return number(p.agreement.po);
        case Kappa:
            return number(p.kappa.kappa);
        case Ac1:
            return number(p.ac1.ac1);
        case Pabak:
            return number(p.pabak.pabak);
        case ColumnCount:
            break;
        }
        break;
    case KappaRole:
        return number(p.kappa.kappa);
    case CiLowRole:
        return p.kappa.n < kFewUnits ? QVariant() : number(p.kappa.ciLow);
    case CiHighRole:
        return p.kappa.n < kFewUnits ? QVariant() : number(p.kappa.ciHigh);
    case ComparisonRole:
        return int(p.comparison);
    case Qt::ToolTipRole: {
        QStringList tip;
        if (column == RaterA && p.comparison == model::Comparison::JudgeMajority)
            tip << tr("The human annotators' majority label on each unit");
        else if (column == RaterA || column == RaterB)
            tip << m_names.describe(column == RaterA ? p.raterA : p.raterB);
        if (p.kappa.kappa && p.kappa.n < kFewUnits)
            tip << (p.kappa.n == 1 ? tr("Only 1 unit compared")
                                   : tr("Only %1 units compared").arg(p.kappa.n)) +
                       tr(": too few for a confidence interval to mean much. Label more items before reading "
                          "this κ.");
        if (p.comparison == model::Comparison::JudgeMajority && p.noMajority > 0)
            tip << tr("%1 of the units both labelled are left out: the humans split evenly on them, so "
                      "there is no majority to compare with.")
                       .arg(p.noMajority);
        if (!p.note.empty())
            tip << QString::fromStdString(p.note);
        return tip.isEmpty() ? QVariant() : QVariant(tip.join(QStringLiteral("\n\n")));
    }
    case Qt::TextAlignmentRole:
        return column == RaterA || column == RaterB ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                                    : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    default:
        break;
    }
    return {};
}

QVariant ComparisonTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole) {
        switch (Column(section)) {
        case Units:
            return tr("Units both raters labelled: items, or answers for the per-answer facets");
        case Agreement:
            return tr("Share of those units on which the two said the same");
        case Kappa:
            return tr("Cohen's κ: agreement beyond what chance would give, from −1 to 1 (0: no better "
                      "than chance). The line is the 95% CI; the dot is κ. Shaded from 0.4 up: 0.4–0.6 "
                      "is what a judge usable in practice reaches with humans, and more is better "
                      "(0.61–0.80 substantial, above 0.80 almost perfect).");
        case Ac1:
            return tr("Gwet's AC1: agreement beyond chance that stays meaningful when nearly every "
                      "label is the same value, where κ drops (docs/agreement.md)");
        case Pabak:
            return tr("Prevalence- and bias-adjusted κ: κ as if every value were equally common "
                      "(docs/agreement.md)");
        default:
            return {};
        }
    }
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case RaterA:
        return tr("Rater A");
    case RaterB:
        return tr("Rater B");
    case Units:
        return tr("n");
    case Agreement:
        return tr("Agreement");
    case Kappa:
        return tr("Cohen's κ [95% CI]");
    case Ac1:
        return tr("AC1");
    case Pabak:
        return tr("PABAK");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace concord::ui
