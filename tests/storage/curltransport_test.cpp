// CurlTransport against tests/app/fake_llm_server.py: many requests in flight on one worker
// thread, statuses and headers, timeouts, refused connections, TLS verification, abandoning.
#include "curltransport_test.h"

#include "curltransport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QTest>

#include <filesystem>
#include <map>

using concord::model::HttpRequest;
using concord::model::HttpResponse;
using concord::model::HttpTransport;
using concord::storage::CurlTransport;

namespace {

const QString kServerScript = QStringLiteral(CONCORD_SOURCE_DIR "/tests/app/fake_llm_server.py");

class FakeServer
{
public:
    explicit FakeServer(const QStringList &args = {})
    {
        m_process.start("python3", QStringList{kServerScript} + args);
        if (!m_process.waitForStarted(10000) || !m_process.waitForReadyRead(10000))
            qFatal("the fake server did not start");
        m_port = m_process.readLine().trimmed().mid(5).toInt();
    }
    ~FakeServer()
    {
        m_process.terminate();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
        m_process.waitForFinished(5000);
    }
    int port() const { return m_port; }

private:
    QProcess m_process;
    int m_port = 0;
};

/// A chat request whose question carries the fake server's script.
HttpRequest request(const std::string &base, const std::string &script,
                    std::chrono::milliseconds timeout = std::chrono::seconds(10))
{
    HttpRequest r;
    r.url = base;
    r.url.append("/v1/chat/completions");
    r.headers = {{"Content-Type", "application/json"}};
    r.body = R"({"model":"m","messages":[{"role":"user","content":"<question>\nq )";
    r.body.append(script).append(
        R"(\n</question>"}],"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object","properties":{"document_contains_answer":{"type":"boolean"}}}}}})");
    r.timeout = timeout;
    return r;
}

std::unique_ptr<CurlTransport> transport(int connections = 32)
{
    CurlTransport::Options o;
    o.maxConnections = connections;
    auto t = CurlTransport::create(o);
    if (!t)
        qFatal("%s", t.error().message.c_str());
    return std::move(*t);
}

std::map<std::uint64_t, HttpResponse> collectAll(HttpTransport &t, std::size_t n, int timeoutMs = 20000)
{
    std::map<std::uint64_t, HttpResponse> out;
    QElapsedTimer clock;
    clock.start();
    while (out.size() < n && clock.elapsed() < timeoutMs)
        for (HttpTransport::Completed &c : t.collect(std::chrono::milliseconds(100)))
            out.emplace(c.tag, std::move(c.response));
    return out;
}

std::string url(const char *scheme, int port)
{
    std::string s(scheme);
    s.append("://127.0.0.1:").append(std::to_string(port));
    return s;
}

int threadCount() { return int(QDir("/proc/self/task").entryList(QDir::Dirs | QDir::NoDotAndDotDot).size()); }

} // namespace

void CurlTransportTest::manyRequestsRunAtOnceOnOneWorkerThread()
{
    FakeServer server({"--delay", "0.4"});
    const std::string base = url("http", server.port());
    const int before = threadCount();
    auto t = transport(32);
    QCOMPARE(threadCount(), before + 1);
    QElapsedTimer clock;
    clock.start();
    for (std::uint64_t tag = 1; tag <= 24; ++tag)
        t->start(tag, request(base, std::to_string(tag)));
    QCOMPARE(threadCount(), before + 1); // no thread per request
    const auto done = collectAll(*t, 24);
    QCOMPARE(done.size(), std::size_t(24));
    for (const auto &[tag, r] : done)
        QVERIFY2(r.status == 200, r.failureMessage.c_str());
    // 24 requests of 0.4 s each, all at once: well under the 9.6 s they take one after another.
    QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(threadCount(), before + 1);
    t.reset();
    QCOMPARE(threadCount(), before);
}

