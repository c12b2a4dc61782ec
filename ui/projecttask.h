#pragma once
/// @file projecttask.h
/// Long work on a project (import, export) off the GUI thread, as one task object: it opens a
/// connection of its own on a worker thread, runs, and reports finished or failed; cancel() stops
/// it at its next touch of the file (an import then writes nothing). Progress is shown by the
/// caller while isRunning().

#include "labelstore.h"

#include <QFutureWatcher>
#include <QObject>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

namespace concord::ui {

class ProjectTask final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProjectTask)

public:
    /// Runs on the worker thread with the task's connection; returns a summary or an error, and
    /// may list detailed problems (import diagnostics) in `problems`. It may call `progress` with
    /// the share done (0 to 1), which the task signals as progressed() on the GUI thread.
    using Progress = std::function<void(double)>;
    using Work = std::function<model::Result<QString>(model::ProjectConnection &connection,
                                                      QStringList &problems, const Progress &progress)>;

    /// `opener` must outlive the task.
    ProjectTask(model::ProjectOpener &opener, QString projectPath, Work work, QObject *parent = nullptr);
    ~ProjectTask() override;

    void start();
    void cancel();
    bool isRunning() const { return m_watcher.isRunning(); }
    bool wasCancelled() const { return m_cancelled; }

signals:
    void finished(const QString &summary);
    /// The work's progress in percent, when it reports one; only when the percentage changes.
    void progressed(int percent);
    void failed(const QString &message, const QStringList &problems);

private:
    struct Outcome
    {
        bool ok = false;
        QString text;
        QStringList problems;
    };
    struct Shared
    {
        std::mutex mutex;
        model::ProjectConnection *connection = nullptr;
        std::atomic<bool> cancelled{false};
    };

    model::ProjectOpener &m_opener;
    QString m_path;
    Work m_work;
    std::shared_ptr<Shared> m_shared = std::make_shared<Shared>();
    QFutureWatcher<Outcome> m_watcher;
    bool m_cancelled = false;
};

} // namespace concord::ui
