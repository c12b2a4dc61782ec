#include "itemqueuemodel.h"

#include "answerpanel.h"
#include "facettext.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QGuiApplication>
#include <QPalette>

#include <algorithm>

namespace concord::ui {

namespace {

QString questionTypeText(const QString &spelling)
{
    QString text = spelling;
    return text.replace(u'_', u' ');
}

/// One short word per type, so the narrow column never cuts one; the tooltip has the full name.
QString questionTypeShort(const QString &spelling)
{
    const auto type = model::parseQuestionType(spelling.toStdString());
    return type ? questionTypeShortName(*type) : questionTypeText(spelling);
}

QString statusText(model::LabelStatus s)
{
    switch (s) {
    case model::LabelStatus::Unlabelled:
        return ItemQueueModel::tr("○ unlabelled");
    case model::LabelStatus::Partial:
        return ItemQueueModel::tr("◐ partial");
    case model::LabelStatus::Done:
        return ItemQueueModel::tr("● done");
    }
    return {};
}

/// Natural order: digit runs compare by value ("q-2" < "q-10"), the rest case-insensitively.
/// (QCollator's numeric mode needs ICU, which Qt is not always built with.)
int naturalCompare(const QString &a, const QString &b)
{
    qsizetype i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i].isDigit() && b[j].isDigit()) {
            qsizetype i2 = i, j2 = j;
            while (i2 < a.size() && a[i2] == u'0')
                ++i2;
            while (j2 < b.size() && b[j2] == u'0')
                ++j2;
            qsizetype ie = i2, je = j2;
            while (ie < a.size() && a[ie].isDigit())
                ++ie;
            while (je < b.size() && b[je].isDigit())
                ++je;
            if (ie - i2 != je - j2)
                return ie - i2 < je - j2 ? -1 : 1;
            if (const int c = QStringView(a).mid(i2, ie - i2).compare(QStringView(b).mid(j2, je - j2));
                c != 0)
                return c;
            i = ie;
            j = je;
            continue;
        }
        const QChar ca = a[i].toCaseFolded(), cb = b[j].toCaseFolded();
        if (ca != cb)
            return ca < cb ? -1 : 1;
        ++i;
        ++j;
    }
    return (a.size() - i) < (b.size() - j) ? -1 : ((a.size() - i) > (b.size() - j) ? 1 : 0);
}

/// Picked for a light list; on a dark one, lightened (hue kept) until they read on it.
QColor statusColor(model::LabelStatus s)
{
    QColor color;
    switch (s) {
    case model::LabelStatus::Unlabelled:
        color = QColor(0x6b, 0x6b, 0x6b);
        break;
    case model::LabelStatus::Partial:
        color = QColor(0xa6, 0x5f, 0x00);
        break;
    case model::LabelStatus::Done:
        color = QColor(0x1e, 0x7b, 0x34);
        break;
    }
    return shade::readableOn(color, QGuiApplication::palette().color(QPalette::Base));
}

QColor disagreementColor()
{
    return shade::readableOn(QColor(0xb0, 0x3a, 0x2e), QGuiApplication::palette().color(QPalette::Base));
}

} // namespace

ItemQueueModel::ItemQueueModel(QObject *parent) : QAbstractTableModel(parent) {}

void ItemQueueModel::setItems(const std::vector<model::ItemSummary> &items,
                              const std::vector<model::ItemProgress> &progress)
{
    beginResetModel();
    m_rows.clear();
    m_rows.reserve(items.size());
    m_index.clear();
    m_index.reserve(qsizetype(items.size()));
    for (const model::ItemSummary &s : items) {
        Row row;
        row.id = QString::fromStdString(s.id);
        row.type = QString::fromLatin1(model::toString(s.type));
        QString a = QString::fromStdString(s.systemA), b = QString::fromStdString(s.systemB);
        if (b < a)
            std::swap(a, b);
        row.systemPair = a + tr(" vs ") + b;
        m_index.insert(row.id, int(m_rows.size()));
        m_rows.push_back(std::move(row));
    }
    for (const model::ItemProgress &p : progress)
        if (auto it = m_index.constFind(QString::fromStdString(p.itemId)); it != m_index.constEnd())
            m_rows[std::size_t(*it)].status = p.status;
    recount();
    endResetModel();
}

