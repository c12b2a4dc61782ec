#include "labelsaver.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QMutex>
#include <QThread>
#include <QTimer>

#include <deque>
#include <set>

namespace concord::ui {

namespace {
constexpr int kRetryMs = 3000;
constexpr int kShutdownWaitMs = 5000;
} // namespace

/// Lives on the saver's thread and owns the write connection.
class SaveWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SaveWorker)

public:
    struct Job
    {
        quint64 sequence = 0;
        model::Rater rater;
        model::LabelRevision revision;
    };

    explicit SaveWorker(std::unique_ptr<model::LabelStore> connection) : m_connection(std::move(connection))
    {
        m_retry.setSingleShot(true);
        connect(&m_retry, &QTimer::timeout, this, &SaveWorker::drain);
    }

    /// Called from the GUI thread.
    void enqueue(Job job)
    {
        {
            QMutexLocker lock(&m_mutex);
            m_jobs.push_back(std::move(job));
        }
        QMetaObject::invokeMethod(this, &SaveWorker::drain, Qt::QueuedConnection);
    }

    /// Runs on the worker thread.
    void drain()
    {
        if (m_retry.isActive())
            return; // a failed job waits for its retry; keep the order
        for (;;) {
            Job job;
            {
                QMutexLocker lock(&m_mutex);
                if (m_jobs.empty())
                    return;
                job = m_jobs.front();
            }
            const model::Status status = save(job);
            if (!status) {
                emit failed(QString::fromStdString(status.error().message));
                m_retry.start(kRetryMs);
                return;
            }
            {
                QMutexLocker lock(&m_mutex);
                m_jobs.pop_front();
            }
            emit saved(job.sequence);
        }
    }

    /// Stops the retry timer from its own thread before the thread ends.
    void stop() { m_retry.stop(); }

signals:
    void saved(quint64 sequence);
    void failed(const QString &message);

private:
    model::Status save(const Job &job)
    {
        if (!m_ensured.count(job.rater.id)) {
            auto rater = m_connection->ensureRater(job.rater);
            if (!rater)
                return rater.error();
            m_ensured.insert(job.rater.id);
        }
        return m_connection->saveRevision(job.revision);
    }

    std::unique_ptr<model::LabelStore> m_connection;
    QMutex m_mutex;
    std::deque<Job> m_jobs;
    std::set<std::string> m_ensured;
    QTimer m_retry{this}; // a child, so moveToThread() takes it along
};

LabelSaver::LabelSaver(std::unique_ptr<model::LabelStore> connection, QObject *parent)
    : QObject(parent), m_thread(new QThread(this)), m_worker(new SaveWorker(std::move(connection)))
{
    m_thread->setObjectName(QStringLiteral("concord-label-saver"));
    m_worker->moveToThread(m_thread);
    connect(m_worker, &SaveWorker::saved, this, &LabelSaver::onSaved);
    connect(m_worker, &SaveWorker::failed, this, &LabelSaver::onFailed);
    m_thread->start();
}

LabelSaver::~LabelSaver()
{
    waitUntilIdle(kShutdownWaitMs);
    QMetaObject::invokeMethod(m_worker, &SaveWorker::stop, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_worker; // its thread has finished; deleting here closes the connection
}

quint64 LabelSaver::save(const model::Rater &rater, const model::LabelRevision &revision)
{
    const quint64 sequence = ++m_queued;
    m_worker->enqueue({sequence, rater, revision});
    return sequence;
}

bool LabelSaver::waitUntilIdle(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!isIdle() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    return isIdle();
}

void LabelSaver::onSaved(quint64 sequence)
{
    m_saved = sequence;
    m_lastError.clear();
    emit revisionSaved(sequence);
}

void LabelSaver::onFailed(const QString &message)
{
    m_lastError = message;
    emit saveFailed(message);
}

} // namespace concord::ui

#include "labelsaver.moc"
