// Reading current labels (storage/labelquery.h): revisions and withdrawals in any order, across
// the chunks the parallel read splits the labels table into, on both of its paths (dense: by id
// on two connections; sparse: in (rater, item) order), against a plain re-implementation of the
// rule "the newest row that sets or withdraws a column decides"; and readAgreementInput giving
// the same report as readCurrentLabels.
#include "agreementreport.h"
#include "labelquery.h"
#include "project.h"
#include "schema.h"
#include "sqlite.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <random>
#include <set>
#include <tuple>

using namespace concord;
using storage::kLabelColumns;

namespace {

/// A project with `humans` humans, one judge and one gold rater, and `items` items over two
/// question types, evidence positions and two system pairs; no labels.
std::string projectJsonl(int humans, int items)
{
    std::string out = R"({"kind":"document","id":"d","text":"Some text."})"
                      "\n";
    for (int h = 0; h < humans; ++h)
        out += R"({"kind":"rater","id":"h)" + std::to_string(h) + R"(","rater_kind":"human"})" + "\n";
    out += R"({"kind":"rater","id":"judge","rater_kind":"judge"})"
           "\n";
    out += R"({"kind":"rater","id":"gold","rater_kind":"gold"})"
           "\n";
    for (int i = 0; i < items; ++i) {
        const bool odd = i % 2;
        out += R"({"kind":"item","id":"q)" + std::to_string(i) +
               R"(","document":"d","question":"Q?","question_type":")" +
               (odd ? "definition" : "fact_recall") + R"(")" +
               (i % 3 ? R"(,"evidence_position":)" + std::to_string((i % 10) / 10.0) : std::string()) +
               R"(,"answers":{"A":{"system":")" + (i % 4 < 2 ? "s1" : "s2") +
               R"(","text":"a"},"B":{"system":"s3","text":"b"}}})" + "\n";
    }
    return out;
}

using Key = std::tuple<std::string, std::string, std::size_t>; // rater, item, column
using Current = std::map<Key, int>;                            // value index

/// Appends `rows` random label rows (revisions, NULLs, withdrawals, raters and items in random
/// order) and returns the current labels by the rule, computed row by row.
Current addRandomLabels(storage::Database &db, int rows, std::uint64_t seed)
{
    std::vector<std::pair<std::int64_t, std::string>> raters, items;
    for (storage::Statement s(db, "SELECT id, ext_id FROM raters ORDER BY id"); s.step();)
        raters.emplace_back(s.int64(0), s.text(1));
    for (storage::Statement s(db, "SELECT id, ext_id FROM items ORDER BY id"); s.step();)
        items.emplace_back(s.int64(0), s.text(1));
    std::string sql = "INSERT INTO labels(rater_id, item_id, cleared";
    for (const auto &c : kLabelColumns)
        sql += std::string(", ") + c.column;
    sql += ") VALUES (?, ?, ?";
    for (std::size_t c = 0; c < kLabelColumns.size(); ++c)
        sql += ", ?";
    sql += ")";

    std::mt19937_64 rng(seed);
    Current current;
    storage::Transaction tx(db);
    storage::Statement insert(db, sql);
    for (int n = 0; n < rows; ++n) {
        // Few raters × items, so that most rows revise an earlier one.
        const auto &[raterId, rater] = raters[rng() % raters.size()];
        const auto &[itemId, item] = items[rng() % items.size()];
        std::int64_t cleared = 0;
        insert.bind(1, raterId).bind(2, itemId);
        for (std::size_t c = 0; c < kLabelColumns.size(); ++c) {
            const auto values = model::valuesOf(kLabelColumns[c].facet);
            const Key key{rater, item, c};
            switch (rng() % 4) {
            case 0: { // sets it
                const auto v = static_cast<int>(rng() % values.size());
                insert.bind(4 + static_cast<int>(c), values[static_cast<std::size_t>(v)]);
                current[key] = v;
                break;
            }
            case 1: // withdraws it
                insert.bindNull(4 + static_cast<int>(c));
                cleared |= std::int64_t(1) << c;
                current.erase(key);
                break;
            default: // leaves it
                insert.bindNull(4 + static_cast<int>(c));
            }
        }
        insert.bind(3, cleared);
        insert.run();
    }
    tx.commit();
    return current;
}

Current currentOf(const model::LabelSet &set)
{
    Current out;
    for (const model::CurrentLabel &l : set.labels()) {
        std::size_t column = 0;
        while (kLabelColumns[column].facet != l.facet || kLabelColumns[column].slot != l.slot)
            ++column;
        const Key key{set.raters()[l.rater].id, set.items()[l.item].id, column};
        if (out.count(key))
            qFatal("a current label is given twice");
        out[key] = l.value;
    }
    return out;
}

} // namespace

class LabelQueryTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    std::unique_ptr<storage::Project> project(const char *name, int humans, int items)
    {
        auto p = storage::Project::create((m_dir.path() + "/" + name).toStdString());
        if (!p)
            qFatal("create failed: %s", p.error().message.c_str());
        std::vector<model::Diagnostic> d;
        if (!(*p)->importContent("p.jsonl", projectJsonl(humans, items), d).ok())
            qFatal("import failed: %s", d.empty() ? "?" : d.front().toString().c_str());
        return std::move(*p);
    }

    /// Both reads against the rule; the report from each the same, grouped every way.
    void checkReads(storage::Project &p, const Current &want)
    {
        const auto set = storage::readCurrentLabels(p);
        QVERIFY2(set.ok(), set.ok() ? "" : set.error().message.c_str());
        QCOMPARE(currentOf(*set).size(), want.size());
        QVERIFY(currentOf(*set) == want);
        // In (rater, item, column) order, as the project's ids give them.
        for (std::size_t i = 1; i < set->labels().size(); ++i) {
            const auto &a = set->labels()[i - 1], &b = set->labels()[i];
            QVERIFY(std::tie(a.rater, a.item) <= std::tie(b.rater, b.item));
        }

        const auto facetsOnly = storage::readCurrentLabels(p, {model::Facet::Faithful});
        QVERIFY(facetsOnly.ok());
        for (const model::CurrentLabel &l : facetsOnly->labels())
            QVERIFY(l.facet == model::Facet::Faithful);

        model::AgreementOptions options;
        options.bootstrapResamples = 50;
        for (const std::optional<model::Grouping> grouping :
             {std::optional<model::Grouping>(), std::optional(model::Grouping::QuestionType),
              std::optional(model::Grouping::EvidenceBucket), std::optional(model::Grouping::System)}) {
            options.groupBy = grouping;
            const auto input = storage::readAgreementInput(p, options.facets, grouping);
            QVERIFY2(input.ok(), input.ok() ? "" : input.error().message.c_str());
            const auto fromSet = model::agreementInput(*set, options.facets, grouping);
            QCOMPARE(input->raters.size(), fromSet.raters.size());
            QCOMPARE(input->items, fromSet.items);
            QVERIFY(input->columns == fromSet.columns);
            QCOMPARE(model::toJson(model::measureAgreement(*input, options)),
                     model::toJson(model::measureAgreement(*set, options)));
            // A second read of the same state comes from the agreement cache, and is the same.
            const auto again = storage::readAgreementInput(p, options.facets, grouping);
            QVERIFY(again.ok());
            QCOMPARE(again->items, input->items);
            QVERIFY(again->columns == input->columns);
            QVERIFY(again->groups == input->groups);
            QVERIFY(again->itemGroup == input->itemGroup);
            QCOMPARE(model::toJson(model::measureAgreement(*again, options)),
                     model::toJson(model::measureAgreement(*set, options)));
        }
    }

    static std::int64_t count(storage::Database &db, const char *sql)
    {
        storage::Statement s(db, sql);
        return s.step() ? s.int64(0) : -1;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void denseRead_revisionsAndWithdrawalsAcrossChunks()
    {
        // 40,000 rows over 5 raters × 20 items: three chunks of 16,384 ids, each key revised
        // about 400 times, so the newest row is often in another chunk, read by the other
        // connection, than an older one.
        auto p = project("dense.concord", 3, 20);
        const Current want = addRandomLabels(p->database(), 40000, 1);
        checkReads(*p, want);
    }

    void denseRead_fewLabels()
    {
        auto p = project("few.concord", 2, 7);
        const Current want = addRandomLabels(p->database(), 9, 2);
        checkReads(*p, want);
    }

    void sparseRead_manyRatersFewLabels()
    {
        // 1,002 raters × 80 items is more than four times 500 rows + 65,536: read in (rater,
        // item) order.
        auto p = project("sparse.concord", 1000, 80);
        const Current want = addRandomLabels(p->database(), 500, 3);
        checkReads(*p, want);
    }

    void agreementCache_isUsedUntilTheLabelsChange()
    {
        auto p = project("cache.concord", 2, 10);
        storage::Database &db = p->database();
        Current want = addRandomLabels(db, 200, 4);
        const std::vector<model::Facet> facets{model::Facet::Preference};
        const auto first = storage::readAgreementInput(*p, facets, std::nullopt);
        QVERIFY(first.ok());
        QCOMPARE(count(db, "SELECT count(*) FROM agreement_cache"), std::int64_t(1));

        // The stored columns are what a read of this state returns: change a byte and see it.
        const auto &column = first->columns[0][0];
        QVERIFY(!column.empty());
        const std::size_t at = static_cast<std::size_t>(
            std::find_if(column.begin(), column.end(), [](auto v) { return v != model::kMissing; }) -
            column.begin());
        QVERIFY(at < column.size());
        const std::int8_t changed = static_cast<std::int8_t>((column[at] + 1) % 3);
        {
            storage::Statement s(db, "SELECT data FROM agreement_cache");
            QVERIFY(s.step());
            std::string bytes(s.blobView(0));
            // The first column's bytes follow format, items, raters, the facet's column count and
            // the column's size (4 + 8 + 4 + 4 + 8 bytes).
            bytes[28 + at] = static_cast<char>(changed);
            s.reset();
            storage::Statement update(db, "UPDATE agreement_cache SET data = ?1");
            update.bindBlob(1, bytes).run();
        }
        const auto cached = storage::readAgreementInput(*p, facets, std::nullopt);
        QVERIFY(cached.ok());
        QCOMPARE(cached->columns[0][0][at], changed);
        // A value that is no category of the facet is not trusted (the report indexes by it).
        {
            storage::Statement s(db, "SELECT data FROM agreement_cache");
            QVERIFY(s.step());
            std::string bytes(s.blobView(0));
            s.reset();
            bytes[28 + at] = static_cast<char>(99);
            storage::Statement update(db, "UPDATE agreement_cache SET data = ?1");
            update.bindBlob(1, bytes).run();
        }
        const auto distrusted = storage::readAgreementInput(*p, facets, std::nullopt);
        QVERIFY(distrusted.ok());
        QCOMPARE(distrusted->columns[0][0][at], first->columns[0][0][at]);

        // Label rows added since are applied to the kept columns (a few rows) or read afresh with
        // the rest (many): either way the columns are the project's current labels, and kept.
        db.exec("DELETE FROM agreement_cache");
        QVERIFY(storage::readAgreementInput(*p, facets, std::nullopt).ok());
        auto matchesAFullRead = [&] {
            const auto read = storage::readAgreementInput(*p, facets, std::nullopt);
            const auto set = storage::readCurrentLabels(*p, facets);
            return read.ok() && set.ok() && read->columns == model::agreementInput(*set, facets).columns;
        };
        for (const int rows : {1, 3, 20, 400}) { // 400 rows is more than a quarter of all: read afresh
            addRandomLabels(db, rows, 100 + static_cast<std::uint64_t>(rows));
            QVERIFY2(matchesAFullRead(), qPrintable(QString::number(rows)));
            QCOMPARE(count(db, "SELECT count(*) FROM agreement_cache"), std::int64_t(1));
            QCOMPARE(count(db, "SELECT count(*) FROM agreement_cache WHERE state LIKE '%:' || "
                               "(SELECT max(id) FROM labels) || ':%'"),
                     std::int64_t(1));
        }
        const auto fresh = storage::readAgreementInput(*p, facets, std::nullopt);
        QVERIFY(fresh.ok());

        // A damaged entry is not trusted.
        db.exec("UPDATE agreement_cache SET data = x'0100'");
        const auto repaired = storage::readAgreementInput(*p, facets, std::nullopt);
        QVERIFY(repaired.ok());
        QVERIFY(repaired->columns == fresh->columns);
    }

    void keepAgreementInput_keepsWhatTheReportReads()
    {
        auto p = project("kept.concord", 2, 8);
        const Current want = addRandomLabels(p->database(), 60, 7);
        storage::keepAgreementInput(*p);
        QCOMPARE(count(p->database(), "SELECT count(*) FROM agreement_cache"), std::int64_t(1));
        // What the report reads first (every facet, ungrouped) is what was kept, and current.
        const auto input = storage::readAgreementInput(*p, {}, std::nullopt);
        QVERIFY(input.ok());
        QCOMPARE(count(p->database(), "SELECT count(*) FROM agreement_cache"), std::int64_t(1));
        const auto set = storage::readCurrentLabels(*p);
        QVERIFY(set.ok());
        QVERIFY(currentOf(*set) == want);
        QVERIFY(input->columns ==
                model::agreementInput(*set, {model::kFacets.begin(), model::kFacets.end()}).columns);
    }

    void agreementCache_aWriterNeverMakesAReadWait()
    {
        // Another connection (the GUI saving a label) holds the write lock: the read still
        // answers at once, from the labels, and stores nothing.
        auto p = project("busy.concord", 2, 6);
        addRandomLabels(p->database(), 50, 6);
        storage::Database writer(p->path(), storage::Database::Mode::ReadWrite);
        storage::Transaction holding(writer);
        QElapsedTimer timer;
        timer.start();
        const auto input = storage::readAgreementInput(*p, {}, std::nullopt);
        QVERIFY2(input.ok(), input.ok() ? "" : input.error().message.c_str());
        QVERIFY2(timer.elapsed() < 2000, "the read waited for the writer's busy timeout");
        QCOMPARE(count(p->database(), "SELECT count(*) FROM agreement_cache"), std::int64_t(0));
    }

    void emptyProject()
    {
        auto p = project("empty.concord", 2, 0);
        checkReads(*p, {});
        auto items = project("items.concord", 2, 5);
        checkReads(*items, {});
    }
};

QTEST_APPLESS_MAIN(LabelQueryTest)
#include "labelquery_test.moc"
