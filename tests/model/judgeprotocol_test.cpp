// The judge's wire protocol: request bodies byte for byte (golden files), reading replies of both
// APIs, validating verdict JSON against the schemas, and the retry classification of HTTP results.
#include "judgeprotocol_test.h"

#include "judgeprotocol.h"
#include "judgetemplates.h"
#include "modeltest.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace concord::model;
using concord::test::str;

Q_DECLARE_METATYPE(concord::model::JudgeApi)
Q_DECLARE_METATYPE(concord::model::JudgeStep)
Q_DECLARE_METATYPE(concord::model::HttpDisposition)
Q_DECLARE_METATYPE(concord::model::HttpResponse::Failure)

namespace {

const QString kGolden = QStringLiteral(CONCORD_SOURCE_DIR "/tests/model/golden/");

JudgeConfig config(const char *profileName)
{
    const JudgeProfile profile = *builtinProfile(profileName);
    JudgeConfig c;
    c.api = profile.api;
    c.baseUrl = profile.defaultBaseUrl;
    c.model = profile.api == JudgeApi::Anthropic ? "claude-test" : "test-model";
    c.forms = profile.forms;
    c.maxTokensField = profile.maxTokensField;
    if (!profile.seed)
        c.seed.reset();
    c.maxTokens = 1024;
    c.templates = builtinTemplates();
    return c;
}

const Prompt kPrompt{"You judge.", "<document>\nRent: £1,200 — per month.\n</document>\n\"Quoted\"\ttab"};

QJsonObject parse(const std::string &body)
{
    QJsonParseError error;
    const QJsonDocument d = QJsonDocument::fromJson(QByteArray::fromStdString(body), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("not JSON: %s", body.c_str());
    return d.object();
}

std::string repeat(char c, int n) { return std::string(static_cast<std::size_t>(n), c); }

} // namespace

void JudgeProtocolTest::requestBody_matchesGolden_data()
{
    QTest::addColumn<QString>("profile");
    QTest::addColumn<JudgeStep>("step");
    QTest::addColumn<QString>("golden");
    QTest::newRow("openai-compatible preference")
        << "openai-compatible" << JudgeStep::Preference << "openai-compatible-preference.json";
    QTest::newRow("openai claims") << "openai" << JudgeStep::Claims << "openai-claims.json";
    QTest::newRow("llama-server verify") << "llama-server" << JudgeStep::Verify << "llama-server-verify.json";
    QTest::newRow("anthropic no_info") << "anthropic" << JudgeStep::NoInfo << "anthropic-no_info.json";
    QTest::newRow("anthropic preference")
        << "anthropic" << JudgeStep::Preference << "anthropic-preference.json";
}

void JudgeProtocolTest::requestBody_matchesGolden()
{
    QFETCH(QString, profile);
    QFETCH(JudgeStep, step);
    QFETCH(QString, golden);
    const std::string body = requestBody(config(qPrintable(profile)), step, kPrompt);
    QFile file(kGolden + golden);
    if (qEnvironmentVariableIsSet("CONCORD_UPDATE_GOLDEN")) {
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray::fromStdString(body + "\n"));
        QSKIP("golden file rewritten");
    }
    QVERIFY2(file.open(QIODevice::ReadOnly),
             qPrintable(golden + " is missing; run with CONCORD_UPDATE_GOLDEN=1"));
    QCOMPARE(body, str(file.readAll().chopped(1)));
}

