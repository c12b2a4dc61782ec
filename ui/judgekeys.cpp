#include "judgekeys.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QPointer>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <memory>

namespace concord::ui {

namespace {

QString &service()
{
    static QString name = QStringLiteral("Concord");
    return name;
}

QString seconds(std::chrono::milliseconds t) { return QString::number(double(t.count()) / 1000.0, 'g', 3); }

/// QtKeychain's error as one sentence. Its own text is often just "Unknown error" when no service
/// is running, so the sentence names what was looked for.
StoredKey unavailable(const QKeychain::Job &job)
{
    StoredKey k;
    k.state = StoredKey::State::Unavailable;
    const QString text = job.errorString();
    const QString detail = text.isEmpty() || text == QLatin1String("Unknown error")
                               ? QString()
                               : QStringLiteral(" (%1)").arg(text);
    switch (job.error()) {
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        k.message = QObject::tr("the OS keychain refused access%1").arg(detail);
        break;
    default:
        k.message =
            QObject::tr("the OS keychain cannot be used: no keychain service (Secret Service or KWallet) "
                        "answered%1")
                .arg(detail);
        break;
    }
    return k;
}

/// Runs `job` and calls `done` exactly once: with `read(job)` when it finishes, or Unavailable
/// after `timeout`. A job still running at the timeout keeps running and deletes itself when it
/// ends; its result is ignored.
void runJob(QKeychain::Job *job, QObject *context, std::chrono::milliseconds timeout,
            std::function<StoredKey(const QKeychain::Job &)> read,
            std::function<void(const StoredKey &)> done)
{
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plain-text file in place of a keychain
    auto called = std::make_shared<bool>(false);
    QPointer<QObject> guard(context);
    auto finish = [called, guard, done = std::move(done)](const StoredKey &k) {
        if (*called)
            return;
        *called = true;
        if (guard)
            done(k);
    };
    auto *timer = new QTimer(job);
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, job, [finish, timeout] {
        StoredKey k;
        k.state = StoredKey::State::Unavailable;
        k.message = QObject::tr("the OS keychain did not answer within %1 s").arg(seconds(timeout));
        finish(k);
    });
    QObject::connect(job, &QKeychain::Job::finished, job,
                     [finish, timer, read = std::move(read)](QKeychain::Job *j) {
                         timer->stop();
                         finish(read(*j));
                     });
    timer->start(timeout);
    job->start();
}

} // namespace

QString keychainEntry(const QString &profile) { return QStringLiteral("judge/") + profile; }

void setKeychainService(const QString &name) { service() = name; }

void readStoredKey(const QString &profile, QObject *context, std::function<void(const StoredKey &)> done,
                   std::chrono::milliseconds timeout)
{
    auto *job = new QKeychain::ReadPasswordJob(service());
    job->setKey(keychainEntry(profile));
    runJob(
        job, context, timeout,
        [](const QKeychain::Job &j) {
            if (j.error() == QKeychain::EntryNotFound)
                return StoredKey{};
            if (j.error() != QKeychain::NoError)
                return unavailable(j);
            StoredKey k;
            k.state = StoredKey::State::Found;
            k.key = static_cast<const QKeychain::ReadPasswordJob &>(j).textData();
            if (k.key.isEmpty())
                k.state = StoredKey::State::NotFound;
            return k;
        },
        std::move(done));
}

void storeKey(const QString &profile, const QString &key, QObject *context,
              std::function<void(const StoredKey &)> done, std::chrono::milliseconds timeout)
{
    auto *job = new QKeychain::WritePasswordJob(service());
    job->setKey(keychainEntry(profile));
    job->setTextData(key);
    runJob(
        job, context, timeout,
        [](const QKeychain::Job &j) {
            if (j.error() != QKeychain::NoError)
                return unavailable(j);
            StoredKey k;
            k.state = StoredKey::State::Found;
            return k;
        },
        std::move(done));
}

void forgetStoredKey(const QString &profile, QObject *context, std::function<void(const StoredKey &)> done,
                     std::chrono::milliseconds timeout)
{
    auto *job = new QKeychain::DeletePasswordJob(service());
    job->setKey(keychainEntry(profile));
    runJob(
        job, context, timeout,
        [](const QKeychain::Job &j) {
            if (j.error() != QKeychain::NoError && j.error() != QKeychain::EntryNotFound)
                return unavailable(j);
            StoredKey k;
            k.state = StoredKey::State::Found;
            return k;
        },
        std::move(done));
}

StoredKey readStoredKeyNow(const QString &profile, std::chrono::milliseconds timeout)
{
    if (!QCoreApplication::instance()) {
        StoredKey k;
        k.state = StoredKey::State::Unavailable;
        k.message = QObject::tr("the OS keychain cannot be asked without an application object");
        return k;
    }
    QEventLoop loop;
    StoredKey result;
    bool finished = false;
    readStoredKey(
        profile, &loop,
        [&](const StoredKey &k) {
            result = k;
            finished = true;
            loop.quit();
        },
        timeout);
    if (!finished) // the job may end before the loop runs; quit() before exec() would be lost
        loop.exec();
    return result;
}

ResolvedKey resolveKey(const QString &keyEnv, const StoredKey *stored)
{
    if (!keyEnv.isEmpty()) {
        const QByteArray value = qgetenv(keyEnv.toLocal8Bit().constData());
        if (!value.isEmpty())
            return {QString::fromLocal8Bit(value), true};
    }
    if (stored && stored->state == StoredKey::State::Found)
        return {stored->key, false};
    return {};
}

} // namespace concord::ui
