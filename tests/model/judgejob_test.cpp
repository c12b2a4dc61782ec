// JudgeJob and what it rests on: templates, the judge's identity, both orders of the preference
// and their mapping back, claim-by-claim faithfulness with located quotes, the no-info outcome.
#include "judgejob_test.h"

#include "judgejob.h"
#include "judgetemplates.h"
#include "modeltest.h"

#include <QTest>

using namespace concord::model;
using concord::test::spelled;

Q_DECLARE_METATYPE(concord::model::QuoteMatch)

namespace {

JudgeConfig testConfig()
{
    JudgeConfig c;
    c.baseUrl = "http://127.0.0.1:8080";
    c.model = "test-model";
    c.templates = builtinTemplates();
    return c;
}

// "£1,200" makes byte and code-point offsets differ, as evidence offsets must be code points.
const std::string kText =
    "Clause 4. The rent is £1,200 per month, payable in advance.\nClause 9. The  tenant "
    "may NOT keep pets.";

Document testDocument()
{
    Document d;
    d.id = "lease";
    d.text = kText;
    return d;
}

Item testItem()
{
    Item i;
    i.id = "q1";
    i.documentId = "lease";
    i.question = "What is the rent?";
    i.answers[0] = {"sys-a", "ANSWER-ALPHA: the rent is £1,200 per month."};
    i.answers[1] = {"sys-b", "ANSWER-BETA: about £1,500."};
    return i;
}

std::string preference(const char *overall, const char *relevance = "tie")
{
    return std::string(R"({"explanation":"e","relevance":")") + relevance +
           R"(","comprehensiveness":"tie","conciseness":"tie","overall":")" + overall + R"("})";
}

std::string valueOf(const LabelRevision &l, Facet facet, std::optional<Slot> slot = std::nullopt)
{
    for (const FacetValue &v : l.values)
        if (v.facet == facet && v.slot == slot)
            return v.value;
    return "<none>";
}

} // namespace

void JudgeJobTest::builtinTemplates_parseForEveryStep()
{
    const std::vector<PromptTemplate> templates = builtinTemplates();
    QCOMPARE(templates.size(), kJudgeSteps.size());
    for (std::size_t i = 0; i < kJudgeSteps.size(); ++i) {
        QCOMPARE(spelled(templates[i].step), spelled(kJudgeSteps[i]));
        QVERIFY(!templates[i].system.empty());
        QVERIFY(templates[i].version >= 1);
        QCOMPARE(templates[i].sha256().size(), std::size_t(64));
    }
    QVERIFY(embeddedTemplateFiles().size() >= kJudgeSteps.size());
}

void JudgeJobTest::parsePromptTemplate_namesWhatIsWrong_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    QTest::newRow("fine") << "# c\n=== system ===\nS\n=== user ===\n{{question}} {{answer}}\n"
                          << "";
    QTest::newRow("no user section") << "=== system ===\nS {{question}} {{answer}}\n"
                                     << "needs a \"=== system ===\" section";
    QTest::newRow("text before sections") << "hello\n=== system ===\nS\n=== user ===\n{{question}} {{answer}}"
                                          << "must be comment lines";
    QTest::newRow("unknown placeholder")
        << "=== system ===\nS\n=== user ===\n{{question}} {{answer}} {{document}}"
        << "unknown placeholder {{document}} (this step uses {{question}} {{answer}})";
    QTest::newRow("missing placeholder") << "=== system ===\nS\n=== user ===\n{{question}}"
                                         << "{{answer}} is missing";
    QTest::newRow("empty user") << "=== system ===\nS {{question}} {{answer}}\n=== user ===\n  \n"
                                << "user section is empty";
}

void JudgeJobTest::parsePromptTemplate_namesWhatIsWrong()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    auto t = parsePromptTemplate(JudgeStep::Claims, 3, text.toStdString());
    if (error.isEmpty()) {
        QVERIFY2(t, t ? "" : t.error().message.c_str());
        QCOMPARE(t->system, std::string("S"));
        QCOMPARE(t->user, std::string("{{question}} {{answer}}"));
        QCOMPARE(t->fileName(), std::string("claims.v3.txt"));
    } else {
        QVERIFY(!t);
        QVERIFY2(QString::fromStdString(t.error().message).contains(error), t.error().message.c_str());
        QVERIFY(t.error().message.starts_with("claims.v3.txt: "));
    }
}

