// JSONL v1: reading files into an ImportBatch with diagnostics that name file, line and field, and
// writing records as canonical lines that read back to the same records.
#include "jsonl.h"
#include "modeltest.h"
#include "sha256.h"

#include <QCryptographicHash>
#include <QTest>

#include <algorithm>

using namespace concord::model;
using concord::test::bytes;
using concord::test::spelled;
using concord::test::str;
using concord::test::view;

namespace {

// Canonical lines (what toJsonLine writes) with every field of their kind.
const char *const kRaterLine =
    R"({"kind":"rater","id":"gpt-judge","rater_kind":"judge","name":"GPT judge","config":{"model":{"name":"x","version":2},"temperature":0}})";
const char *const kDocumentLine =
    R"({"kind":"document","id":"lease","title":"Lease £","text":"The rent is £1,200 — per month 😀.\nSigned.","meta":{"lang":"en","source":"test"}})";
const char *const kItemLine =
    R"({"kind":"item","id":"q1","document":"lease","question":"What is the rent?","question_type":"no_info","answerable":true,"evidence_position":0.25,"reference_answer":"£1,200","answers":{"A":{"system":"sysA","text":"£1,200 a month."},"B":{"system":"sysB","text":""}},"meta":{"split":"dev"}})";
const char *const kLabelLine =
    R"({"kind":"label","item":"q1","rater":"gpt-judge","rater_kind":"judge","preference":"A","criteria":{"relevance":"B","comprehensiveness":"tie","conciseness":"A"},"faithful":{"A":true,"B":false},"no_info":{"A":"answered","B":"declined_wrongly"},"evidence":[{"answer":"A","start":4,"end":28,"note":"rent clause"},{"answer":"B","start":0,"end":3}],"note":"close call","created_at":"2026-11-28T10:00:00Z","time_spent_s":12.5,"shown":"BA"})";

struct ReadResult
{
    ImportBatch batch;
    std::vector<Diagnostic> diagnostics;
};

ReadResult readText(std::string_view content, std::string_view file = "in.jsonl")
{
    ReadResult r;
    readJsonl(file, content, r.batch, r.diagnostics);
    return r;
}

std::string join(std::initializer_list<std::string> lines)
{
    std::string out;
    for (const std::string &l : lines)
        out += l + "\n";
    return out;
}

std::size_t recordCount(const ImportBatch &b)
{
    return b.raters.size() + b.documents.size() + b.items.size() + b.labels.size();
}

QString describe(const std::vector<Diagnostic> &diagnostics)
{
    QStringList out;
    for (const Diagnostic &d : diagnostics)
        out << QString::fromStdString(d.toString());
    return out.join(QLatin1Char('\n'));
}

#define REQUIRE_NO_DIAGNOSTICS(r) QVERIFY2((r).diagnostics.empty(), qPrintable(describe((r).diagnostics)))

Rater sampleRater(bool full)
{
    Rater r;
    r.id = full ? "gpt-judge" : "alice";
    r.kind = full ? RaterKind::Judge : RaterKind::Human;
    if (full) {
        r.name = "GPT judge";
        r.configJson = R"({"model":{"name":"x","version":2},"temperature":0})";
    }
    return r;
}

Document sampleDocument(bool full)
{
    Document d;
    d.id = full ? "lease" : "d";
    d.text = full ? "Line 1\n\"quoted\" \\ £ 😀\tend" : "hi";
    if (full) {
        d.title = "";
        d.metaJson = R"({"lang":"en","pages":[1,2]})";
    }
    return d;
}

Item sampleItem(bool full)
{
    Item i;
    i.id = full ? "q1" : "q";
    i.documentId = full ? "lease" : "d";
    i.question = "What is the rent?";
    i.type = full ? QuestionType::NoInfo : QuestionType::FactRecall;
    i.answerable = !full;
    if (full) {
        i.evidencePosition = 0.25;
        i.referenceAnswer = "£1,200";
        i.metaJson = R"({"split":"dev"})";
    }
    i.answers[0] = {"sysA", "£1,200 a month."};
    i.answers[1] = {"sysB", full ? "" : "£1,500."};
    return i;
}

/// A label whose values are in the order the reader produces them (preference, criteria by key,
/// faithful A/B, no_info A/B), so that a read-back record compares equal value by value.
LabelRevision sampleLabel(bool full)
{
    LabelRevision l;
    l.itemId = "q1";
    l.raterId = full ? "gpt-judge" : "alice";
    l.raterKind = full ? RaterKind::Judge : RaterKind::Human;
    if (!full) {
        l.values = {{Facet::Preference, std::nullopt, "tie"}};
        return l;
    }
    l.values = {{Facet::Preference, std::nullopt, "A"},  {Facet::Comprehensiveness, std::nullopt, "tie"},
                {Facet::Conciseness, std::nullopt, "A"}, {Facet::Relevance, std::nullopt, "B"},
                {Facet::Faithful, Slot::A, "faithful"},  {Facet::Faithful, Slot::B, "unfaithful"},
                {Facet::NoInfo, Slot::A, "answered"},    {Facet::NoInfo, Slot::B, "declined_wrongly"}};
    l.evidence = std::vector<EvidenceSpan>{{Slot::A, 4, 28, "rent clause"}, {Slot::B, 0, 3, std::nullopt}};
    l.note = "close call";
    l.createdAt = "2026-11-28T10:00:00Z";
    l.timeSpentS = 12.5;
    l.shownOrder = "BA";
    return l;
}

void compareRecords(const Rater &actual, const Rater &expected)
{
    QCOMPARE(actual.id, expected.id);
    QCOMPARE(spelled(actual.kind), spelled(expected.kind));
    QCOMPARE(actual.name, expected.name);
    QCOMPARE(actual.configJson, expected.configJson);
}

void compareRecords(const Document &actual, const Document &expected)
{
    QCOMPARE(actual.id, expected.id);
    QCOMPARE(actual.title, expected.title);
    QCOMPARE(actual.text, expected.text);
    QCOMPARE(actual.metaJson, expected.metaJson);
}

void compareRecords(const Item &actual, const Item &expected)
{
    QCOMPARE(actual.id, expected.id);
    QCOMPARE(actual.documentId, expected.documentId);
    QCOMPARE(actual.question, expected.question);
    QCOMPARE(spelled(actual.type), spelled(expected.type));
    QCOMPARE(actual.answerable, expected.answerable);
    QCOMPARE(actual.evidencePosition, expected.evidencePosition);
    QCOMPARE(actual.referenceAnswer, expected.referenceAnswer);
    for (Slot s : kSlots) {
        QCOMPARE(actual.answer(s).system, expected.answer(s).system);
        QCOMPARE(actual.answer(s).text, expected.answer(s).text);
    }
    QCOMPARE(actual.metaJson, expected.metaJson);
}

void compareRecords(const LabelRevision &actual, const LabelRevision &expected)
{
    QCOMPARE(actual.itemId, expected.itemId);
    QCOMPARE(actual.raterId, expected.raterId);
    QCOMPARE(spelled(actual.raterKind), spelled(expected.raterKind));
    QCOMPARE(actual.values.size(), expected.values.size());
    for (std::size_t i = 0; i < expected.values.size(); ++i) {
        QCOMPARE(spelled(actual.values[i].facet), spelled(expected.values[i].facet));
        QCOMPARE(actual.values[i].slot, expected.values[i].slot);
        QCOMPARE(actual.values[i].value, expected.values[i].value);
    }
    QCOMPARE(actual.evidence.has_value(), expected.evidence.has_value());
    if (expected.evidence)
        QVERIFY(*actual.evidence == *expected.evidence);
    QCOMPARE(actual.note, expected.note);
    QCOMPARE(actual.createdAt, expected.createdAt);
    QCOMPARE(actual.timeSpentS, expected.timeSpentS);
    QCOMPARE(actual.shownOrder, expected.shownOrder);
}

/// One line whose meta, rater config, evidence[0].start or time_spent_s (`where`: meta, config,
/// start, time), or the line itself (line), or an unknown field's object (unknown) is a value of
/// `depth` nested arrays.
std::string deepLine(std::string_view where, std::size_t depth)
{
    const std::string value = std::string(depth, '[') + std::string(depth, ']');
    if (where == "meta")
        return R"({"kind":"document","id":"deep","text":"x","meta":{"a":)" + value + "}}";
    if (where == "config")
        return R"({"kind":"rater","id":"zz","rater_kind":"human","config":{"a":)" + value + "}}";
    if (where == "start")
        return R"({"kind":"label","item":"q1","rater":"alice","evidence":[{"answer":"A","start":)" + value +
               R"(,"end":1}]})";
    if (where == "time")
        return R"({"kind":"label","item":"q1","rater":"alice","note":"x","time_spent_s":)" + value + "}";
    if (where == "unknown")
        return R"({"kind":"document","id":"deep","text":"x","extra":{"a":{"b":{"c":)" + value + "}}}}";
    return value;
}

/// `ascii` in UTF-16 or UTF-32 (`width` 2 or 4 bytes), either byte order, with or without a BOM.
QByteArray wide(std::string_view ascii, int width, bool bigEndian, bool bom)
{
    QByteArray out;
    auto put = [&](char32_t c) {
        for (int i = 0; i < width; ++i)
            out += char((c >> (8 * (bigEndian ? width - 1 - i : i))) & 0xFF);
    };
    if (bom)
        put(0xFEFF);
    for (char c : ascii)
        put(static_cast<unsigned char>(c));
    return out;
}

/// The number after "column " in a message.
std::int64_t columnIn(const std::string &message)
{
    const std::size_t at = message.find("column ");
    return at == std::string::npos ? -1 : std::stoll(message.substr(at + 7));
}

const char *const kEmptyKeyLine = R"({"kind":"document","id":"e","text":"x","":1})";

} // namespace