void ItemQueueModel::setProgress(const std::vector<model::ItemProgress> &progress)
{
    for (Row &row : m_rows)
        row.status = model::LabelStatus::Unlabelled;
    for (const model::ItemProgress &p : progress)
        if (auto it = m_index.constFind(QString::fromStdString(p.itemId)); it != m_index.constEnd())
            m_rows[std::size_t(*it)].status = p.status;
    recount();
    if (!m_rows.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void ItemQueueModel::setConsensus(const std::vector<model::ItemConsensus> &consensus)
{
    for (Row &row : m_rows) {
        row.otherRaters = 0;
        row.disagreement = false;
    }
    for (const model::ItemConsensus &c : consensus) {
        auto it = m_index.constFind(QString::fromStdString(c.itemId));
        if (it == m_index.constEnd())
            continue;
        Row &row = m_rows[std::size_t(*it)];
        // The annotator is among the raters counted once they have labelled the item.
        row.otherRaters = std::max(0, c.raters - (row.status == model::LabelStatus::Unlabelled ? 0 : 1));
        row.disagreement = c.disagreement;
    }
    if (!m_rows.empty())
        emit dataChanged(index(0, Others), index(rowCount() - 1, Others));
}

void ItemQueueModel::setStatus(const QString &itemId, model::LabelStatus status)
{
    const int row = rowOf(itemId);
    if (row < 0 || m_rows[std::size_t(row)].status == status)
        return;
    Row &r = m_rows[std::size_t(row)];
    m_done += (status == model::LabelStatus::Done) - (r.status == model::LabelStatus::Done);
    r.status = status;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ItemQueueModel::setBlind(bool blind)
{
    if (blind == m_blind)
        return;
    m_blind = blind;
    emit headerDataChanged(Qt::Horizontal, Others, Others);
    if (!m_rows.empty())
        emit dataChanged(index(0, Others), index(rowCount() - 1, Others));
}

bool ItemQueueModel::disagreementShown(const Row &row) const
{
    // Blind: only once the annotator's own label is complete, so that it cannot sway any of it.
    return row.disagreement && (!m_blind || row.status == model::LabelStatus::Done);
}

int ItemQueueModel::rowOf(const QString &itemId) const { return m_index.value(itemId, -1); }

QString ItemQueueModel::itemId(int row) const
{
    return row >= 0 && row < rowCount() ? m_rows[std::size_t(row)].id : QString();
}

model::LabelStatus ItemQueueModel::status(int row) const
{
    return row >= 0 && row < rowCount() ? m_rows[std::size_t(row)].status : model::LabelStatus::Unlabelled;
}

QStringList ItemQueueModel::systemPairs() const
{
    QStringList pairs;
    for (const Row &row : m_rows)
        pairs.append(row.systemPair);
    pairs.removeDuplicates();
    pairs.sort();
    return pairs;
}

void ItemQueueModel::recount()
{
    m_done = int(std::count_if(m_rows.begin(), m_rows.end(),
                               [](const Row &r) { return r.status == model::LabelStatus::Done; }));
}

int ItemQueueModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ItemQueueModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ItemQueueModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[std::size_t(index.row())];
    switch (role) {
    case ItemIdRole:
        return row.id;
    case QuestionTypeRole:
        return row.type;
    case StatusRole:
        return int(row.status);
    case SystemPairRole:
        return row.systemPair;
    case OtherRatersRole:
        return row.otherRaters;
    case DisagreementRole:
        return disagreementShown(row);
    default:
        break;
    }
    switch (index.column()) {
    case Id:
        if (role == Qt::DisplayRole || role == SortRole || role == Qt::ToolTipRole)
            return row.id;
        break;
    case Type:
        if (role == Qt::DisplayRole)
            return questionTypeShort(row.type);
        if (role == SortRole || role == Qt::ToolTipRole)
            return questionTypeText(row.type);
        break;
    case Status:
        if (role == Qt::DisplayRole)
            return statusText(row.status);
        if (role == SortRole)
            return int(row.status);
        if (role == Qt::ForegroundRole)
            return QBrush(statusColor(row.status));
        break;
    case Others: {
        const bool disagreement = disagreementShown(row);
        if (role == Qt::DisplayRole) {
            if (row.otherRaters == 0)
                return QString();
            return disagreement ? tr("≠ %1").arg(row.otherRaters) : QString::number(row.otherRaters);
        }
        if (role == SortRole)
            return row.otherRaters + (disagreement ? 1000 : 0);
        if (role == Qt::ForegroundRole && disagreement)
            return QBrush(disagreementColor());
        if (role == Qt::FontRole && disagreement) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        if (role == Qt::ToolTipRole && row.otherRaters > 0) {
            if (disagreement)
                return tr("%n other rater(s) labelled this item; current labels disagree", nullptr,
                          row.otherRaters);
            if (m_blind && row.status != model::LabelStatus::Done)
                return tr("%n other rater(s) labelled this item; whether they agree shows once you have "
                          "finished labelling it",
                          nullptr, row.otherRaters);
            return tr("%n other rater(s) labelled this item; no disagreement", nullptr, row.otherRaters);
        }
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignCenter);
        break;
    }
    case Systems:
        if (role == Qt::DisplayRole || role == SortRole)
            return row.systemPair;
        break;
    default:
        break;
    }
    return {};
}

QVariant ItemQueueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Id:
            return tr("Item");
        case Type:
            return tr("Type");
        case Status:
            return tr("Status");
        case Others:
            return tr("Others");
        case Systems:
            return tr("Systems");
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole && section == Others)
        return m_blind ? tr("Other raters of the item; ≠ marks disagreement on items you have labelled")
                       : tr("Other raters of the item; ≠ marks items whose current labels disagree");
    return {};
}