void JudgeProtocolTest::requestBody_sendsTheSchemaInTheFormsConfigured()
{
    JudgeConfig c = config("openai-compatible");
    QJsonObject body = parse(requestBody(c, JudgeStep::Preference, kPrompt));
    QCOMPARE(body.value("temperature").toDouble(), 0.0);
    QVERIFY(body.value("seed").isDouble());
    QCOMPARE(body.value("max_tokens").toInt(), 1024);
    QCOMPARE(body.value("stream").toBool(true), false);
    QCOMPARE(body.value("response_format").toObject().value("type").toString(), "json_schema");
    const QJsonObject wrapper = body.value("response_format").toObject().value("json_schema").toObject();
    QCOMPARE(wrapper.value("strict").toBool(), true);
    const QJsonObject schema = wrapper.value("schema").toObject();
    QCOMPARE(schema.value("properties").toObject().value("explanation").toObject().value("maxLength").toInt(),
             3000);
    QCOMPARE(schema.value("additionalProperties").toBool(true), false);
    QVERIFY(!body.contains("json_schema"));
    const QJsonArray messages = body.value("messages").toArray();
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages[0].toObject().value("role").toString(), "system");
    QCOMPARE(messages[1].toObject().value("content").toString(), QString::fromStdString(kPrompt.user));

    // llama-server: the json_object form with the schema inside, and the top-level json_schema.
    c = config("llama-server");
    body = parse(requestBody(c, JudgeStep::Claims, kPrompt));
    QCOMPARE(body.value("response_format").toObject().value("type").toString(), "json_object");
    QVERIFY(body.value("response_format").toObject().value("schema").toObject().contains("properties"));
    QCOMPARE(body.value("json_schema").toObject(),
             body.value("response_format").toObject().value("schema").toObject());
    QCOMPARE(body.value("json_schema")
                 .toObject()
                 .value("properties")
                 .toObject()
                 .value("claims")
                 .toObject()
                 .value("maxItems")
                 .toInt(),
             25);

    // OpenAI: strict mode without length keywords, and max_completion_tokens.
    c = config("openai");
    const std::string openai = requestBody(c, JudgeStep::Verify, kPrompt);
    QVERIFY(openai.find("maxLength") == std::string::npos);
    QVERIFY(openai.find("maxItems") == std::string::npos);
    QCOMPARE(parse(openai).value("max_completion_tokens").toInt(), 1024);

    // No schema form at all: only the prompt describes the reply.
    c.forms = {false, false, false, true};
    QVERIFY(!parse(requestBody(c, JudgeStep::Verify, kPrompt)).contains("response_format"));
}

void JudgeProtocolTest::requestBody_anthropicForcesTheTool()
{
    const QJsonObject body = parse(requestBody(config("anthropic"), JudgeStep::Preference, kPrompt));
    QCOMPARE(body.value("system").toString(), "You judge.");
    QCOMPARE(body.value("max_tokens").toInt(), 1024);
    QVERIFY(!body.contains("seed"));
    const QJsonArray messages = body.value("messages").toArray();
    QCOMPARE(messages.size(), 1);
    QCOMPARE(messages[0].toObject().value("role").toString(), "user");
    const QJsonObject tool = body.value("tools").toArray().at(0).toObject();
    QCOMPARE(tool.value("name").toString(), "concord_preference");
    QVERIFY(tool.value("input_schema").toObject().value("required").toArray().contains("overall"));
    QCOMPARE(body.value("tool_choice").toObject(),
             (QJsonObject{{"type", "tool"}, {"name", "concord_preference"}}));
    QCOMPARE(endpointUrl(config("anthropic")), std::string("https://api.anthropic.com/v1/messages"));
}

void JudgeProtocolTest::requestHeaders_carryTheKeyOnlyWhereTheApiWantsIt()
{
    auto find = [](const std::vector<HttpHeader> &headers, const char *name) -> std::optional<std::string> {
        for (const HttpHeader &h : headers)
            if (h.name == name)
                return h.value;
        return std::nullopt;
    };
    const auto openai = requestHeaders(config("openai"), "sk-secret");
    QCOMPARE(find(openai, "Authorization"), std::optional<std::string>("Bearer sk-secret"));
    QCOMPARE(find(openai, "Content-Type"), std::optional<std::string>("application/json"));
    QCOMPARE(find(requestHeaders(config("llama-server"), ""), "Authorization"), std::optional<std::string>());
    const auto anthropic = requestHeaders(config("anthropic"), "sk-ant");
    QCOMPARE(find(anthropic, "x-api-key"), std::optional<std::string>("sk-ant"));
    QCOMPARE(find(anthropic, "anthropic-version"), std::optional<std::string>("2023-06-01"));
    QCOMPARE(find(anthropic, "Authorization"), std::optional<std::string>());
}

