#pragma once
/// @file labelsaver.h
/// Commits label revisions to the project file on a worker thread, on a connection of its own, in
/// the order they were made, so the GUI never waits for the disk. A revision that cannot be saved
/// (the disk is full, another program holds the write lock) stays first in the queue and is tried
/// again every few seconds; nothing made on screen is dropped while the app runs.

#include "labelstore.h"

#include <QObject>
#include <QString>

#include <memory>

class QThread;

namespace concord::ui {

class SaveWorker;

class LabelSaver final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LabelSaver)

public:
    /// Takes the connection the worker thread writes through; from now on only that thread uses it.
    explicit LabelSaver(std::unique_ptr<model::LabelStore> connection, QObject *parent = nullptr);
    /// Waits for the queue to drain (at most a few seconds), then stops the thread.
    ~LabelSaver() override;

    /// Queues `revision` by `rater` (created in the project, as a human, before its first revision).
    /// Returns the revision's sequence number in this saver.
    quint64 save(const model::Rater &rater, const model::LabelRevision &revision);
    /// Revisions queued but not committed yet.
    int pending() const { return int(m_queued - m_saved); }
    /// True when nothing is pending.
    bool isIdle() const { return m_queued == m_saved; }
    /// The message of the last failure, while a revision waits to be retried.
    QString lastError() const { return m_lastError; }
    /// Processes events until the queue is empty or `timeoutMs` passed; true when it is empty.
    bool waitUntilIdle(int timeoutMs);

signals:
    /// Revision `sequence` (and every one before it) is committed: SQLite's COMMIT returned.
    void revisionSaved(quint64 sequence);
    /// The revision first in the queue could not be saved; it will be tried again.
    void saveFailed(const QString &message);

private:
    void onSaved(quint64 sequence);
    void onFailed(const QString &message);

    QThread *m_thread = nullptr;
    SaveWorker *m_worker = nullptr;
    quint64 m_queued = 0;
    quint64 m_saved = 0;
    QString m_lastError;
};

} // namespace concord::ui