ItemQueueFilterModel::ItemQueueFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(ItemQueueModel::SortRole);
}

void ItemQueueFilterModel::setScope(Scope scope)
{
    m_scope = scope;
    invalidateFilter();
}

void ItemQueueFilterModel::setQuestionType(const QString &type)
{
    m_type = type;
    invalidateFilter();
}

void ItemQueueFilterModel::setSystemPair(const QString &pair)
{
    m_pair = pair;
    invalidateFilter();
}

void ItemQueueFilterModel::setPinnedItem(const QString &itemId)
{
    if (itemId == m_pinned)
        return;
    m_pinned = itemId;
    invalidateFilter();
}

bool ItemQueueFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_pinned.isEmpty() && index.data(ItemQueueModel::ItemIdRole).toString() == m_pinned)
        return true;
    if (!m_type.isEmpty() && index.data(ItemQueueModel::QuestionTypeRole).toString() != m_type)
        return false;
    if (!m_pair.isEmpty() && index.data(ItemQueueModel::SystemPairRole).toString() != m_pair)
        return false;
    const auto status = model::LabelStatus(index.data(ItemQueueModel::StatusRole).toInt());
    switch (m_scope) {
    case Scope::NotDone:
        return status != model::LabelStatus::Done;
    case Scope::Unlabelled:
        return status == model::LabelStatus::Unlabelled;
    case Scope::All:
        return true;
    case Scope::Done:
        return status == model::LabelStatus::Done;
    case Scope::Disagreement:
        return index.data(ItemQueueModel::DisagreementRole).toBool();
    }
    return true;
}

bool ItemQueueFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const QVariant l = left.data(sortRole()), r = right.data(sortRole());
    if (l.typeId() == QMetaType::QString && r.typeId() == QMetaType::QString) {
        const int c = naturalCompare(l.toString(), r.toString());
        if (c != 0)
            return c < 0;
    } else if (l != r) {
        return QVariant::compare(l, r) == QPartialOrdering::Less;
    }
    // Ties keep the project's order.
    return left.row() < right.row();
}

} // namespace concord::ui
