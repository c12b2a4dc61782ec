#include "reviewqueuemodel.h"

#include "facettext.h"

#include <algorithm>

namespace concord::ui {

namespace {

QString facetLabel(const model::Disagreement &d) { return facetUnitName(d.facet, d.unit.slot); }

QString kindLabel(model::DisagreementKind k)
{
    switch (k) {
    case model::DisagreementKind::HumanHuman:
        return ReviewQueueModel::tr("humans differ");
    case model::DisagreementKind::JudgeHuman:
        return ReviewQueueModel::tr("judge vs humans");
    case model::DisagreementKind::VersusGold:
        return ReviewQueueModel::tr("vs gold");
    case model::DisagreementKind::JudgeJudge:
        return ReviewQueueModel::tr("judges differ");
    case model::DisagreementKind::GoldGold:
        return ReviewQueueModel::tr("gold differs");
    }
    return {};
}

} // namespace

ReviewQueueModel::ReviewQueueModel(QObject *parent) : QAbstractTableModel(parent) {}

void ReviewQueueModel::setDisagreements(std::vector<model::Disagreement> disagreements, RaterNames names)
{
    beginResetModel();
    m_rows = std::move(disagreements);
    m_names = std::move(names);
    endResetModel();
}

const model::Disagreement *ReviewQueueModel::disagreement(int row) const
{
    return row >= 0 && row < rowCount() ? &m_rows[std::size_t(row)] : nullptr;
}

int ReviewQueueModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}
int ReviewQueueModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ReviewQueueModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const model::Disagreement &d = m_rows[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case Item:
            return QString::fromStdString(d.unit.itemId);
        case Facet:
            return facetLabel(d);
        case Said:
            return facetValueText(d.summary); // "declined wrongly", not "declined_wrongly"
        case QuestionType:
            return questionTypeName(d.questionType);
        case EvidenceBucket:
            return evidenceBucketText(d.evidenceBucket);
        case Kind: {
            QStringList kinds;
            for (model::DisagreementKind k : d.kinds)
                kinds << kindLabel(k);
            return kinds.join(QStringLiteral(", "));
        }
        case ColumnCount:
            break;
        }
        break;
    case Qt::ToolTipRole: {
        QStringList lines;
        for (const model::RaterValue &v : d.values)
            lines << QStringLiteral("%1 (%2): %3")
                         .arg(m_names.name(v.rater), utf8Text(model::toString(v.kind)),
                              facetValueText(v.value));
        return lines.join(QLatin1Char('\n'));
    }
    case FacetRole:
        return int(d.facet);
    case KindsRole: {
        QStringList kinds;
        for (model::DisagreementKind k : d.kinds)
            kinds << utf8Text(model::toString(k));
        return kinds;
    }
    case RatersRole: {
        QStringList raters;
        for (const model::RaterValue &v : d.values)
            raters << QString::fromStdString(v.rater);
        return raters;
    }
    case QuestionTypeRole:
        return utf8Text(model::toString(d.questionType));
    case SummaryRole:
        return QString::fromStdString(d.summary);
    default:
        break;
    }
    return {};
}

QVariant ReviewQueueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Item:
        return tr("Item");
    case Facet:
        return tr("Facet");
    case Said:
        return tr("Who said what");
    case QuestionType:
        return tr("Question type");
    case EvidenceBucket:
        return tr("Evidence at");
    case Kind:
        return tr("Disagreement");
    case ColumnCount:
        break;
    }
    return {};
}

ReviewFilterModel::ReviewFilterModel(QObject *parent) : QSortFilterProxyModel(parent) {}

void ReviewFilterModel::setFacet(int facet)
{
    m_facet = facet;
    invalidateFilter();
}

void ReviewFilterModel::setKind(const QString &kind)
{
    m_kind = kind;
    invalidateFilter();
}

void ReviewFilterModel::setQuestionType(const QString &type)
{
    m_type = type;
    invalidateFilter();
}

void ReviewFilterModel::setSummary(const QString &summary)
{
    m_summary = summary;
    invalidateFilter();
}

void ReviewFilterModel::setRaterPair(const QString &a, const QString &b)
{
    m_raterA = a;
    m_raterB = b;
    invalidateFilter();
}

void ReviewFilterModel::setWithheld(QSet<QString> itemIds)
{
    if (itemIds == m_withheld)
        return;
    m_withheld = std::move(itemIds);
    invalidateFilter();
}

bool ReviewFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_withheld.isEmpty() && m_withheld.contains(index.data().toString()))
        return false;
    if (m_facet >= 0 && index.data(ReviewQueueModel::FacetRole).toInt() != m_facet)
        return false;
    if (!m_kind.isEmpty() && !index.data(ReviewQueueModel::KindsRole).toStringList().contains(m_kind))
        return false;
    if (!m_type.isEmpty() && index.data(ReviewQueueModel::QuestionTypeRole).toString() != m_type)
        return false;
    if (!m_summary.isEmpty() && index.data(ReviewQueueModel::SummaryRole).toString() != m_summary)
        return false;
    if (!m_raterA.isEmpty() || !m_raterB.isEmpty()) {
        const auto *queue = qobject_cast<const ReviewQueueModel *>(sourceModel());
        const model::Disagreement *d = queue ? queue->disagreement(sourceRow) : nullptr;
        if (!d)
            return false;
        auto valueOf = [&](const QString &rater) -> const model::RaterValue * {
            for (const model::RaterValue &v : d->values)
                if (QString::fromStdString(v.rater) == rater)
                    return &v;
            return nullptr;
        };
        if (!m_raterA.isEmpty() && !m_raterB.isEmpty() && m_raterA != m_raterB) {
            const model::RaterValue *a = valueOf(m_raterA), *b = valueOf(m_raterB);
            return a && b && a->value != b->value;
        }
        // One side is "anyone": the chosen rater against every other rater with a value.
        const model::RaterValue *one = valueOf(m_raterA.isEmpty() ? m_raterB : m_raterA);
        return one && std::any_of(d->values.begin(), d->values.end(), [&](const model::RaterValue &v) {
                   return v.rater != one->rater && v.value != one->value;
               });
    }
    return true;
}

} // namespace concord::ui
