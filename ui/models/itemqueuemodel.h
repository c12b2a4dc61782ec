#pragma once
/// @file itemqueuemodel.h
/// The annotator's item queue as a table: one row per item with its id, question type (a short
/// word; the full name in the tooltip), the annotator's status (unlabelled, partial, done) and,
/// once other raters exist, how many there are and whether the labels on the item disagree. An adapter over
/// the item summaries, the annotator's progress and the project's consensus, each read in one query;
/// ItemQueueFilterModel sorts and filters it.

#include "labelstore.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSortFilterProxyModel>

#include <vector>

namespace concord::ui {

class ItemQueueModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ItemQueueModel)

public:
    enum Column { Id, Type, Status, Others, Systems, ColumnCount };
    enum Role {
        ItemIdRole = Qt::UserRole + 1, ///< QString: the item's id
        QuestionTypeRole,              ///< QString: the spelling, e.g. "fact_recall"
        StatusRole,                    ///< int: model::LabelStatus for the annotator
        SystemPairRole,                ///< QString: both systems, sorted, "a vs b" (says nothing of sides)
        OtherRatersRole,               ///< int: raters other than the annotator with labels on the item
        DisagreementRole,              ///< bool: current labels on the item differ, and the
                                       ///< annotator may know it (see setBlind)
        SortRole,                      ///< a value to sort the column by
    };

    explicit ItemQueueModel(QObject *parent = nullptr);

    /// Replaces all rows. Items missing from `progress` are unlabelled.
    void setItems(const std::vector<model::ItemSummary> &items,
                  const std::vector<model::ItemProgress> &progress);
    /// Replaces every row's status (after switching annotators).
    void setProgress(const std::vector<model::ItemProgress> &progress);
    /// Fills the Others column; items missing from `consensus` have no labels.
    void setConsensus(const std::vector<model::ItemConsensus> &consensus);
    void setStatus(const QString &itemId, model::LabelStatus status);
    /// Blind (the default): whether others disagree on an item is shown only once the annotator
    /// has labelled it, so that the marker cannot sway their first verdict. The number of other
    /// raters is always shown.
    void setBlind(bool blind);
    bool blind() const { return m_blind; }

    /// The row of `itemId`, or -1.
    int rowOf(const QString &itemId) const;
    QString itemId(int row) const;
    model::LabelStatus status(int row) const;
    int doneCount() const { return m_done; }
    /// Every system pair (as SystemPairRole spells it), sorted.
    QStringList systemPairs() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        QString id;
        QString type;
        QString systemPair;
        model::LabelStatus status = model::LabelStatus::Unlabelled;
        int otherRaters = 0;
        bool disagreement = false;
    };
    void recount();
    bool disagreementShown(const Row &row) const;

    std::vector<Row> m_rows;
    QHash<QString, int> m_index;
    int m_done = 0;
    bool m_blind = true;
};

/// Sorts the queue (ids in natural order: q-2 before q-10) and filters it by the annotator's
/// status, question type and system pair. The pinned item (the one on screen) always stays
/// visible, so labelling an item under "unlabelled" does not pull it from under the annotator.
class ItemQueueFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ItemQueueFilterModel)

public:
    enum class Scope { NotDone, Unlabelled, All, Done, Disagreement };

    explicit ItemQueueFilterModel(QObject *parent = nullptr);

    Scope scope() const { return m_scope; }
    void setScope(Scope scope);
    /// Empty for any type; else a question type spelling.
    void setQuestionType(const QString &type);
    /// Empty for any pair; else a SystemPairRole value.
    void setSystemPair(const QString &pair);
    void setPinnedItem(const QString &itemId);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    Scope m_scope = Scope::NotDone;
    QString m_type, m_pair, m_pinned;
};

} // namespace concord::ui
