// The project file: creation, refusal of foreign/newer/damaged files, migrations, atomic and
// idempotent import, append-only history, round-trip export and durability after kill -9.
#include "backgroundsync.h"
#include "project.h"
#include "schema.h"
#include "sqlite.h"

#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace concord;
using storage::Project;

namespace {

const char *kDocument =
    R"({"kind":"document","id":"lease","title":"Lease","text":"The rent is £1,200 per month. The term is five years."})";
const char *kItem =
    R"({"kind":"item","id":"q1","document":"lease","question":"What is the rent?","question_type":"fact_recall","evidence_position":0.1,"answers":{"A":{"system":"s1","text":"£1,200 a month."},"B":{"system":"s2","text":"£1,500."}}})";
const char *kLabel1 =
    R"({"kind":"label","item":"q1","rater":"alice","rater_kind":"human","preference":"A","faithful":{"A":true,"B":false},"evidence":[{"answer":"A","start":4,"end":28}],"created_at":"2026-11-28T10:00:00Z"})";
const char *kLabel2 =
    R"({"kind":"label","item":"q1","rater":"alice","preference":"tie","note":"re-read","created_at":"2026-11-28T10:05:00Z"})";

std::string lines(std::initializer_list<const char *> ls)
{
    std::string out;
    for (const char *l : ls)
        out += std::string(l) + "\n";
    return out;
}

std::string exportOf(Project &p)
{
    std::ostringstream out;
    auto status = p.exportJsonl(out);
    if (!status)
        qFatal("export failed: %s", status.error().message.c_str());
    return out.str();
}

std::int64_t scalar(storage::Database &db, const char *sql)
{
    storage::Statement s(db, sql);
    s.step();
    return s.int64(0);
}

/// A JSONL file above the size from which import streams (4 MB): documents of 60 KB, items, and
/// label lines from three raters with evidence, notes and repeated identical lines. `labelsFirst`
/// puts every label before the items they name; `raterLast` ends with a rater line for a rater
/// that labels implied earlier. `extraDocuments` more documents of 60 KB come after all that (and
/// before `lastLine`), so that the last line is many parts after the items and labels.
std::string largeFile(bool labelsFirst = false, bool raterLast = false, const char *lastLine = nullptr,
                      int extraDocuments = 0)
{
    std::string documents, items, labels;
    documents += R"({"kind":"rater","id":"judge","rater_kind":"judge","name":"Judge","config":{"model":"m"}})"
                 "\n";
    for (int d = 0; d < 60; ++d) {
        std::string text;
        while (text.size() < 60000)
            text += "Clause " + std::to_string(text.size()) + " of lease " + std::to_string(d) +
                    " says the rent is due. ";
        documents += R"({"kind":"document","id":"doc-)" + std::to_string(d) + R"(","title":"Lease )" +
                     std::to_string(d) + R"(","text":")" + text + "\"}\n";
    }
    for (int i = 0; i < 3000; ++i)
        items +=
            R"({"kind":"item","id":"q-)" + std::to_string(i) + R"(","document":"doc-)" +
            std::to_string(i % 60) + R"(","question":"What does clause )" + std::to_string(i) +
            R"( say?","question_type":"fact_recall","evidence_position":0.5,"answers":{"A":{"system":"a","text":"It says )" +
            std::to_string(i) +
            R"(."},"B":{"system":"b","text":"Nothing."}}})"
            "\n";
    const char *raters[] = {"alice", "bob", "judge"};
    for (int round = 0; round < 3; ++round)
        for (int i = 0; i < 3000; ++i) {
            const std::string rater = raters[(i + round) % 3];
            labels += R"({"kind":"label","item":"q-)" + std::to_string(i) + R"(","rater":")" + rater +
                      (rater == "judge" ? R"(","rater_kind":"judge)" : "") + R"(","preference":")" +
                      (i % 3 == 0   ? "A"
                       : i % 3 == 1 ? "B"
                                    : "tie") +
                      R"(","faithful":{"A":)" + (i % 4 ? "true" : "false") + R"(,"B":true})" +
                      (i % 5 == 0 ? R"(,"evidence":[{"answer":"A","start":3,"end":40,"note":"here"}])" : "") +
                      (i % 7 == 0 ? R"(,"note":"checked")" : "") + "}\n";
        }
    // The same line again, far from the first: a second revision, not the same one.
    labels += R"({"kind":"label","item":"q-0","rater":"alice","preference":"A"})"
              "\n";
    labels.insert(0, R"({"kind":"label","item":"q-0","rater":"alice","preference":"A"})"
                     "\n");
    std::string out = labelsFirst ? labels + documents + items : documents + items + labels;
    if (raterLast) {
        // More documents first, so that the rater line is in a later part than bob's labels.
        for (int d = 60; d < 100; ++d)
            out += R"({"kind":"document","id":"doc-)" + std::to_string(d) + R"(","text":")" +
                   std::string(60000, 'x') + "\"}\n";
        out += R"({"kind":"rater","id":"bob","rater_kind":"human","name":"Bob Stone"})"
               "\n";
    }
    for (int d = 0; d < extraDocuments; ++d)
        out += R"({"kind":"document","id":"extra-)" + std::to_string(d) + R"(","text":")" +
               std::string(60000, char('a' + d % 26)) + "\"}\n";
    if (lastLine)
        out += std::string(lastLine) + "\n";
    return out;
}