class JsonlTest : public QObject
{
    Q_OBJECT

private slots:
    // ---- Reading valid input ----------------------------------------------------------------

    void readsEveryKindWithAllFields()
    {
        const std::string content = join({kRaterLine, kDocumentLine, kItemLine, kLabelLine});
        const ReadResult r = readText(content, "all.jsonl");
        REQUIRE_NO_DIAGNOSTICS(r);

        QCOMPARE(r.batch.files.size(), std::size_t(1));
        QCOMPARE(r.batch.files[0].name, std::string("all.jsonl"));
        QCOMPARE(r.batch.files[0].bytes, std::int64_t(content.size()));
        QCOMPARE(r.batch.files[0].sha256,
                 QCryptographicHash::hash(QByteArray::fromStdString(content), QCryptographicHash::Sha256)
                     .toHex()
                     .toStdString());

        QCOMPARE(r.batch.raters.size(), std::size_t(1));
        const auto &[raterAt, rater] = r.batch.raters[0];
        QCOMPARE(raterAt.file, std::string("all.jsonl"));
        QCOMPARE(raterAt.line, std::int64_t(1));
        QCOMPARE(rater.id, std::string("gpt-judge"));
        QCOMPARE(spelled(rater.kind), spelled(RaterKind::Judge));
        QCOMPARE(rater.name, std::optional<std::string>("GPT judge"));
        QCOMPARE(rater.configJson,
                 std::optional<std::string>(R"({"model":{"name":"x","version":2},"temperature":0})"));

        QCOMPARE(r.batch.documents.size(), std::size_t(1));
        const auto &[docAt, doc] = r.batch.documents[0];
        QCOMPARE(docAt.line, std::int64_t(2));
        QCOMPARE(doc.id, std::string("lease"));
        QCOMPARE(doc.title, std::optional<std::string>("Lease £"));
        QCOMPARE(doc.text, std::string("The rent is £1,200 — per month 😀.\nSigned."));
        QCOMPARE(doc.metaJson, std::optional<std::string>(R"({"lang":"en","source":"test"})"));

        QCOMPARE(r.batch.items.size(), std::size_t(1));
        const auto &[itemAt, item] = r.batch.items[0];
        QCOMPARE(itemAt.line, std::int64_t(3));
        QCOMPARE(item.id, std::string("q1"));
        QCOMPARE(item.documentId, std::string("lease"));
        QCOMPARE(item.question, std::string("What is the rent?"));
        QCOMPARE(spelled(item.type), spelled(QuestionType::NoInfo));
        QCOMPARE(item.answerable, true); // given explicitly, overriding the no_info default
        QCOMPARE(item.evidencePosition, std::optional<double>(0.25));
        QCOMPARE(item.referenceAnswer, std::optional<std::string>("£1,200"));
        QCOMPARE(item.answer(Slot::A).system, std::string("sysA"));
        QCOMPARE(item.answer(Slot::A).text, std::string("£1,200 a month."));
        QCOMPARE(item.answer(Slot::B).system, std::string("sysB"));
        QCOMPARE(item.answer(Slot::B).text, std::string()); // an empty answer is an answer
        QCOMPARE(item.metaJson, std::optional<std::string>(R"({"split":"dev"})"));

        QCOMPARE(r.batch.labels.size(), std::size_t(1));
        QCOMPARE(r.batch.labelKindGiven, std::vector<bool>{true});
        const auto &[labelAt, label] = r.batch.labels[0];
        QCOMPARE(labelAt.file, std::string("all.jsonl"));
        QCOMPARE(labelAt.line, std::int64_t(4));
        compareRecords(label, sampleLabel(true));
    }

    void readsMetaAndConfigAsCanonicalJson()
    {
        const std::string content = join({
            R"({"kind":"document","id":"d","text":"x","meta":{"z":1,"a":{"y":[{"q":1,"p":2}],"b":true}}})",
            R"({"kind":"rater","id":"j","rater_kind":"judge","config":{ "temperature" : 0.5 , "model" : "m" }})",
        });
        const ReadResult r = readText(content);
        REQUIRE_NO_DIAGNOSTICS(r);
        QCOMPARE(r.batch.documents.at(0).value.metaJson,
                 std::optional<std::string>(R"({"a":{"b":true,"y":[{"p":2,"q":1}]},"z":1})"));
        QCOMPARE(r.batch.raters.at(0).value.configJson,
                 std::optional<std::string>(R"({"model":"m","temperature":0.5})"));
    }

    void acceptsBomCrlfAndBlankLines_keepsLineNumbers()
    {
        const std::string content = std::string("\xEF\xBB\xBF") + kDocumentLine + "\r\n" + "\r\n" +
                                    " \t\r\n" + kItemLine + "\r\n" + "\n" + kLabelLine; // no final line end
        const ReadResult r = readText(content, "windows.jsonl");
        REQUIRE_NO_DIAGNOSTICS(r);
        QCOMPARE(r.batch.documents.size(), std::size_t(1));
        QCOMPARE(r.batch.items.size(), std::size_t(1));
        QCOMPARE(r.batch.labels.size(), std::size_t(1));
        QCOMPARE(r.batch.documents[0].source.line, std::int64_t(1));
        QCOMPARE(r.batch.items[0].source.line, std::int64_t(4));
        QCOMPARE(r.batch.labels[0].source.line, std::int64_t(6));
        QCOMPARE(r.batch.documents[0].value.id, std::string("lease")); // the BOM is not part of the line
        // The file record describes the bytes as given, BOM included.
        QCOMPARE(r.batch.files[0].bytes, std::int64_t(content.size()));
        QCOMPARE(r.batch.files[0].sha256, Sha256::hex(content));
    }

