// runJudge() over a real project file with an in-memory transport: what a run writes (rater,
// templates, labels, evidence, claims, preferences), position consistency, cancelling and
// resuming, bounded retries and item selection. The wire itself is tested in the app tests.
#include "judgerunner_test.h"

#include "judgejob.h"
#include "judgerunner.h"
#include "judgestore.h"
#include "judgetemplates.h"
#include "project.h"
#include "sqlite.h"

#include <QTest>

#include <algorithm>

#include <nlohmann/json.hpp>

#include <deque>
#include <functional>
#include <map>
#include <sstream>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

using namespace concord;
using json = nlohmann::json;

namespace {

/// Concatenation without `"literal" + std::string`, which trips GCC 12's -Wrestrict (PR 105329).
template <typename... T> std::string cat(const T &...parts)
{
    std::string s;
    (s.append(parts), ...);
    return s;
}

std::string section(const std::string &text, const std::string &tag)
{
    const std::string open = cat("<", tag, ">\n"), close = cat("\n</", tag, ">");
    const std::size_t a = text.find(open);
    if (a == std::string::npos)
        return {};
    const std::size_t b = text.find(close, a + open.size());
    return text.substr(a + open.size(), b - a - open.size());
}

/// The verdict a sensible judge gives, from Concord's own prompts: the answer saying GOOD is
/// better (a question saying BIASED gets "1" whatever the order); claims are the answer's
/// sentences, supported when the document contains them.
json verdictFor(const json &body)
{
    const json &schema = body["response_format"]["json_schema"]["schema"]["properties"];
    const std::string prompt = body["messages"].back()["content"];
    const std::string question = section(prompt, "question");
    if (schema.contains("overall")) {
        const bool first = section(prompt, "answer_1").find("GOOD") != std::string::npos;
        const std::string pick = question.find("BIASED") != std::string::npos ? "1" : first ? "1" : "2";
        return {{"explanation", "e"},
                {"relevance", pick},
                {"comprehensiveness", pick},
                {"conciseness", "tie"},
                {"overall", pick}};
    }
    if (schema.contains("document_contains_answer"))
        return {{"reasoning", "r"},
                {"document_contains_answer", question.find("UNANSWERABLE") == std::string::npos},
                {"answer_1_declines", section(prompt, "answer_1").find("not stated") != std::string::npos},
                {"answer_2_declines", section(prompt, "answer_2").find("not stated") != std::string::npos}};
    if (schema["claims"]["items"]["type"] == "string") {
        json claims = json::array();
        const std::string answer = section(prompt, "answer");
        if (answer.find("not stated") == std::string::npos)
            for (std::size_t from = 0; from < answer.size();) {
                std::size_t end = answer.find(". ", from);
                end = end == std::string::npos ? answer.size() : end + 1;
                claims.push_back(answer.substr(from, end - from));
                from = end + (end < answer.size() ? 1 : 0);
            }
        return {{"claims", claims}};
    }
    const std::string document = section(prompt, "document");
    json checks = json::array();
    std::istringstream lines(section(prompt, "claims"));
    for (std::string line; std::getline(lines, line);) {
        const std::size_t dot = line.find(". ");
        std::string claim = line.substr(dot + 2);
        if (!claim.empty() && claim.back() == '.')
            claim.pop_back();
        const bool found = document.find(claim) != std::string::npos;
        checks.push_back({{"claim_number", std::stoi(line.substr(0, dot))},
                          {"reasoning", "r"},
                          {"quote", found ? claim : ""},
                          {"verdict", found ? "supported" : "unsupported"}});
    }
    return {{"claims", checks}};
}

model::HttpResponse ok(const json &body)
{
    model::HttpResponse r;
    r.status = 200;
    r.body =
        json{{"choices", {{{"finish_reason", "stop"}, {"message", {{"content", verdictFor(body).dump()}}}}}},
             {"usage", {{"prompt_tokens", 100}, {"completion_tokens", 10}}}}
            .dump();
    return r;
}

/// Answers at once, through `respond` (default: a sensible verdict). With `virtualTime`, its clock
/// starts at 0 and moves only when collect() waits, by the time waited, without sleeping.
class FakeTransport final : public model::HttpTransport
{
public:
    std::function<model::HttpResponse(const json &body, int attempt)> respond = [](const json &b, int) {
        return ok(b);
    };
    int sent = 0;
    std::function<void()> onSend;
    bool virtualTime = false;
    std::vector<double> sentAt; ///< seconds on the virtual clock, per request in order

