#include "projecttask.h"

#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <memory>

namespace concord::ui {

ProjectTask::ProjectTask(model::ProjectOpener &opener, QString projectPath, Work work, QObject *parent)
    : QObject(parent), m_opener(opener), m_path(std::move(projectPath)), m_work(std::move(work))
{
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, [this] {
        const Outcome outcome = m_watcher.result();
        if (outcome.ok)
            emit finished(outcome.text);
        else
            emit failed(outcome.text, outcome.problems);
    });
}

ProjectTask::~ProjectTask()
{
    cancel();
    m_watcher.waitForFinished();
}

void ProjectTask::start()
{
    model::ProjectOpener *opener = &m_opener;
    const std::string path = m_path.toStdString();
    Work work = m_work;
    std::shared_ptr<Shared> shared = m_shared;
    // Emitted from the worker thread: queued to receivers on the GUI thread. The task outlives the
    // work (its destructor waits for it).
    const Progress progress = [this, last = std::make_shared<int>(-1)](double done) {
        const int percent = static_cast<int>(std::clamp(done, 0.0, 1.0) * 100.0);
        if (percent != *last) {
            *last = percent;
            emit progressed(percent);
        }
    };
    m_watcher.setFuture(QtConcurrent::run([opener, path, work, shared, progress]() -> Outcome {
        Outcome outcome;
        if (shared->cancelled) {
            outcome.text = tr("Cancelled");
            return outcome;
        }
        auto connection = opener->open(path);
        if (!connection) {
            outcome.text = QString::fromStdString(connection.error().message);
            return outcome;
        }
        {
            std::lock_guard lock(shared->mutex);
            shared->connection = connection->get();
        }
        auto result = work(**connection, outcome.problems, progress);
        {
            std::lock_guard lock(shared->mutex);
            shared->connection = nullptr;
        }
        outcome.ok = result.ok();
        outcome.text = result ? *result : QString::fromStdString(result.error().message);
        return outcome;
    }));
}

void ProjectTask::cancel()
{
    m_cancelled = true;
    m_shared->cancelled = true;
    std::lock_guard lock(m_shared->mutex);
    if (m_shared->connection)
        m_shared->connection->cancel();
}

} // namespace concord::ui
