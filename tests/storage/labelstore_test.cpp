// The label store the workspace writes through (storage/sqliteconnection.h): revisions with the
// identity import gives them, occurrences bumped on identical revisions, withdrawn facets,
// current labels, progress, consensus, settings and raters.
#include "importplan.h"
#include "judgestore.h"
#include "judgetemplates.h"
#include "project.h"
#include "quotelocator.h"
#include "sqliteconnection.h"

#include <QTemporaryDir>
#include <QTest>

#include <sstream>

using namespace concord;

namespace {

const char *kSeed =
    "{\"kind\":\"document\",\"id\":\"d\",\"text\":\"Rent: \xC2\xA3"
    "1,200 per month. Term: five years.\"}\n"
    "{\"kind\":\"item\",\"id\":\"q1\",\"document\":\"d\",\"question\":\"Rent?\",\"question_type\":\"fact_"
    "recall\","
    "\"answers\":{\"A\":{\"system\":\"s1\",\"text\":\"1,200\"},\"B\":{\"system\":\"s2\",\"text\":\"1,500\"}}}"
    "\n"
    "{\"kind\":\"item\",\"id\":\"q2\",\"document\":\"d\",\"question\":\"Term?\",\"question_type\":\"fact_"
    "recall\","
    "\"answers\":{\"A\":{\"system\":\"s1\",\"text\":\"five\"},\"B\":{\"system\":\"s2\",\"text\":\"ten\"}}}\n"
    "{\"kind\":\"label\",\"item\":\"q1\",\"rater\":\"judge\",\"rater_kind\":\"judge\",\"preference\":\"A\"}"
    "\n";

model::LabelRevision revision(const char *item, const char *rater, std::vector<model::FacetValue> values,
                              const char *createdAt = "2026-11-28T10:00:00.123Z")
{
    model::LabelRevision r;
    r.itemId = item;
    r.raterId = rater;
    r.values = std::move(values);
    r.createdAt = createdAt;
    r.timeSpentS = 12.345;
    r.shownOrder = "BA";
    return r;
}

model::FacetValue preference(const char *v) { return {model::Facet::Preference, std::nullopt, v}; }
model::FacetValue faithful(model::Slot s, const char *v) { return {model::Facet::Faithful, s, v}; }
model::FacetValue outcome(model::Slot s, const char *v) { return {model::Facet::NoInfo, s, v}; }

} // namespace

class LabelStoreTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_path;
    std::unique_ptr<model::ProjectConnection> m_store;