    void start(std::uint64_t tag, model::HttpRequest request) override
    {
        ++sent;
        sentAt.push_back(std::chrono::duration<double>(m_now.time_since_epoch()).count());
        const int attempt = m_attempts[request.body]++;
        m_done.push_back({tag, respond(json::parse(request.body), attempt)});
        if (onSend)
            onSend();
    }
    std::vector<Completed> collect(std::chrono::milliseconds timeout) override
    {
        if (m_done.empty() && virtualTime)
            m_now += timeout;
        else if (m_done.empty())
            std::this_thread::sleep_for(timeout);
        std::vector<Completed> out(std::make_move_iterator(m_done.begin()),
                                   std::make_move_iterator(m_done.end()));
        m_done.clear();
        return out;
    }
    void abandonAll() override { m_done.clear(); }
    std::chrono::steady_clock::time_point now() const override
    {
        return virtualTime ? m_now : std::chrono::steady_clock::now();
    }

private:
    std::chrono::steady_clock::time_point m_now{};
    std::deque<Completed> m_done;
    std::map<std::string, int> m_attempts;
};

const char *kDocument =
    R"({"kind":"document","id":"lease","text":"The rent is £1,200 per month. Pets are not allowed."})";

std::string item(const std::string &id, const std::string &question, const std::string &a,
                 const std::string &b)
{
    return json{{"kind", "item"},
                {"id", id},
                {"document", "lease"},
                {"question", question},
                {"question_type", "fact_recall"},
                {"answers", {{"A", {{"system", "s1"}, {"text", a}}}, {"B", {{"system", "s2"}, {"text", b}}}}}}
        .dump();
}

std::unique_ptr<storage::Project> makeProject(const std::string &path, const std::vector<std::string> &lines)
{
    auto project = storage::Project::create(path);
    if (!project)
        qFatal("%s", project.error().message.c_str());
    std::string content;
    for (const std::string &l : lines)
        content.append(l).append("\n");
    std::vector<model::Diagnostic> diagnostics;
    if (!(*project)->importContent("test.jsonl", content, diagnostics))
        qFatal("import failed: %s", diagnostics.empty() ? "" : diagnostics.front().toString().c_str());
    return std::move(*project);
}

storage::JudgeRunOptions options()
{
    storage::JudgeRunOptions o;
    o.config.baseUrl = "http://fake";
    o.config.model = "fake-model";
    o.config.templates = model::builtinTemplates();
    o.concurrency = 3;
    o.seed = 7;
    return o;
}

std::int64_t scalar(storage::Project &p, const std::string &sql)
{
    storage::Statement s(p.database(), sql);
    s.step();
    return s.int64(0);
}

model::HttpResponse rateLimited(const std::string &retryAfter)
{
    model::HttpResponse r;
    r.status = 429;
    if (!retryAfter.empty())
        r.headers = {{"retry-after", retryAfter}};
    r.body = R"({"error":{"message":"Rate limit reached for requests","type":"requests"}})";
    return r;
}

} // namespace

std::string JudgeRunnerTest::path(const char *name) const
{
    return (m_dir.path() + "/" + name).toStdString();
}