/// Every row of the tables an import writes, in id order, except the import's time.
std::string rowsOf(storage::Database &db)
{
    std::string out;
    for (const char *sql :
         {"SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name", // the indexes too
          "SELECT id, ext_id, kind, name, config FROM raters ORDER BY id",
          "SELECT id, hash, length FROM document_texts ORDER BY id",
          "SELECT id, ext_id, title, text_id, meta, record_hash FROM documents ORDER BY id",
          "SELECT id, ext_id, document_id, question_type, record_hash FROM items ORDER BY id",
          "SELECT item_id, slot, system, text FROM answers ORDER BY item_id, slot",
          "SELECT id, rater_id, item_id, preference, faithful_a, faithful_b, note, has_evidence, import_id, "
          "hex(key), cleared FROM labels ORDER BY id",
          "SELECT * FROM evidence ORDER BY label_id, seq",
          "SELECT id, documents_added, documents_unchanged, items_added, items_unchanged, labels_added, "
          "labels_unchanged FROM imports ORDER BY id",
          "SELECT import_id, file_hash, bytes FROM import_files ORDER BY import_id"}) {
        storage::Statement s(db, sql);
        const int columns = s.columnCount();
        while (s.step()) {
            for (int c = 0; c < columns; ++c)
                out += (s.isNull(c) ? std::string("NULL") : s.text(c)) + "|";
            out += "\n";
        }
    }
    return out;
}
} // namespace

class ProjectTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string path(const char *name) const { return (m_dir.path() + "/" + name).toStdString(); }

    std::unique_ptr<Project> freshProject(const char *name)
    {
        auto p = Project::create(path(name));
        if (!p)
            qFatal("create failed: %s", p.error().message.c_str());
        return std::move(*p);
    }

    void importOk(Project &p, const std::string &content, const char *name = "in.jsonl")
    {
        std::vector<model::Diagnostic> d;
        auto s = p.importContent(name, content, d);
        if (!s.ok())
            QFAIL((d.empty() ? s.error().message : d.front().toString()).c_str());
    }

