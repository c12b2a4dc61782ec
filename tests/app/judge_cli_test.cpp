// `concord judge` end to end, against tests/app/fake_llm_server.py on 127.0.0.1: every item ends
// judged or recorded failed with a reason; retries honour Retry-After; a second run sends nothing;
// a run killed halfway resumes without duplicates; keys never reach the project file.
#include "judge_cli_test.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <sqlite3.h>

#include <csignal>
#include <map>

namespace {

const QString kConcord = QStringLiteral(CONCORD_BINARY_DIR "/app/concord");
const QString kServerScript = QStringLiteral(CONCORD_SOURCE_DIR "/tests/app/fake_llm_server.py");
const QByteArray kKey = "sk-concord-test-0123456789-SECRET";

struct Run
{
    int code = -1;
    QString out;
    QString err;
    QJsonObject json() const { return QJsonDocument::fromJson(out.toUtf8()).object(); }
};

/// The fake server, started on a free port and stopped with the test.
class FakeServer
{
public:
    explicit FakeServer(const QString &log, const QStringList &extra = {}) : m_log(log)
    {
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start("python3", QStringList{kServerScript, "--log", log, "--expect-key", kKey} + extra);
        if (!m_process.waitForStarted(10000) || !m_process.waitForReadyRead(10000))
            qFatal("the fake server did not start: %s", m_process.readAllStandardError().constData());
        const QByteArray line = m_process.readLine().trimmed();
        if (!line.startsWith("PORT "))
            qFatal("unexpected first line from the fake server: %s", line.constData());
        m_port = line.mid(5).toInt();
    }
    ~FakeServer()
    {
        m_process.terminate();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
        m_process.waitForFinished(5000);
    }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    /// Every request the server received, in order.
    QList<QJsonObject> requests() const
    {
        QList<QJsonObject> out;
        QFile f(m_log);
        if (f.open(QIODevice::ReadOnly))
            for (const QByteArray &line : f.readAll().split('\n'))
                if (!line.isEmpty())
                    out.push_back(QJsonDocument::fromJson(line).object());
        return out;
    }

private:
    QString m_log;
    QProcess m_process;
    int m_port = 0;
};

QProcessEnvironment environment(bool withKey = true)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("OPENAI_API_KEY");
    env.remove("ANTHROPIC_API_KEY");
    // No session bus, hence no keychain service: a test never reads or writes a real keychain, and
    // a key-less run meets the keychain as on a server or in CI.
    env.insert("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/concord-test-bus");
    env.remove("DISPLAY");
    env.remove("WAYLAND_DISPLAY");
    if (withKey) {
        env.insert("OPENAI_API_KEY", QString::fromLatin1(kKey));
        env.insert("ANTHROPIC_API_KEY", QString::fromLatin1(kKey));
    }
    return env;
}

Run concord(const QStringList &args, const QProcessEnvironment &env = environment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(kConcord, args);
    p.waitForFinished(180000);
    Run r;
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

Run judge(const QString &project, const FakeServer &server, QStringList extra = {})
{
    return concord(QStringList{"judge", project, "--base-url", server.url(), "--model", "fake", "--json"} +
                   extra);
}

/// Rows of a query on the project, each row's columns joined by '|'.
QStringList query(const QString &project, const char *sql)
{
    sqlite3 *db = nullptr;
    QStringList rows;
    if (sqlite3_open_v2(project.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_busy_timeout(db, 5000);
        sqlite3_stmt *s = nullptr;
        if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK) {
            while (sqlite3_step(s) == SQLITE_ROW) {
                QStringList columns;
                for (int c = 0; c < sqlite3_column_count(s); ++c)
                    columns << QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(s, c)));
                rows << columns.join('|');
            }
        }
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return rows;
}

int count(const QString &project, const char *sql)
{
    const QStringList rows = query(project, sql);
    return rows.isEmpty() ? -1 : rows.front().toInt();
}

const QByteArray kDocument =
    R"({"kind":"document","id":"lease","text":"Clause 4. The rent is £1,200 per month. Clause 9. The tenant may not keep pets. Clause 12. The deposit is two months' rent."})";