void JudgeRunnerTest::judgeIsARaterWithItsConfigurationAndTemplates()
{
    auto project =
        makeProject(path("rater.concord"),
                    {kDocument, item("q1", "Rent?", "GOOD The rent is £1,200 per month.", "£1,500.")});
    FakeTransport transport;
    auto summary = storage::runJudge(*project, transport, options());
    QVERIFY2(summary, summary ? "" : summary.error().message.c_str());
    QCOMPARE(summary->raterId, model::judgeRaterId(options().config));
    storage::Statement rater(project->database(), "SELECT kind, config FROM raters WHERE ext_id = ?");
    rater.bind(1, summary->raterId);
    QVERIFY(rater.step());
    QCOMPARE(rater.text(0), std::string("judge"));
    QCOMPARE(rater.text(1), model::configJson(options().config));
    QCOMPARE(scalar(*project, "SELECT count(*) FROM judge_templates"), std::int64_t(4));
    QCOMPARE(scalar(*project, "SELECT count(*) FROM judge_runs WHERE status = 'finished' AND judged = 3"),
             std::int64_t(1));
    QCOMPARE(summary->counts.judged, std::int64_t(3));
    // preference 2 + claims 2 + verify 2 + no_info 1
    QCOMPARE(transport.sent, 7);
    QCOMPARE(scalar(*project, "SELECT count(*) FROM judge_calls"), std::int64_t(7));
    QCOMPARE(scalar(*project, "SELECT count(*) FROM judge_responses WHERE usable = 1"), std::int64_t(7));
    QCOMPARE(scalar(*project, "SELECT sum(prompt_tokens) FROM judge_calls"), std::int64_t(700));
}

void JudgeRunnerTest::positionConsistencyIsStoredPerJudge()
{
    auto project =
        makeProject(path("consistency.concord"),
                    {kDocument, item("q1", "Rent?", "GOOD a", "b"), item("q2", "Rent?", "a", "GOOD b"),
                     item("q3", "Rent?", "GOOD a", "b"), item("q4", "Rent? BIASED", "GOOD a", "b"),
                     R"({"kind":"label","item":"q1","rater":"alice","preference":"A"})"});
    FakeTransport transport;
    storage::JudgeRunOptions o = options();
    o.tasks = {model::JudgeTask::Preference};
    auto summary = storage::runJudge(*project, transport, o);
    QVERIFY(summary);
    auto consistency = storage::positionConsistency(*project, summary->raterId);
    QVERIFY(consistency && *consistency);
    QCOMPARE((*consistency)->items, std::int64_t(4));
    QCOMPARE((*consistency)->consistent, std::int64_t(3));
    QCOMPARE((*consistency)->rate(), 0.75);
    QVERIFY(summary->consistency && summary->consistency->consistent == 3);
    QVERIFY(!*storage::positionConsistency(*project, "alice"));
    QVERIFY(!*storage::positionConsistency(*project, "nobody"));
    // The inconsistent item's label is a tie; both raw verdicts are kept.
    QCOMPARE(scalar(*project,
                    "SELECT count(*) FROM judge_preferences p JOIN items i ON i.id = p.item_id "
                    "WHERE i.ext_id = 'q4' AND preference = 'tie' AND overall_ab = 'A' AND overall_ba = 'B' "
                    "AND verdict_ab LIKE '%\"overall\":\"1\"%' AND verdict_ba LIKE '%\"overall\":\"1\"%'"),
             std::int64_t(1));
    QCOMPARE(scalar(*project, "SELECT count(*) FROM labels l JOIN items i ON i.id = l.item_id "
                              "WHERE i.ext_id = 'q2' AND l.preference = 'B'"),
             std::int64_t(1));
}