void JudgeProtocolTest::requestHash_dependsOnUrlAndBody()
{
    const std::string h = requestHash("http://a/v1/chat/completions", "{}");
    QCOMPARE(h.size(), std::size_t(64));
    QCOMPARE(h, requestHash("http://a/v1/chat/completions", "{}"));
    QVERIFY(h != requestHash("http://b/v1/chat/completions", "{}"));
    QVERIFY(h != requestHash("http://a/v1/chat/completions", "{ }"));
}

void JudgeProtocolTest::readCompletion_data()
{
    QTest::addColumn<JudgeApi>("api");
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("payload"); // expected payload, or empty when a failure is expected
    QTest::addColumn<QString>("failure"); // a substring of the failure
    const auto openai = JudgeApi::OpenAi;
    const auto anthropic = JudgeApi::Anthropic;
    QTest::newRow("openai content")
        << openai
        << R"({"choices":[{"finish_reason":"stop","message":{"role":"assistant","content":"{\"a\":1}"}}]})"
        << R"({"a":1})"
        << "";
    QTest::newRow("openai fenced content")
        << openai
        << R"({"choices":[{"finish_reason":"stop","message":{"content":"```json\n{\"a\":1}\n```"}}]})"
        << R"({"a":1})"
        << "";
    // Models not held to a grammar wrap the verdict: the first JSON object in the content is read.
    QTest::newRow("openai think block")
        << openai
        << R"({"choices":[{"finish_reason":"stop","message":{"content":"<think>\nAnswer {1} looks better.\n</think>\n\n{\"a\":1}"}}]})"
        << R"({"a":1})"
        << "";
    QTest::newRow("openai prose around a fence")
        << openai
        << R"({"choices":[{"finish_reason":"stop","message":{"content":"Here is my verdict:\n```json\n{\"a\":1}\n```\nI hope this helps."}}]})"
        << R"({"a":1})"
        << "";
    QTest::newRow("openai one-line fence")
        << openai << R"({"choices":[{"finish_reason":"stop","message":{"content":"```json {\"a\":1}```"}}]})"
        << R"({"a":1})"
        << "";
    QTest::newRow("openai bare object in prose")
        << openai
        << R"({"choices":[{"finish_reason":"stop","message":{"content":"I weigh {both} answers. {\"a\":{\"b\":\"}\"}} is my verdict; {\"c\":2}"}}]})"
        << R"({"a":{"b":"}"}})"
        << "";
    QTest::newRow("openai prose without an object") // left for the parser to reject
        << openai << R"({"choices":[{"finish_reason":"stop","message":{"content":"Answer 1 is better."}}]})"
        << "Answer 1 is better."
        << "";
    QTest::newRow("openai cut off")
        << openai << R"({"choices":[{"finish_reason":"length","message":{"content":"{\"a\":"}}]})"
        << ""
        << "finish_reason \"length\"";
    QTest::newRow("openai refusal")
        << openai
        << R"({"choices":[{"finish_reason":"stop","message":{"content":null,"refusal":"I can't help with that."}}]})"
        << ""
        << "refused: I can't help";
    QTest::newRow("openai content filter")
        << openai << R"({"choices":[{"finish_reason":"content_filter","message":{"content":""}}]})"
        << ""
        << "content filter";
    QTest::newRow("openai empty") << openai
                                  << R"({"choices":[{"finish_reason":"stop","message":{"content":"  "}}]})"
                                  << ""
                                  << "empty";
    QTest::newRow("openai null content")
        << openai << R"({"choices":[{"finish_reason":"stop","message":{"content":null}}]})"
        << ""
        << "empty";
    QTest::newRow("openai no choices") << openai << R"({"object":"list"})"
                                       << ""
                                       << "no choices";
    QTest::newRow("not json") << openai << "<html>502 Bad Gateway</html>"
                              << ""
                              << "not JSON";
    QTest::newRow("anthropic tool_use")
        << anthropic
        << R"({"type":"message","stop_reason":"tool_use","content":[{"type":"tool_use","id":"t","name":"concord_preference","input":{"overall":"1"}}]})"
        << R"({"overall":"1"})"
        << "";
    QTest::newRow("anthropic text then tool_use")
        << anthropic
        << R"({"stop_reason":"tool_use","content":[{"type":"text","text":"Let me record."},{"type":"tool_use","input":{"b":true}}]})"
        << R"({"b":true})"
        << "";
    QTest::newRow("anthropic cut off")
        << anthropic << R"({"stop_reason":"max_tokens","content":[{"type":"tool_use","input":{}}]})"
        << ""
        << "stop_reason \"max_tokens\"";
    QTest::newRow("anthropic refusal") << anthropic << R"({"stop_reason":"refusal","content":[]})"
                                       << ""
                                       << "refused";
    QTest::newRow("anthropic text only")
        << anthropic
        << R"({"stop_reason":"end_turn","content":[{"type":"text","text":"Answer 1 is better."}]})"
        << ""
        << "answered in text instead of calling the tool: Answer 1 is better.";
    QTest::newRow("anthropic empty") << anthropic << R"({"stop_reason":"end_turn","content":[]})"
                                     << ""
                                     << "empty";
    QTest::newRow("anthropic no content") << anthropic << R"({"type":"message"})"
                                          << ""
                                          << "no content";
}