void JudgeJobTest::renderPrompt_leavesPlaceholdersInsideValuesAlone()
{
    auto t = parsePromptTemplate(JudgeStep::Claims, 1,
                                 "=== system ===\nQ={{question}}\n=== user ===\n{{answer}}|{{answer}}");
    QVERIFY(t);
    PromptValues v;
    v.question = "{{answer}}";
    v.answer = "x{{question}}y";
    const Prompt p = renderPrompt(*t, v);
    QCOMPARE(p.system, std::string("Q={{answer}}"));
    QCOMPARE(p.user, std::string("x{{question}}y|x{{question}}y"));
}

void JudgeJobTest::templateFileNames_roundTrip()
{
    const auto parsed = parseTemplateFileName("no_info.v12.txt");
    QVERIFY(parsed);
    QCOMPARE(spelled(parsed->first), std::string("no_info"));
    QCOMPARE(parsed->second, 12);
    QVERIFY(!parseTemplateFileName("no_info.txt"));
    QVERIFY(!parseTemplateFileName("nothing.v1.txt"));
    QVERIFY(!parseTemplateFileName("verify.v0.txt"));
    QVERIFY(!parseTemplateFileName("verify.v1x.txt"));
}

void JudgeJobTest::raterId_isStableAndChangesWithTheConfiguration()
{
    const JudgeConfig c = testConfig();
    const std::string id = judgeRaterId(c);
    QVERIFY(id.starts_with("judge:test-model:"));
    QCOMPARE(id.size(), std::string("judge:test-model:").size() + 8);
    QCOMPARE(judgeRaterId(testConfig()), id);

    JudgeConfig other = c;
    other.temperature = 0.5;
    QVERIFY(judgeRaterId(other) != id);
    other = c;
    other.baseUrl = "http://127.0.0.1:8081";
    QVERIFY(judgeRaterId(other) != id);
    other = c;
    other.forms.topLevelJsonSchema = true;
    QVERIFY(judgeRaterId(other) != id);
    other = c;
    other.onInconsistent = OnInconsistent::First;
    QVERIFY(judgeRaterId(other) != id);
    other = c;
    auto edited = parsePromptTemplate(JudgeStep::Claims, 2,
                                      "=== system ===\nSplit.\n=== user ===\n{{question}}\n{{answer}}");
    QVERIFY(edited);
    for (PromptTemplate &t : other.templates)
        if (t.step == JudgeStep::Claims)
            t = *edited;
    QVERIFY(judgeRaterId(other) != id);
}