void JudgeRunnerTest::faithfulnessKeepsClaimsQuotesAndEvidenceSpans()
{
    auto project = makeProject(
        path("faithful.concord"),
        {kDocument, item("q1", "Rent and pets?", "The rent is £1,200 per month. Pets are not allowed.",
                         "The rent is £900 per month.")});
    FakeTransport transport;
    storage::JudgeRunOptions o = options();
    o.tasks = {model::JudgeTask::Faithful};
    auto summary = storage::runJudge(*project, transport, o);
    QVERIFY(summary);
    QCOMPARE(summary->counts.judged, std::int64_t(1));
    QCOMPARE(scalar(*project, "SELECT count(*) FROM judge_claims"), std::int64_t(3));
    QCOMPARE(
        scalar(*project, "SELECT count(*) FROM judge_claims WHERE supported = 1 AND quote_match = 'exact'"),
        std::int64_t(2));
    QCOMPARE(scalar(*project,
                    "SELECT count(*) FROM labels WHERE faithful_a = 'faithful' AND faithful_b = 'unfaithful' "
                    "AND has_evidence = 1"),
             std::int64_t(1));
    // Evidence spans in code points: "Pets are not allowed" starts at 30 ("£" is one code point).
    storage::Statement spans(project->database(), "SELECT slot, start, end FROM evidence ORDER BY seq");
    QVERIFY(spans.step());
    QCOMPARE(cat(spans.text(0), ":", std::to_string(spans.int64(1)), "-", std::to_string(spans.int64(2))),
             std::string("A:0-28"));
    QVERIFY(spans.step());
    QCOMPARE(cat(spans.text(0), ":", std::to_string(spans.int64(1)), "-", std::to_string(spans.int64(2))),
             std::string("A:30-50"));
    QVERIFY(!spans.step());
}

void JudgeRunnerTest::aRunWhoseProgramWasKilledIsClosedByTheNext()
{
    auto project = makeProject(path("killed-run.concord"),
                               {kDocument, item("q1", "Rent?", "GOOD £1,200.", "Not stated.")});
    // A process that has ended: its pid is free (and not reused within this test).
    const pid_t child = fork();
    if (child == 0)
        _exit(0);
    QVERIFY(child > 0);
    int status = 0;
    QCOMPARE(waitpid(child, &status, 0), child);
    char host[256] = {};
    QCOMPARE(gethostname(host, sizeof host - 1), 0);
    auto runRow = [&](long long pid, const std::string &where) {
        const nlohmann::json options = {{"tasks", {"preference"}},
                                        {"process", {{"pid", pid}, {"host", where}}}};
        storage::Statement insert(project->database(),
                                  "INSERT INTO judge_runs(rater_id, started_at, status, options) VALUES "
                                  "((SELECT id FROM raters LIMIT 1), '2026-12-01T10:00:00Z', 'running', ?)");
        insert.bind(1, options.dump()).run();
        return project->database().lastInsertRowId();
    };
    // The judge's rater exists once a run has been made.
    FakeTransport transport;
    QVERIFY(storage::runJudge(*project, transport, options(), {}, nullptr));
    const std::int64_t killed = runRow(child, host);
    const std::int64_t alive = runRow(getppid(), host);                         // still there
    const std::int64_t elsewhere = runRow(child, std::string(host) + "-other"); // another machine's
    storage::Statement old(project->database(),
                           "INSERT INTO judge_runs(rater_id, started_at, status, options) VALUES "
                           "((SELECT id FROM raters LIMIT 1), '2026-12-01T10:00:00Z', 'running', '{}')");
    old.run(); // no process recorded: cannot tell, left as it is
    const std::int64_t unknown = project->database().lastInsertRowId();

    // The run history (Judge dialog, Runs) tells the killed run from those that may still go on,
    // before any run has closed it; newest first, with the judge's counters.
    {
        auto runs = storage::JudgeStore(*project).runs();
        QVERIFY(runs);
        QCOMPARE(runs->size(), std::size_t(5));
        std::vector<std::int64_t> ids;
        for (const model::JudgeRunRecord &r : *runs)
            ids.push_back(r.id);
        QVERIFY(std::is_sorted(ids.rbegin(), ids.rend()));
        auto find = [&](std::int64_t id) {
            return *std::find_if(runs->begin(), runs->end(), [id](const auto &r) { return r.id == id; });
        };
        QVERIFY(find(killed).interrupted);
        QCOMPARE(find(killed).status, std::string("stopped"));
        QCOMPARE(find(killed).stopReason,
                 std::string("interrupted: the program running it ended before the run did"));
        for (std::int64_t id : {alive, elsewhere, unknown}) {
            QVERIFY(!find(id).interrupted);
            QCOMPARE(find(id).status, std::string("running"));
        }
        const model::JudgeRunRecord &first = runs->back();
        QCOMPARE(first.status, std::string("finished"));
        QVERIFY(!first.finishedAt.empty());
        QVERIFY(!first.rater.empty());
        QCOMPARE(first.judged, scalar(*project, "SELECT judged FROM judge_runs ORDER BY id LIMIT 1"));
        QVERIFY(first.judged > 0);
    }

    QVERIFY(storage::runJudge(*project, transport, options(), {}, nullptr));
    auto statusOf = [&](std::int64_t id) {
        storage::Statement s(project->database(),
                             "SELECT status, coalesce(stop_reason, '') FROM judge_runs WHERE id = ?");
        s.bind(1, id);
        s.step();
        return s.text(0) + "|" + s.text(1);
    };
    QCOMPARE(statusOf(killed),
             std::string("stopped|interrupted: the program running it ended before the run did"));
    QCOMPARE(statusOf(alive), std::string("running|"));
    QCOMPARE(statusOf(elsewhere), std::string("running|"));
    QCOMPARE(statusOf(unknown), std::string("running|"));
    // Every run records the process that ran it.
    storage::Statement last(project->database(), "SELECT options FROM judge_runs ORDER BY id DESC LIMIT 1");
    QVERIFY(last.step());
    const nlohmann::json recorded = nlohmann::json::parse(last.text(0));
    QCOMPARE(recorded["process"]["pid"].get<long long>(), static_cast<long long>(getpid()));
    QCOMPARE(recorded["process"]["host"].get<std::string>(), std::string(host));
    QCOMPARE(scalar(*project, "SELECT count(*) FROM judge_runs WHERE status = 'finished'"), std::int64_t(2));
}