void JudgeProtocolTest::readCompletion()
{
    QFETCH(JudgeApi, api);
    QFETCH(QString, body);
    QFETCH(QString, payload);
    QFETCH(QString, failure);
    const CompletionReading r = concord::model::readCompletion(api, body.toStdString());
    if (payload.isEmpty()) {
        QVERIFY(!r.payload);
        QVERIFY2(QString::fromStdString(r.failure).contains(failure), r.failure.c_str());
    } else {
        QVERIFY2(r.payload, r.failure.c_str());
        QCOMPARE(*r.payload, payload.toStdString());
        QVERIFY(r.failure.empty());
    }
}

void JudgeProtocolTest::readCompletion_reportsUsage()
{
    auto r = concord::model::readCompletion(
        JudgeApi::OpenAi,
        R"({"choices":[{"finish_reason":"length","message":{"content":"{"}}],"usage":{"prompt_tokens":1200,"completion_tokens":64}})");
    QCOMPARE(r.usage.promptTokens.value_or(-1), 1200);
    QCOMPARE(r.usage.completionTokens.value_or(-1), 64);
    r = concord::model::readCompletion(
        JudgeApi::Anthropic,
        R"({"stop_reason":"tool_use","content":[{"type":"tool_use","input":{}}],"usage":{"input_tokens":900,"output_tokens":40}})");
    QCOMPARE(r.usage.promptTokens.value_or(-1), 900);
    QCOMPARE(r.usage.completionTokens.value_or(-1), 40);
}

void JudgeProtocolTest::parseReply_validatesAgainstTheSchema_data()
{
    QTest::addColumn<JudgeStep>("step");
    QTest::addColumn<QString>("payload");
    QTest::addColumn<QString>("error"); // empty: valid
    const auto P = JudgeStep::Preference, C = JudgeStep::Claims, V = JudgeStep::Verify, N = JudgeStep::NoInfo;
    const QString pref =
        R"({"explanation":"%1","relevance":"1","comprehensiveness":"2","conciseness":"tie","overall":"%2"})";
    QTest::newRow("preference valid") << P << pref.arg("x", "1") << "";
    QTest::newRow("preference truncated") << P << R"({"explanation":"Answer 1 cites the cla)"
                                          << "not valid JSON";
    QTest::newRow("preference prose") << P << "Answer 1 is better."
                                      << "not valid JSON (parse error at line 1, column 1: syntax error "
                                         "while parsing value - invalid literal; last read: 'A'); it begins: "
                                         "Answer 1 is better.";
    QTest::newRow("preference enum in another case") << P << pref.arg("x", "Tie") << "";
    QTest::newRow("preference not an object") << P << R"(["1"])"
                                              << "not an object";
    QTest::newRow("preference bad enum")
        << P << pref.arg("x", "A") << R"($.overall: "A" is not one of "1", "2", "tie")";
    QTest::newRow("preference missing field")
        << P << R"({"explanation":"x","relevance":"1","comprehensiveness":"2","conciseness":"tie"})"
        << R"(the field "overall" is missing)";
    QTest::newRow("preference extra field")
        << P
        << R"({"explanation":"x","relevance":"1","comprehensiveness":"2","conciseness":"tie","overall":"1","score":9})"
        << R"(unexpected field "score")";
    QTest::newRow("preference explanation too long")
        << P << pref.arg(QString::fromStdString(repeat('a', 3001)), "1")
        << "$.explanation: 3001 characters, more than the 3000 allowed";
    QTest::newRow("preference explanation at the limit in code points")
        << P << pref.arg(QString(3000, QChar(0x00E9)), "1") << "";
    QTest::newRow("preference wrong type")
        << P
        << R"({"explanation":5,"relevance":"1","comprehensiveness":"2","conciseness":"tie","overall":"1"})"
        << "$.explanation: expected a string, got an integer";
    QTest::newRow("claims valid") << C << R"({"claims":["The rent is £1,200.","It is due monthly."]})"
                                  << "";
    QTest::newRow("claims empty list") << C << R"({"claims":[]})"
                                       << "";
    QString many = R"({"claims":[)";
    for (int i = 0; i < 26; ++i)
        many += QStringLiteral("%1\"c%2\"").arg(i ? "," : "").arg(i);
    QTest::newRow("claims too many") << C << many + "]}"
                                     << "$.claims: 26 items, more than the 25 allowed";
    QTest::newRow("claims not strings") << C << R"({"claims":[{"text":"x"}]})"
                                        << "$.claims[0]: expected a string";
    const QString check = R"({"claim_number":%1,"reasoning":"r","quote":"q","verdict":"%2"})";
    QTest::newRow("verify valid") << V
                                  << QStringLiteral("{\"claims\":[%1,%2]}")
                                         .arg(check.arg(2).arg("supported"), check.arg(1).arg("contradicted"))
                                  << "";
    QTest::newRow("verify bad verdict") << V
                                        << QStringLiteral("{\"claims\":[%1,%2]}")
                                               .arg(check.arg(1).arg("maybe"), check.arg(2).arg("supported"))
                                        << R"($.claims[0].verdict: "maybe" is not one of)";
    QTest::newRow("verify misses a claim")
        << V << QStringLiteral("{\"claims\":[%1]}").arg(check.arg(1).arg("supported"))
        << "checks 1 of the 2 claims";
    QTest::newRow("verify duplicate")
        << V
        << QStringLiteral("{\"claims\":[%1,%2]}")
               .arg(check.arg(1).arg("supported"), check.arg(1).arg("supported"))
        << "checks claim 1 twice";
    QTest::newRow("verify out of range")
        << V
        << QStringLiteral("{\"claims\":[%1,%2]}")
               .arg(check.arg(1).arg("supported"), check.arg(3).arg("supported"))
        << "checks claim 3; only claims 1 to 2";
    QTest::newRow("verify zero") << V
                                 << QStringLiteral("{\"claims\":[%1,%2]}")
                                        .arg(check.arg(0).arg("supported"), check.arg(1).arg("supported"))
                                 << "below the minimum 1";
    QTest::newRow("no_info valid")
        << N
        << R"({"reasoning":"r","document_contains_answer":false,"answer_1_declines":true,"answer_2_declines":false})"
        << "";
    QTest::newRow("no_info string for bool")
        << N
        << R"({"reasoning":"r","document_contains_answer":"no","answer_1_declines":true,"answer_2_declines":false})"
        << "$.document_contains_answer: expected a boolean, got a string";
}