/// An item whose answer A is preferred; `question` may carry [fake:...] scripts.
QByteArray item(const QString &id, const QString &question)
{
    QJsonObject answers{{"A", QJsonObject{{"system", "s1"}, {"text", "GOOD The rent is £1,200 per month."}}},
                        {"B", QJsonObject{{"system", "s2"}, {"text", "The rent is £1,500 per month."}}}};
    QJsonObject o{{"kind", "item"},
                  {"id", id},
                  {"document", "lease"},
                  {"question", question},
                  {"question_type", "fact_recall"},
                  {"answers", answers}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

QString JudgeCliTest::path(const QString &name) const { return m_dir.filePath(name); }

QString JudgeCliTest::project(const QString &name, const QByteArray &jsonl)
{
    const QString file = path(name + ".concord");
    QFile data(path(name + ".jsonl"));
    if (!data.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(data.fileName()));
    data.write(jsonl);
    data.close();
    if (concord({"new", file}).code != 0 || concord({"import", file, data.fileName()}).code != 0)
        qFatal("cannot make the project %s", qPrintable(file));
    return file;
}

void JudgeCliTest::everyItemEndsJudgedOrRecordedFailedWithAReason()
{
    // Each scripted trouble once, then a good reply; and troubles that never end.
    const std::map<QString, QString> scripts = {
        {"ok", ""},
        {"r429", "[fake:all=429>ok]"},
        {"r500", "[fake:all=500>ok]"},
        {"r529", "[fake:all=529>ok]"},
        {"timeout", "[fake:preference=timeout>ok]"},
        {"truncated", "[fake:all=truncated>ok]"},
        {"badschema", "[fake:all=badschema>ok]"},
        {"length", "[fake:preference=length>ok]"},
        {"refusal", "[fake:no_info=refusal>ok]"},
        {"empty", "[fake:claims=empty>ok]"},
        {"alwaysTruncated", "[fake:preference=truncated]"},
        {"alwaysLength", "[fake:no_info=length]"},
        {"alwaysBadSchema", "[fake:verify=badschema]"},
        {"always500", "[fake:no_info=500]"},
        {"ctx", "[fake:claims=ctx]"},
    };
    QByteArray jsonl = kDocument + "\n";
    for (const auto &[id, script] : scripts)
        jsonl += item(id, "What is the rent? " + script) + "\n";
    const QString file = project("everything", jsonl);
    FakeServer server(path("everything.log"), {"--hang", "4"});
    const Run r = judge(file, server, {"--concurrency", "8", "--timeout", "2", "--retries", "2"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject summary = r.json();
    QCOMPARE(summary.value("end").toString(), "finished");

    // Every item × task has an outcome; every failure has a reason; nothing is left over.
    const int items = int(scripts.size());
    QCOMPARE(count(file, "SELECT count(*) FROM judge_outcomes"), items * 3);
    QCOMPARE(count(file, "SELECT count(*) FROM judge_outcomes WHERE status = 'failed' AND (reason IS NULL OR "
                         "reason = '')"),
             0);
    QCOMPARE(summary.value("judged").toInt() + summary.value("failed").toInt(), items * 3);
    const QStringList failed =
        query(file, "SELECT i.ext_id || ' ' || o.task || ': ' || o.reason FROM judge_outcomes o "
                    "JOIN items i ON i.id = o.item_id WHERE o.status = 'failed' ORDER BY i.ext_id, o.task");
    const QString all = failed.join('\n');
    QCOMPARE(failed.size(), 6);
    QVERIFY2(all.contains(QRegularExpression("alwaysTruncated preference: preference (AB|BA): the reply is "
                                             "not valid JSON .* \\(3 attempts\\)")),
             qPrintable(all));
    // A reply cut off at max_tokens is not asked for again: the same request runs out the same way.
    QVERIFY2(all.contains("alwaysLength no_info: no_info: the reply was cut off at max_tokens (finish_reason "
                          "\"length\"); not retried, since the same request would be cut off again: raise "
                          "the reply budget (--max-tokens, now 2048) (1 attempt)"),
             qPrintable(all));
    QVERIFY2(all.contains(QRegularExpression("length preference: preference (AB|BA): the reply was cut off "
                                             "at max_tokens .* \\(1 attempt\\)")),
             qPrintable(all));
    QVERIFY2(
        all.contains(QRegularExpression("alwaysBadSchema faithful: verify of answer [AB]: the reply breaks "
                                        "the schema: \\$: the field \"claims\" is missing \\(3 attempts\\)")),
        qPrintable(all));
    QVERIFY2(all.contains("always500 no_info: no_info: HTTP 500: internal error (server_error) (3 attempts)"),
             qPrintable(all));
    QVERIFY2(all.contains(QRegularExpression(
                 "ctx faithful: claims of answer [AB]: the server says the prompt does not fit")),
             qPrintable(all));
    // Judged tasks have exactly one label row each, of a judge rater.
    QCOMPARE(count(file,
                   "SELECT count(*) FROM labels l JOIN raters r ON r.id = l.rater_id WHERE r.kind = 'judge'"),
             summary.value("judged").toInt());
    // The raw bodies of failed replies are kept for inspection.
    QVERIFY(count(file, "SELECT count(*) FROM judge_responses WHERE usable = 0 AND body LIKE "
                        "'%finish_reason\": \"length%'") >= 2);
    // The timed-out request was sent again; the manifest counts its attempts.
    QCOMPARE(count(file, "SELECT max(c.attempts) FROM judge_calls c JOIN items i ON i.id = c.item_id "
                         "WHERE i.ext_id = 'timeout' AND c.step = 'preference'"),
             2);
    QCOMPARE(query(file, "SELECT count(*), sum(cached), min(length(request_hash)), min(length(prompt_hash)), "
                         "min(length(document_hash)) FROM judge_calls WHERE outcome = 'ok'")
                 .front()
                 .section('|', 2),
             QString("64|64|64"));
}

void JudgeCliTest::retriesHonourRetryAfter()
{
    QByteArray jsonl = kDocument + "\n" + item("seconds", "Rent? [fake:no_info=429>ok]") + "\n" +
                       item("millis", "Rent? [fake:no_info=429ms>ok]") + "\n";
    const QString file = project("retryafter", jsonl);
    FakeServer server(path("retryafter.log"));
    // One at a time: a 429 pauses every request, so sent together the second would wait out the
    // first one's delay.
    const Run r = judge(file, server, {"--tasks", "no_info", "--concurrency", "1"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(r.json().value("judged").toInt(), 2);
    QCOMPARE(r.json().value("retries").toInt(), 2);
    std::map<QString, QList<double>> times; // per request body: the time of each attempt
    std::map<QString, QString> question;
    for (const QJsonObject &o : server.requests()) {
        times[o.value("hash").toString()].push_back(o.value("t").toDouble());
        question[o.value("hash").toString()] = o.value("question").toString();
    }
    QCOMPARE(times.size(), std::size_t(2));
    for (const auto &[hash, t] : times) {
        QCOMPARE(t.size(), 2);
        const double gap = t[1] - t[0];
        if (question[hash].contains("429ms")) {
            QVERIFY2(gap >= 0.29 && gap < 0.9, qPrintable(QString::number(gap))); // retry-after-ms: 300
        } else {
            QVERIFY2(gap >= 0.99 && gap < 2.0, qPrintable(QString::number(gap))); // Retry-After: 1
        }
    }
}

void JudgeCliTest::rerunSendsNoRequests()
{
    QByteArray jsonl = kDocument + "\n";
    for (int i = 0; i < 6; ++i)
        jsonl +=
            item(QStringLiteral("q%1").arg(i), QStringLiteral("Rent %1? [fake:all=500>ok]").arg(i)) + "\n";
    const QString file = project("rerun", jsonl);
    FakeServer server(path("rerun.log"));
    const Run first = judge(file, server);
    QVERIFY2(first.code == 0, qPrintable(first.err));
    QCOMPARE(first.json().value("judged").toInt(), 18);
    const qsizetype sent = server.requests().size();
    QCOMPARE(first.json().value("requests").toInt(), int(sent));
    const QString exported = concord({"export", file}).out;

    const Run second = judge(file, server);
    QCOMPARE(second.code, 0);
    QCOMPARE(second.json().value("requests").toInt(), 0);
    QCOMPARE(second.json().value("already_judged").toInt(), 18);
    QCOMPARE(server.requests().size(), sent);
    QCOMPARE(concord({"export", file}).out, exported); // nothing written twice

    // The same configuration is the same rater; another one is a new rater.
    QCOMPARE(second.json().value("rater").toString(), first.json().value("rater").toString());
    const Run other = judge(file, server, {"--tasks", "no_info", "--temperature", "0.2", "--limit", "1"});
    QVERIFY(other.json().value("rater").toString() != first.json().value("rater").toString());
    QCOMPARE(other.json().value("judged").toInt(), 1);
    QCOMPARE(other.json().value("requests").toInt(),
             2); // a new request body: sent, and its scripted 500 retried
}

void JudgeCliTest::killedRunResumesWithoutDuplicates()
{
    QByteArray jsonl = kDocument + "\n";
    const int items = 24;
    for (int i = 0; i < items; ++i)
        jsonl += item(QStringLiteral("q%1").arg(i, 2, 10, QChar('0')),
                      QStringLiteral("What is the rent (%1)?").arg(i)) +
                 "\n";
    const QString file = project("killed", jsonl);
    FakeServer server(path("killed.log"), {"--delay", "0.05"});

    QProcess run;
    run.setProcessEnvironment(environment());
    run.start(kConcord, {"judge", file, "--base-url", server.url(), "--model", "fake", "--concurrency", "2"});
    QVERIFY(run.waitForStarted());
    // Kill it once some tasks are saved and many remain.
    QVERIFY(QTest::qWaitFor([&] { return count(file, "SELECT count(*) FROM judge_outcomes") >= 8; }, 60000));
    ::kill(static_cast<pid_t>(run.processId()), SIGKILL);
    run.waitForFinished();
    const int saved = count(file, "SELECT count(*) FROM judge_outcomes");
    QVERIFY2(saved < items * 3, "the run finished before it was killed");
    const int savedLabels = count(file, "SELECT count(*) FROM labels");
    QCOMPARE(savedLabels, saved);

    const Run resumed = judge(file, server, {"--concurrency", "4"});
    QVERIFY2(resumed.code == 0, qPrintable(resumed.err));
    QCOMPARE(resumed.json().value("already_judged").toInt(), saved);
    QCOMPARE(resumed.json().value("judged").toInt(), items * 3 - saved);
    // One label row per item and task, none twice; every task judged.
    QCOMPARE(count(file, "SELECT count(*) FROM judge_outcomes WHERE status = 'judged'"), items * 3);
    QCOMPARE(count(file, "SELECT count(*) FROM labels"), items * 3);
    QCOMPARE(count(file,
                   "SELECT count(*) FROM (SELECT item_id FROM labels GROUP BY item_id HAVING count(*) <> 3)"),
             0);
    QCOMPARE(count(file, "SELECT count(*) FROM judge_preferences"), items);
    // A request whose reply was saved was never sent twice.
    QCOMPARE(count(file, "SELECT count(*) FROM (SELECT request_hash FROM judge_responses WHERE usable = 1 "
                         "GROUP BY request_hash HAVING count(*) > 1)"),
             0);
}

void JudgeCliTest::failedTaskIsRedoneFromTheCache()
{
    // The claims of both answers come back fine; the verification never does.
    const QString file =
        project("redo", kDocument + "\n" + item("q1", "What is the rent? [fake:verify=badschema]") + "\n");
    FakeServer server(path("redo.log"));
    const Run first = judge(file, server, {"--tasks", "faithful"});
    QCOMPARE(first.code, 0);
    QCOMPARE(first.json().value("failed").toInt(), 1);
    QCOMPARE(first.json().value("cached_calls").toInt(), 0);
    const Run second = judge(file, server, {"--tasks", "faithful"});
    QCOMPARE(second.code, 0);
    QCOMPARE(second.json().value("already_judged").toInt(), 0); // a failed task is tried again
    QCOMPARE(second.json().value("cached_calls").toInt(), 2);   // both claims calls, from the cache
    QCOMPARE(second.json().value("failed").toInt(), 1);
    int claimsRequests = 0;
    for (const QJsonObject &o : server.requests())
        claimsRequests += o.value("step").toString() == "claims";
    QCOMPARE(claimsRequests, 2);
    QCOMPARE(
        count(file, "SELECT count(*) FROM judge_calls WHERE cached = 1 AND attempts = 0 AND step = 'claims'"),
        2);
}

void JudgeCliTest::keyNeverReachesTheProjectFile()
{
    // The server's first reply repeats the key, as a careless proxy might.
    const QString file =
        project("key", kDocument + "\n" + item("q1", "What is the rent? [fake:preference=echo>ok]") + "\n");
    FakeServer server(path("key.log"));
    const Run r = judge(file, server, {"--key-env", "OPENAI_API_KEY"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QList<QJsonObject> requests = server.requests();
    QVERIFY(!requests.isEmpty());
    for (const QJsonObject &o : requests)
        QVERIFY2(o.value("key_ok").toBool(), "the server did not receive the key");
    QVERIFY(!r.out.toUtf8().contains(kKey) && !r.err.toUtf8().contains(kKey));
    for (const char *suffix : {"", "-wal", "-shm"}) {
        QFile f(file + suffix);
        if (f.open(QIODevice::ReadOnly))
            QVERIFY2(!f.readAll().contains(kKey), suffix);
    }
    QVERIFY(!concord({"export", file}).out.toUtf8().contains(kKey));
    QCOMPARE(
        count(
            file,
            "SELECT count(*) FROM judge_responses WHERE body LIKE '%cannot route a request with key [key]%'"),
        2);
    // The configuration names no key and no key variable.
    const QString config = query(file, "SELECT config FROM raters WHERE kind = 'judge'").join("");
    QVERIFY(config.contains("\"model\":\"fake\""));
    QVERIFY(!config.contains("KEY") && !config.contains("key"));

    // No key at all is fine for a local server.
    const Run keyless =
        concord({"judge", file, "--base-url", server.url(), "--model", "other", "--tasks", "no_info"},
                environment(false));
    QVERIFY2(keyless.code == 0, qPrintable(keyless.err));
}

void JudgeCliTest::keyCutByAnExcerptLeavesNoPrefix()
{
    // Messages are cut to excerpts (300 characters of an error, 80 of a reply): a key straddling
    // the cut must not survive as its first characters.
    const QString file =
        project("keycut", kDocument + "\n" +
                              item("q1", "What is the rent? [fake:claims=echo400;preference=echotext;"
                                         "no_info=echobody]") +
                              "\n");
    FakeServer server(path("keycut.log"));
    const Run r = judge(file, server);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(r.json().value("failed").toInt(), 3);
    for (const QJsonObject &o : server.requests())
        QVERIFY2(o.value("key_ok").toBool(), "the server did not receive the key");
    const QByteArray prefix = kKey.left(8);
    QVERIFY2(!r.out.toUtf8().contains(prefix), qPrintable(r.out));
    QVERIFY2(!r.err.toUtf8().contains(prefix), qPrintable(r.err));
    for (const char *suffix : {"", "-wal", "-shm"}) {
        QFile f(file + suffix);
        if (f.open(QIODevice::ReadOnly))
            QVERIFY2(!f.readAll().contains(prefix), suffix);
    }
    // Every column of every table, as text.
    const QStringList tables = query(file, "SELECT name FROM sqlite_master WHERE type = 'table'");
    QVERIFY(tables.contains("judge_calls") && tables.contains("judge_outcomes"));
    for (const QString &table : tables) {
        const QStringList rows =
            query(file, QStringLiteral("SELECT * FROM \"%1\"").arg(table).toUtf8().constData());
        QVERIFY2(!rows.join('\n').toUtf8().contains(prefix), qPrintable(table));
    }
    QVERIFY(!concord({"export", file}).out.toUtf8().contains(prefix));
    // The server's messages are kept, with the key replaced.
    QCOMPARE(count(file, "SELECT count(*) FROM judge_responses WHERE body LIKE '%bad key [key]%'"), 2);
    QCOMPARE(count(file, "SELECT count(*) FROM judge_outcomes WHERE reason LIKE '%bad key [ke%'"), 1);
}

void JudgeCliTest::anthropicToolUseIsRead()
{
    QByteArray jsonl = kDocument + "\n" +
                       item("q1", "What is the rent? [fake:preference=text>ok;no_info=529>truncated>ok]") +
                       "\n" + item("q2", "What is the deposit? [fake:unanswerable]") + "\n";
    const QString file = project("anthropic", jsonl);
    FakeServer server(path("anthropic.log"));
    const Run r = concord({"judge", file, "--api", "anthropic", "--base-url", server.url(), "--model",
                           "claude-fake", "--json"});
    QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
    QCOMPARE(r.json().value("judged").toInt(), 6);
    QCOMPARE(r.json().value("failed").toInt(), 0);
    for (const QJsonObject &o : server.requests())
        QCOMPARE(o.value("path").toString(), "/v1/messages");
    QVERIFY(r.json().value("rater").toString().startsWith("judge:claude-fake:"));
    QCOMPARE(query(file, "SELECT preference, relevance FROM labels l JOIN items i ON i.id = l.item_id "
                         "WHERE i.ext_id = 'q1' AND preference IS NOT NULL"),
             QStringList{"A|A"});
    QCOMPARE(query(file, "SELECT no_info_a FROM labels l JOIN items i ON i.id = l.item_id WHERE i.ext_id = "
                         "'q2' AND no_info_a IS NOT NULL"),
             QStringList{"hallucinated"});
    QVERIFY(query(file, "SELECT config FROM raters WHERE kind = 'judge'")
                .join("")
                .contains("\"api\":\"anthropic\""));
}

void JudgeCliTest::authAndQuotaErrorsStopTheRun()
{
    for (const char *script : {"401", "quota"}) {
        QByteArray jsonl = kDocument + "\n";
        for (int i = 0; i < 5; ++i)
            jsonl +=
                item(QStringLiteral("q%1").arg(i), QStringLiteral("Rent? [fake:all=%1]").arg(script)) + "\n";
        const QString file = project(QStringLiteral("stop-%1").arg(script), jsonl);
        FakeServer server(path(QStringLiteral("stop-%1.log").arg(script)));
        const Run r = judge(file, server, {"--concurrency", "1"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(script == QByteArray("401") ? "refused the API key" : "quota"),
                 qPrintable(r.err));
        QCOMPARE(r.json().value("end").toString(), "stopped");
        QCOMPARE(server.requests().size(), 1); // never retried
        // Nothing is marked failed: the next run (with a working key) does everything.
        QCOMPARE(count(file, "SELECT count(*) FROM judge_outcomes"), 0);
        QVERIFY(!r.err.toUtf8().contains(kKey));
    }
}

void JudgeCliTest::rateLimitOutlastingTheRetriesStopsTheRun()
{
    QByteArray jsonl = kDocument + "\n";
    for (int i = 0; i < 3; ++i)
        jsonl += item(QStringLiteral("q%1").arg(i), QStringLiteral("Rent %1? [fake:all=429]").arg(i)) + "\n";
    const QString file = project("ratelimited", jsonl);
    FakeServer server(path("ratelimited.log"));
    // Retry-After: 1, one retry: the run gives up after about a second.
    const Run r = judge(file, server, {"--tasks", "no_info", "--retries", "1"});
    QCOMPARE(r.code, 1);
    QCOMPARE(r.json().value("end").toString(), "stopped");
    QVERIFY2(r.err.contains("the run was stopped: rate limited by the server: HTTP 429: Rate limit reached "
                            "(rate_limit_error), 2 times for one call"),
             qPrintable(r.err));
    QCOMPARE(r.json().value("failed").toInt(), 0);
    QCOMPARE(count(file, "SELECT count(*) FROM judge_outcomes"), 0);
}

void JudgeCliTest::rejectionOfEveryRequestStopsTheRun()
{
    QByteArray jsonl = kDocument + "\n";
    for (int i = 0; i < 8; ++i)
        jsonl += item(QStringLiteral("q%1").arg(i), QStringLiteral("Rent %1? [fake:all=400]").arg(i)) + "\n";
    const QString file = project("rejected", jsonl);
    FakeServer server(path("rejected.log"));
    const Run r = judge(file, server, {"--concurrency", "1", "--tasks", "no_info"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(
                 "the server rejected every request so far; the last said: HTTP 400: Unsupported parameter"),
             qPrintable(r.err));
    QCOMPARE(server.requests().size(), 5);
    // The four rejected before the run stopped are recorded failed with the server's message.
    QCOMPARE(count(file, "SELECT count(*) FROM judge_outcomes WHERE status = 'failed' AND reason LIKE "
                         "'%Unsupported parameter%'"),
             4);
}

void JudgeCliTest::badRequestAs500IsNotRetriedAndStopsTheRun()
{
    // Older llama-server builds answer the OpenAI form of the schema with HTTP 500: the same body
    // gets the same answer, so it is a rejection, not a transient error.
    QByteArray jsonl = kDocument + "\n";
    for (int i = 0; i < 8; ++i)
        jsonl += item(QStringLiteral("q%1").arg(i), QStringLiteral("Rent %1?").arg(i)) + "\n";
    const QString file = project("bad500", jsonl);
    FakeServer server(path("bad500.log"), {"--reject-json-schema"});
    const Run r = judge(file, server, {"--concurrency", "1", "--tasks", "no_info"});
    QCOMPARE(r.code, 1);
    QCOMPARE(r.json().value("end").toString(), "stopped");
    QVERIFY2(
        r.err.contains("the server rejected every request so far; the last said: the server rejected the "
                       "request as bad (HTTP 500: response_format type must be one of"),
        qPrintable(r.err));
    QVERIFY2(r.err.contains("change the profile's schema forms (--schema-forms"), qPrintable(r.err));
    // Five requests, each sent once: none retried.
    const QList<QJsonObject> requests = server.requests();
    QCOMPARE(requests.size(), 5);
    for (const QJsonObject &o : requests)
        QCOMPARE(o.value("attempt").toInt(), 0);
    QCOMPARE(r.json().value("retries").toInt(), 0);
    QCOMPARE(count(file, "SELECT count(*) FROM judge_outcomes WHERE status = 'failed' AND reason LIKE "
                         "'%HTTP 500: response_format type must be one of%not retried%'"),
             4);

    // The forms those builds read: the same items are judged.
    const Run fixed =
        judge(file, server,
              {"--concurrency", "4", "--tasks", "no_info", "--schema-forms", "json_object,top_level"});
    QVERIFY2(fixed.code == 0, qPrintable(fixed.err));
    QCOMPARE(fixed.json().value("judged").toInt(), 8);
    QCOMPARE(fixed.json().value("failed").toInt(), 0);

    // A plain 500 is still retried (and then answered).
    const QString plain = project(
        "plain500", kDocument + "\n" + item("p1", "What is the rent? [fake:no_info=500>500>ok]") + "\n");
    const Run retried = judge(plain, server, {"--tasks", "no_info", "--schema-forms", "json_object"});
    QVERIFY2(retried.code == 0, qPrintable(retried.err));
    QCOMPARE(retried.json().value("judged").toInt(), 1);
    QCOMPARE(retried.json().value("retries").toInt(), 2);
}

void JudgeCliTest::keychainIsAskedOnlyWhenTheVariableIsUnset()
{
    const QString file = project("keychain", kDocument + "\n" + item("q1", "What is the rent?") + "\n" +
                                                 item("q2", "Pets?") + "\n");
    FakeServer server(path("keychain.log"));

    // No variable and no keychain service: a clear message, no key sent, and the run goes on.
    const Run keyless = concord(
        {"judge", file, "--base-url", server.url(), "--model", "fake", "--tasks", "no_info", "--json"},
        environment(false));
    QVERIFY2(keyless.code == 0, qPrintable(keyless.err));
    QVERIFY2(
        keyless.err.contains("$OPENAI_API_KEY is not set, and the OS keychain cannot be used: no keychain "
                             "service (Secret Service or KWallet) answered"),
        qPrintable(keyless.err));
    QVERIFY2(keyless.err.contains("sending no API key"), qPrintable(keyless.err));
    QCOMPARE(keyless.json().value("judged").toInt(), 2);
    for (const QJsonObject &o : server.requests())
        QVERIFY(!o.value("key_sent").toBool());

    // With the variable set, the keychain is not asked at all, and the variable's key is sent.
    const int before = int(server.requests().size());
    const Run keyed = judge(file, server, {"--model", "fake-2", "--tasks", "no_info"});
    QVERIFY2(keyed.code == 0, qPrintable(keyed.err));
    QVERIFY2(!keyed.err.contains("keychain"), qPrintable(keyed.err));
    const QList<QJsonObject> requests = server.requests();
    QCOMPARE(requests.size(), before + 2);
    for (int i = before; i < requests.size(); ++i)
        QVERIFY(requests[i].value("key_ok").toBool());

    // --estimate sends nothing and needs no key: the keychain is not asked either.
    const Run estimate = concord(
        {"judge", file, "--base-url", server.url(), "--model", "fake-3", "--estimate"}, environment(false));
    QCOMPARE(estimate.code, 0);
    QVERIFY2(!estimate.err.contains("keychain"), qPrintable(estimate.err));
}

void JudgeCliTest::promptThatMayNotFitIsRefusedNotTruncated()
{
    const QString longText = QString("Nothing of note happens in this clause. ").repeated(400);
    QByteArray jsonl = kDocument + "\n" +
                       QJsonDocument(QJsonObject{{"kind", "document"}, {"id", "long"}, {"text", longText}})
                           .toJson(QJsonDocument::Compact) +
                       "\n" + item("short", "What is the rent?") + "\n";
    QByteArray longItem = item("long", "What happens? LONG-ITEM");
    longItem.replace("\"document\":\"lease\"", "\"document\":\"long\"");
    jsonl += longItem + "\n";
    const QString file = project("context", jsonl);
    FakeServer server(path("context.log"));
    const Run r = judge(file, server,
                        {"--tasks", "preference,no_info", "--max-context", "4000", "--max-tokens", "1000"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(r.json().value("judged").toInt(), 2);
    QCOMPARE(r.json().value("failed").toInt(), 2);
    for (const QJsonValue &f : r.json().value("failures").toArray()) {
        QCOMPARE(f.toObject().value("item").toString(), "long");
        QVERIFY2(f.toObject().value("reason").toString().contains(
                     "do not fit the 4000-token context (--max-context); not sent"),
                 qPrintable(f.toObject().value("reason").toString()));
    }
    for (const QJsonObject &o : server.requests())
        QVERIFY(!o.value("question").toString().contains("LONG-ITEM")); // never sent, never cut
    QCOMPARE(count(file, "SELECT count(*) FROM judge_calls WHERE outcome = 'refused'"), 2);
}

void JudgeCliTest::unreachableServerStopsTheRun()
{
    const QString file = project("unreachable", kDocument + "\n" + item("q1", "Rent?") + "\n");
    // A port nobody listens on: bind one, note it, close it.
    int port = 0;
    {
        FakeServer probe(path("probe.log"));
        port = probe.url().section(':', -1).toInt();
    }
    const Run r = concord({"judge", file, "--base-url", QStringLiteral("http://127.0.0.1:%1").arg(port),
                           "--model", "fake", "--retries", "1", "--tasks", "no_info"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("cannot reach the server"), qPrintable(r.err));
    QCOMPARE(count(file, "SELECT count(*) FROM judge_outcomes"), 0);
    QCOMPARE(query(file, "SELECT status FROM judge_runs"), QStringList{"stopped"});
}

void JudgeCliTest::badArgumentsAreRefused()
{
    const QString file = project("args", kDocument + "\n" + item("q1", "Rent?") + "\n");
    struct Case
    {
        QStringList args;
        const char *message;
    };
    const QList<Case> cases = {
        {{"judge", file, "--base-url", "http://127.0.0.1:9"}, "--model is required"},
        {{"judge", file, "--model", "m"}, "--base-url is required"},
        {{"judge", file, "--model", "m", "--base-url", "ftp://x"}, "must start with http"},
        {{"judge", file, "--model", "m", "--base-url", "http://x", "--tasks", "style"},
         "unknown task \"style\""},
        {{"judge", file, "--model", "m", "--base-url", "http://x", "--concurrency", "0"},
         "--concurrency must be"},
        {{"judge", file, "--model", "m", "--base-url", "http://x", "--items", "nope"}, "no item \"nope\""},
        {{"judge", file, "--model", "m", "--base-url", "http://x", "--api", "gemini"},
         "--api must be openai or anthropic"},
        {{"judge", file, "--model", "m", "--profile", "llama-server", "--prompts", path("no-such-folder")},
         "not a folder"},
        {{"judge", file, "--model", "m", "--base-url", "http://x", "--frobnicate"},
         "unknown option --frobnicate"},
        // Credentials in the URL would be stored in the project with the configuration.
        {{"judge", file, "--model", "m", "--base-url", "http://user:hunter2@127.0.0.1:9/v1"},
         "--base-url carries a user name or password (user:password@host), which would be stored in the "
         "project with the judge's configuration; pass the API key in $OPENAI_API_KEY"},
        {{"judge", file, "--model", "m", "--base-url", "https://proxy.example/v1?api-key=hunter2"},
         "--base-url carries a key-like query parameter (\"api-key\")"},
        {{"judge", file, "--model", "m", "--base-url", "http://127.0.0.1:9?foo=1&Key=hunter2"},
         "key-like query parameter (\"key\")"},
    };
    for (const Case &c : cases) {
        const Run r = concord(c.args);
        QVERIFY2(r.code == 2, qPrintable(c.args.join(' ') + " -> " + QString::number(r.code) + " " + r.err));
        QVERIFY2(r.err.contains(c.message), qPrintable(r.err));
        QCOMPARE(r.err.count('\n'), 1);
    }
    // Nothing of a refused URL reached the project.
    for (const QString &table : {QStringLiteral("raters"), QStringLiteral("judge_runs")})
        QVERIFY(!query(file, QStringLiteral("SELECT * FROM %1").arg(table).toUtf8().constData())
                     .join('\n')
                     .contains("hunter2"));
    const Run help = concord({"judge", "--help"});
    QCOMPARE(help.code, 0);
    QVERIFY(help.out.startsWith("Usage: concord judge PROJECT.concord --model NAME"));
}

QTEST_GUILESS_MAIN(JudgeCliTest)

void JudgeCliTest::agreementAndReportShowPositionConsistency()
{
    // Three items the fake judges on their content, one on which it always picks the first answer
    // shown: the verdict flips with the order on that one only.
    QByteArray jsonl = kDocument + "\n";
    for (const QString id : {"p1", "p2", "p3"})
        jsonl += item(id, "What is the rent?") + "\n";
    jsonl += item("p4", "What is the rent? [fake:biased]") + "\n";
    const QString file = project("consistency", jsonl);
    FakeServer server(path("consistency.log"));
    const Run run = judge(file, server, {"--tasks", "preference"});
    QVERIFY2(run.code == 0, qPrintable(run.err));
    const QString rater = run.json().value("rater").toString();
    QVERIFY2(rater.startsWith("judge:fake:"), qPrintable(run.out));

    const Run json = concord({"agreement", file, "--json", "--bootstrap", "0"});
    QVERIFY2(json.code == 0, qPrintable(json.err));
    const QJsonObject consistency =
        json.json().value("position_consistency").toObject().value(rater).toObject();
    QCOMPARE(consistency.value("items").toInt(), 4);
    QCOMPARE(consistency.value("consistent").toInt(), 3);
    QCOMPARE(consistency.value("rate").toDouble(), 0.75);

    const Run text = concord({"agreement", file, "--bootstrap", "0"});
    QVERIFY2(text.out.contains(rater + ": 75.0% of 4 items (3 consistent)"), qPrintable(text.out));

    const QString html = path("consistency.html");
    const Run report = concord({"report", file, "-o", html, "--bootstrap", "0"});
    QVERIFY2(report.code == 0, qPrintable(report.err));
    QFile f(html);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString page = QString::fromUtf8(f.readAll());
    QVERIFY2(page.contains("<td>75.0%</td>"), "the raters table shows the judge's position consistency");
    // The prompt the judge ran with is printed in full, under its step and version.
    QVERIFY(page.contains(QRegularExpression("Prompt template preference\\.v1 \\([0-9a-f]{8}\\)")));
}

void JudgeCliTest::estimateSendsNothing()
{
    QByteArray jsonl = kDocument + "\n";
    for (const QString id : {"e1", "e2", "e3"})
        jsonl += item(id, "What is the rent? (" + id + ")") + "\n";
    const QString file = project("estimate", jsonl);
    FakeServer server(path("estimate.log"));
    const Run before = judge(file, server, {"--tasks", "preference", "--estimate"});
    QVERIFY2(before.code == 0, qPrintable(before.err));
    QCOMPARE(before.json().value("tasks").toInt(), 3);
    QCOMPARE(before.json().value("calls").toInt(), 6); // both answer orders
    QCOMPARE(before.json().value("cached_calls").toInt(), 0);
    QVERIFY(before.json().value("prompt_tokens").toInt() > 0);
    QVERIFY(server.requests().isEmpty());
    QCOMPARE(count(file, "SELECT count(*) FROM raters WHERE kind = 'judge'"), 0); // nothing written

    QCOMPARE(judge(file, server, {"--tasks", "preference"}).code, 0);
    const Run after = judge(file, server, {"--tasks", "preference", "--estimate"});
    QCOMPARE(after.json().value("tasks").toInt(), 0);
    QCOMPARE(after.json().value("already_judged").toInt(), 3);
    const Run text = concord({"judge", file, "--base-url", server.url(), "--model", "fake", "--tasks",
                              "preference,no_info", "--estimate"});
    QVERIFY2(text.code == 0 && text.out.contains("3 selected; 3 tasks to judge, 3 already judged"),
             qPrintable(text.out));
    QVERIFY(server.requests().size() == 6); // only the run sent anything
}