    void answerableDefaultsFromQuestionType_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("answerableField"); // JSON fragment, or empty for absent
        QTest::addColumn<bool>("answerable");
        for (QuestionType t : kQuestionTypes) {
            const QString name = QString::fromStdString(std::string(toString(t)));
            QTest::newRow(qPrintable(name + " default")) << name << QString() << (t != QuestionType::NoInfo);
        }
        QTest::newRow("no_info given true") << "no_info"
                                            << R"("answerable":true,)" << true;
        QTest::newRow("no_info given false") << "no_info"
                                             << R"("answerable":false,)" << false;
        QTest::newRow("inference given false") << "inference"
                                               << R"("answerable":false,)" << false;
    }
    void answerableDefaultsFromQuestionType()
    {
        QFETCH(QString, type);
        QFETCH(QString, answerableField);
        QFETCH(bool, answerable);
        const std::string line =
            "{\"kind\":\"item\",\"id\":\"q\",\"document\":\"d\",\"question\":\"Q?\",\"question_type\":\"" +
            type.toStdString() + "\"," + answerableField.toStdString() +
            R"("answers":{"A":{"system":"a","text":"x"},"B":{"system":"b","text":"y"}}})";
        const ReadResult r = readText(line);
        REQUIRE_NO_DIAGNOSTICS(r);
        QCOMPARE(r.batch.items.size(), std::size_t(1));
        QCOMPARE(r.batch.items[0].value.answerable, answerable);
    }

    void labelWithoutRaterKind_defaultsToHumanAndIsMarkedNotGiven()
    {
        const ReadResult r =
            readText(join({R"({"kind":"label","item":"q1","rater":"alice","preference":"B"})",
                           R"({"kind":"label","item":"q1","rater":"bot","rater_kind":"gold","note":"n"})"}));
        REQUIRE_NO_DIAGNOSTICS(r);
        QCOMPARE(r.batch.labels.size(), std::size_t(2));
        QCOMPARE(r.batch.labelKindGiven, (std::vector<bool>{false, true}));
        QCOMPARE(spelled(r.batch.labels[0].value.raterKind), spelled(RaterKind::Human));
        QCOMPARE(spelled(r.batch.labels[1].value.raterKind), spelled(RaterKind::Gold));
        QCOMPARE(r.batch.labels[1].value.values.size(), std::size_t(0)); // a note alone is a label
        QCOMPARE(r.batch.labels[1].value.note, std::optional<std::string>("n"));
    }

    void acceptsBoundaryValues_data()
    {
        QTest::addColumn<QString>("line");
        QTest::newRow("evidence_position 0")
            << R"({"kind":"item","id":"q","document":"d","question":"Q","question_type":"definition","evidence_position":0,"answers":{"A":{"system":"a","text":"x"},"B":{"system":"b","text":"y"}}})";
        QTest::newRow("evidence_position 1")
            << R"({"kind":"item","id":"q","document":"d","question":"Q","question_type":"definition","evidence_position":1,"answers":{"A":{"system":"a","text":"x"},"B":{"system":"b","text":"y"}}})";
        QTest::newRow("evidence from 0, length 1")
            << R"({"kind":"label","item":"q","rater":"r","evidence":[{"answer":"B","start":0,"end":1}]})";
        QTest::newRow("empty evidence list clears evidence")
            << R"({"kind":"label","item":"q","rater":"r","evidence":[]})";
        QTest::newRow("created_at with fraction and offset")
            << R"({"kind":"label","item":"q","rater":"r","preference":"A","created_at":"2026-11-28T10:00:00.123+01:00"})";
        QTest::newRow("time_spent_s 0")
            << R"({"kind":"label","item":"q","rater":"r","preference":"A","time_spent_s":0})";
        QTest::newRow("shown AB")
            << R"({"kind":"label","item":"q","rater":"r","preference":"A","shown":"AB"})";
        QTest::newRow("one criterion only")
            << R"({"kind":"label","item":"q","rater":"r","criteria":{"conciseness":"tie"}})";
        QTest::newRow("one faithful slot only")
            << R"({"kind":"label","item":"q","rater":"r","faithful":{"B":true}})";
        QTest::newRow("empty document title") << R"({"kind":"document","id":"d","title":"","text":"x"})";
        QTest::newRow("rater without name") << R"({"kind":"rater","id":"r","rater_kind":"gold"})";
    }
    void acceptsBoundaryValues()
    {
        QFETCH(QString, line);
        const ReadResult r = readText(line.toStdString());
        REQUIRE_NO_DIAGNOSTICS(r);
        QCOMPARE(recordCount(r.batch), std::size_t(1));
    }

    void appendsSeveralFilesToOneBatch()
    {
        ImportBatch batch;
        std::vector<Diagnostic> diagnostics;
        readJsonl("docs.jsonl", join({kDocumentLine}), batch, diagnostics);
        readJsonl("labels.jsonl", join({kRaterLine, kLabelLine}), batch, diagnostics);
        QVERIFY2(diagnostics.empty(), qPrintable(describe(diagnostics)));
        QCOMPARE(batch.files.size(), std::size_t(2));
        QCOMPARE(batch.files[0].name, std::string("docs.jsonl"));
        QCOMPARE(batch.files[1].name, std::string("labels.jsonl"));
        QCOMPARE(batch.documents.at(0).source.file, std::string("docs.jsonl"));
        QCOMPARE(batch.labels.at(0).source.file, std::string("labels.jsonl"));
        QCOMPARE(batch.labels.at(0).source.line, std::int64_t(2));
    }

    // ---- Reading bad input --------------------------------------------------------------------

    void rejectsBadLine_namesFileLineAndField_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message"); // a part of the message that must appear

        const QByteArray answers =
            R"("answers":{"A":{"system":"a","text":"x"},"B":{"system":"b","text":"y"}})";
        const QByteArray item =
            R"({"kind":"item","id":"q","document":"d","question":"Q","question_type":"fact_recall",)";
        const QByteArray label = R"({"kind":"label","item":"q","rater":"r",)";

        // Whole-line problems.
        QTest::newRow("truncated JSON: mid-string")
            << bytes("{\"kind\":\"document\",\"id\":\"d2\",\"text\":\"abc") << "line"
            << "truncated";
        QTest::newRow("truncated JSON: open object") << bytes(R"({"kind":"document","id":"d2")") << "line"
                                                     << "truncated";
        QTest::newRow("malformed JSON") << bytes(R"({"kind":"document" "id":"d2"})") << "line"
                                        << "invalid JSON at column";
        QTest::newRow("trailing garbage")
            << bytes(R"({"kind":"rater","id":"x","rater_kind":"human"} x)") << "line"
            << "invalid JSON";
        QTest::newRow("invalid UTF-8")
            << bytes("{\"kind\":\"document\",\"id\":\"d2\",\"text\":\"caf\xE9!\"}") << "line"
            << "invalid UTF-8 at column 41";
        QTest::newRow("NUL byte") << bytes("{\"kind\":\"document\",\"id\":\"d2\",\0\"text\":\"x\"}") << "line"
                                  << "NUL byte at column 30";
        QTest::newRow("array line") << bytes("[1,2]") << "line"
                                    << "found an array";
        QTest::newRow("string line") << bytes(R"("document")") << "line"
                                     << "found a string";
        QTest::newRow("number line") << bytes("42") << "line"
                                     << "found a number";

        // kind
        QTest::newRow("missing kind") << bytes(R"({"id":"x"})") << "kind"
                                      << "missing (required)";
        QTest::newRow("kind not a string") << bytes(R"({"kind":7})") << "kind"
                                           << "expected a string, found a number";
        QTest::newRow("empty kind") << bytes(R"({"kind":""})") << "kind"
                                    << "must not be empty";
        QTest::newRow("unknown kind") << bytes(R"({"kind":"widget","id":"w"})") << "kind"
                                      << R"(unknown kind "widget")";

        // Unknown enum values.
        QTest::newRow("unknown question_type")
            << R"({"kind":"item","id":"q","document":"d","question":"Q","question_type":"essay",)" + answers +
                   "}"
            << "question_type"
            << R"(unknown value "essay" (allowed: fact_recall, definition, )";
        QTest::newRow("unknown preference") << label + R"("preference":"C"})"
                                            << "preference"
                                            << R"(unknown value "C" (allowed: A, B, tie))";
        QTest::newRow("lower-case preference") << label + R"("preference":"a"})"
                                               << "preference"
                                               << "unknown value";
        QTest::newRow("preference not a string") << label + R"("preference":1})"
                                                 << "preference"
                                                 << "found a number";
        QTest::newRow("unknown no_info outcome") << label + R"("no_info":{"A":"maybe"}})"
                                                 << "no_info.A"
                                                 << R"(unknown value "maybe")";
        QTest::newRow("no_info outcome not a string") << label + R"("no_info":{"B":true}})"
                                                      << "no_info.B"
                                                      << "found a boolean";
        QTest::newRow("unknown rater_kind on rater")
            << bytes(R"({"kind":"rater","id":"r","rater_kind":"robot"})") << "rater_kind"
            << R"(unknown value "robot")";
        QTest::newRow("unknown rater_kind on label") << label + R"("rater_kind":"Judge","preference":"A"})"
                                                     << "rater_kind"
                                                     << R"(unknown value "Judge")";
        QTest::newRow("unknown criterion") << label + R"("criteria":{"clarity":"A"}})"
                                           << "criteria.clarity"
                                           << "unknown criterion";
        QTest::newRow("unknown criterion value") << label + R"("criteria":{"relevance":"X"}})"
                                                 << "criteria.relevance"
                                                 << R"(unknown value "X")";

        // Missing required fields.
        QTest::newRow("document without id") << bytes(R"({"kind":"document","text":"x"})") << "id"
                                             << "missing (required)";
        QTest::newRow("item without id")
            << R"({"kind":"item","document":"d","question":"Q","question_type":"definition",)" + answers + "}"
            << "id"
            << "missing (required)";
        QTest::newRow("rater without id") << bytes(R"({"kind":"rater","rater_kind":"human"})") << "id"
                                          << "missing";
        QTest::newRow("rater without rater_kind") << bytes(R"({"kind":"rater","id":"r"})") << "rater_kind"
                                                  << "missing";
        QTest::newRow("document without text") << bytes(R"({"kind":"document","id":"d2"})") << "text"
                                               << "missing (required)";
        QTest::newRow("item without question")
            << R"({"kind":"item","id":"q","document":"d","question_type":"definition",)" + answers + "}"
            << "question"
            << "missing (required)";
        QTest::newRow("item without document")
            << R"({"kind":"item","id":"q","question":"Q","question_type":"definition",)" + answers + "}"
            << "document"
            << "missing (required)";
        QTest::newRow("item without question_type")
            << R"({"kind":"item","id":"q","document":"d","question":"Q",)" + answers + "}"
            << "question_type"
            << "missing (required)";
        QTest::newRow("item without answers") << item + R"("meta":{}})"
                                              << "answers"
                                              << "missing (required)";
        QTest::newRow("item without answers.B") << item + R"("answers":{"A":{"system":"a","text":"x"}}})"
                                                << "answers.B"
                                                << "missing (required)";
        QTest::newRow("item without answers.A.system")
            << item + R"("answers":{"A":{"text":"x"},"B":{"system":"b","text":"y"}}})"
            << "answers.A.system"
            << "missing (required)";
        QTest::newRow("item without answers.B.text")
            << item + R"("answers":{"A":{"system":"a","text":"x"},"B":{"system":"b"}}})"
            << "answers.B.text"
            << "missing (required)";
        QTest::newRow("label without item")
            << bytes(R"({"kind":"label","rater":"r","preference":"A"})") << "item"
            << "missing";
        QTest::newRow("label without rater")
            << bytes(R"({"kind":"label","item":"q","preference":"A"})") << "rater"
            << "missing";
        QTest::newRow("empty document id") << bytes(R"({"kind":"document","id":"","text":"x"})") << "id"
                                           << "must not be empty";
        QTest::newRow("empty document text") << bytes(R"({"kind":"document","id":"d2","text":""})") << "text"
                                             << "must not be empty";
        QTest::newRow("empty rater name")
            << bytes(R"({"kind":"rater","id":"r","rater_kind":"human","name":""})") << "name"
            << "must not be empty";

        // Wrong types and ranges.
        QTest::newRow("answerable as string") << item + R"("answerable":"yes",)" + answers + "}"
                                              << "answerable"
                                              << "expected true or false, found a string";
        QTest::newRow("evidence_position above 1") << item + R"("evidence_position":1.5,)" + answers + "}"
                                                   << "evidence_position"
                                                   << "must be in [0,1], found 1.5";
        QTest::newRow("evidence_position below 0") << item + R"("evidence_position":-0.1,)" + answers + "}"
                                                   << "evidence_position"
                                                   << "must be in [0,1]";
        QTest::newRow("evidence_position as string") << item + R"("evidence_position":"0.5",)" + answers + "}"
                                                     << "evidence_position"
                                                     << "found a string";
        QTest::newRow("id as number") << bytes(R"({"kind":"document","id":12,"text":"x"})") << "id"
                                      << "expected a string, found a number";
        QTest::newRow("answers as array") << item + R"("answers":["x","y"]})"
                                          << "answers"
                                          << "found an array";
        QTest::newRow("answer as string") << item + R"("answers":{"A":"x","B":{"system":"b","text":"y"}}})"
                                          << "answers.A"
                                          << "found a string";
        QTest::newRow("faithful as string") << label + R"("faithful":"yes"})"
                                            << "faithful"
                                            << "found a string";
        QTest::newRow("faithful.A as string")
            << label + R"("faithful":{"A":"yes"}})"
            << "faithful.A"
            << "expected true (faithful) or false (unfaithful), found a string";
        QTest::newRow("faithful with unknown slot") << label + R"("faithful":{"C":true}})"
                                                    << "faithful.C"
                                                    << "unknown answer slot";
        QTest::newRow("faithful empty") << label + R"("faithful":{}})"
                                        << "faithful"
                                        << "an empty object";
        QTest::newRow("criteria as string") << label + R"("criteria":"A"})"
                                            << "criteria"
                                            << "found a string";
        QTest::newRow("criteria empty") << label + R"("criteria":{}})"
                                        << "criteria"
                                        << "at least one criterion";
        QTest::newRow("meta as array")
            << bytes(R"({"kind":"document","id":"d2","text":"x","meta":[1]})") << "meta"
            << "expected an object, found an array";
        QTest::newRow("config as string")
            << bytes(R"({"kind":"rater","id":"r","rater_kind":"judge","config":"gpt"})") << "config"
            << "expected an object, found a string";
        QTest::newRow("time_spent_s negative") << label + R"("preference":"A","time_spent_s":-1})"
                                               << "time_spent_s"
                                               << "found -1";
        QTest::newRow("time_spent_s as string") << label + R"("preference":"A","time_spent_s":"12"})"
                                                << "time_spent_s"
                                                << "seconds";
        QTest::newRow("shown AA") << label + R"("preference":"A","shown":"AA"})"
                                  << "shown"
                                  << R"(found "AA")";

        // Unknown fields.
        QTest::newRow("unknown field on document")
            << bytes(R"({"kind":"document","id":"d2","text":"x","author":"me"})") << "author"
            << R"(unknown field for kind "document")";
        QTest::newRow("unknown field on item") << item + R"("difficulty":3,)" + answers + "}"
                                               << "difficulty"
                                               << R"(unknown field for kind "item")";
        QTest::newRow("unknown field on label") << label + R"("preference":"A","score":3})"
                                                << "score"
                                                << R"(unknown field for kind "label")";
        QTest::newRow("unknown field on rater")
            << bytes(R"({"kind":"rater","id":"r","rater_kind":"human","email":"x"})") << "email"
            << R"(unknown field for kind "rater")";
        QTest::newRow("unknown answer slot")
            << item + R"("answers":{"A":{"system":"a","text":"x"},"B":{"system":"b","text":"y"},"C":{}}})"
            << "answers.C"
            << "unknown answer slot";
        QTest::newRow("unknown field in answer")
            << item +
                   R"("answers":{"A":{"system":"a","text":"x","model":"m"},"B":{"system":"b","text":"y"}}})"
            << "answers.A.model"
            << "unknown field";
        QTest::newRow("unknown field in evidence")
            << label + R"("evidence":[{"answer":"A","start":0,"end":2,"page":4}]})"
            << "evidence[0].page"
            << "unknown field";

        // Evidence spans.
        QTest::newRow("evidence start == end") << label + R"("evidence":[{"answer":"A","start":5,"end":5}]})"
                                               << "evidence[0].end"
                                               << "must be greater than start (5), found 5";
        QTest::newRow("evidence start > end in second span")
            << label + R"("evidence":[{"answer":"A","start":0,"end":2},{"answer":"B","start":9,"end":3}]})"
            << "evidence[1].end"
            << "must be greater than start (9), found 3";
        QTest::newRow("evidence start negative")
            << label + R"("evidence":[{"answer":"A","start":-1,"end":2}]})"
            << "evidence[0].start"
            << "whole number";
        QTest::newRow("evidence end fractional")
            << label + R"("evidence":[{"answer":"A","start":0,"end":3.5}]})"
            << "evidence[0].end"
            << "whole number";
        QTest::newRow("evidence end missing") << label + R"("evidence":[{"answer":"A","start":0}]})"
                                              << "evidence[0].end"
                                              << "missing (required)";
        QTest::newRow("evidence answer missing") << label + R"("evidence":[{"start":0,"end":1}]})"
                                                 << "evidence[0].answer"
                                                 << "missing (required)";
        QTest::newRow("evidence answer unknown")
            << label + R"("evidence":[{"answer":"C","start":0,"end":1}]})"
            << "evidence[0].answer"
            << R"(unknown answer slot "C")";
        QTest::newRow("evidence not an array") << label + R"("evidence":{"answer":"A"}})"
                                               << "evidence"
                                               << "found an object";
        QTest::newRow("evidence span not an object") << label + R"("evidence":[3]})"
                                                     << "evidence[0]"
                                                     << "found a number";

        // An empty key is named "" (a field part that is empty would read as no field at all).
        QTest::newRow("empty key") << bytes(R"({"kind":"document","id":"d2","text":"x","":1})") << "\"\""
                                   << "unknown field for kind";
        QTest::newRow("empty answer slot")
            << item + R"("answers":{"A":{"system":"a","text":"x"},"B":{"system":"b","text":"y"},"":{}}})"
            << "answers.\"\""
            << "unknown answer slot";
        QTest::newRow("empty answer field")
            << item + R"("answers":{"A":{"system":"a","text":"x","":0},"B":{"system":"b","text":"y"}}})"
            << "answers.A.\"\""
            << "unknown field";
        QTest::newRow("empty criterion") << label + R"("criteria":{"":"A"}})"
                                         << "criteria.\"\""
                                         << "unknown criterion";
        QTest::newRow("empty faithful slot") << label + R"("faithful":{"":true}})"
                                             << "faithful.\"\""
                                             << "unknown answer slot";
        QTest::newRow("empty evidence field")
            << label + R"("evidence":[{"answer":"A","start":0,"end":1,"":2}]})"
            << "evidence[0].\"\""
            << "unknown field";

        // Labels that say nothing, and timestamps.
        QTest::newRow("label with no facet") << bytes(R"({"kind":"label","item":"q","rater":"r"})") << "label"
                                             << "carries nothing";
        QTest::newRow("label with only metadata")
            << label +
                   R"("rater_kind":"human","created_at":"2026-11-28T10:00:00Z","time_spent_s":3,"shown":"AB"})"
            << "label"
            << "carries nothing";
        QTest::newRow("created_at in words") << label + R"("preference":"A","created_at":"yesterday"})"
                                             << "created_at"
                                             << R"(found "yesterday")";
        QTest::newRow("created_at with a space")
            << label + R"("preference":"A","created_at":"2026-11-28 10:00:00Z"})"
            << "created_at"
            << "ISO 8601";
        QTest::newRow("created_at without zone")
            << label + R"("preference":"A","created_at":"2026-11-28T10:00:00"})"
            << "created_at"
            << "ISO 8601";
        QTest::newRow("created_at date only") << label + R"("preference":"A","created_at":"2026-11-28"})"
                                              << "created_at"
                                              << "ISO 8601";
        QTest::newRow("created_at as number") << label + R"("preference":"A","created_at":20261128})"
                                              << "created_at"
                                              << "expected a string";
        // nlohmann throws out_of_range, not parse_error, for these; it used to end the program.
        QTest::newRow("number too large for a double") << label + R"("preference":"A","time_spent_s":1e400})"
                                                       << "line"
                                                       << "invalid JSON: number overflow parsing '1e400'";
    }
    void rejectsBadLine_namesFileLineAndField()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, field);
        QFETCH(QString, message);
        // The bad line sits between two good ones, so the line number is not the first or last.
        const std::string content = join({kDocumentLine, str(line), kRaterLine});
        const ReadResult r = readText(content, "bad.jsonl");
        QVERIFY2(r.diagnostics.size() == 1, qPrintable(describe(r.diagnostics)));
        const Diagnostic &d = r.diagnostics[0];
        QCOMPARE(d.file, std::string("bad.jsonl"));
        QCOMPARE(d.line, std::int64_t(2));
        QCOMPARE(d.field, field.toStdString());
        QVERIFY2(QString::fromStdString(d.message).contains(message), d.message.c_str());
        // The bad record is dropped; its neighbours are read.
        QCOMPARE(r.batch.documents.size(), std::size_t(1));
        QCOMPARE(r.batch.raters.size(), std::size_t(1));
        QCOMPARE(r.batch.items.size(), std::size_t(0));
        QCOMPARE(r.batch.labels.size(), std::size_t(0));
        QCOMPARE(r.batch.labelKindGiven.size(), r.batch.labels.size());
    }

    void rejectsEmptyFile_atLineZero_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("no bytes") << QByteArray();
        QTest::newRow("blank lines") << bytes("\n\n\n");
        QTest::newRow("BOM only") << bytes("\xEF\xBB\xBF");
        QTest::newRow("BOM, CRLF and whitespace") << bytes("\xEF\xBB\xBF\r\n  \t\r\n\t\n");
    }
    void rejectsEmptyFile_atLineZero()
    {
        QFETCH(QByteArray, content);
        const ReadResult r = readText(view(content), "empty.jsonl");
        QCOMPARE(r.diagnostics.size(), std::size_t(1));
        QCOMPARE(r.diagnostics[0].file, std::string("empty.jsonl"));
        QCOMPARE(r.diagnostics[0].line, std::int64_t(0));
        QCOMPARE(r.diagnostics[0].field, std::string("file"));
        QCOMPARE(r.diagnostics[0].toString(),
                 std::string("empty.jsonl: file: is empty: no documents, items or labels to import"));
        QCOMPARE(recordCount(r.batch), std::size_t(0));
    }

    void rejectsEmptyFile_evenAfterAnotherFilesDiagnostics()
    {
        // Diagnostics accumulate over the files of one import; an empty file must still be named.
        ImportBatch batch;
        std::vector<Diagnostic> diagnostics;
        readJsonl("bad.jsonl", "[1]\n", batch, diagnostics);
        readJsonl("empty.jsonl", "\n", batch, diagnostics);
        QVERIFY2(diagnostics.size() == 2, qPrintable(describe(diagnostics)));
        QCOMPARE(diagnostics[0].file, std::string("bad.jsonl"));
        QCOMPARE(diagnostics[1].file, std::string("empty.jsonl"));
        QCOMPARE(diagnostics[1].line, std::int64_t(0));
        QCOMPARE(diagnostics[1].field, std::string("file"));
    }

    void fileOfOnlyBadLines_isNotAlsoReportedEmpty()
    {
        const ReadResult r = readText("[1]\n{\"kind\"\n", "bad.jsonl");
        QVERIFY2(r.diagnostics.size() == 2, qPrintable(describe(r.diagnostics)));
        QCOMPARE(r.diagnostics[0].line, std::int64_t(1));
        QCOMPARE(r.diagnostics[1].line, std::int64_t(2));
    }

    void rejectsDocumentOverSizeLimit_data()
    {
        QTest::addColumn<qint64>("bytes");
        QTest::addColumn<QString>("message");
        QTest::newRow("well over: in MB") << qint64(40'000'000)
                                          << "document is 40.0 MB; the limit is 33.6 MB (32 MiB) (split it "
                                             "into several documents)";
        // Rounded to 0.1 MB both would read 33.6 MB.
        QTest::newRow("one byte over: in bytes")
            << qint64(kMaxDocumentBytes + 1)
            << "document is 33,554,433 bytes; the limit is 33,554,432 bytes (32 MiB) (split it into several "
               "documents)";
    }
    void rejectsDocumentOverSizeLimit()
    {
        QFETCH(qint64, bytes);
        QFETCH(QString, message);
        std::string line = "{\"kind\":\"document\",\"id\":\"big\",\"text\":\"";
        line.append(static_cast<std::size_t>(bytes), 'x');
        line += "\"}";
        const ReadResult r = readText(line, "big.jsonl");
        QCOMPARE(r.diagnostics.size(), std::size_t(1));
        QCOMPARE(r.diagnostics[0].file, std::string("big.jsonl"));
        QCOMPARE(r.diagnostics[0].line, std::int64_t(1));
        QCOMPARE(r.diagnostics[0].field, std::string("text"));
        QCOMPARE(r.diagnostics[0].message, message.toStdString());
        QCOMPARE(r.batch.documents.size(), std::size_t(0));
    }

    void acceptsDocumentAtSizeLimit()
    {
        std::string line = "{\"kind\":\"document\",\"id\":\"big\",\"text\":\"";
        line.append(kMaxDocumentBytes, 'x');
        line += "\"}";
        const ReadResult r = readText(line, "big.jsonl");
        REQUIRE_NO_DIAGNOSTICS(r);
        QCOMPARE(r.batch.documents.size(), std::size_t(1));
    }

    void reportsErrorsOnEveryLine_inLineOrder()
    {
        const std::string content = join({
            kDocumentLine,                                                  // 1 ok
            R"({"kind":"item")",                                            // 2 truncated
            kRaterLine,                                                     // 3 ok
            R"({"kind":"label","item":"q1","rater":"x","preference":"C"})", // 4 bad value
            "",                                                             // 5 blank
            "[1]",                                                          // 6 not an object
            R"({"kind":"item","id":"q","document":"d","question_type":"essay","answers":{"A":{"system":"a","text":"x"},"B":{"system":"b","text":"y"}}})", // 7: two problems
            kLabelLine, // 8 ok
        });
        const ReadResult r = readText(content, "many.jsonl");
        QVERIFY2(r.diagnostics.size() == 5, qPrintable(describe(r.diagnostics)));
        const std::vector<std::pair<std::int64_t, std::string>> expected = {
            {2, "line"}, {4, "preference"}, {6, "line"}, {7, "question"}, {7, "question_type"}};
        for (std::size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(r.diagnostics[i].file, std::string("many.jsonl"));
            QCOMPARE(r.diagnostics[i].line, expected[i].first);
            QCOMPARE(r.diagnostics[i].field, expected[i].second);
        }
        QCOMPARE(recordCount(r.batch), std::size_t(3));
    }

    void stopsCollectingAtMaxDiagnostics()
    {
        std::string content;
        for (std::size_t i = 0; i < kMaxDiagnostics + 50; ++i)
            content += "x\n";
        const ReadResult r = readText(content);
        QCOMPARE(r.diagnostics.size(), kMaxDiagnostics);
        QCOMPARE(r.diagnostics.back().line, std::int64_t(kMaxDiagnostics));
    }

    // Nesting beyond kMaxNesting used to overflow the stack in nlohmann's dump() (a 120 KB line).
    void rejectsDeeplyNestedValue_namingTheField_data()
    {
        QTest::addColumn<QString>("where");
        QTest::addColumn<QString>("field");
        QTest::newRow("document meta") << "meta"
                                       << "meta";
        QTest::newRow("rater config") << "config"
                                      << "config";
        QTest::newRow("evidence start") << "start"
                                        << "evidence[0].start";
        QTest::newRow("time_spent_s") << "time"
                                      << "time_spent_s";
        QTest::newRow("unknown field") << "unknown"
                                       << "extra.a.b.c";
        QTest::newRow("the line itself") << "line"
                                         << "line";
    }
    void rejectsDeeplyNestedValue_namingTheField()
    {
        QFETCH(QString, where);
        QFETCH(QString, field);
        const std::string content = join({kDocumentLine, deepLine(str(where), 100'000), kRaterLine});
        for (LineReading reading : {LineReading::Fast, LineReading::CheckedOnly}) {
            ImportBatch batch;
            std::vector<Diagnostic> diagnostics;
            readJsonlLines("deep.jsonl", splitJsonl(content, 1).front(), batch, diagnostics, reading);
            QVERIFY2(diagnostics.size() == 1, qPrintable(describe(diagnostics)));
            QCOMPARE(diagnostics[0].toString(),
                     "deep.jsonl:2: " + str(field) + ": nested deeper than 512 levels");
            QCOMPARE(recordCount(batch), std::size_t(2));
        }
    }

    void nestingLimit_countsTheLinesObjectAsTheFirstLevel()
    {
        // The line's object and meta are two levels: 510 arrays inside meta make 512.
        const ReadResult at = readText(deepLine("meta", kMaxNesting - 2));
        REQUIRE_NO_DIAGNOSTICS(at);
        const ReadResult over = readText(deepLine("meta", kMaxNesting - 1));
        QCOMPARE(over.diagnostics.size(), std::size_t(1));
        QCOMPARE(over.diagnostics[0].field, std::string("meta"));
    }

    void acceptsDeepMetaWithinTheLimit_keepingItWhole()
    {
        const std::string value = std::string(300, '[') + std::string(300, ']');
        const ReadResult r = readText(deepLine("meta", 300));
        REQUIRE_NO_DIAGNOSTICS(r);
        QCOMPARE(r.batch.documents.size(), std::size_t(1));
        QCOMPARE(r.batch.documents[0].value.metaJson, std::optional<std::string>("{\"a\":" + value + "}"));
        QCOMPARE(canonicalJsonObject(deepLine("meta", 100'000)), std::optional<std::string>());
    }

    void messagesShowAnExcerptOfAValue_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("message");
        const QByteArray label = R"({"kind":"label","item":"q","rater":"r","note":"n",)";
        const QByteArray deep = QByteArray(500, '[') + QByteArray(500, ']');
        const QByteArray longText = QByteArray(200, 'x');
        const QString cut = QString(60, QLatin1Char('x')) + QStringLiteral("…");
        QTest::newRow("time_spent_s an array")
            << label + R"("time_spent_s":)" + deep + "}"
            << "time_spent_s: expected a number of seconds ≥ 0, found an array";
        QTest::newRow("evidence start an object")
            << label + R"("evidence":[{"answer":"A","start":{"a":[1,2,3]},"end":1}]})"
            << "evidence[0].start: expected a whole number ≥ 0, found an object";
        QTest::newRow("evidence start a string")
            << label + "\"evidence\":[{\"answer\":\"A\",\"start\":\"" + longText + "\",\"end\":1}]}"
            << "evidence[0].start: expected a whole number ≥ 0, found \"" + cut + "\"";
        QTest::newRow("negative start as written")
            << label + R"("evidence":[{"answer":"A","start":-1,"end":1}]})"
            << "evidence[0].start: expected a whole number ≥ 0, found -1";
        QTest::newRow("long created_at")
            << label + "\"created_at\":\"" + longText + "\"}"
            << "created_at: expected an ISO 8601 timestamp such as \"2026-11-28T10:00:00Z\", found \"" + cut +
                   "\"";
        QTest::newRow("long kind") << "{\"kind\":\"" + longText + "\"}"
                                   << "kind: unknown kind \"" + cut +
                                          "\" (allowed: document, item, label, rater)";
        // Cut at a character boundary: 59 bytes of x and then a two-byte é do not fit in 60.
        QTest::newRow("cut before a multi-byte character")
            << "{\"kind\":\"" + QByteArray(59, 'x') + "\xC3\xA9" + longText + "\"}"
            << "kind: unknown kind \"" + QString(59, QLatin1Char('x')) +
                   "…\" (allowed: document, item, label, rater)";
    }
    void messagesShowAnExcerptOfAValue()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, message);
        const ReadResult r = readText(view(line), "m.jsonl");
        QVERIFY2(r.diagnostics.size() == 1, qPrintable(describe(r.diagnostics)));
        QCOMPARE(r.diagnostics[0].toString(), "m.jsonl:1: " + str(message));
    }

    void emptyKey_isNamedAsEmptyQuotes()
    {
        const ReadResult r = readText(kEmptyKeyLine, "e.jsonl");
        QCOMPARE(r.diagnostics.size(), std::size_t(1));
        QCOMPARE(
            r.diagnostics[0].toString(),
            std::string("e.jsonl:1: \"\": unknown field for kind \"document\" (allowed: kind, id, title, "
                        "text, meta; put extra data in \"meta\")"));
    }

    void rejectsUtf16AndUtf32_inOneMessage_data()
    {
        QTest::addColumn<int>("width");
        QTest::addColumn<bool>("bigEndian");
        QTest::addColumn<bool>("bom");
        for (int width : {2, 4})
            for (bool bigEndian : {false, true})
                for (bool bom : {true, false})
                    QTest::addRow("UTF-%d%s%s", 8 * width, bigEndian ? "BE" : "LE", bom ? " with BOM" : "")
                        << width << bigEndian << bom;
    }
    void rejectsUtf16AndUtf32_inOneMessage()
    {
        QFETCH(int, width);
        QFETCH(bool, bigEndian);
        QFETCH(bool, bom);
        std::string lines;
        for (int i = 0; i < 100; ++i)
            lines += "{\"kind\":\"document\",\"id\":\"u" + std::to_string(i) + "\",\"text\":\"x\"}\n";
        const QByteArray content = wide(lines, width, bigEndian, bom);
        const std::string expected =
            "u.jsonl:1: line: the file is UTF-" + std::to_string(8 * width) + ", not UTF-8; save it as UTF-8";
        const ReadResult r = readText(view(content), "u.jsonl");
        QVERIFY2(r.diagnostics.size() == 1, qPrintable(describe(r.diagnostics)));
        QCOMPARE(r.diagnostics[0].toString(), expected);
        // Read in parts at once (a large file), it is still one message: the file is one part.
        QCOMPARE(splitJsonl(view(content), 4).size(), std::size_t(1));
        QCOMPARE(splitJsonl(view(content), 4, false).size(), std::size_t(1));
    }

    void columnsOnLineOne_countTheBom_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("message"); // on line 1 after a BOM
        QTest::newRow("invalid UTF-8") << bytes("{\"kind\":\"document\",\"id\":\"d2\",\"text\":\"caf\xE9!\"}")
                                       << "line: invalid UTF-8 at column 44 (save the file as UTF-8)";
        QTest::newRow("NUL byte") << bytes("{\"kind\":\"document\",\"id\":\"d2\",\0\"text\":\"x\"}")
                                  << "line: contains a NUL byte at column 33 (is this a binary file?)";
        QTest::newRow("malformed JSON")
            << bytes(R"({"kind":"document" "id":"d2"})") << "line: invalid JSON at column";
    }
    void columnsOnLineOne_countTheBom()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, message);
        const std::string twice = str(line) + "\n" + str(line) + "\n";
        const ReadResult plain = readText(twice);
        const ReadResult bom = readText("\xEF\xBB\xBF" + twice);
        QVERIFY2(plain.diagnostics.size() == 2, qPrintable(describe(plain.diagnostics)));
        QVERIFY2(bom.diagnostics.size() == 2, qPrintable(describe(bom.diagnostics)));
        QVERIFY2(bom.diagnostics[0].toString().starts_with("in.jsonl:1: " + str(message)),
                 bom.diagnostics[0].toString().c_str());
        QCOMPARE(columnIn(bom.diagnostics[0].message), columnIn(plain.diagnostics[0].message) + 3);
        QCOMPARE(bom.diagnostics[1].toString(), plain.diagnostics[1].toString()); // line 2: no BOM before it
        // Read in parts, only the part that starts the file has the BOM.
        const std::vector<JsonlPart> parts = splitJsonl("\xEF\xBB\xBF" + twice, 2);
        QCOMPARE(parts.size(), std::size_t(2));
        QCOMPARE(parts[0].firstColumn, std::int64_t(4));
        QCOMPARE(parts[1].firstColumn, std::int64_t(1));
    }

    void sortDiagnostics_byFileThenLine_keepingTheOrderWithinALine()
    {
        std::vector<Diagnostic> d = {{"b.jsonl", 3, "item", "1"},    {"a.jsonl", 5, "id", "2"},
                                     {"elsewhere", 1, "file", "3"},  {"b.jsonl", 1, "id", "4"},
                                     {"a.jsonl", 5, "text", "5"},    {"a.jsonl", 0, "file", "6"},
                                     {"b.jsonl", 3, "document", "7"}};
        sortDiagnostics(d, {"b.jsonl", "a.jsonl"});
        std::string order;
        for (const Diagnostic &x : d)
            order += x.message;
        QCOMPARE(order, std::string("4176253"));
    }

    // ---- Diagnostics --------------------------------------------------------------------------

    void diagnosticToString_rendersFileLineFieldMessage_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<qint64>("line");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("rendered");
        QTest::newRow("line and field") << "in.jsonl" << qint64(3) << "preference"
                                        << "bad value"
                                        << "in.jsonl:3: preference: bad value";
        QTest::newRow("whole file") << "in.jsonl" << qint64(0) << "file"
                                    << "is empty"
                                    << "in.jsonl: file: is empty";
        QTest::newRow("no field") << "x.jsonl" << qint64(12) << ""
                                  << "oops"
                                  << "x.jsonl:12: oops";
        QTest::newRow("path with directories")
            << "/data/run 1/labels.jsonl" << qint64(1048576) << "evidence[0].end"
            << "m"
            << "/data/run 1/labels.jsonl:1048576: evidence[0].end: m";
    }
    void diagnosticToString_rendersFileLineFieldMessage()
    {
        QFETCH(QString, file);
        QFETCH(qint64, line);
        QFETCH(QString, field);
        QFETCH(QString, message);
        QFETCH(QString, rendered);
        const Diagnostic d{file.toStdString(), line, field.toStdString(), message.toStdString()};
        QCOMPARE(d.toString(), rendered.toStdString());
    }

    void diagnosticFromReader_rendersExactly()
    {
        const std::string content = join(
            {kDocumentLine,
             R"({"kind":"item","id":"q","document":"d","question":"Q","question_type":"essay","answers":{"A":{"system":"a","text":"x"},"B":{"system":"b","text":"y"}}})"});
        const ReadResult r = readText(content, "bad.jsonl");
        QCOMPARE(r.diagnostics.size(), std::size_t(1));
        QCOMPARE(
            r.diagnostics[0].toString(),
            std::string(
                R"(bad.jsonl:2: question_type: unknown value "essay" (allowed: fact_recall, definition, )"
                R"(summarization, interpretation, inference, no_info))"));
    }

    // ---- Writing ------------------------------------------------------------------------------

    void toJsonLine_rater_isCanonical()
    {
        QCOMPARE(toJsonLine(sampleRater(false)),
                 std::string(R"({"kind":"rater","id":"alice","rater_kind":"human"})"));
        QCOMPARE(toJsonLine(sampleRater(true)), std::string(kRaterLine));
    }

    void toJsonLine_document_isCanonical()
    {
        QCOMPARE(toJsonLine(sampleDocument(false)),
                 std::string(R"({"kind":"document","id":"d","text":"hi"})"));
        // JSON escapes for quote, backslash and controls; UTF-8 written as is.
        QCOMPARE(toJsonLine(sampleDocument(true)),
                 std::string("{\"kind\":\"document\",\"id\":\"lease\",\"title\":\"\","
                             "\"text\":\"Line 1\\n\\\"quoted\\\" \\\\ £ 😀\\tend\","
                             "\"meta\":{\"lang\":\"en\",\"pages\":[1,2]}}"));
    }

    void toJsonLine_item_isCanonical()
    {
        QCOMPARE(
            toJsonLine(sampleItem(false)),
            std::string(
                R"({"kind":"item","id":"q","document":"d","question":"What is the rent?",)"
                R"("question_type":"fact_recall","answerable":true,)"
                R"("answers":{"A":{"system":"sysA","text":"£1,200 a month."},"B":{"system":"sysB","text":"£1,500."}}})"));
        QCOMPARE(
            toJsonLine(sampleItem(true)),
            std::string(
                R"({"kind":"item","id":"q1","document":"lease","question":"What is the rent?",)"
                R"("question_type":"no_info","answerable":false,"evidence_position":0.25,)"
                R"("reference_answer":"£1,200","answers":{"A":{"system":"sysA","text":"£1,200 a month."},)"
                R"("B":{"system":"sysB","text":""}},"meta":{"split":"dev"}})"));
    }

    void toJsonLine_label_isCanonical()
    {
        QCOMPARE(
            toJsonLine(sampleLabel(false)),
            std::string(
                R"({"kind":"label","item":"q1","rater":"alice","rater_kind":"human","preference":"tie"})"));
        QCOMPARE(toJsonLine(sampleLabel(true)), std::string(kLabelLine));
    }

    void toJsonLine_label_fixesFacetOrderWhateverTheGivenOrder()
    {
        LabelRevision scrambled = sampleLabel(true);
        std::reverse(scrambled.values.begin(), scrambled.values.end());
        std::rotate(scrambled.values.begin(), scrambled.values.begin() + 3, scrambled.values.end());
        QCOMPARE(toJsonLine(scrambled), std::string(kLabelLine));
    }

    void toJsonLine_label_writesFaithfulAsBooleans()
    {
        LabelRevision l;
        l.itemId = "q";
        l.raterId = "r";
        l.values = {{Facet::Faithful, Slot::B, std::string(kFaithful)},
                    {Facet::Faithful, Slot::A, std::string(kUnfaithful)}};
        QCOMPARE(
            toJsonLine(l),
            std::string(
                R"({"kind":"label","item":"q","rater":"r","rater_kind":"human","faithful":{"A":false,"B":true}})"));
    }

    void toJsonLine_label_writesWholeSecondsAsIntegers()
    {
        LabelRevision l;
        l.itemId = "q";
        l.raterId = "r";
        l.note = "n";
        l.timeSpentS = 30.0;
        l.evidence = std::vector<EvidenceSpan>{};
        QCOMPARE(
            toJsonLine(l),
            std::string(
                R"({"kind":"label","item":"q","rater":"r","rater_kind":"human","evidence":[],"note":"n","time_spent_s":30})"));
    }

    void canonicalLines_readAndWriteBackUnchanged_data()
    {
        QTest::addColumn<QString>("line");
        QTest::newRow("rater") << QString::fromUtf8(kRaterLine);
        QTest::newRow("document") << QString::fromUtf8(kDocumentLine);
        QTest::newRow("item") << QString::fromUtf8(kItemLine);
        QTest::newRow("label") << QString::fromUtf8(kLabelLine);
    }
    void canonicalLines_readAndWriteBackUnchanged()
    {
        QFETCH(QString, line);
        const std::string text = line.toStdString();
        const ReadResult r = readText(text);
        REQUIRE_NO_DIAGNOSTICS(r);
        QCOMPARE(recordCount(r.batch), std::size_t(1));
        std::string written;
        if (!r.batch.raters.empty())
            written = toJsonLine(r.batch.raters[0].value);
        else if (!r.batch.documents.empty())
            written = toJsonLine(r.batch.documents[0].value);
        else if (!r.batch.items.empty())
            written = toJsonLine(r.batch.items[0].value);
        else
            written = toJsonLine(r.batch.labels[0].value);
        QCOMPARE(written, text);
    }

    void roundTrip_recordsReadBackEqual_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<bool>("full");
        for (const char *kind : {"rater", "document", "item", "label"}) {
            QTest::newRow(qPrintable(QString("%1, required fields").arg(kind))) << kind << false;
            QTest::newRow(qPrintable(QString("%1, all fields").arg(kind))) << kind << true;
        }
    }
    void roundTrip_recordsReadBackEqual()
    {
        QFETCH(QString, kind);
        QFETCH(bool, full);
        if (kind == "rater") {
            const Rater original = sampleRater(full);
            const ReadResult r = readText(toJsonLine(original));
            REQUIRE_NO_DIAGNOSTICS(r);
            QCOMPARE(r.batch.raters.size(), std::size_t(1));
            compareRecords(r.batch.raters[0].value, original);
        } else if (kind == "document") {
            const Document original = sampleDocument(full);
            const ReadResult r = readText(toJsonLine(original));
            REQUIRE_NO_DIAGNOSTICS(r);
            QCOMPARE(r.batch.documents.size(), std::size_t(1));
            compareRecords(r.batch.documents[0].value, original);
        } else if (kind == "item") {
            const Item original = sampleItem(full);
            const ReadResult r = readText(toJsonLine(original));
            REQUIRE_NO_DIAGNOSTICS(r);
            QCOMPARE(r.batch.items.size(), std::size_t(1));
            compareRecords(r.batch.items[0].value, original);
        } else {
            const LabelRevision original = sampleLabel(full);
            const ReadResult r = readText(toJsonLine(original));
            REQUIRE_NO_DIAGNOSTICS(r);
            QCOMPARE(r.batch.labels.size(), std::size_t(1));
            QCOMPARE(r.batch.labelKindGiven, std::vector<bool>{true}); // the writer always names the kind
            compareRecords(r.batch.labels[0].value, original);
        }
    }

    void roundTrip_labelWithFacetsInAnyOrder_keepsEveryValue()
    {
        LabelRevision scrambled = sampleLabel(true);
        std::reverse(scrambled.values.begin(), scrambled.values.end());
        const ReadResult r = readText(toJsonLine(scrambled));
        REQUIRE_NO_DIAGNOSTICS(r);
        const LabelRevision &back = r.batch.labels.at(0).value;
        QCOMPARE(back.values.size(), scrambled.values.size());
        for (const FacetValue &v : scrambled.values)
            QVERIFY2(std::find(back.values.begin(), back.values.end(), v) != back.values.end(),
                     v.value.c_str());
        QCOMPARE(toJsonLine(back), toJsonLine(scrambled));
    }

    void metaKeyOrder_canonicalisesToTheSameLine()
    {
        const std::string a =
            R"({"kind":"document","id":"d","text":"x","meta":{"source":"s","lang":"en","n":{"b":2,"a":1}}})";
        const std::string b =
            R"({"kind":"document","id":"d","text":"x","meta":{"n":{"a":1,"b":2},"lang":"en","source":"s"}})";
        const ReadResult ra = readText(a);
        const ReadResult rb = readText(b);
        REQUIRE_NO_DIAGNOSTICS(ra);
        REQUIRE_NO_DIAGNOSTICS(rb);
        const Document &da = ra.batch.documents.at(0).value;
        const Document &db = rb.batch.documents.at(0).value;
        QCOMPARE(da.metaJson, db.metaJson);
        QCOMPARE(toJsonLine(da), toJsonLine(db));
        QCOMPARE(
            toJsonLine(da),
            std::string(
                R"({"kind":"document","id":"d","text":"x","meta":{"lang":"en","n":{"a":1,"b":2},"source":"s"}})"));

        // A record built in code, with meta canonicalised on the way in, writes the same line.
        Document built;
        built.id = "d";
        built.text = "x";
        built.metaJson = canonicalJsonObject(R"({"source":"s","n":{"b":2,"a":1},"lang":"en"})");
        QCOMPARE(toJsonLine(built), toJsonLine(da));
    }

    void canonicalJsonObject_sortsKeysCompactly_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("two keys") << bytes(R"({"b":1,"a":2})") << R"({"a":2,"b":1})";
        QTest::newRow("nested objects in arrays") << bytes(R"({"z":{"y":1,"x":[{"d":1,"c":2}]},"a":null})")
                                                  << R"({"a":null,"z":{"x":[{"c":2,"d":1}],"y":1}})";
        QTest::newRow("whitespace") << bytes(" {\n \"a\" : [ 1 , 2 ] ,\t\"b\" : { } } ")
                                    << R"({"a":[1,2],"b":{}})";
        QTest::newRow("empty object") << bytes("{}") << "{}";
        QTest::newRow("unicode escapes become UTF-8")
            << bytes(R"({"k":"\u00a3 \ud83d\ude00"})") << QString::fromUtf8("{\"k\":\"£ 😀\"}");
        QTest::newRow("array order kept") << bytes(R"({"a":[3,1,2]})") << R"({"a":[3,1,2]})";
        QTest::newRow("booleans and floats")
            << bytes(R"({"t":true,"f":false,"x":0.5})") << R"({"f":false,"t":true,"x":0.5})";
    }
    void canonicalJsonObject_sortsKeysCompactly()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, canonical);
        const std::optional<std::string> out = canonicalJsonObject(view(json));
        QCOMPARE(out, std::optional<std::string>(canonical.toStdString()));
        QCOMPARE(canonicalJsonObject(*out), out); // idempotent
    }

    void canonicalJsonObject_rejectsNonObjects_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("array") << bytes("[1,2]");
        QTest::newRow("number") << bytes("1");
        QTest::newRow("string") << bytes(R"("s")");
        QTest::newRow("null") << bytes("null");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("unterminated") << bytes(R"({"a":1)");
        QTest::newRow("trailing text") << bytes(R"({"a":1} x)");
        QTest::newRow("two objects") << bytes(R"({"a":1}{"b":2})");
        QTest::newRow("single quotes") << bytes("{'a':1}");
        QTest::newRow("invalid UTF-8") << bytes("{\"a\":\"\xE9\"}");
    }
    void canonicalJsonObject_rejectsNonObjects()
    {
        QFETCH(QByteArray, json);
        QCOMPARE(canonicalJsonObject(view(json)), std::optional<std::string>());
    }
};

QTEST_APPLESS_MAIN(JsonlTest)
#include "jsonl_test.moc"
