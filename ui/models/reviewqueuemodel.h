#pragma once
/// @file reviewqueuemodel.h
/// The review queue as a table: one row per unit and facet where current labels disagree
/// (model/review.h). An adapter over the list findDisagreements() returns; filtering and sorting
/// are done by ReviewFilterModel.

#include "raternames.h"
#include "review.h"

#include <QAbstractTableModel>
#include <QSet>
#include <QSortFilterProxyModel>

namespace concord::ui {

class ReviewQueueModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReviewQueueModel)

public:
    enum Column { Item, Facet, Said, QuestionType, EvidenceBucket, Kind, ColumnCount };
    enum Role {
        FacetRole = Qt::UserRole + 1, ///< int: model::Facet
        KindsRole,                    ///< QStringList: the disagreement kinds' spellings
        RatersRole,                   ///< QStringList: every rater with a value on the unit
        QuestionTypeRole,             ///< QString: the spelling, e.g. "fact_recall"
        SummaryRole,                  ///< QString: the one-line reading, e.g. "judge says A, humans say B"
    };

    explicit ReviewQueueModel(QObject *parent = nullptr);

    /// The rows, raters named in tooltips as `names` names them.
    void setDisagreements(std::vector<model::Disagreement> disagreements, RaterNames names = {});
    const model::Disagreement *disagreement(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<model::Disagreement> m_rows;
    RaterNames m_names;
};

/// Filters the queue by facet, kind of disagreement, question type and rater pair.
class ReviewFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReviewFilterModel)

public:
    explicit ReviewFilterModel(QObject *parent = nullptr);

    /// -1 for any facet.
    void setFacet(int facet);
    /// Empty for any kind; else a spelling of model::DisagreementKind.
    void setKind(const QString &kind);
    /// Empty for any type; else a question type spelling.
    void setQuestionType(const QString &type);
    /// Empty for any; else only units whose summary (Disagreement::summary) is exactly this, such
    /// as "judge says faithful, humans say unfaithful".
    void setSummary(const QString &summary);
    /// Empty strings for anyone. Both set: units where both raters have a value and the values
    /// differ. One set (or the same rater twice): units where that rater's value differs from
    /// some other rater's.
    void setRaterPair(const QString &a, const QString &b);
    /// Units of these items are not listed (blind annotation: items the annotator has not
    /// finished, whose other labels would sway theirs).
    void setWithheld(QSet<QString> itemIds);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    int m_facet = -1;
    QString m_kind, m_type, m_summary, m_raterA, m_raterB;
    QSet<QString> m_withheld;
};

} // namespace concord::ui
