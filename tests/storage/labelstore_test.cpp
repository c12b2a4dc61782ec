// The label store the workspace writes through (storage/sqliteconnection.h): revisions with the
// identity import gives them, occurrences bumped on identical revisions, withdrawn facets,
// current labels, progress, consensus, settings and raters.
#include "importplan.h"
#include "project.h"
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
