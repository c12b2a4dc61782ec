// The bundled demo (resources/demo/demo.jsonl) against its specification (issue "Foundation", §6):
// a long original document, enough items of every question type at the evidence positions the
// position charts need, two systems, and labels from two humans and a judge who disagree now and
// then, so that every view has something to show on first launch.
#include "importplan.h"
#include "jsonl.h"
#include "modeltest.h"

#include <QFile>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

using namespace concord::model;

namespace {

/// The demo needs no project: every reference in it resolves within the file.
class EmptyProject final : public ProjectLookup
{
public:
    std::optional<ExistingDocument> document(const std::string &) override { return std::nullopt; }
    std::optional<ExistingItem> item(const std::string &) override { return std::nullopt; }
    std::optional<Rater> rater(const std::string &) override { return std::nullopt; }
    bool hasLabelRevision(const std::string &) override { return false; }
};

std::size_t wordCount(std::string_view text)
{
    std::size_t words = 0;
    bool inWord = false;
    for (char c : text) {
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        words += !space && !inWord;
        inWord = !space;
    }
    return words;
}

} // namespace

class DemoTest : public QObject
{
    Q_OBJECT

    ImportBatch m_batch;

private slots:
    void initTestCase()
    {
        QFile f(QStringLiteral(CONCORD_SOURCE_DIR "/resources/demo/demo.jsonl"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray content = f.readAll();
        std::vector<Diagnostic> diagnostics;
        readJsonl("demo.jsonl", concord::test::view(content), m_batch, diagnostics);
        EmptyProject project;
        planImport(m_batch, project, diagnostics);
        QVERIFY2(diagnostics.empty(), diagnostics.empty() ? "" : diagnostics.front().toString().c_str());
    }

    void documentTextHasAtLeast8000Words()
    {
        std::size_t words = 0;
        for (const auto &d : m_batch.documents)
            words += wordCount(d.value.text);
        QVERIFY2(words >= 8000, std::to_string(words).c_str());
    }

    void hasAtLeast36ItemsOfAllSixTypes_severalNoInfo()
    {
        QVERIFY(m_batch.items.size() >= 36);
        std::map<QuestionType, int> byType;
        for (const auto &i : m_batch.items)
            ++byType[i.value.type];
        for (QuestionType t :
             {QuestionType::FactRecall, QuestionType::Definition, QuestionType::Summarization,
              QuestionType::Interpretation, QuestionType::Inference, QuestionType::NoInfo})
            QVERIFY2(byType[t] >= 1, concord::test::spelled(t).c_str());
        QVERIFY2(byType[QuestionType::NoInfo] >= 3, std::to_string(byType[QuestionType::NoInfo]).c_str());
        for (const auto &i : m_batch.items)
            if (i.value.type == QuestionType::NoInfo)
                QVERIFY2(!i.value.answerable, i.value.id.c_str());
    }

    void evidenceSitsNearAQuarterHalfAndThreeQuarters()
    {
        for (double target : {0.25, 0.5, 0.75}) {
            const auto near = std::count_if(m_batch.items.begin(), m_batch.items.end(), [&](const auto &i) {
                return i.value.evidencePosition && std::fabs(*i.value.evidencePosition - target) <= 0.05;
            });
            QVERIFY2(near >= 2, (std::to_string(target) + ": " + std::to_string(near)).c_str());
        }
    }

    void answersComeFromTwoSystems()
    {
        std::set<std::string> systems;
        for (const auto &i : m_batch.items) {
            QVERIFY(i.value.answers[0].system != i.value.answers[1].system);
            for (const Answer &a : i.value.answers)
                systems.insert(a.system);
        }
        QCOMPARE(systems.size(), std::size_t(2));
    }

    void labelsComeFromTwoHumansAndOneJudge_whoSometimesDisagree()
    {
        std::map<std::string, RaterKind> kinds;
        for (const auto &r : m_batch.raters)
            kinds[r.value.id] = r.value.kind;
        std::map<std::string, std::map<std::string, std::string>> preference; // rater -> item -> newest
        for (const auto &l : m_batch.labels) {
            const RaterKind kind = kinds.count(l.value.raterId) ? kinds[l.value.raterId] : l.value.raterKind;
            kinds[l.value.raterId] = kind;
            for (const FacetValue &v : l.value.values)
                if (v.facet == Facet::Preference)
                    preference[l.value.raterId][l.value.itemId] = v.value;
        }
        std::vector<std::string> humans, judges;
        for (const auto &[rater, items] : preference)
            (kinds[rater] == RaterKind::Human ? humans : judges).push_back(rater);
        QCOMPARE(humans.size(), std::size_t(2));
        QCOMPARE(judges.size(), std::size_t(1));
        QVERIFY(kinds[judges[0]] == RaterKind::Judge);

        // Agreement must be non-trivial: the two humans share most items and differ on some.
        int shared = 0, differ = 0;
        for (const auto &[item, value] : preference[humans[0]])
            if (auto it = preference[humans[1]].find(item); it != preference[humans[1]].end()) {
                ++shared;
                differ += it->second != value;
            }
        QVERIFY2(shared >= 30, std::to_string(shared).c_str());
        QVERIFY2(differ * 20 >= shared && differ * 2 <= shared,
                 (std::to_string(differ) + " of " + std::to_string(shared)).c_str());
    }
};

QTEST_APPLESS_MAIN(DemoTest)
#include "demo_test.moc"