void CurlTransportTest::responseHeadersAndStatusArrive()
{
    FakeServer server;
    auto t = transport();
    const std::string base = url("http", server.port());
    t->start(1, request(base, "[fake:all=429]"));
    t->start(2, request(base, "[fake:all=ok]"));
    const auto done = collectAll(*t, 2);
    QCOMPARE(done.at(1).status, 429L);
    QCOMPARE(std::string(done.at(1).header("retry-after").value_or("")), std::string("1"));
    QVERIFY(done.at(1).body.find("Rate limit") != std::string::npos);
    QCOMPARE(done.at(2).status, 200L);
    QVERIFY(done.at(2).body.find("chat.completion") != std::string::npos);
    QVERIFY(done.at(2).elapsed.count() > 0);
    QVERIFY(done.at(2).failure == HttpResponse::Failure::None);
}

void CurlTransportTest::timeoutIsReportedAsSuch()
{
    FakeServer server({"--hang", "3"});
    auto t = transport();
    QElapsedTimer clock;
    clock.start();
    t->start(7, request(url("http", server.port()), "[fake:all=timeout]", std::chrono::milliseconds(500)));
    const auto done = collectAll(*t, 1);
    QCOMPARE(done.size(), std::size_t(1));
    QVERIFY(done.at(7).failure == HttpResponse::Failure::Timeout);
    QVERIFY(clock.elapsed() < 2500);
}

void CurlTransportTest::refusedConnectionIsReportedAsSuch()
{
    int port = 0;
    {
        FakeServer probe;
        port = probe.port();
    }
    auto t = transport();
    t->start(1, request(url("http", port), ""));
    const auto done = collectAll(*t, 1);
    QVERIFY(done.at(1).failure == HttpResponse::Failure::Connect);
    QVERIFY(!done.at(1).failureMessage.empty());
}

void CurlTransportTest::selfSignedCertificateIsRejected()
{
    const QString cert = m_dir.filePath("cert.pem"), key = m_dir.filePath("key.pem");
    QProcess openssl;
    openssl.start("openssl", {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                              "-days", "1", "-subj", "/CN=127.0.0.1"});
    if (!openssl.waitForStarted(5000))
        QSKIP("openssl is not installed; cannot make a self-signed certificate");
    openssl.waitForFinished(30000);
    QCOMPARE(openssl.exitCode(), 0);
    FakeServer server({"--tls", cert, key});
    auto t = transport();
    t->start(1, request(url("https", server.port()), ""));
    const auto done = collectAll(*t, 1);
    QVERIFY2(done.at(1).failure == HttpResponse::Failure::Tls, done.at(1).failureMessage.c_str());
    QCOMPARE(done.at(1).status, 0L);
}

void CurlTransportTest::abandonedRequestsNeverComeBack()
{
    FakeServer server({"--delay", "0.5"});
    auto t = transport();
    const std::string base = url("http", server.port());
    for (std::uint64_t tag = 1; tag <= 4; ++tag)
        t->start(tag, request(base, std::to_string(tag)));
    QTest::qSleep(100);
    t->abandonAll();
    QVERIFY(collectAll(*t, 1, 1500).empty());
    t->start(9, request(base, "after"));
    const auto done = collectAll(*t, 1);
    QCOMPARE(done.size(), std::size_t(1));
    QCOMPARE(done.begin()->first, std::uint64_t(9));
}

void CurlTransportTest::tooLargeReplyIsReportedAsSuch()
{
    FakeServer server({"--big-bytes", "65536"});
    CurlTransport::Options o;
    o.maxResponseBytes = 4096;
    auto t = CurlTransport::create(o);
    QVERIFY(t);
    const std::string base = url("http", server.port());
    (*t)->start(1, request(base, "[fake:all=big]"));
    (*t)->start(2, request(base, "small"));
    const auto done = collectAll(**t, 2);
    QCOMPARE(done.size(), std::size_t(2));
    QVERIFY2(done.at(1).failure == HttpResponse::Failure::TooLarge, done.at(1).failureMessage.c_str());
    QCOMPARE(done.at(1).failureMessage, std::string("the reply is larger than 4096 bytes"));
    QVERIFY(done.at(2).failure == HttpResponse::Failure::None);
    QCOMPARE(done.at(2).status, 200L);
}

QTEST_GUILESS_MAIN(CurlTransportTest)