void JudgeRunnerTest::cancelledRunLeavesNoHalfTaskAndTheNextRunFinishes()
{
    std::vector<std::string> lines{kDocument};
    for (int i = 0; i < 20; ++i)
        lines.push_back(item(cat("q", std::to_string(i)), cat("Rent ", std::to_string(i), "?"),
                             "GOOD The rent is £1,200 per month.", "The rent is not stated."));
    auto project = makeProject(path("cancel.concord"), lines);
    FakeTransport transport;
    std::atomic<bool> cancel{false};
    transport.onSend = [&] {
        if (transport.sent == 40)
            cancel = true;
    };
    auto first = storage::runJudge(*project, transport, options(), {}, &cancel);
    QVERIFY(first);
    QVERIFY(first->end == storage::JudgeRunSummary::End::Cancelled);
    const std::int64_t done = scalar(*project, "SELECT count(*) FROM judge_outcomes");
    QVERIFY(done > 0 && done < 60);
    QCOMPARE(scalar(*project, "SELECT count(*) FROM labels"), done);
    QCOMPARE(scalar(*project, "SELECT count(*) FROM judge_runs WHERE status = 'cancelled'"), std::int64_t(1));
    // Nothing was sent after the cancel, and every request sent before it had its reply (billed by
    // the provider) waited for and kept.
    QCOMPARE(transport.sent, 40);
    QCOMPARE(scalar(*project, "SELECT count(*) FROM judge_responses"), std::int64_t(40));

    transport.onSend = {};
    const int sentBefore = transport.sent;
    auto second = storage::runJudge(*project, transport, options());
    QVERIFY(second);
    QVERIFY(second->end == storage::JudgeRunSummary::End::Finished);
    QCOMPARE(second->alreadyJudged, done);
    QCOMPARE(second->counts.judged, 60 - done);
    QCOMPARE(scalar(*project, "SELECT count(*) FROM labels"), std::int64_t(60));
    QCOMPARE(second->counts.requests, std::int64_t(transport.sent - sentBefore));
    // Every reply the first run received and saved is reused: no request is answered twice.
    QCOMPARE(scalar(*project,
                    "SELECT count(*) FROM (SELECT request_hash FROM judge_responses GROUP BY request_hash "
                    "HAVING count(*) > 1)"),
             std::int64_t(0));

    auto third = storage::runJudge(*project, transport, options());
    QVERIFY(third);
    QCOMPARE(third->counts.requests, std::int64_t(0));
    QCOMPARE(third->alreadyJudged, std::int64_t(60));
}