void JudgeProtocolTest::parseReply_validatesAgainstTheSchema()
{
    QFETCH(JudgeStep, step);
    QFETCH(QString, payload);
    QFETCH(QString, error);
    const std::string p = payload.toStdString();
    std::optional<std::string> problem;
    switch (step) {
    case JudgeStep::Preference:
        if (auto r = parsePreferenceReply(p); !r)
            problem = r.error().message;
        break;
    case JudgeStep::Claims:
        if (auto r = parseClaimsReply(p); !r)
            problem = r.error().message;
        break;
    case JudgeStep::Verify:
        if (auto r = parseVerifyReply(p, 2); !r)
            problem = r.error().message;
        break;
    case JudgeStep::NoInfo:
        if (auto r = parseNoInfoReply(p); !r)
            problem = r.error().message;
        break;
    }
    if (error.isEmpty()) {
        QVERIFY2(!problem, problem ? problem->c_str() : "");
    } else {
        QVERIFY2(problem, "expected a validation error");
        QVERIFY2(QString::fromStdString(*problem).contains(error), problem->c_str());
    }
}

void JudgeProtocolTest::parsePreferenceReply_readsShownPositions()
{
    auto r = parsePreferenceReply(
        R"({"explanation":"e","relevance":"1","comprehensiveness":"2","conciseness":"tie","overall":"2"})");
    QVERIFY(r);
    QVERIFY(r->relevance == Shown::First);
    QVERIFY(r->comprehensiveness == Shown::Second);
    QVERIFY(r->conciseness == Shown::Tie);
    QVERIFY(r->overall == Shown::Second);
    QCOMPARE(r->explanation, std::string("e"));
    // An enum in another case is read as the schema spells it.
    r = parsePreferenceReply(
        R"({"explanation":"e","relevance":"1","comprehensiveness":"2","conciseness":"TIE","overall":"Tie"})");
    QVERIFY2(r, r ? "" : r.error().message.c_str());
    QVERIFY(r->conciseness == Shown::Tie);
    QVERIFY(r->overall == Shown::Tie);
    auto v = parseVerifyReply(
        R"({"claims":[{"claim_number":2,"reasoning":"r2","quote":"","verdict":"Unsupported"},{"claim_number":1,"reasoning":"r1","quote":"q","verdict":"SUPPORTED"}]})",
        2);
    QVERIFY(v);
    QCOMPARE(v->checks[0].number, 1); // sorted by claim number
    QVERIFY(v->checks[0].verdict == ClaimVerdict::Supported);
    QVERIFY(v->checks[1].verdict == ClaimVerdict::Unsupported);
}

