#include "evidencelistmodel.h"

namespace concord::ui {

namespace {

constexpr int kExcerptChars = 90;

QString shortened(const QString &text)
{
    QString flat = text.simplified();
    if (flat.size() > kExcerptChars)
        flat = flat.left(kExcerptChars - 1).trimmed() + QStringLiteral("…");
    return flat;
}

} // namespace

EvidenceListModel::EvidenceListModel(QObject *parent) : QAbstractListModel(parent) {}

void EvidenceListModel::setEvidence(model::Slot answer, const std::vector<model::EvidenceSpan> &evidence,
                                    const QStringList &excerpts)
{
    beginResetModel();
    m_rows.clear();
    for (std::size_t i = 0; i < evidence.size(); ++i)
        if (evidence[i].answer == answer)
            m_rows.push_back(
                {int(i), evidence[i], i < std::size_t(excerpts.size()) ? excerpts[qsizetype(i)] : QString()});
    endResetModel();
}

int EvidenceListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant EvidenceListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[std::size_t(index.row())];
    const QString note = row.span.note ? QString::fromStdString(*row.span.note) : QString();
    switch (role) {
    case Qt::DisplayRole:
        return note.isEmpty() ? QStringLiteral("“%1”").arg(shortened(row.excerpt))
                              : QStringLiteral("“%1” — %2").arg(shortened(row.excerpt), note);
    case Qt::ToolTipRole:
        return tr("Characters %1–%2 of the document%3\nDouble-click to show it; Delete removes it")
            .arg(row.span.start)
            .arg(row.span.end)
            .arg(note.isEmpty() ? QString() : QStringLiteral("\n") + note);
    case IndexRole:
        return row.index;
    case StartRole:
        return qint64(row.span.start);
    case EndRole:
        return qint64(row.span.end);
    case NoteRole:
        return note;
    default:
        return {};
    }
}

} // namespace concord::ui
