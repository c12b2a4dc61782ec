// The two ways of reading a JSONL line (jsonl.h, LineReading) agree: the fast scanner and the
// checked DOM path give the same records and the same diagnostics, on tricky valid lines and on
// many thousands of lines damaged at random.
#include "jsonl.h"
#include "modeltest.h"

#include <QTest>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <random>
#include <sstream>

using namespace concord::model;

namespace {

// Lines (all but two of them valid) that exercise what the fast scanner does itself (escapes, whitespace, key
// order, nulls, numbers, meta) and what it hands over (duplicate keys, long numbers, -0).
const char *const kSeeds[] = {
    R"({"kind":"rater","id":"gpt-judge","rater_kind":"judge","name":"GPT judge","config":{"model":{"name":"x","version":2},"temperature":0}})",
    R"({"kind":"rater","id":"a","rater_kind":"human"})",
    R"({"rater_kind":"gold","kind":"rater","id":"g\u00e9","config":{"b":[1,2.5,-0,1e3,12345678901234567890],"a":null,"a":true}})",
    R"({"kind":"document","id":"lease","title":"Lease £","text":"The rent is £1,200 — per month 😀.\nSigned.","meta":{"lang":"en","source":"test"}})",
    R"({"kind":"document","id":"d","title":"","text":"a\"b\\c\/d\b\f\n\r\t\u0000\u001f\u00e9\u20ac\ud83d\ude00 end"})",
    "{ \"text\" : \"x\" ,\t\"id\" : \"d2\" , \"kind\" : \"document\" }",
    R"({"\u006bind":"document","id":"d3","text":"y"})",
    R"({"kind":"item","id":"q1","document":"lease","question":"What is the rent?","question_type":"no_info","answerable":true,"evidence_position":0.25,"reference_answer":"£1,200","answers":{"A":{"system":"sysA","text":"£1,200 a month."},"B":{"system":"sysB","text":""}},"meta":{"split":"dev"}})",
    R"({"kind":"item","id":"q2","document":"d","question":"Q?","question_type":"no_info","answers":{"B":{"text":"t","system":"s2"},"A":{"system":"s1","text":"u"}}})",
    R"({"kind":"item","id":"q3","document":"d","question":"Q?","question_type":"inference","evidence_position":1,"answers":{"A":{"system":"s1","text":"u"},"B":{"system":"s2","text":"v"}}})",
    R"({"kind":"item","id":"q4","document":"d","question":"Q?","question_type":"definition","evidence_position":5E-1,"answerable":false,"answers":{"A":{"system":"s1","text":"u"},"B":{"system":"s2","text":"v"}}})",
    R"({"kind":"item","id":"q5","document":"d","question":"Q?","question_type":"summarization","evidence_position":0.1234567890123456789,"answers":{"A":{"system":"s1","text":"u"},"B":{"system":"s2","text":"v"}}})",
    R"({"kind":"item","id":"q6","document":"d","question":"Q?","question_type":"fact_recall","evidence_position":-0,"answers":{"A":{"system":"s1","text":"u"},"B":{"system":"s2","text":"v"}}})",
    R"({"kind":"item","id":"q7","document":"d","question":"Q?","question_type":"fact_recall","evidence_position":0e0,"answers":{"A":{"system":"s1","text":"u"},"B":{"system":"s2","text":"v"}}})",
    R"({"kind":"label","item":"q1","rater":"gpt-judge","rater_kind":"judge","preference":"A","criteria":{"relevance":"B","comprehensiveness":"tie","conciseness":"A"},"faithful":{"A":true,"B":false},"no_info":{"A":"answered","B":"declined_wrongly"},"evidence":[{"answer":"A","start":4,"end":28,"note":"rent clause"},{"answer":"B","start":0,"end":3}],"note":"close call","created_at":"2026-11-28T10:00:00Z","time_spent_s":12.5,"shown":"BA"})",
    R"({"kind":"label","item":"q1","rater":"alice","preference":null,"criteria":{"relevance":null},"faithful":{"B":null},"no_info":{"A":null}})",
    R"({"kind":"label","item":"q1","rater":"alice","evidence":[],"time_spent_s":95,"created_at":"2026-11-28T10:00:00.123+01:00"})",
    R"({"kind":"label","item":"q1","rater":"alice","note":"","evidence":[{"note":"","end":2,"start":1,"answer":"B"}]})",
    R"({"kind":"label","item":"q1","rater":"alice","preference":"tie","preference":"A"})",
    R"({"kind":"label","item":"q1","rater":"alice","faithful":{"A":true,"A":false}})",
    R"({"kind":"label","item":"q1","rater":"bob","rater_kind":"human","time_spent_s":1e2,"note":"x"})",
    R"({"kind":"label","item":"q1","rater":"bob","evidence":[{"answer":"A","start":0,"end":123456789012345678901}]})",
    R"({"kind":"label","item":"q1","rater":"bob","evidence":[{"answer":"A","start":-0,"end":1}]})",
    R"({"kind":"label","item":"q1","rater":"bob","time_spent_s":1e400})",
    R"({"kind":"label","item":"q1","rater":"bob","preference":"A","shown":"AB"}   )",
};

std::string number(double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%a%s", v, std::signbit(v) ? "(neg)" : "");
    return buf;
}

std::string opt(const std::optional<std::string> &s)
{
    return s ? std::string(1, '"').append(*s).append(1, '"') : std::string("-");
}