void JudgeProtocolTest::classifyHttp_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<HttpResponse::Failure>("failure");
    QTest::addColumn<QString>("header"); // "name: value"
    QTest::addColumn<QString>("body");
    QTest::addColumn<HttpDisposition>("disposition");
    QTest::addColumn<double>("retryAfter"); // -1: none
    using F = HttpResponse::Failure;
    using D = HttpDisposition;
    QTest::newRow("200") << 200 << F::None << ""
                         << "{}" << D::Read << -1.0;
    QTest::newRow("429 Retry-After") << 429 << F::None << "retry-after: 2"
                                     << R"({"error":{"message":"slow down","type":"rate_limit_error"}})"
                                     << D::Retry << 2.0;
    QTest::newRow("429 retry-after-ms") << 429 << F::None << "retry-after-ms: 250"
                                        << "{}" << D::Retry << 0.25;
    QTest::newRow("429 Retry-After a minute and more") // a per-minute limit
        << 429 << F::None << "retry-after: 120"
        << "{}" << D::Retry << 120.0;
    QTest::newRow("429 Retry-After too long, capped") << 429 << F::None << "retry-after: 3600"
                                                      << "{}" << D::Retry << 300.0;
    QTest::newRow("429 Retry-After date") << 429 << F::None << "retry-after: Wed, 21 Oct 2026 07:28:00 GMT"
                                          << "{}" << D::Retry << -1.0;
    QTest::newRow("429 insufficient_quota")
        << 429 << F::None << ""
        << R"({"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","code":"insufficient_quota"}})"
        << D::Stop << -1.0;
    QTest::newRow("401") << 401 << F::None << ""
                         << R"({"error":{"message":"Incorrect API key provided"}})" << D::Stop << -1.0;
    QTest::newRow("403") << 403 << F::None << ""
                         << "{}" << D::Stop << -1.0;
    QTest::newRow("402") << 402 << F::None << ""
                         << "{}" << D::Stop << -1.0;
    QTest::newRow("anthropic credit balance")
        << 400 << F::None << ""
        << R"({"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API."}})"
        << D::Stop << -1.0;
    QTest::newRow("anthropic usage limit")
        << 400 << F::None << ""
        << R"({"type":"error","error":{"type":"invalid_request_error","message":"You have reached your specified API usage limits."}})"
        << D::Stop << -1.0;
    QTest::newRow("404 model") << 404 << F::None << ""
                               << R"({"error":{"message":"model 'nope' not found"}})" << D::Stop << -1.0;
    QTest::newRow("408") << 408 << F::None << ""
                         << "" << D::Retry << -1.0;
    QTest::newRow("409") << 409 << F::None << ""
                         << "" << D::Retry << -1.0;
    QTest::newRow("500") << 500 << F::None << ""
                         << R"({"error":{"code":500,"message":"boom","type":"server_error"}})" << D::Retry
                         << -1.0;
    // llama-server answers requests it cannot use with 500: those are not retried.
    QTest::newRow("500 response_format")
        << 500 << F::None << ""
        << R"({"error":{"code":500,"message":"response_format type must be one of \"text\" or \"json_object\", but got: json_schema","type":"server_error"}})"
        << D::Fail << -1.0;
    QTest::newRow("500 grammar")
        << 500 << F::None << ""
        << R"({"error":{"code":500,"message":"failed to parse grammar","type":"server_error"}})" << D::Fail
        << -1.0;
    QTest::newRow("500 invalid")
        << 500 << F::None << ""
        << R"({"error":{"code":500,"message":"Invalid value for 'n_probs'","type":"server_error"}})"
        << D::Fail << -1.0;
    QTest::newRow("500 html page saying invalid") // a proxy's page, not the server's JSON error
        << 500 << F::None << ""
        << "<html><body><h1>500</h1>Invalid upstream response</body></html>" << D::Retry << -1.0;
    QTest::newRow("502 parse") // only a 500 means a bad request; a proxy's 502 is transient
        << 502 << F::None << ""
        << R"({"error":{"message":"upstream parse timeout"}})" << D::Retry << -1.0;
    QTest::newRow("503 Retry-After") << 503 << F::None << "retry-after: 1"
                                     << "" << D::Retry << 1.0;
    QTest::newRow("529 overloaded")
        << 529 << F::None << ""
        << R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})" << D::Retry
        << -1.0;
    QTest::newRow("openai context")
        << 400 << F::None << ""
        << R"({"error":{"message":"This model's maximum context length is 8192 tokens.","code":"context_length_exceeded"}})"
        << D::Refuse << -1.0;
    QTest::newRow("llama-server context")
        << 400 << F::None << ""
        << R"({"error":{"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error","n_prompt_tokens":9000,"n_ctx":8192}})"
        << D::Refuse << -1.0;
    QTest::newRow("old llama-server context as 500")
        << 500 << F::None << ""
        << R"({"error":{"code":500,"message":"the request exceeds the available context size","type":"server_error"}})"
        << D::Refuse << -1.0;
    QTest::newRow("anthropic prompt too long")
        << 400 << F::None << ""
        << R"({"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}})"
        << D::Refuse << -1.0;
    QTest::newRow("anthropic context limit") // what the Messages API says when max_tokens does not fit
        << 400 << F::None << ""
        << R"({"type":"error","error":{"type":"invalid_request_error","message":"input length and `max_tokens` exceed context limit: 199759 + 8192 > 200000, decrease input length or `max_tokens` and try again"}})"
        << D::Refuse << -1.0;
    QTest::newRow("413") << 413 << F::None << ""
                         << "" << D::Refuse << -1.0;
    QTest::newRow("400 other") << 400 << F::None << ""
                               << R"({"error":{"message":"Unrecognized request argument: seed"}})" << D::Fail
                               << -1.0;
    QTest::newRow("422") << 422 << F::None << ""
                         << "" << D::Fail << -1.0;
    QTest::newRow("timeout") << 0 << F::Timeout << ""
                             << "" << D::Retry << -1.0;
    QTest::newRow("connect") << 0 << F::Connect << ""
                             << "" << D::Retry << -1.0;
    QTest::newRow("tls") << 0 << F::Tls << ""
                         << "" << D::Stop << -1.0;
    QTest::newRow("reply too large") << 0 << F::TooLarge << ""
                                     << "" << D::Fail << -1.0;
}