void JudgeJobTest::configJson_isCanonicalAndHoldsNoKey()
{
    const std::string json = configJson(testConfig());
    QVERIFY(json.starts_with(R"({"api":"openai","base_url":"http://127.0.0.1:8080",)"));
    QVERIFY(json.find(R"("templates":{"claims":{"sha256":")") != std::string::npos);
    QVERIFY(json.find("key") == std::string::npos);
    JudgeConfig anthropic = testConfig();
    anthropic.api = JudgeApi::Anthropic;
    QVERIFY(configJson(anthropic).find("seed") == std::string::npos);
}

void JudgeJobTest::normaliseBaseUrl_acceptsTheSpellingsUsersCopy()
{
    QCOMPARE(normaliseBaseUrl("http://localhost:8080"), std::string("http://localhost:8080"));
    QCOMPARE(normaliseBaseUrl("http://localhost:8080/"), std::string("http://localhost:8080"));
    QCOMPARE(normaliseBaseUrl("http://localhost:8080/v1"), std::string("http://localhost:8080"));
    QCOMPARE(normaliseBaseUrl(" http://localhost:8080/v1/ "), std::string("http://localhost:8080"));
    QCOMPARE(normaliseBaseUrl("https://example.org/proxy/v1"), std::string("https://example.org/proxy"));
    // What a server URL must be, said the same way by the CLI and the dialog.
    QVERIFY(!baseUrlProblem("http://localhost:8080/v1"));
    QVERIFY(!baseUrlProblem(" https://api.openai.com "));
    QCOMPARE(baseUrlProblem("not a url").value_or(""), std::string("must start with http:// or https://"));
    QCOMPARE(baseUrlProblem("ftp://h").value_or(""), std::string("must start with http:// or https://"));
    QCOMPARE(baseUrlProblem("https://").value_or(""), std::string("must name a server after https://"));
    QCOMPARE(baseUrlProblem("http:///v1").value_or(""), std::string("must name a server after http://"));
    // A secret in the URL would be stored with the configuration: it is refused, not normalised.
    QVERIFY(!baseUrlSecret("http://localhost:8080/v1"));
    QVERIFY(!baseUrlSecret("https://example.openai.azure.com/openai?api-version=2024-06-01"));
    QVERIFY(!baseUrlSecret("http://localhost:8080/path@v1"));     // an @ in the path is no user name
    QVERIFY(!baseUrlSecret("https://h/v1?monkey=1&keyboard=us")); // words, not substrings
    QVERIFY(baseUrlSecret("http://user:secret@localhost:8080/v1"));
    QVERIFY(baseUrlSecret("http://user@localhost:8080"));
    for (const char *url : {"https://h/v1?key=abc", "https://h?api-key=abc", "https://h?x=1&API_KEY=abc",
                            "https://h/v1?access_token=abc#top", "https://h?sig=abc", "https://h?apikey=abc",
                            "https://h?subscription-key=abc"})
        QVERIFY2(baseUrlSecret(url) && baseUrlSecret(url)->starts_with("carries a key-like query parameter"),
                 url);
}

void JudgeJobTest::preference_runsBothOrdersWithAnswersSwapped()
{
    const JudgeConfig c = testConfig();
    JudgeJob job(JudgeTask::Preference, testItem(), c);
    const std::vector<JudgeCall> calls = job.start(testDocument());
    QCOMPARE(calls.size(), std::size_t(2));
    QCOMPARE(spelled(calls[0].part), std::string("AB"));
    QCOMPARE(spelled(calls[1].part), std::string("BA"));
    const std::string &ab = calls[0].prompt.user, &ba = calls[1].prompt.user;
    QVERIFY(ab.find("ALPHA") < ab.find("BETA"));
    QVERIFY(ba.find("BETA") < ba.find("ALPHA"));
    QVERIFY(ab.find(kText) != std::string::npos);
    QVERIFY(ab.find("What is the rent?") != std::string::npos);
    QCOMPARE(calls[0].prompt.system, calls[1].prompt.system);
    QVERIFY(!job.finished());
}

void JudgeJobTest::preference_consistentVerdictIsKept()
{
    const JudgeConfig c = testConfig();
    JudgeJob job(JudgeTask::Preference, testItem(), c);
    // A judge that prefers ALPHA both times: "1" when ALPHA is first, "2" when it is second.
    QVERIFY(job.accept(JudgeStep::Preference, CallPart::AB, preference("1", "1"), testDocument()));
    QVERIFY(!job.finished());
    QVERIFY(job.accept(JudgeStep::Preference, CallPart::BA, preference("2", "2"), testDocument()));
    QVERIFY(job.finished());
    const PreferenceOutcome *p = job.preference();
    QVERIFY(p);
    QVERIFY(p->consistent);
    QCOMPARE(p->payloads[1], preference("2", "2"));
    const LabelRevision l = job.label("judge:x");
    QCOMPARE(valueOf(l, Facet::Preference), std::string("A"));
    QCOMPARE(valueOf(l, Facet::Relevance), std::string("A"));
    QCOMPARE(valueOf(l, Facet::Comprehensiveness), std::string("tie"));
    QCOMPARE(spelled(l.raterKind), std::string("judge"));
    QVERIFY(!l.evidence);
}

void JudgeJobTest::preference_inconsistentVerdictIsATieOrTheFirstOrder()
{
    JudgeConfig c = testConfig();
    // A judge that always prefers the first answer shown: position bias.
    for (OnInconsistent policy : {OnInconsistent::Tie, OnInconsistent::First}) {
        c.onInconsistent = policy;
        JudgeJob job(JudgeTask::Preference, testItem(), c);
        QVERIFY(job.accept(JudgeStep::Preference, CallPart::BA, preference("1"), testDocument()));
        QVERIFY(job.accept(JudgeStep::Preference, CallPart::AB, preference("1"), testDocument()));
        QVERIFY(!job.preference()->consistent);
        QCOMPARE(spelled(job.preference()->mapped[0][0]), std::string("A"));
        QCOMPARE(spelled(job.preference()->mapped[1][0]), std::string("B"));
        QCOMPARE(valueOf(job.label("j"), Facet::Preference),
                 std::string(policy == OnInconsistent::Tie ? "tie" : "A"));
    }
}

void JudgeJobTest::preference_badReplyLeavesTheJobUnchanged()
{
    const JudgeConfig c = testConfig();
    JudgeJob job(JudgeTask::Preference, testItem(), c);
    QVERIFY(job.accept(JudgeStep::Preference, CallPart::AB, preference("1"), testDocument()));
    auto bad = job.accept(JudgeStep::Preference, CallPart::BA, R"({"explanation":"e","overall":"1")",
                          testDocument());
    QVERIFY(!bad);
    QVERIFY(!job.finished());
    QVERIFY(!job.accept(JudgeStep::Claims, CallPart::A, R"({"claims":[]})", testDocument())); // not this task
    QVERIFY(job.accept(JudgeStep::Preference, CallPart::BA, preference("2"), testDocument()));
    QVERIFY(job.finished());
}

void JudgeJobTest::faithful_extractsThenVerifiesAndLocatesQuotes()
{
    const JudgeConfig c = testConfig();
    const Document d = testDocument();
    JudgeJob job(JudgeTask::Faithful, testItem(), c);
    const auto first = job.start(d);
    QCOMPARE(first.size(), std::size_t(2));
    QCOMPARE(spelled(first[0].step), std::string("claims"));
    QVERIFY(first[0].prompt.user.find("ALPHA") != std::string::npos);
    QVERIFY(first[0].prompt.user.find(kText) ==
            std::string::npos); // claims are extracted without the document
    QVERIFY(first[1].prompt.user.find("BETA") != std::string::npos);

    auto next = job.accept(JudgeStep::Claims, CallPart::A,
                           R"({"claims":["The rent is £1,200 per month.","Rent is paid in advance."]})", d);
    QVERIFY(next);
    QCOMPARE(next->size(), std::size_t(1));
    const JudgeCall verifyA = next->front();
    QCOMPARE(spelled(verifyA.step), std::string("verify"));
    QVERIFY(verifyA.prompt.user.find("1. The rent is £1,200 per month.\n2. Rent is paid in advance.") !=
            std::string::npos);
    QVERIFY(verifyA.prompt.user.find(kText) != std::string::npos);

    next = job.accept(JudgeStep::Claims, CallPart::B, R"({"claims":["The rent is about £1,500."]})", d);
    QVERIFY(next);
    QVERIFY(job.accept(
        JudgeStep::Verify, CallPart::A,
        R"({"claims":[{"claim_number":1,"reasoning":"Clause 4.","quote":"The rent is £1,200 per month","verdict":"supported"},)"
        R"({"claim_number":2,"reasoning":"Clause 4.","quote":"PAYABLE  in\nadvance","verdict":"supported"}]})",
        d));
    QVERIFY(!job.finished());
    QVERIFY(job.accept(
        JudgeStep::Verify, CallPart::B,
        R"({"claims":[{"claim_number":1,"reasoning":"Clause 4 says £1,200.","quote":"The rent is £1,200 per month","verdict":"contradicted"}]})",
        d));
    QVERIFY(job.finished());
    const FaithfulOutcome *f = job.faithful();
    QVERIFY(f);
    QVERIFY(f->faithful[0]);
    QVERIFY(!f->faithful[1]);
    QCOMPARE(f->claims[0][1].claim, std::string("Rent is paid in advance."));
    QVERIFY(f->claims[0][0].located.match == QuoteMatch::Exact);
    QVERIFY(f->claims[0][1].located.match == QuoteMatch::Normalised);
    QCOMPARE(f->claims[0][0].located.start, std::int64_t(10)); // "The rent" after "Clause 4. "
    QCOMPARE(f->claims[0][0].located.end, std::int64_t(10 + 28));

    const LabelRevision l = job.label("j");
    QCOMPARE(valueOf(l, Facet::Faithful, Slot::A), std::string("faithful"));
    QCOMPARE(valueOf(l, Facet::Faithful, Slot::B), std::string("unfaithful"));
    QVERIFY(l.evidence);
    QCOMPARE(l.evidence->size(), std::size_t(3));
    QCOMPARE(spelled((*l.evidence)[2].answer), std::string("B"));
    QCOMPARE((*l.evidence)[2].note.value_or(""),
             std::string("claim 1, contradicted: The rent is about £1,500."));
    // "payable in advance" as it stands in the document, found through the normalised search.
    const EvidenceSpan &advance = (*l.evidence)[1];
    QCOMPARE(advance.end - advance.start, std::int64_t(std::string_view("payable in advance").size()));
}

void JudgeJobTest::faithful_strictPolicyNeedsALocatedQuote()
{
    for (QuotePolicy policy : {QuotePolicy::Strict, QuotePolicy::Lenient}) {
        JudgeConfig c = testConfig();
        c.quotePolicy = policy;
        const Document d = testDocument();
        JudgeJob job(JudgeTask::Faithful, testItem(), c);
        QVERIFY(job.accept(JudgeStep::Claims, CallPart::A, R"({"claims":["Rent is £1,200."]})", d));
        QVERIFY(job.accept(JudgeStep::Claims, CallPart::B, R"({"claims":[]})", d));
        QVERIFY(job.accept(
            JudgeStep::Verify, CallPart::A,
            R"({"claims":[{"claim_number":1,"reasoning":"r","quote":"The monthly rent shall be £1,200","verdict":"supported"}]})",
            d));
        QVERIFY(job.finished());
        QCOMPARE(job.faithful()->faithful[0], policy == QuotePolicy::Lenient);
        QVERIFY(job.faithful()->claims[0][0].located.match == QuoteMatch::None);
        QVERIFY(job.label("j").evidence->empty());
    }
}

void JudgeJobTest::faithful_answerWithoutClaimsIsFaithfulWithoutVerifying()
{
    const JudgeConfig c = testConfig();
    JudgeJob job(JudgeTask::Faithful, testItem(), c);
    auto a = job.accept(JudgeStep::Claims, CallPart::A, R"({"claims":[]})", testDocument());
    auto b = job.accept(JudgeStep::Claims, CallPart::B, R"({"claims":["  "]})", testDocument());
    QVERIFY(a && b);
    QVERIFY(a->empty() && b->empty());
    QVERIFY(job.finished());
    QCOMPARE(valueOf(job.label("j"), Facet::Faithful, Slot::A), std::string("faithful"));
    QCOMPARE(valueOf(job.label("j"), Facet::Faithful, Slot::B), std::string("faithful"));
}

void JudgeJobTest::noInfo_outcomeIsDerived_data()
{
    QTest::addColumn<bool>("documentContainsAnswer");
    QTest::addColumn<bool>("declines");
    QTest::addColumn<QString>("outcome");
    QTest::newRow("answered") << true << false << "answered";
    QTest::newRow("declined wrongly") << true << true << "declined_wrongly";
    QTest::newRow("hallucinated") << false << false << "hallucinated";
    QTest::newRow("declined correctly") << false << true << "declined_correctly";
}

void JudgeJobTest::noInfo_outcomeIsDerived()
{
    QFETCH(bool, documentContainsAnswer);
    QFETCH(bool, declines);
    QFETCH(QString, outcome);
    QCOMPARE(spelled(deriveOutcome(documentContainsAnswer, declines)), outcome.toStdString());
}

void JudgeJobTest::noInfo_labelCarriesBothAnswers()
{
    const JudgeConfig c = testConfig();
    JudgeJob job(JudgeTask::NoInfo, testItem(), c);
    const auto calls = job.start(testDocument());
    QCOMPARE(calls.size(), std::size_t(1));
    QVERIFY(calls[0].prompt.user.find("ALPHA") < calls[0].prompt.user.find("BETA"));
    QVERIFY(job.accept(
        JudgeStep::NoInfo, CallPart::Both,
        R"({"reasoning":"Clause 4.","document_contains_answer":true,"answer_1_declines":false,"answer_2_declines":true})",
        testDocument()));
    QVERIFY(job.finished());
    const LabelRevision l = job.label("j");
    QCOMPARE(valueOf(l, Facet::NoInfo, Slot::A), std::string("answered"));
    QCOMPARE(valueOf(l, Facet::NoInfo, Slot::B), std::string("declined_wrongly"));
    QCOMPARE(l.values.size(), std::size_t(2));
}

void JudgeJobTest::locateQuote_data()
{
    QTest::addColumn<QString>("document");
    QTest::addColumn<QString>("quote");
    QTest::addColumn<QuoteMatch>("match");
    QTest::addColumn<int>("start");
    QTest::addColumn<int>("end");
    const QString doc = QString::fromStdString(kText);
    QTest::newRow("exact after a multi-byte character")
        << doc << "per month" << QuoteMatch::Exact << 29 << 38;
    QTest::newRow("quote marks and whitespace stripped")
        << doc << "  \u201Cper month\u201D " << QuoteMatch::Exact << 29 << 38;
    QTest::newRow("case") << doc << "THE RENT IS" << QuoteMatch::Normalised << 10 << 21;
    QTest::newRow("whitespace runs") << doc << "The tenant may" << QuoteMatch::Normalised << 70 << 85;
    QTest::newRow("across a line break")
        << doc << "in advance. Clause 9" << QuoteMatch::Normalised << 48 << 68;
    QTest::newRow("ellipsis joins pieces")
        << doc << "The rent is ... in advance" << QuoteMatch::Normalised << 10 << 58;
    QTest::newRow("leading ellipsis") << doc << "\u2026payable in advance." << QuoteMatch::Exact << 40 << 59;
    QTest::newRow("typographic apostrophe") << "The tenant's duty."
                                            << "tenant\u2019s duty" << QuoteMatch::Normalised << 4 << 17;
    QTest::newRow("dash") << "Pages 4-7 apply."
                          << "pages 4\u20137" << QuoteMatch::Normalised << 0 << 9;
    QTest::newRow("greek case") << "\u0391\u0392\u0393 text"
                                << "\u03B1\u03B2\u03B3" << QuoteMatch::Normalised << 0 << 3;
    QTest::newRow("absent") << doc << "The rent is £1,500" << QuoteMatch::None << 0 << 0;
    QTest::newRow("empty") << doc << " \"\" " << QuoteMatch::None << 0 << 0;
    QTest::newRow("pieces out of order") << doc << "Clause 9 ... Clause 4" << QuoteMatch::None << 0 << 0;
}

void JudgeJobTest::locateQuote()
{
    QFETCH(QString, document);
    QFETCH(QString, quote);
    QFETCH(QuoteMatch, match);
    QFETCH(int, start);
    QFETCH(int, end);
    const std::string d = document.toStdString();
    const LocatedQuote q = concord::model::locateQuote(d, quote.toStdString());
    QCOMPARE(spelled(q.match), spelled(match));
    if (match != QuoteMatch::None) {
        QCOMPARE(q.start, std::int64_t(start));
        QCOMPARE(q.end, std::int64_t(end));
    }
}

QTEST_APPLESS_MAIN(JudgeJobTest)