private slots:
    void createSetsPragmas()
    {
        auto p = freshProject("pragmas.concord");
        auto &db = p->database();
        QCOMPARE(scalar(db, "PRAGMA application_id"), std::int64_t(storage::kApplicationId));
        QCOMPARE(scalar(db, "PRAGMA user_version"), std::int64_t(storage::kSchemaVersion));
        QCOMPARE(scalar(db, "PRAGMA foreign_keys"), std::int64_t(1));
        QCOMPARE(scalar(db, "PRAGMA synchronous"), std::int64_t(2)); // FULL
        QCOMPARE(scalar(db, "PRAGMA page_size"), std::int64_t(16384));
        storage::Statement mode(db, "PRAGMA journal_mode");
        mode.step();
        QCOMPARE(mode.text(0), std::string("wal"));
    }

    void createRefusesExistingFileAndWrongExtension()
    {
        freshProject("exists.concord");
        auto again = Project::create(path("exists.concord"));
        QVERIFY(!again);
        QVERIFY(again.error().message.find("already exists") != std::string::npos);
        auto wrong = Project::create(path("notes.txt"));
        QVERIFY(!wrong);
        QVERIFY(wrong.error().message.find(".concord") != std::string::npos);
    }

    void openRefusesMissingAndNonSqliteFiles()
    {
        auto missing = Project::open(path("missing.concord"));
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, model::Error::Code::NotFound);

        std::ofstream(path("text.concord")) << "this is not a database, just text\n";
        auto text = Project::open(path("text.concord"));
        QVERIFY(!text);
        QCOMPARE(text.error().code, model::Error::Code::NotAProject);
        QVERIFY(text.error().message.find("not an SQLite database") != std::string::npos);
    }

    void openRefusesEmptyFile_namingIt()
    {
        std::ofstream(path("empty.concord")).flush();
        auto p = Project::open(path("empty.concord"));
        QVERIFY(!p);
        QCOMPARE(p.error().code, model::Error::Code::NotAProject);
        QCOMPARE(p.error().message,
                 path("empty.concord") + ": the file is empty (0 bytes), not a Concord project");
        std::ifstream still(path("empty.concord"), std::ios::binary | std::ios::ate);
        QCOMPARE(std::int64_t(still.tellg()), std::int64_t(0)); // opening it wrote nothing
    }

    void openRefusesForeignSqliteDatabase()
    {
        {
            storage::Database other(path("other.concord"), storage::Database::Mode::ReadWriteCreate);
            other.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1);");
        }
        auto p = Project::open(path("other.concord"));
        QVERIFY(!p);
        QCOMPARE(p.error().code, model::Error::Code::NotAProject);
        QVERIFY(p.error().message.find("not a Concord project") != std::string::npos);
    }

    void openRefusesProjectFromNewerConcord()
    {
        freshProject("newer.concord");
        {
            storage::Database db(path("newer.concord"), storage::Database::Mode::ReadWrite);
            db.exec("PRAGMA user_version = " + std::to_string(storage::kSchemaVersion + 1));
        }
        auto p = Project::open(path("newer.concord"));
        QVERIFY(!p);
        QCOMPARE(p.error().code, model::Error::Code::TooNew);
        QVERIFY(p.error().message.find("newer version of Concord") != std::string::npos);
    }

    void openReportsCorruptFileWithoutCrashing()
    {
        {
            auto p = freshProject("corrupt.concord");
            importOk(*p, lines({kDocument, kItem, kLabel1}));
        }
        // Overwrite the b-tree header of page 1 (the schema table), past the 100-byte file header.
        {
            std::fstream f(path("corrupt.concord"), std::ios::in | std::ios::out | std::ios::binary);
            f.seekp(100);
            const std::string garbage(200, '\x7f');
            f.write(garbage.data(), std::streamsize(garbage.size()));
        }
        auto p = Project::open(path("corrupt.concord"));
        if (p) {
            auto info = (*p)->info();
            QVERIFY(!info);
            QCOMPARE(info.error().code, model::Error::Code::Corrupt);
        } else {
            QCOMPARE(p.error().code, model::Error::Code::Corrupt);
            QVERIFY(p.error().message.find("damaged") != std::string::npos);
        }
    }

    void openMigratesOlderSchemaOneStepAtATime()
    {
        const std::string file = path("v1.concord");
        {
            storage::Database db(file, storage::Database::Mode::ReadWriteCreate);
            db.exec("PRAGMA application_id = " + std::to_string(storage::kApplicationId));
            storage::migrate(db, 1);
            QCOMPARE(storage::schemaVersion(db), 1);
            db.exec("INSERT INTO raters(ext_id, kind) VALUES ('alice', 'human')");
        }
        auto p = Project::open(file);
        QVERIFY2(p.ok(), p.ok() ? "" : p.error().message.c_str());
        QCOMPARE(storage::schemaVersion((*p)->database()), storage::kSchemaVersion);
        QCOMPARE(scalar((*p)->database(), "SELECT count(*) FROM settings WHERE key = 'blind'"),
                 std::int64_t(1));
        QCOMPARE((*p)->info()->raters, std::int64_t(1));
    }

    void importCountsCurrentLabelsOnly()
    {
        auto p = freshProject("current.concord");
        importOk(*p, lines({kDocument, kItem, kLabel1, kLabel2}));
        auto info = p->info();
        QVERIFY(info.ok());
        QCOMPARE(info->documents, std::int64_t(1));
        QCOMPARE(info->items, std::int64_t(1));
        QCOMPARE(info->answers, std::int64_t(2));
        QCOMPARE(info->raters, std::int64_t(1));
        QCOMPARE(info->revisions, std::int64_t(2));
        // preference (revised once, counted once) + faithful A + faithful B
        QCOMPARE(info->labels, std::int64_t(3));
        for (const auto &[facet, n] : info->labelsByFacet) {
            if (facet == "preference")
                QCOMPARE(n, std::int64_t(1));
            else if (facet == "faithful")
                QCOMPARE(n, std::int64_t(2));
            else
                QCOMPARE(n, std::int64_t(0));
        }
        // The newest revision is the current value.
        storage::Statement s(p->database(), "SELECT preference FROM labels WHERE preference IS NOT NULL "
                                            "ORDER BY id DESC LIMIT 1");
        QVERIFY(s.step());
        QCOMPARE(s.text(0), std::string("tie"));
    }

    // `info` counts current labels with the agreement report's reader; grouping the label rows
    // in SQL, as it did before, must give the same counts: one per rater × item × facet (×
    // answer) whose newest revision that sets or withdraws it sets it.
    void infoCountsTheCurrentLabelsThatGroupingTheRowsGives()
    {
        auto p = freshProject("info-counts.concord");
        importOk(*p, largeFile());
        // Withdrawals (null) and new values over earlier ones, for some facets of some labels.
        std::string more;
        for (int i = 0; i < 300; i += 3)
            more += "{\"kind\":\"label\",\"item\":\"q-" + std::to_string(i) +
                    "\",\"rater\":\"alice\",\"preference\":" + (i % 2 ? "null" : "\"tie\"") +
                    ",\"faithful\":{\"A\":null}}\n";
        importOk(*p, more);
        std::string sql = "SELECT ";
        for (std::size_t c = 0; c < storage::kLabelColumns.size(); ++c)
            sql += std::string(c ? ", " : "") + "coalesce(sum(" + storage::kLabelColumns[c].column + "), 0)";
        sql += " FROM (SELECT ";
        for (std::size_t c = 0; c < storage::kLabelColumns.size(); ++c) {
            const std::string column = storage::kLabelColumns[c].column, bit = std::to_string(1 << c);
            sql += std::string(c ? ", " : "") + "coalesce(max(CASE WHEN " + column +
                   " IS NOT NULL THEN id END) = max(CASE WHEN " + column + " IS NOT NULL OR cleared & " +
                   bit + " THEN id END), 0) AS " + column;
        }
        sql += " FROM labels GROUP BY rater_id, item_id)";
        storage::Statement grouped(p->database(), sql);
        QVERIFY(grouped.step());
        std::map<std::string, std::int64_t> expected;
        for (std::size_t c = 0; c < storage::kLabelColumns.size(); ++c)
            expected[std::string(model::toString(storage::kLabelColumns[c].facet))] += grouped.int64(int(c));
        grouped.reset();
        auto info = p->info();
        QVERIFY(info.ok());
        std::int64_t total = 0;
        for (const auto &[facet, n] : info->labelsByFacet) {
            QCOMPARE(n, expected[facet]);
            total += n;
        }
        QCOMPARE(info->labels, total);
        QVERIFY(expected["preference"] > 0 && expected["faithful"] > 0);
    }

    void reimportingTheSameFileIsIdempotent()
    {
        auto p = freshProject("idem.concord");
        const std::string content = lines({kDocument, kItem, kLabel1, kLabel2, kLabel1});
        importOk(*p, content);
        const std::string before = exportOf(*p);
        std::vector<model::Diagnostic> d;
        auto again = p->importContent("in.jsonl", content, d);
        QVERIFY(again.ok());
        QCOMPARE(again->documentsAdded + again->itemsAdded + again->labelsAdded, std::int64_t(0));
        QCOMPARE(again->labelsUnchanged, std::int64_t(3));
        QCOMPARE(exportOf(*p), before);
        // The repeated identical line is a real third revision (A, tie, A again).
        QCOMPARE(p->info()->revisions, std::int64_t(3));
    }

    void failedImportWritesNothing()
    {
        auto p = freshProject("atomic.concord");
        importOk(*p, lines({kDocument, kItem}));
        const std::string before = exportOf(*p);
        const std::int64_t importsBefore = scalar(p->database(), "SELECT count(*) FROM imports");
        // Valid new document and label, then a label naming an unknown item: nothing may land.
        const std::string bad = lines({R"({"kind":"document","id":"other","text":"x"})", kLabel1,
                                       R"({"kind":"label","item":"nope","rater":"bob","preference":"A"})"});
        std::vector<model::Diagnostic> d;
        auto s = p->importContent("bad.jsonl", bad, d);
        QVERIFY(!s);
        QCOMPARE(d.size(), std::size_t(1));
        QCOMPARE(d[0].line, std::int64_t(3));
        QCOMPARE(d[0].field, std::string("item"));
        QCOMPARE(exportOf(*p), before);
        QCOMPARE(scalar(p->database(), "SELECT count(*) FROM imports"), importsBefore);
    }

    void problemsOfContentAreInLineOrder()
    {
        // The planner finds items' problems before labels': the user reads them by line.
        auto p = freshProject("order.concord");
        const std::string bad = lines(
            {R"({"kind":"label","item":"nope","rater":"bob","preference":"A"})",
             R"({"kind":"item","id":"q9","document":"missing","question":"Q?","question_type":"fact_recall","answers":{"A":{"system":"s","text":"a"},"B":{"system":"t","text":"b"}}})"});
        std::vector<model::Diagnostic> d;
        QVERIFY(!p->importContent("order.jsonl", bad, d));
        QCOMPARE(d.size(), std::size_t(2));
        QCOMPARE(d[0].line, std::int64_t(1));
        QCOMPARE(d[1].line, std::int64_t(2));
    }

    void identicalDocumentTextsAreStoredOnce()
    {
        auto p = freshProject("dedup.concord");
        importOk(*p, lines({R"({"kind":"document","id":"d1","text":"same text"})",
                            R"({"kind":"document","id":"d2","title":"copy","text":"same text"})"}));
        QCOMPARE(p->info()->documents, std::int64_t(2));
        QCOMPARE(scalar(p->database(), "SELECT count(*) FROM document_texts"), std::int64_t(1));
    }

    void historyIsAppendOnly()
    {
        auto p = freshProject("append.concord");
        importOk(*p, lines({kDocument, kItem, kLabel1}));
        for (const char *sql :
             {"DELETE FROM labels", "UPDATE labels SET preference = 'B'", "UPDATE labels SET note = 'x'",
              "DELETE FROM evidence", "UPDATE evidence SET start = 0"}) {
            bool refused = false;
            try {
                p->database().exec(sql);
            } catch (const storage::SqliteError &e) {
                refused = std::string(e.what()).find("append-only") != std::string::npos;
            }
            QVERIFY2(refused, sql);
        }
    }

    void exportRoundTripsThroughANewProject()
    {
        auto first = freshProject("rt1.concord");
        importOk(
            *first,
            lines(
                {R"({"kind":"rater","id":"judge:m:1","rater_kind":"judge","config":{"model":"m","t":0}})",
                 kDocument, kItem, kLabel1, kLabel2,
                 R"({"kind":"label","item":"q1","rater":"judge:m:1","rater_kind":"judge","no_info":{"A":"answered","B":"hallucinated"},"criteria":{"conciseness":"B","relevance":"A"},"time_spent_s":2.5})"}));
        const std::string exported = exportOf(*first);
        auto second = freshProject("rt2.concord");
        importOk(*second, exported, "export.jsonl");
        QCOMPARE(exportOf(*second), exported);
        QVERIFY(exported.find(R"("criteria":{"relevance":"A","conciseness":"B"})") != std::string::npos);
    }

    void lockedProjectGivesClearError()
    {
        auto p = freshProject("locked.concord");
        storage::Database other(path("locked.concord"), storage::Database::Mode::ReadWrite);
        other.exec("PRAGMA busy_timeout = 0");
        other.exec("BEGIN IMMEDIATE");
        std::vector<model::Diagnostic> d;
        // The importer waits for the busy timeout, then reports the lock.
        auto s = p->importContent("in.jsonl", lines({kDocument}), d);
        other.exec("ROLLBACK");
        QVERIFY(!s);
        QCOMPARE(s.error().code, model::Error::Code::Locked);
        QVERIFY(s.error().message.find("in use by another program") != std::string::npos);
    }

    // A large import streams its parts into the project inside one transaction, through a
    // rollback journal: a kill at any moment leaves the project with all of it or none of it.
    void killedStreamedImportLeavesAllOrNothing()
    {
        // Larger than the import's 16 MB page cache, so that pages are written to the project file
        // before the commit (a hot journal when the kill comes then).
        const std::string file = path("kill-large.jsonl");
        std::ofstream(file, std::ios::binary) << largeFile(false, false, nullptr, 320);
        std::int64_t full = 0;
        {
            auto p = freshProject("kill-reference.concord");
            std::vector<model::Diagnostic> d;
            QVERIFY(p->importFiles({file}, d).ok());
            full = p->info()->revisions;
        }
        int killedMidway = 0, rolledBack = 0;
        // -1: the moment the first pages reach the project file (its rollback journal appears).
        int run = 0;
        for (int delayMs : {-1, -1, 0, 5, 20, 50, 100, 200}) {
            const std::string project = path(("kill-" + std::to_string(run++) + ".concord").c_str());
            {
                auto p = Project::create(project);
                QVERIFY(p.ok());
            }
            int ready[2];
            QCOMPARE(pipe(ready), 0);
            const pid_t child = fork();
            if (child == 0) {
                close(ready[0]);
                auto p = Project::open(project);
                if (!p.ok())
                    _exit(1);
                // '1' once the first part is written inside the import's transaction.
                bool told = false;
                auto progress = [&](double) {
                    if (!told) {
                        const char one = '1';
                        told = write(ready[1], &one, 1) == 1;
                    }
                };
                std::vector<model::Diagnostic> d;
                const char c =
                    (*p)->importFiles({file}, d, Project::ImportMemory::Release, progress).ok() ? '2' : '0';
                [[maybe_unused]] auto n = write(ready[1], &c, 1);
                pause();
                _exit(0);
            }
            close(ready[1]);
            char c = 0;
            QCOMPARE(read(ready[0], &c, 1), ssize_t(1));
            QCOMPARE(c, '1');
            if (delayMs >= 0)
                usleep(useconds_t(delayMs) * 1000);
            else
                for (int waited = 0; waited < 20000; ++waited) {
                    std::error_code ec;
                    if (std::filesystem::file_size(project + "-journal", ec) > 0 && !ec)
                        break;
                    usleep(500);
                }
            kill(child, SIGKILL);
            int status = 0;
            waitpid(child, &status, 0);
            const bool finished = read(ready[0], &c, 1) == 1 && c == '2';
            close(ready[0]);
            std::error_code ec;
            const bool hotJournal = std::filesystem::file_size(project + "-journal", ec) > 0 && !ec;
            auto reopened = Project::open(project);
            QVERIFY(reopened.ok());
            const std::int64_t revisions = (*reopened)->info()->revisions;
            QVERIFY2(revisions == 0 || revisions == full, std::to_string(revisions).c_str());
            if (!finished && revisions == 0)
                ++killedMidway;
            if (hotJournal && revisions == 0)
                ++rolledBack; // pages already in the file were put back
            if (finished)
                QCOMPARE(revisions, full);
            // The journal was rolled back: importing again works and gives the whole file.
            std::vector<model::Diagnostic> d;
            QVERIFY((*reopened)->importFiles({file}, d).ok());
            QCOMPARE((*reopened)->info()->revisions, full);
        }
        QVERIFY(killedMidway > 0); // at least one kill landed after rows were written, before the commit
        QVERIFY(rolledBack > 0);   // and at least one after pages had reached the file
    }

    void committedLabelSurvivesKill9()
    {
        const std::string file = path("durable.concord");
        freshProject("durable.concord");
        int ready[2];
        QCOMPARE(pipe(ready), 0);
        const pid_t child = fork();
        if (child == 0) {
            close(ready[0]);
            auto p = Project::open(file);
            std::vector<model::Diagnostic> d;
            auto s = (*p)->importContent("in.jsonl", lines({kDocument, kItem, kLabel1}), d);
            const char ok = s.ok() ? '1' : '0';
            [[maybe_unused]] auto n = write(ready[1], &ok, 1);
            pause(); // keep the connection open: no clean close, no checkpoint
            _exit(0);
        }
        close(ready[1]);
        char ok = 0;
        QCOMPARE(read(ready[0], &ok, 1), ssize_t(1));
        QCOMPARE(ok, '1');
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        QVERIFY(WIFSIGNALED(status));
        auto reopened = Project::open(file);
        QVERIFY(reopened.ok());
        QCOMPARE((*reopened)->info()->labels, std::int64_t(3));
    }

    // The import's background sync opens the project file a second time. Closing a descriptor of
    // a file drops every POSIX lock the process holds on it, so a plain open() and close() there
    // would let another program write the project in the middle of the import's transaction
    // (rollback journal, as a first load), or take the WAL from under it (WAL mode).
    void backgroundSyncKeepsTheTransactionsLocks_data()
    {
        QTest::addColumn<QString>("journal");
        QTest::addColumn<QString>("otherWrites"); // what another program tries, to be kept out
        QTest::newRow("rollback journal") << "delete"
                                          << "BEGIN IMMEDIATE";
        QTest::newRow("WAL") << "wal"
                             << "PRAGMA journal_mode = DELETE";
    }
    void backgroundSyncKeepsTheTransactionsLocks()
    {
        QFETCH(QString, journal);
        QFETCH(QString, otherWrites);
        const std::string name = "synced-" + journal.toStdString() + ".concord";
        const std::string file = path(name.c_str());
        freshProject(name.c_str());
        storage::Database db(file, storage::Database::Mode::ReadWrite);
        db.exec("PRAGMA journal_mode = " + journal.toStdString());
        db.exec("BEGIN IMMEDIATE");
        db.exec("INSERT INTO settings(key, value) VALUES ('synced', 'yes')");
        // Another program (SQLite in a forked child would share this process's view of its locks)
        // trying `otherWrites`: 0 when it is kept out, 1 when it could.
        const std::string sql = otherWrites.toStdString();
        auto otherProcessCanWrite = [&file, &sql] {
            const pid_t child = fork();
            if (child == 0) {
                execlp("python3", "python3", "-c",
                       "import sqlite3, sys\n"
                       "c = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)\n"
                       "try:\n"
                       "    c.execute(sys.argv[2]).fetchall()\n"
                       "except sqlite3.OperationalError as e:\n"
                       "    sys.exit(0 if 'locked' in str(e) else 3)\n"
                       "sys.exit(1)\n",
                       file.c_str(), sql.c_str(), static_cast<char *>(nullptr));
                _exit(5); // no python3 (scripts/setup.sh installs it)
            }
            int status = 0;
            waitpid(child, &status, 0);
            return WIFEXITED(status) ? WEXITSTATUS(status) : 4;
        };
        QCOMPARE(otherProcessCanWrite(), 0);
        {
            storage::BackgroundSync syncing(db);
            for (int waited = 0; syncing.syncs() < 2 && waited < 250; ++waited)
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            QVERIFY(syncing.syncs() >= 2);
            syncing.stop();
        }
        QCOMPARE(otherProcessCanWrite(), 0); // the lock held through the syncs and the close
        // The VFS keeps a closed descriptor while the process holds locks, and reuses it: syncing
        // again and again leaves at most that one open.
        auto openDescriptors = [] {
            return std::distance(std::filesystem::directory_iterator("/proc/self/fd"),
                                 std::filesystem::directory_iterator());
        };
        const auto descriptors = openDescriptors();
        for (int again = 0; again < 3; ++again) {
            storage::BackgroundSync syncing(db);
            for (int waited = 0; syncing.syncs() < 1 && waited < 250; ++waited)
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            QVERIFY(syncing.syncs() >= 1);
        }
        QVERIFY(openDescriptors() <= descriptors + 1);
        QCOMPARE(otherProcessCanWrite(), 0);
        db.exec("COMMIT");
        storage::Statement kept(db, "SELECT value FROM settings WHERE key = 'synced'");
        QVERIFY(kept.step());
        QCOMPARE(std::string(kept.textView(0)), std::string("yes"));
        kept.reset();

        // The hazard the test guards against, shown: a plain descriptor opened and closed.
        db.exec("BEGIN IMMEDIATE");
        db.exec("INSERT INTO settings(key, value) VALUES ('again', 'yes')");
        QCOMPARE(otherProcessCanWrite(), 0);
        ::close(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
        QCOMPARE(otherProcessCanWrite(), 1);
        try {
            db.exec("ROLLBACK");
        } catch (const storage::SqliteError &) {
            // The other program may have taken the WAL from under this transaction: the hazard.
        }
    }

    // A file of 4 MB or more is parsed, planned and written in parts at once (importStreaming);
    // the project must be the same, row for row, as when it is imported as one batch.
    void streamedImportWritesTheSameRowsAsOneBatch_data()
    {
        QTest::addColumn<bool>("labelsFirst");
        QTest::addColumn<bool>("raterLast");
        QTest::newRow("in order") << false << false;
        QTest::newRow("labels before their items (planned as one batch)") << true << false;
        QTest::newRow("rater line after its labels (planned as one batch)") << false << true;
    }
    void streamedImportWritesTheSameRowsAsOneBatch()
    {
        QFETCH(bool, labelsFirst);
        QFETCH(bool, raterLast);
        const std::string content = largeFile(labelsFirst, raterLast);
        QVERIFY(content.size() > 4u * 1024u * 1024u);
        const std::string file = path("large.jsonl");
        std::ofstream(file, std::ios::binary) << content;
        const std::string tag = std::to_string(int(labelsFirst)) + std::to_string(int(raterLast));

        auto streamed = freshProject(("streamed" + tag + ".concord").c_str());
        std::vector<model::Diagnostic> d;
        std::vector<double> progress;
        // Progress 1 means committed: another connection then reads every label.
        std::int64_t seenAtOne = -1;
        const std::string streamedPath = path(("streamed" + tag + ".concord").c_str());
        auto summary = streamed->importFiles({file}, d, Project::ImportMemory::Release, [&](double done) {
            progress.push_back(done);
            if (done == 1.0) {
                storage::Database other(streamedPath, storage::Database::Mode::ReadOnly);
                seenAtOne = scalar(other, "SELECT count(*) FROM labels");
            }
        });
        if (!summary.ok())
            QFAIL((d.empty() ? summary.error().message : d.front().toString()).c_str());
        auto batch = freshProject(("batch" + tag + ".concord").c_str());
        auto batchSummary = batch->importContent(file, content, d);
        QVERIFY(batchSummary.ok());
        QCOMPARE(summary->toString(), batchSummary->toString());
        // In order it streams; a line referring forward, or a rater line after the labels that
        // implied the rater, makes it fall back to one batch.
        QCOMPARE(summary->streamed, !labelsFirst && !raterLast);
        QVERIFY(!batchSummary->streamed);
        // Progress: part by part when streamed, never going back (not even on falling back to one
        // batch), and done at the end.
        QVERIFY(!progress.empty());
        QVERIFY(std::is_sorted(progress.begin(), progress.end()));
        QCOMPARE(progress.back(), 1.0);
        QVERIFY(progress.front() > 0.0);
        if (!labelsFirst && !raterLast)
            QVERIFY2(progress.size() > 3, std::to_string(progress.size()).c_str());
        QCOMPARE(summary->labelsAdded, std::int64_t(9002));
        QCOMPARE(seenAtOne, std::int64_t(9002));
        QCOMPARE(summary->documentsAdded, std::int64_t(raterLast ? 100 : 60));
        QCOMPARE(rowsOf(streamed->database()), rowsOf(batch->database()));
        QCOMPARE(exportOf(*streamed), exportOf(*batch));
        // The connection is as it was: WAL, foreign keys on.
        QCOMPARE(scalar(streamed->database(), "PRAGMA foreign_keys"), std::int64_t(1));
        {
            storage::Statement mode(streamed->database(), "PRAGMA journal_mode");
            mode.step();
            QCOMPARE(mode.text(0), std::string("wal"));
        }

        // Again into the now full project (planned on the writing thread): nothing new.
        auto again = streamed->importFiles({file}, d);
        if (!again.ok())
            QFAIL((d.empty() ? again.error().message : d.front().toString()).c_str());
        QCOMPARE(again->labelsAdded, std::int64_t(0));
        QCOMPARE(again->labelsUnchanged, std::int64_t(9002));
        QCOMPARE(again->itemsUnchanged, std::int64_t(3000));
    }

    // Two files in one import (the second naming items of the first), a BOM and CRLF line ends:
    // still streamed, and the same project as one batch of the same lines.
    void streamedImportOfTwoFilesWithBomAndCrlf_matchesOneBatch()
    {
        const std::string content = largeFile();
        const std::size_t cut = content.find("{\"kind\":\"label\"");
        QVERIFY(cut != std::string::npos);
        auto crlf = [](const std::string &text) {
            std::string out = "\xEF\xBB\xBF";
            for (char c : text)
                out += c == '\n' ? std::string("\r\n") : std::string(1, c);
            return out;
        };
        const std::string first = path("two-1.jsonl"), second = path("two-2.jsonl");
        std::ofstream(first, std::ios::binary) << crlf(content.substr(0, cut));
        std::ofstream(second, std::ios::binary) << crlf(content.substr(cut)) << "\r\n\r\n";
        auto streamed = freshProject("two-streamed.concord");
        std::vector<model::Diagnostic> d;
        auto summary = streamed->importFiles({first, second}, d);
        if (!summary.ok())
            QFAIL((d.empty() ? summary.error().message : d.front().toString()).c_str());
        QVERIFY(summary->streamed);
        auto batch = freshProject("two-batch.concord");
        QVERIFY(batch->importContent("all.jsonl", content, d).ok());
        QCOMPARE(exportOf(*streamed), exportOf(*batch));
        QCOMPARE(scalar(streamed->database(), "SELECT count(*) FROM import_files"), std::int64_t(2));
    }

    // The disk filling up in the middle of a streamed import: the clear message, nothing written,
    // and the connection as it was (foreign keys on, WAL), into a project with content (WAL
    // meanwhile) and into an empty one (a rollback journal meanwhile).
    void streamedImportFailingMidway_writesNothingAndRestoresTheConnection()
    {
        const std::string file = path("full.jsonl");
        std::ofstream(file, std::ios::binary) << largeFile();
        for (bool withContent : {true, false}) {
            auto p = freshProject(withContent ? "full.concord" : "full-empty.concord");
            if (withContent)
                importOk(*p, lines({kDocument, kItem, kLabel1}));
            const std::string before = rowsOf(p->database());
            const std::int64_t pages = scalar(p->database(), "PRAGMA page_count");
            p->database().exec("PRAGMA max_page_count = " + std::to_string(pages + 40));
            std::vector<model::Diagnostic> d;
            auto result = p->importFiles({file}, d);
            QVERIFY(!result.ok());
            QVERIFY2(result.error().message.find("disk is full") != std::string::npos,
                     result.error().message.c_str());
            QVERIFY(d.empty());
            p->database().exec("PRAGMA max_page_count = 1073741823");
            QCOMPARE(rowsOf(p->database()), before);
            QCOMPARE(scalar(p->database(), "PRAGMA foreign_keys"), std::int64_t(1));
            storage::Statement mode(p->database(), "PRAGMA journal_mode");
            mode.step();
            QCOMPARE(mode.text(0), std::string("wal"));
        }
    }

    // The import reads what a pipe gives (e.g. `concord import p.concord <(zcat x.jsonl.gz)`).
    void importReadsFromAPipe()
    {
        const std::string fifo = path("pipe.jsonl");
        QCOMPARE(mkfifo(fifo.c_str(), 0600), 0);
        const std::string content = lines({kDocument, kItem, kLabel1});
        std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << content; });
        auto p = freshProject("pipe.concord");
        std::vector<model::Diagnostic> d;
        auto summary = p->importFiles({fifo}, d);
        writer.join();
        if (!summary.ok())
            QFAIL((d.empty() ? summary.error().message : d.front().toString()).c_str());
        QCOMPARE(summary->itemsAdded, std::int64_t(1));
        QCOMPARE(summary->labelsAdded, std::int64_t(1));
    }

    void smallImportReportsProgressInSteps()
    {
        const std::string file = path("small.jsonl");
        std::ofstream(file, std::ios::binary) << lines({kDocument, kItem, kLabel1, kLabel2});
        auto p = freshProject("small-progress.concord");
        std::vector<model::Diagnostic> d;
        std::vector<double> progress;
        // What another connection reads at each step: the labels only once progress says 1.
        std::vector<std::int64_t> seen;
        QVERIFY(p->importFiles({file}, d, Project::ImportMemory::Release, [&](double done) {
                     progress.push_back(done);
                     storage::Database other(path("small-progress.concord"),
                                             storage::Database::Mode::ReadOnly);
                     seen.push_back(scalar(other, "SELECT count(*) FROM labels"));
                 }).ok());
        QCOMPARE(progress, (std::vector<double>{0.5, 0.9, 1.0}));
        QCOMPARE(seen, (std::vector<std::int64_t>{0, 0, 2}));
        // A file with a problem stops before anything is written: no progress past parsing.
        std::ofstream(file, std::ios::binary) << "{\"kind\":\"nope\"}\n";
        progress.clear();
        QVERIFY(!p->importFiles({file}, d, Project::ImportMemory::Release, [&](double done) {
                      progress.push_back(done);
                  }).ok());
        QVERIFY(progress.empty());
    }

    void streamedImportIntoAProjectWithContent_matchesOneBatch()
    {
        const std::string file = path("large2.jsonl");
        std::ofstream(file, std::ios::binary) << largeFile();
        auto streamed = freshProject("streamed-full.concord");
        auto batch = freshProject("batch-full.concord");
        const std::string before = lines(
            {kDocument, kItem, kLabel1, R"({"kind":"label","item":"q1","rater":"bob","preference":"B"})"});
        importOk(*streamed, before);
        importOk(*batch, before);
        std::vector<model::Diagnostic> d;
        QVERIFY(streamed->importFiles({file}, d).ok());
        std::ifstream in(file, std::ios::binary);
        const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        QVERIFY(batch->importContent(file, content, d).ok());
        QCOMPARE(rowsOf(streamed->database()), rowsOf(batch->database()));
    }

    // A problem in the last line of a large file: the same messages as a batch import, and the
    // project exactly as it was, although earlier parts had been written inside the transaction.
    void streamedImportWithAProblem_writesNothingAndReportsAsOneBatch()
    {
        const char *bad = R"({"kind":"label","item":"q-nope","rater":"alice","preference":"A"})";
        const std::string content = largeFile(false, false, bad);
        const std::string file = path("large-bad.jsonl");
        std::ofstream(file, std::ios::binary) << content;
        auto p = freshProject("streamed-bad.concord");
        importOk(*p, lines({kDocument, kItem, kLabel1}));
        const std::string rowsBefore = rowsOf(p->database());
        std::vector<model::Diagnostic> streamedProblems, batchProblems;
        auto result = p->importFiles({file}, streamedProblems);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, model::Error::Code::InvalidInput);
        auto other = freshProject("batch-bad.concord");
        importOk(*other, lines({kDocument, kItem, kLabel1}));
        QVERIFY(!other->importContent(file, content, batchProblems).ok());
        QCOMPARE(streamedProblems.size(), std::size_t(1));
        QCOMPARE(streamedProblems.front().toString(), batchProblems.front().toString());
        QVERIFY(streamedProblems.front().toString().find("q-nope") != std::string::npos);
        QCOMPARE(rowsOf(p->database()), rowsBefore);
        QCOMPARE(scalar(p->database(), "PRAGMA foreign_keys"), std::int64_t(1));
    }

    // Parsing runs at most a few parts ahead of writing, and the parts written are freed as the
    // stream goes on (all but each record's id and source, which the planner keeps). A file of
    // many parts: the same rows as one batch, and a problem that names a line of a part freed
    // long before is worded as in one batch.
    void streamedImportOfManyParts_matchesOneBatch()
    {
        const std::string content = largeFile(false, false, nullptr, 320);
        QVERIFY(content.size() > 20u * 1024u * 1024u); // more than 10 parts of 2 MB
        const std::string file = path("many-parts.jsonl");
        std::ofstream(file, std::ios::binary) << content;
        auto streamed = freshProject("many-streamed.concord");
        std::vector<model::Diagnostic> d;
        auto summary = streamed->importFiles({file}, d);
        if (!summary.ok())
            QFAIL((d.empty() ? summary.error().message : d.front().toString()).c_str());
        QVERIFY(summary->streamed);
        auto batch = freshProject("many-batch.concord");
        QVERIFY(batch->importContent(file, content, d).ok());
        QCOMPARE(rowsOf(streamed->database()), rowsOf(batch->database()));

        const char *clash = R"({"kind":"item","id":"q-0","document":"doc-1","question":"Another?",)"
                            R"("question_type":"definition","answers":{"A":{"system":"a","text":"x"},)"
                            R"("B":{"system":"b","text":"y"}}})";
        const std::string bad = largeFile(false, false, clash, 320);
        const std::string badFile = path("many-parts-bad.jsonl");
        std::ofstream(badFile, std::ios::binary) << bad;
        auto p = freshProject("many-bad.concord");
        std::vector<model::Diagnostic> streamedProblems, batchProblems;
        QVERIFY(!p->importFiles({badFile}, streamedProblems).ok());
        QVERIFY(!freshProject("many-bad-batch.concord")->importContent(badFile, bad, batchProblems).ok());
        QCOMPARE(streamedProblems.size(), std::size_t(1));
        QCOMPARE(streamedProblems.front().toString(), batchProblems.front().toString());
        QVERIFY(streamedProblems.front().toString().find("first at " + badFile + ":") != std::string::npos);
        QCOMPARE(scalar(p->database(), "SELECT count(*) FROM items"), std::int64_t(0));
    }
};

QTEST_APPLESS_MAIN(ProjectTest)
#include "project_test.moc"