void JudgeRunnerTest::transientFailuresAreRetriedABoundedNumberOfTimes()
{
    auto project = makeProject(path("retries.concord"), {kDocument, item("q1", "Rent?", "GOOD a", "b"),
                                                         item("q2", "Rent? SLOW", "GOOD a", "b")});
    FakeTransport transport;
    transport.respond = [](const json &body, int attempt) {
        const std::string prompt = body["messages"].back()["content"];
        model::HttpResponse r;
        if (prompt.find("SLOW") != std::string::npos || attempt == 0) {
            r.status = 503;
            r.headers = {{"retry-after-ms", "10"}};
            r.body = R"({"error":{"message":"busy"}})";
            return r;
        }
        return ok(body);
    };
    storage::JudgeRunOptions o = options();
    o.tasks = {model::JudgeTask::NoInfo};
    o.maxTransientRetries = 3;
    auto summary = storage::runJudge(*project, transport, o);
    QVERIFY(summary);
    QCOMPARE(summary->counts.judged, std::int64_t(1));
    QCOMPARE(summary->counts.failed, std::int64_t(1));
    QCOMPARE(transport.sent, 2 + 4); // q1: 503 then ok; q2: four 503s
    QCOMPARE(summary->failures.front().itemId, std::string("q2"));
    QCOMPARE(summary->failures.front().reason, std::string("no_info: HTTP 503: busy (4 attempts)"));
    QCOMPARE(scalar(*project, "SELECT count(*) FROM judge_responses WHERE http_status = 503 AND usable = 0"),
             std::int64_t(5));
}

void JudgeRunnerTest::itemsAndLimitSelectWhatIsJudged()
{
    auto project = makeProject(path("select.concord"),
                               {kDocument, item("q1", "a?", "GOOD a", "b"), item("q2", "b?", "GOOD a", "b"),
                                item("q3", "c?", "GOOD a", "b")});
    FakeTransport transport;
    storage::JudgeRunOptions o = options();
    o.tasks = {model::JudgeTask::NoInfo};
    o.items = {"q3", "q1"};
    o.limit = 1;
    auto summary = storage::runJudge(*project, transport, o);
    QVERIFY(summary);
    QCOMPARE(summary->items, std::int64_t(1));
    QCOMPARE(
        scalar(
            *project,
            "SELECT count(*) FROM judge_outcomes o JOIN items i ON i.id = o.item_id WHERE i.ext_id = 'q3'"),
        std::int64_t(1));
    QCOMPARE(scalar(*project, "SELECT count(*) FROM judge_outcomes"), std::int64_t(1));
    o.items = {"q9"};
    auto missing = storage::runJudge(*project, transport, o);
    QVERIFY(!missing);
    QCOMPARE(missing.error().message.find("no item \"q9\""), std::size_t(0));
}