private slots:
    void init()
    {
        static int n = 0;
        m_path = (m_dir.path() + QStringLiteral("/labels-%1.concord").arg(++n)).toStdString();
        auto created = storage::SqliteOpener().create(m_path);
        QVERIFY(created.ok());
        m_store = std::move(*created);
        auto *connection = static_cast<storage::SqliteConnection *>(m_store.get());
        std::vector<model::Diagnostic> diagnostics;
        QVERIFY(connection->project().importContent("seed.jsonl", kSeed, diagnostics).ok());
        model::Rater alice;
        alice.id = "alice";
        alice.name = "Alice";
        QVERIFY(m_store->ensureRater(alice).ok());
    }

    void ensureRaterCreatesOnceAndRefusesAnotherKind()
    {
        model::Rater alice;
        alice.id = "alice";
        auto again = m_store->ensureRater(alice);
        QVERIFY(again.ok());
        QCOMPARE(again->name.value_or(""), std::string("Alice")); // the stored rater, unchanged
        model::Rater judge;
        judge.id = "judge";
        auto refused = m_store->ensureRater(judge);
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().message.find("judge rater") != std::string::npos);
        QCOMPARE(m_store->raters()->size(), std::size_t(2));
    }

    void identicalRevisionsTakeTheNextOccurrence()
    {
        const auto r = revision("q1", "alice", {preference("B")});
        QVERIFY(m_store->saveRevision(r).ok());
        QVERIFY(m_store->saveRevision(r).ok());
        auto *connection = static_cast<storage::SqliteConnection *>(m_store.get());
        std::ostringstream out;
        QVERIFY(connection->project().exportJsonl(out).ok());
        // The export holds both; importing it again recognises both (occurrences 0 and 1).
        std::vector<model::Diagnostic> diagnostics;
        auto summary = connection->project().importContent("again.jsonl", out.str(), diagnostics);
        QVERIFY(summary.ok());
        QCOMPARE(summary->labelsAdded, std::int64_t(0));
        QCOMPARE(summary->labelsUnchanged, std::int64_t(3));
        QCOMPARE(connection->project().info()->revisions, std::int64_t(3));
        model::LabelRevision canonical = r;
        canonical.raterKind = model::RaterKind::Human;
        QVERIFY(model::labelRevisionKey(canonical, 0) != model::labelRevisionKey(canonical, 1));
    }

    void withdrawnFacetsHaveNoCurrentValue()
    {
        QVERIFY(m_store
                    ->saveRevision(revision("q1", "alice",
                                            {preference("B"), faithful(model::Slot::A, "faithful")},
                                            "2026-11-28T10:00:00.001Z"))
                    .ok());
        QVERIFY(m_store->saveRevision(revision("q1", "alice", {preference("")}, "2026-11-28T10:00:00.002Z"))
                    .ok());
        auto label = m_store->currentLabel("alice", "q1");
        QVERIFY(label.ok());
        QVERIFY(!label->preference);
        QVERIFY(label->faithful[0] == true);
        auto *connection = static_cast<storage::SqliteConnection *>(m_store.get());
        const auto info = connection->project().info();
        std::int64_t preferences = -1;
        for (const auto &[facet, n] : info->labelsByFacet)
            if (facet == "preference")
                preferences = n;
        QCOMPARE(preferences, std::int64_t(1)); // the judge's; alice withdrew hers
        QVERIFY(
            m_store->saveRevision(revision("q1", "alice", {preference("tie")}, "2026-11-28T10:00:00.003Z"))
                .ok());
        QVERIFY(m_store->currentLabel("alice", "q1")->preference == model::Choice::Tie);
    }

    void evidenceAndNoteReplaceTheirLists()
    {
        auto r = revision("q1", "alice", {});
        r.evidence = std::vector<model::EvidenceSpan>{{model::Slot::B, 6, 12, std::nullopt}};
        r.note = "first";
        QVERIFY(m_store->saveRevision(r).ok());
        auto label = m_store->currentLabel("alice", "q1");
        QCOMPARE(label->evidence.size(), std::size_t(1));
        QCOMPARE(label->evidence[0].start, std::int64_t(6));
        QCOMPARE(label->note, std::string("first"));
        auto clear = revision("q1", "alice", {}, "2026-11-28T10:00:01Z");
        clear.evidence = std::vector<model::EvidenceSpan>{};
        QVERIFY(m_store->saveRevision(clear).ok());
        label = m_store->currentLabel("alice", "q1");
        QVERIFY(label->evidence.empty());
        QCOMPARE(label->note, std::string("first"));
        // Offsets past the document's end (41 code points) are refused, with nothing written.
        auto past = revision("q1", "alice", {}, "2026-11-28T10:00:02Z");
        past.evidence = std::vector<model::EvidenceSpan>{{model::Slot::A, 30, 42, std::nullopt}};
        QVERIFY(!m_store->saveRevision(past).ok());
        QVERIFY(!m_store->saveRevision(revision("q1", "alice", {preference("C")})).ok());
        QVERIFY(!m_store->saveRevision(revision("q9", "alice", {preference("A")})).ok());
        QVERIFY(!m_store->saveRevision(revision("q1", "nobody", {preference("A")})).ok());
        QCOMPARE(static_cast<storage::SqliteConnection *>(m_store.get())->project().info()->revisions,
                 std::int64_t(3));
    }

    void progressAndConsensusInOneReadEach()
    {
        const std::vector<model::FacetValue> all = {
            preference("A"), faithful(model::Slot::A, "faithful"), faithful(model::Slot::B, "unfaithful"),
            outcome(model::Slot::A, "answered"), outcome(model::Slot::B, "answered")};
        QVERIFY(m_store->saveRevision(revision("q1", "alice", all)).ok());
        auto noteOnly = revision("q2", "alice", {});
        noteOnly.note = "later";
        QVERIFY(m_store->saveRevision(noteOnly).ok());
        auto progress = m_store->progress("alice");
        QVERIFY(progress.ok());
        QCOMPARE(progress->size(), std::size_t(2));
        QCOMPARE(progress->at(0).itemId, std::string("q1"));
        QVERIFY(progress->at(0).status == model::LabelStatus::Done);
        QVERIFY(progress->at(1).status == model::LabelStatus::Partial);
        QVERIFY(m_store->progress("nobody")->empty());

        auto consensus = m_store->consensus();
        QVERIFY(consensus.ok());
        QCOMPARE(consensus->size(), std::size_t(1)); // q2 has only a note
        QCOMPARE(consensus->at(0).raters, 2);
        QVERIFY(!consensus->at(0).disagreement); // both say A
        QVERIFY(
            m_store->saveRevision(revision("q1", "alice", {preference("B")}, "2026-11-28T11:00:00Z")).ok());
        QVERIFY(m_store->consensus()->at(0).disagreement);
    }

    void judgeRationaleReadsWhatTheJudgeWrote()
    {
        auto &project = static_cast<storage::SqliteConnection *>(m_store.get())->project();
        model::JudgeConfig config;
        config.baseUrl = "http://127.0.0.1:9";
        config.model = "m";
        config.templates = model::builtinTemplates();
        const std::string id = model::judgeRaterId(config);
        storage::JudgeStore store(project);
        auto rater = store.ensureJudge(config, id, "judge m");
        QVERIFY(rater.ok());
        auto run = store.startRun(*rater, "{}");
        QVERIFY(run.ok());
        auto items = store.items();
        QVERIFY(items.ok());
        QCOMPARE(items->at(1).id, std::string("q2"));

        storage::JudgedTask task;
        task.itemRow = items->at(1).row;
        task.label.itemId = "q2";
        task.label.raterId = id;
        task.label.raterKind = model::RaterKind::Judge;
        task.label.values = {preference("A"), faithful(model::Slot::B, "unfaithful")};
        model::PreferenceOutcome p;
        p.payloads = {R"({"explanation":"A gives the term in the lease"})",
                      R"({"explanation":"B shown first: A still right"})"};
        p.mapped[0][0] = model::Choice::A;
        p.mapped[1][0] = model::Choice::A;
        p.final[0] = model::Choice::A;
        p.consistent = true;
        task.preference = p;
        model::FaithfulOutcome f;
        model::CheckedClaim claim;
        claim.claim = "The term is ten years";
        claim.check = {1, "The lease says five", "five years", model::ClaimVerdict::Contradicted};
        claim.located = model::locateQuote("Rent: \xC2\xA3"
                                           "1,200 per month. Term: five years.",
                                           "five years");
        f.claims[1].push_back(claim);
        model::CheckedClaim lost = claim;
        lost.check.number = 2;
        lost.claim = "Rent is due weekly";
        lost.check.quote = "payable weekly";
        lost.located = {};
        f.claims[1].push_back(lost);
        task.faithful = f;
        model::NoInfoOutcome n;
        n.payload = R"({"reasoning":"The term is stated"})";
        n.reply.documentContainsAnswer = true;
        n.reply.declines = {false, true};
        task.noInfo = n;
        storage::JudgeWriteBatch batch;
        batch.judged.push_back(task);
        QVERIFY(store.write(*rater, *run, batch, {1, 0, 3, 0}).ok());

        auto said = m_store->judgeRationale(id, "q2");
        QVERIFY(said.ok());
        QVERIFY(said->preference.has_value());
        QCOMPARE(said->preference->explanationAB, std::string("A gives the term in the lease"));
        QCOMPARE(said->preference->explanationBA, std::string("B shown first: A still right"));
        QVERIFY(said->preference->consistent);
        QCOMPARE(said->claims.size(), std::size_t(2));
        const model::JudgeRationale::Claim &c = said->claims[0];
        QVERIFY(c.slot == model::Slot::B);
        QCOMPARE(c.number, 1);
        QCOMPARE(c.claim, std::string("The term is ten years"));
        QCOMPARE(c.verdict, std::string("contradicted"));
        QCOMPARE(c.quote, std::string("five years"));
        // Code points, not bytes: the pound sign before it is two bytes of UTF-8.
        QCOMPARE(c.start.value_or(-1), std::int64_t(30));
        QCOMPARE(c.end.value_or(-1), std::int64_t(40));
        QVERIFY(!said->claims[1].start && !said->claims[1].end); // a quote not found has no place
        QVERIFY(said->noInfo.has_value());
        QCOMPARE(said->noInfo->reasoning, std::string("The term is stated"));
        QVERIFY(said->noInfo->documentContainsAnswer);
        QVERIFY(!said->noInfo->declines[0] && said->noInfo->declines[1]);

        // The imported judge of the seed has a label on q1 but nothing said; nor has anyone on q1.
        auto imported = m_store->judgeRationale("judge", "q1");
        QVERIFY(imported.ok());
        QVERIFY(imported->empty());
        QVERIFY(m_store->judgeRationale(id, "q1")->empty());
        QVERIFY(m_store->judgeRationale("nobody", "q2")->empty());
    }

    void settingsReadAndWrite()
    {
        QCOMPARE(m_store->setting("blind")->value_or(""), std::string("true"));
        QVERIFY(m_store->setSetting("blind", "false").ok());
        QCOMPARE(m_store->setting("blind")->value_or(""), std::string("false"));
        QVERIFY(!m_store->setting("nothing")->has_value());
    }
};

QTEST_APPLESS_MAIN(LabelStoreTest)
#include "labelstore_test.moc"