/// Everything a read produced, spelled out field by field (not through toJsonLine, which would
/// hide an empty title against none, -0 against 0 or the order of facet values).
std::string describe(const ImportBatch &b, const std::vector<Diagnostic> &diagnostics)
{
    std::ostringstream out;
    for (const Diagnostic &d : diagnostics)
        out << "diagnostic " << d.toString() << "\n";
    for (const auto &[src, r] : b.raters)
        out << "rater @" << src.line << ' ' << r.id << ' ' << toString(r.kind) << ' ' << opt(r.name) << ' '
            << opt(r.configJson) << "\n";
    for (const auto &[src, d] : b.documents)
        out << "document @" << src.line << ' ' << d.id << ' ' << opt(d.title) << ' ' << d.text << ' '
            << opt(d.metaJson) << "\n";
    for (const auto &[src, i] : b.items) {
        out << "item @" << src.line << ' ' << i.id << ' ' << i.documentId << ' ' << i.question << ' '
            << toString(i.type) << ' ' << (i.answerable ? "answerable" : "unanswerable") << ' '
            << (i.evidencePosition ? number(*i.evidencePosition) : "-") << ' ' << opt(i.referenceAnswer)
            << ' ' << opt(i.metaJson);
        for (const Answer &a : i.answers)
            out << " [" << a.system << '|' << a.text << ']';
        out << "\n";
    }
    for (std::size_t k = 0; k < b.labels.size(); ++k) {
        const auto &[src, l] = b.labels[k];
        out << "label @" << src.line << ' ' << l.itemId << ' ' << l.raterId << ' ' << toString(l.raterKind)
            << (b.labelKindGiven.at(k) ? " given" : " default");
        for (const FacetValue &v : l.values)
            out << ' ' << toString(v.facet) << (v.slot ? toString(*v.slot) : "") << '=' << v.value;
        if (l.evidence) {
            out << " evidence";
            for (const EvidenceSpan &e : *l.evidence)
                out << " [" << toString(e.answer) << ' ' << e.start << ' ' << e.end << ' ' << opt(e.note)
                    << ']';
        }
        out << ' ' << opt(l.note) << ' ' << opt(l.createdAt) << ' '
            << (l.timeSpentS ? number(*l.timeSpentS) : "-") << ' ' << opt(l.shownOrder) << "\n";
    }
    return out.str();
}

std::string readWith(std::string_view content, LineReading reading)
{
    ImportBatch batch;
    std::vector<Diagnostic> diagnostics;
    const std::vector<JsonlPart> parts = splitJsonl(content, 1);
    readJsonlLines("in.jsonl", parts.front(), batch, diagnostics, reading);
    return describe(batch, diagnostics);
}

} // namespace

class JsonlPathsTest : public QObject
{
    Q_OBJECT

private slots:
    void seedLinesReadTheSameBothWays_data()
    {
        QTest::addColumn<QByteArray>("line");
        int n = 0;
        for (const char *seed : kSeeds)
            QTest::newRow(std::to_string(n++).c_str()) << QByteArray(seed);
    }

    void seedLinesReadTheSameBothWays()
    {
        QFETCH(QByteArray, line);
        const std::string content = concord::test::str(line) + "\n";
        QCOMPARE(readWith(content, LineReading::Fast), readWith(content, LineReading::CheckedOnly));
    }

    /// Random damage: a byte replaced by one that matters to JSON, removed, or a run repeated.
    void damagedLinesReadTheSameBothWays()
    {
        const std::string alphabet = "{}[]\":,\\ \t0123456789.eE+-ntfrulasAB\x01\xc3\xa9";
        std::mt19937 rng(20261201);
        int cases = 0, accepted = 0;
        for (int round = 0; round < 1500; ++round) {
            for (const char *seed : kSeeds) {
                std::string line = seed;
                const int edits = 1 + int(rng() % 3);
                for (int e = 0; e < edits && !line.empty(); ++e) {
                    const std::size_t at = rng() % line.size();
                    switch (rng() % 5) {
                    case 0:
                        line[at] = alphabet[rng() % alphabet.size()];
                        break;
                    case 3: // often still valid: a letter or digit for another, or whitespace
                        if (std::isalnum(static_cast<unsigned char>(line[at])))
                            line[at] = "aB0z9_"[rng() % 6];
                        else
                            line = line.substr(0, at) + " " + line.substr(at);
                        break;
                    case 4:
                        line = line.substr(0, at) + "\t" + line.substr(at);
                        break;
                    case 1:
                        line = line.substr(0, at) + line.substr(std::min(line.size(), at + 1 + rng() % 3));
                        break;
                    default: {
                        const std::size_t length = 1 + rng() % 8;
                        line = line.substr(0, at + length) + line.substr(at);
                    }
                    }
                }
                const std::string content = line + "\n";
                const std::string checked = readWith(content, LineReading::CheckedOnly);
                const std::string fast = readWith(content, LineReading::Fast);
                if (fast != checked)
                    QFAIL(("line: " + line + "\nchecked:\n" + checked + "fast:\n" + fast).c_str());
                ++cases;
                accepted += checked.find("diagnostic") == std::string::npos;
            }
        }
        qInfo("%d damaged lines, %d of them still valid", cases, accepted);
    }
};

QTEST_APPLESS_MAIN(JsonlPathsTest)
#include "jsonlpaths_test.moc"