void JudgeRunnerTest::tooLargeReplyFailsTheTaskWithoutARetry()
{
    auto project = makeProject(path("large.concord"), {kDocument, item("q1", "Rent?", "GOOD a", "b"),
                                                       item("q2", "Rent? HUGE", "GOOD a", "b")});
    FakeTransport transport;
    transport.respond = [](const json &body, int) {
        if (std::string(body["messages"].back()["content"]).find("HUGE") == std::string::npos)
            return ok(body);
        model::HttpResponse r;
        r.failure = model::HttpResponse::Failure::TooLarge;
        r.failureMessage = "the reply is larger than 64 MB";
        return r;
    };
    storage::JudgeRunOptions o = options();
    o.tasks = {model::JudgeTask::NoInfo};
    auto summary = storage::runJudge(*project, transport, o);
    QVERIFY(summary);
    QVERIFY(summary->end == storage::JudgeRunSummary::End::Finished);
    QCOMPARE(transport.sent, 2); // each sent once: the large reply is billed, and would be again
    QCOMPARE(summary->retries, std::int64_t(0));
    QCOMPARE(summary->counts.judged, std::int64_t(1));
    QCOMPARE(summary->failures.size(), std::size_t(1));
    QCOMPARE(summary->failures.front().reason,
             std::string("no_info: the reply is larger than 64 MB; not retried"));
}

void JudgeRunnerTest::rateLimitPausesEveryRequestForTheServersRetryAfter()
{
    auto project =
        makeProject(path("ratelimit.concord"),
                    {kDocument, item("q1", "Rent? LIMITED", "GOOD a", "b"), item("q2", "a?", "GOOD a", "b"),
                     item("q3", "b?", "GOOD a", "b"), item("q4", "c?", "GOOD a", "b")});
    FakeTransport transport;
    transport.virtualTime = true;
    transport.respond = [](const json &body, int attempt) {
        // A per-minute limit: the first request is told to come back in two minutes.
        if (std::string(body["messages"].back()["content"]).find("LIMITED") != std::string::npos &&
            attempt == 0)
            return rateLimited("120");
        return ok(body);
    };
    storage::JudgeRunOptions o = options();
    o.tasks = {model::JudgeTask::NoInfo};
    o.concurrency = 2;
    auto summary = storage::runJudge(*project, transport, o);
    QVERIFY(summary);
    QVERIFY(summary->end == storage::JudgeRunSummary::End::Finished);
    QCOMPARE(summary->counts.judged, std::int64_t(4));
    QCOMPARE(summary->retries, std::int64_t(1));
    // q1 and q2 went out together; q1's 429 held back every request, not only its own retry.
    QCOMPARE(transport.sentAt.size(), std::size_t(5));
    QCOMPARE(transport.sentAt[0], 0.0);
    QCOMPARE(transport.sentAt[1], 0.0);
    for (std::size_t i = 2; i < transport.sentAt.size(); ++i)
        QVERIFY2(transport.sentAt[i] >= 120.0 && transport.sentAt[i] < 121.0,
                 qPrintable(QString::number(transport.sentAt[i])));
}

void JudgeRunnerTest::longRetryAfterIsCappedAtFiveMinutes()
{
    auto project = makeProject(path("capped.concord"), {kDocument, item("q1", "Rent?", "GOOD a", "b")});
    FakeTransport transport;
    transport.virtualTime = true;
    transport.respond = [](const json &body, int attempt) {
        return attempt == 0 ? rateLimited("86400") : ok(body);
    };
    storage::JudgeRunOptions o = options();
    o.tasks = {model::JudgeTask::NoInfo};
    auto summary = storage::runJudge(*project, transport, o);
    QVERIFY(summary);
    QCOMPARE(summary->counts.judged, std::int64_t(1));
    QCOMPARE(transport.sentAt.size(), std::size_t(2));
    QVERIFY2(transport.sentAt[1] >= 300.0 && transport.sentAt[1] < 301.0,
             qPrintable(QString::number(transport.sentAt[1])));
}

