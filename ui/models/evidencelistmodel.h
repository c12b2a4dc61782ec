#pragma once
/// @file evidencelistmodel.h
/// The evidence one answer has in the annotator's current label: one row per marked passage,
/// showing the start of the passage and its note. An adapter over the label's evidence list;
/// IndexRole gives each row's position in that list (what RemoveEvidence takes).

#include "domain.h"

#include <QAbstractListModel>
#include <QStringList>

#include <vector>

namespace concord::ui {

class EvidenceListModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EvidenceListModel)

public:
    enum Role {
        IndexRole = Qt::UserRole + 1, ///< int: position in the label's whole evidence list
        StartRole,                    ///< qint64: code-point offset of the passage in the document
        EndRole,                      ///< qint64: code-point offset just past the passage
        NoteRole,                     ///< QString: the note, empty when none
    };

    explicit EvidenceListModel(QObject *parent = nullptr);

    /// Lists the spans of `answer` in `evidence`. `excerpts` is parallel to `evidence`: each
    /// passage's text as the document shows it.
    void setEvidence(model::Slot answer, const std::vector<model::EvidenceSpan> &evidence,
                     const QStringList &excerpts);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        int index = 0;
        model::EvidenceSpan span;
        QString excerpt;
    };
    std::vector<Row> m_rows;
};

} // namespace concord::ui
