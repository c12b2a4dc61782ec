#include "labelsession.h"

#include "labelsaver.h"

#include <QDateTime>

#include <cmath>

namespace concord::ui {

QString utcTimestamp()
{
    return QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
}

LabelSession::LabelSession(model::LabelStore &store, LabelSaver &saver, model::Rater annotator, bool blind,
                           QObject *parent)
    : QObject(parent), m_store(store), m_saver(saver), m_annotator(std::move(annotator)), m_blind(blind)
{
}

QString LabelSession::shownOrder(const QString &itemId) const
{
    if (!m_blind)
        return QStringLiteral("AB");
    return QString::fromLatin1(model::blindOrder(m_annotator.id, itemId.toStdString()));
}

const model::ItemLabel &LabelSession::label(const QString &itemId)
{
    auto it = m_labels.find(itemId);
    if (it != m_labels.end())
        return *it;
    auto read = m_store.currentLabel(m_annotator.id, itemId.toStdString());
    if (!read) {
        emit readFailed(QString::fromStdString(read.error().message));
        static const model::ItemLabel empty;
        return empty; // not cached: the next visit reads again
    }
    return *m_labels.insert(itemId, std::move(*read));
}

void LabelSession::apply(const QString &itemId, const LabelEdit &edit)
{
    model::ItemLabel updated = label(itemId);
    model::LabelRevision revision;
    revision.itemId = itemId.toStdString();
    revision.raterId = m_annotator.id;
    revision.raterKind = m_annotator.kind;
    revision.values = edit.values;
    revision.evidence = edit.evidence;
    revision.note = edit.note;
    revision.createdAt = utcTimestamp().toStdString();
    revision.timeSpentS = timeSpent(itemId);
    revision.shownOrder = shownOrder(itemId).toStdString();
    model::apply(updated, revision);
    m_labels.insert(itemId, updated);
    m_saver.save(m_annotator, revision);
    emit labelChanged(itemId);
}

void LabelSession::setCurrentItem(const QString &itemId)
{
    if (!m_current.isEmpty() && m_timing && m_clock.isValid())
        m_spentMs[m_current] += m_clock.elapsed();
    m_current = itemId;
    m_clock.start();
}

void LabelSession::setTiming(bool running)
{
    if (running == m_timing)
        return;
    if (!running && !m_current.isEmpty() && m_clock.isValid())
        m_spentMs[m_current] += m_clock.elapsed();
    m_timing = running;
    m_clock.start();
}

double LabelSession::timeSpent(const QString &itemId) const
{
    qint64 ms = m_spentMs.value(itemId);
    if (itemId == m_current && m_timing && m_clock.isValid())
        ms += m_clock.elapsed();
    return double(ms) / 1000.0;
}

} // namespace concord::ui