void JudgeRunnerTest::rateLimitOutlastingTheRetriesStopsTheRun()
{
    std::vector<std::string> lines{kDocument};
    for (int i = 0; i < 6; ++i)
        lines.push_back(
            item(cat("q", std::to_string(i)), cat("Rent ", std::to_string(i), "?"), "GOOD a", "b"));
    auto project = makeProject(path("limited.concord"), lines);
    FakeTransport transport;
    transport.virtualTime = true;
    // No Retry-After at all: the rate-limit backoff, which outlasts a per-minute window.
    transport.respond = [](const json &, int) { return rateLimited(""); };
    storage::JudgeRunOptions o = options();
    o.tasks = {model::JudgeTask::NoInfo};
    o.concurrency = 2;
    auto summary = storage::runJudge(*project, transport, o);
    QVERIFY(summary);
    QVERIFY(summary->end == storage::JudgeRunSummary::End::Stopped);
    QVERIFY2(summary->stopReason.starts_with("rate limited by the server: HTTP 429: Rate limit reached for "
                                             "requests (requests), 7 times for one call"),
             summary->stopReason.c_str());
    // Not a property of the items: none is recorded failed, and the next run does them all.
    QVERIFY(summary->failures.empty());
    QCOMPARE(summary->counts.failed, std::int64_t(0));
    QCOMPARE(scalar(*project, "SELECT count(*) FROM judge_outcomes"), std::int64_t(0));
    QCOMPARE(scalar(*project, "SELECT count(*) FROM judge_runs WHERE status = 'stopped'"), std::int64_t(1));
    // The backoff waited more than a minute before the first call gave up.
    QVERIFY2(transport.sentAt.back() > 60.0, qPrintable(QString::number(transport.sentAt.back())));
}

void JudgeRunnerTest::tokensOfEveryAttemptAreCounted()
{
    auto project = makeProject(path("usage.concord"), {kDocument, item("q1", "Rent?", "GOOD a", "b")});
    FakeTransport transport;
    transport.respond = [](const json &body, int attempt) {
        model::HttpResponse r = ok(body); // 100 prompt and 10 completion tokens
        if (attempt < 2) {                // off-schema twice, then usable
            json reply = json::parse(r.body);
            reply["choices"][0]["message"]["content"] = R"({"reasoning":"r"})";
            r.body = reply.dump();
        }
        return r;
    };
    storage::JudgeRunOptions o = options();
    o.tasks = {model::JudgeTask::NoInfo};
    auto summary = storage::runJudge(*project, transport, o);
    QVERIFY(summary);
    QCOMPARE(summary->counts.judged, std::int64_t(1));
    QCOMPARE(transport.sent, 3);
    QCOMPARE(scalar(*project, "SELECT attempts FROM judge_calls"), std::int64_t(3));
    QCOMPARE(scalar(*project, "SELECT prompt_tokens FROM judge_calls"), std::int64_t(300));
    QCOMPARE(scalar(*project, "SELECT completion_tokens FROM judge_calls"), std::int64_t(30));
}

void JudgeRunnerTest::cutOffReplyIsNotSentAgainUnchanged()
{
    auto project = makeProject(path("cutoff.concord"), {kDocument, item("q1", "Rent?", "GOOD a", "b")});
    FakeTransport transport;
    transport.respond = [](const json &, int) {
        model::HttpResponse r;
        r.status = 200;
        r.body = R"({"choices":[{"finish_reason":"length","message":{"content":"{\"reasoning\":\"aaaa"}}],)"
                 R"("usage":{"prompt_tokens":5000,"completion_tokens":2048}})";
        return r;
    };
    storage::JudgeRunOptions o = options();
    o.tasks = {model::JudgeTask::NoInfo};
    auto summary = storage::runJudge(*project, transport, o);
    QVERIFY(summary);
    QCOMPARE(transport.sent, 1);
    QCOMPARE(summary->failures.size(), std::size_t(1));
    QCOMPARE(summary->failures.front().reason,
             std::string("no_info: the reply was cut off at max_tokens (finish_reason \"length\"); not "
                         "retried, since the same request would be cut off again: raise the reply budget "
                         "(--max-tokens, now 2048) (1 attempt)"));
    QCOMPARE(scalar(*project, "SELECT completion_tokens FROM judge_calls"), std::int64_t(2048));
}

QTEST_APPLESS_MAIN(JudgeRunnerTest)