void JudgeProtocolTest::classifyHttp()
{
    QFETCH(int, status);
    QFETCH(HttpResponse::Failure, failure);
    QFETCH(QString, header);
    QFETCH(QString, body);
    QFETCH(HttpDisposition, disposition);
    QFETCH(double, retryAfter);
    HttpResponse r;
    r.status = status;
    r.failure = failure;
    r.failureMessage = "transport detail";
    r.body = body.toStdString();
    if (!header.isEmpty()) {
        const qsizetype colon = header.indexOf(':');
        r.headers.push_back(
            {header.left(colon).toStdString(), header.mid(colon + 1).trimmed().toStdString()});
    }
    const HttpVerdict v = concord::model::classifyHttp(r);
    QCOMPARE(static_cast<int>(v.disposition), static_cast<int>(disposition));
    if (retryAfter < 0)
        QVERIFY(!v.retryAfterS);
    else
        QCOMPARE(v.retryAfterS.value_or(-1), retryAfter);
    if (disposition != HttpDisposition::Read)
        QVERIFY(!v.reason.empty());
    // A rate limit holds back every call; a quota 429 stops the run instead.
    QCOMPARE(v.rateLimited, status == 429 && disposition == HttpDisposition::Retry);
    // A bad request answered with 500 suggests other schema forms; a plain 500 does not.
    if (status == 500)
        QCOMPARE(v.requestForm, disposition == HttpDisposition::Fail);
}

void JudgeProtocolTest::backoff_growsAndIsCappedWithJitter()
{
    QCOMPARE(backoffSeconds(0, 0.0), 0.25);
    QVERIFY(backoffSeconds(0, 0.999) < 0.5);
    QCOMPARE(backoffSeconds(1, 0.0), 0.5);
    QCOMPARE(backoffSeconds(3, 0.0), 2.0);
    QCOMPARE(backoffSeconds(4, 0.0), 4.0);
    QCOMPARE(backoffSeconds(5, 0.0), 4.0); // 0.5·2^5 = 16, capped at 8
    QVERIFY(backoffSeconds(12, 0.999) < 8.0);
    QVERIFY(backoffSeconds(12, 0.999) > 7.9);
    // After a 429 without a delay: from 2 s, capped at 60 s; six retries span over a minute.
    QCOMPARE(rateLimitBackoffSeconds(0, 0.0), 1.0);
    QCOMPARE(rateLimitBackoffSeconds(4, 0.0), 16.0);
    QCOMPARE(rateLimitBackoffSeconds(5, 0.0), 30.0); // 2·2^5 = 64, capped at 60
    QVERIFY(rateLimitBackoffSeconds(12, 0.999) < 60.0);
    double least = 0;
    for (int retry = 0; retry < 6; ++retry)
        least += rateLimitBackoffSeconds(retry, 0.0);
    QVERIFY(least > 60.0);
}

void JudgeProtocolTest::estimatePromptTokens_isConservative()
{
    QCOMPARE(estimatePromptTokens(0), std::int64_t(32));
    QCOMPARE(estimatePromptTokens(35000), std::int64_t(10032));      // 3.5 code points a token
    QCOMPARE(estimatePromptTokens(10000, 0.25), std::int64_t(2657)); // measured ratio + 5%
}

void JudgeProtocolTest::errorMessage_readsEachServersShape()
{
    QCOMPARE(
        errorMessage(
            R"({"error":{"message":"bad key","type":"invalid_request_error","code":"invalid_api_key"}})"),
        std::string("bad key (invalid_api_key)"));
    QCOMPARE(errorMessage(R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})"),
             std::string("Overloaded (overloaded_error)"));
    QCOMPARE(errorMessage(R"({"error":"model not found"})"), std::string("model not found"));
    QCOMPARE(errorMessage("upstream\nconnect error"), std::string("upstream connect error"));
    QCOMPARE(errorMessage(""), std::string("no message"));
}

QTEST_APPLESS_MAIN(JudgeProtocolTest)
