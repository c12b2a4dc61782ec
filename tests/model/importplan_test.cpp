// planImport(): what an import adds, what it finds unchanged, and every cross-reference problem,
// checked against an in-memory project.
#include "importplan.h"
#include "modeltest.h"
#include "sha256.h"
#include "utf8.h"

#include <QTest>

#include <algorithm>
#include <map>
#include <set>

using namespace concord::model;
using concord::test::spelled;

namespace {

/// What a project holds, as import sees it.
class FakeProject final : public ProjectLookup
{
public:
    std::map<std::string, ExistingDocument> documents;
    std::map<std::string, ExistingItem> items;
    std::map<std::string, Rater> raters;
    std::set<std::string> labelKeys;

    std::optional<ExistingDocument> document(const std::string &id) override
    {
        auto it = documents.find(id);
        return it == documents.end() ? std::nullopt : std::optional(it->second);
    }
    std::optional<ExistingItem> item(const std::string &id) override
    {
        auto it = items.find(id);
        return it == items.end() ? std::nullopt : std::optional(it->second);
    }
    std::optional<Rater> rater(const std::string &id) override
    {
        auto it = raters.find(id);
        return it == raters.end() ? std::nullopt : std::optional(it->second);
    }
    bool hasLabelRevision(const std::string &key) override { return labelKeys.count(key) > 0; }

    /// Stores everything `plan` adds, as storage/ would after applying it.
    void apply(const ImportPlan &plan)
    {
        for (const PlannedDocument &d : plan.documents)
            documents[d.document->id] = {d.recordHash, d.length};
        for (const PlannedItem &i : plan.items)
            items[i.item->id] = {i.recordHash, documents.at(i.item->documentId).length};
        for (const Rater &r : plan.raters)
            raters[r.id] = r;
        for (const PlannedLabel &l : plan.labels)
            labelKeys.insert(l.key);
    }
};

// "£€😀 rent": 8 code points in 14 bytes, so byte and code-point offsets disagree.
const char *const kDocument = R"({"kind":"document","id":"lease","text":"£€😀 rent"})";
const char *const kItem =
    R"({"kind":"item","id":"q1","document":"lease","question":"What is the rent?","question_type":"fact_recall","answers":{"A":{"system":"s1","text":"a"},"B":{"system":"s2","text":"b"}}})";
const char *const kLabelA = R"({"kind":"label","item":"q1","rater":"alice","preference":"A"})";
const char *const kLabelB = R"({"kind":"label","item":"q1","rater":"alice","preference":"B"})";

std::string join(std::initializer_list<std::string> lines)
{
    std::string out;
    for (const std::string &l : lines)
        out += l + "\n";
    return out;
}

QString describe(const std::vector<Diagnostic> &diagnostics)
{
    QStringList out;
    for (const Diagnostic &d : diagnostics)
        out << QString::fromStdString(d.toString());
    return out.join(QLatin1Char('\n'));
}

std::string labelWithEvidence(std::int64_t start, std::int64_t end)
{
    return R"({"kind":"label","item":"q1","rater":"alice","evidence":[{"answer":"A","start":)" +
           std::to_string(start) + R"(,"end":)" + std::to_string(end) + "}]}";
}

} // namespace

class ImportPlanTest : public QObject
{
    Q_OBJECT

private:
    FakeProject m_project;
    ImportBatch m_batch; // the plan points into it
    std::vector<Diagnostic> m_diagnostics;

    /// Reads `content` as one file into a fresh batch; the input itself must be valid.
    bool read(const std::string &content, const char *file = "in.jsonl")
    {
        m_batch = ImportBatch();
        std::vector<Diagnostic> readProblems;
        readJsonl(file, content, m_batch, readProblems);
        if (!readProblems.empty())
            qWarning("%s", qPrintable(describe(readProblems)));
        return readProblems.empty();
    }

    ImportPlan plan()
    {
        m_diagnostics.clear();
        return planImport(m_batch, m_project, m_diagnostics);
    }

    /// Exactly one diagnostic, at `line` of in.jsonl, about `field`.
    void expectOneDiagnostic(std::int64_t line, const std::string &field)
    {
        QVERIFY2(m_diagnostics.size() == 1, qPrintable(describe(m_diagnostics)));
        QCOMPARE(m_diagnostics[0].file, std::string("in.jsonl"));
        QCOMPARE(m_diagnostics[0].line, line);
        QCOMPARE(m_diagnostics[0].field, field);
    }

private slots:
    void init()
    {
        m_project = FakeProject();
        m_batch = ImportBatch();
        m_diagnostics.clear();
    }

    // ---- New records ----------------------------------------------------------------------------

    void plansNewRecords()
    {
        QVERIFY(
            read(join({R"({"kind":"rater","id":"bot","rater_kind":"judge","name":"Bot"})", kDocument, kItem,
                       kLabelA, R"({"kind":"label","item":"q1","rater":"bot","preference":"tie"})"})));
        const ImportPlan p = plan();
        QVERIFY2(m_diagnostics.empty(), qPrintable(describe(m_diagnostics)));

        QCOMPARE(p.documents.size(), std::size_t(1));
        const PlannedDocument &d = p.documents[0];
        QCOMPARE(d.document, &m_batch.documents[0].value);
        QCOMPARE(d.textHash, Sha256::hex("£€😀 rent"));
        QCOMPARE(d.recordHash, documentRecordHash(*d.document, d.textHash));
        QCOMPARE(d.length, std::int64_t(8)); // code points, not bytes

        QCOMPARE(p.items.size(), std::size_t(1));
        QCOMPARE(p.items[0].item, &m_batch.items[0].value);
        QCOMPARE(p.items[0].recordHash, itemRecordHash(m_batch.items[0].value));

        QCOMPARE(p.raters.size(), std::size_t(2));
        QCOMPARE(p.raters[0].id, std::string("bot"));
        QCOMPARE(spelled(p.raters[0].kind), std::string("judge"));
        QCOMPARE(p.raters[0].name, std::optional<std::string>("Bot"));
        QCOMPARE(p.raters[1].id, std::string("alice")); // implied by her label line
        QCOMPARE(spelled(p.raters[1].kind), std::string("human"));

        QCOMPARE(p.labels.size(), std::size_t(2));
        QCOMPARE(p.labels[0].label, &m_batch.labels[0].value);
        QCOMPARE(spelled(p.labels[0].raterKind), std::string("human"));
        QCOMPARE(p.labels[1].label, &m_batch.labels[1].value);
        QCOMPARE(spelled(p.labels[1].raterKind), std::string("judge")); // the rater line's kind
        QVERIFY(p.labels[0].key != p.labels[1].key);
        QVERIFY(!p.labels[0].key.empty());

        QCOMPARE(p.documentsUnchanged, std::int64_t(0));
        QCOMPARE(p.itemsUnchanged, std::int64_t(0));
        QCOMPARE(p.labelsUnchanged, std::int64_t(0));
    }

    void labelsPointAtThePlannedItemAndRater_orAtNoneForTheProjects()
    {
        const char *item2 =
            R"({"kind":"item","id":"q2","document":"lease","question":"Term?","question_type":"fact_recall","answers":{"A":{"system":"s1","text":"a"},"B":{"system":"s2","text":"b"}}})";
        QVERIFY(read(join({kDocument, kItem, item2,
                           R"({"kind":"label","item":"q2","rater":"bob","preference":"A"})", kLabelA})));
        ImportPlan first = plan();
        QVERIFY2(m_diagnostics.empty(), qPrintable(describe(m_diagnostics)));
        QCOMPARE(first.labels.size(), std::size_t(2));
        QCOMPARE(first.items.at(std::size_t(first.labels[0].item)).item->id, std::string("q2"));
        QCOMPARE(first.raters.at(std::size_t(first.labels[0].rater)).id, std::string("bob"));
        QCOMPARE(first.items.at(std::size_t(first.labels[1].item)).item->id, std::string("q1"));
        QCOMPARE(first.raters.at(std::size_t(first.labels[1].rater)).id, std::string("alice"));
        m_project.apply(first);

        // Once they are in the project, a new label names neither by index.
        QVERIFY(read(join({kLabelB})));
        const ImportPlan second = plan();
        QCOMPARE(second.labels.size(), std::size_t(1));
        QCOMPARE(second.labels[0].item, std::ptrdiff_t(-1));
        QCOMPARE(second.labels[0].rater, std::ptrdiff_t(-1));
    }

    void recordHashes_dependOnContentNotOnKeyOrder()
    {
        QVERIFY(read(join({kDocument, R"({"text":"£€😀 rent","id":"lease","kind":"document"})",
                           R"({"kind":"document","id":"lease","title":"T","text":"£€😀 rent"})"})));
        const Document &a = m_batch.documents[0].value;
        const Document &b = m_batch.documents[1].value;
        const Document &titled = m_batch.documents[2].value;
        const std::string textHash = Sha256::hex(a.text);
        QCOMPARE(documentRecordHash(a, textHash), documentRecordHash(b, textHash));
        QVERIFY(documentRecordHash(a, textHash) != documentRecordHash(titled, textHash));
        QVERIFY(documentRecordHash(a, textHash) != documentRecordHash(a, Sha256::hex("other text")));

        QVERIFY(read(join({kItem})));
        Item changed = m_batch.items[0].value;
        const std::string original = itemRecordHash(changed);
        changed.answers[1].text = "c";
        QVERIFY(itemRecordHash(changed) != original);
    }

    // ---- Unchanged records ----------------------------------------------------------------------

    void reimport_findsEverythingUnchanged()
    {
        QVERIFY(read(join({kDocument, kItem, kLabelA, kLabelB})));
        const ImportPlan first = plan();
        QVERIFY2(m_diagnostics.empty(), qPrintable(describe(m_diagnostics)));
        m_project.apply(first);

        const ImportPlan again = plan();
        QVERIFY2(m_diagnostics.empty(), qPrintable(describe(m_diagnostics)));
        QCOMPARE(again.documents.size(), std::size_t(0));
        QCOMPARE(again.items.size(), std::size_t(0));
        QCOMPARE(again.raters.size(), std::size_t(0));
        QCOMPARE(again.labels.size(), std::size_t(0));
        QCOMPARE(again.documentsUnchanged, std::int64_t(1));
        QCOMPARE(again.itemsUnchanged, std::int64_t(1));
        QCOMPARE(again.labelsUnchanged, std::int64_t(2));
    }

    void sameDocumentAndItemTwiceInBatch_secondCountedUnchanged()
    {
        QVERIFY(read(join({kDocument, kItem, kDocument, kItem})));
        const ImportPlan p = plan();
        QVERIFY2(m_diagnostics.empty(), qPrintable(describe(m_diagnostics)));
        QCOMPARE(p.documents.size(), std::size_t(1));
        QCOMPARE(p.items.size(), std::size_t(1));
        // Every line is accounted for: added + unchanged = lines of that kind.
        QCOMPARE(p.documentsUnchanged, std::int64_t(1));
        QCOMPARE(p.itemsUnchanged, std::int64_t(1));
    }

    void sameDocumentAndItemInProject_countedUnchanged()
    {
        QVERIFY(read(join({kDocument, kItem})));
        const Document &doc = m_batch.documents[0].value;
        m_project.documents["lease"] = {documentRecordHash(doc, Sha256::hex(doc.text)), 8};
        m_project.items["q1"] = {itemRecordHash(m_batch.items[0].value), 8};
        const ImportPlan p = plan();
        QVERIFY2(m_diagnostics.empty(), qPrintable(describe(m_diagnostics)));
        QCOMPARE(p.documents.size(), std::size_t(0));
        QCOMPARE(p.items.size(), std::size_t(0));
        QCOMPARE(p.documentsUnchanged, std::int64_t(1));
        QCOMPARE(p.itemsUnchanged, std::int64_t(1));
    }

    void itemMayReferToDocumentAlreadyInProject()
    {
        m_project.documents["lease"] = {"hash-of-lease", 8};
        QVERIFY(read(join({kItem, labelWithEvidence(0, 8)})));
        const ImportPlan p = plan();
        QVERIFY2(m_diagnostics.empty(), qPrintable(describe(m_diagnostics)));
        QCOMPARE(p.items.size(), std::size_t(1));
        QCOMPARE(p.labels.size(), std::size_t(1));
    }

    // ---- Conflicts and dangling references ----------------------------------------------------

    void sameIdWithDifferentContent_namesSecondLineAndId_data()
    {
        QTest::addColumn<QString>("content");
        QTest::addColumn<qint64>("line");
        QTest::addColumn<QString>("message");
        const QString doc2 = R"({"kind":"document","id":"lease","text":"other text"})";
        const QString item2 = QString::fromUtf8(kItem).replace("What is the rent?", "What is the term?");
        QTest::newRow("document twice in batch")
            << QString::fromStdString(join({kDocument, "", doc2.toStdString()})) << qint64(3)
            << "defined again with different content (first at in.jsonl:1)";
        QTest::newRow("item twice in batch")
            << QString::fromStdString(join({kDocument, kItem, item2.toStdString()})) << qint64(3)
            << "defined again with different content (first at in.jsonl:2)";
        QTest::newRow("rater twice in batch")
            << QString::fromStdString(
                   join({R"({"kind":"rater","id":"bot","rater_kind":"judge","name":"A"})",
                         R"({"kind":"rater","id":"bot","rater_kind":"judge","name":"B"})"}))
            << qint64(2) << "defined again with different content";
    }
    void sameIdWithDifferentContent_namesSecondLineAndId()
    {
        QFETCH(QString, content);
        QFETCH(qint64, line);
        QFETCH(QString, message);
        QVERIFY(read(content.toStdString()));
        (void)plan();
        expectOneDiagnostic(line, "id");
        QVERIFY2(QString::fromStdString(m_diagnostics[0].message).contains(message),
                 m_diagnostics[0].message.c_str());
    }

    void idInProjectWithDifferentContent_namesLineAndId_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("document") << "document";
        QTest::newRow("item") << "item";
        QTest::newRow("rater name") << "rater";
    }
    void idInProjectWithDifferentContent_namesLineAndId()
    {
        QFETCH(QString, kind);
        m_project.documents["lease"] = {"hash-of-lease", 8};
        if (kind == "document") {
            QVERIFY(read(join({kDocument})));
        } else if (kind == "item") {
            m_project.items["q1"] = {"hash-of-another-q1", 8};
            QVERIFY(read(join({kItem})));
        } else {
            m_project.raters["bot"] = Rater{"bot", RaterKind::Judge, "Old name", std::nullopt};
            QVERIFY(read(join({R"({"kind":"rater","id":"bot","rater_kind":"judge","name":"New name"})"})));
        }
        const ImportPlan p = plan();
        expectOneDiagnostic(1, "id");
        QVERIFY2(m_diagnostics[0].message.find("already exists in the project") != std::string::npos,
                 m_diagnostics[0].message.c_str());
        QCOMPARE(p.documents.size() + p.items.size() + p.raters.size(), std::size_t(0));
    }

    void repeatedLineConflictingWithProject_isReportedOnce_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("document") << "document";
        QTest::newRow("item") << "item";
    }
    void repeatedLineConflictingWithProject_isReportedOnce()
    {
        // The second, identical line does not differ from the first: only the clash with the
        // project is a problem, and it is reported where it first appears.
        QFETCH(QString, kind);
        m_project.documents["lease"] = {"hash-of-another-lease", 8};
        if (kind == "document") {
            QVERIFY(read(join({kDocument, kDocument})));
        } else {
            m_project.items["q1"] = {"hash-of-another-q1", 8};
            QVERIFY(read(join({kItem, kItem})));
        }
        (void)plan();
        expectOneDiagnostic(1, "id");
        QVERIFY2(m_diagnostics[0].message.find("already exists in the project") != std::string::npos,
                 m_diagnostics[0].message.c_str());
    }

    void itemNamingUnknownDocument_namesDocument()
    {
        QVERIFY(
            read(join({kDocument, QString::fromUtf8(kItem).replace("\"lease\"", "\"leas\"").toStdString()})));
        const ImportPlan p = plan();
        expectOneDiagnostic(2, "document");
        QVERIFY(m_diagnostics[0].message.find("unknown document \"leas\"") != std::string::npos);
        QCOMPARE(p.items.size(), std::size_t(0));
    }

    void runawayIdIsQuotedShort()
    {
        // A pipeline bug writes a 10,000-character document id: the message quotes 120 bytes of it.
        const std::string id(10000, 'x');
        QVERIFY(read(join({kDocument, QString::fromUtf8(kItem)
                                          .replace("\"lease\"", QString::fromStdString("\"" + id + "\""))
                                          .toStdString()})));
        (void)plan();
        expectOneDiagnostic(2, "document");
        const std::string &m = m_diagnostics[0].message;
        QVERIFY2(m.find("unknown document \"" + std::string(120, 'x') + "…\"") != std::string::npos,
                 m.c_str());
        QVERIFY(m.size() < 300);
    }

    void itemBeforeItsDocument_isAccepted()
    {
        // All documents of a batch are planned before its items, so file order does not matter.
        QVERIFY(read(join({kItem, kDocument})));
        const ImportPlan p = plan();
        QVERIFY2(m_diagnostics.empty(), qPrintable(describe(m_diagnostics)));
        QCOMPARE(p.items.size(), std::size_t(1));
    }

    void labelNamingUnknownItem_namesItem()
    {
        QVERIFY(read(
            join({kDocument, kItem, R"({"kind":"label","item":"q2","rater":"alice","preference":"A"})"})));
        const ImportPlan p = plan();
        expectOneDiagnostic(3, "item");
        QVERIFY(m_diagnostics[0].message.find("unknown item \"q2\"") != std::string::npos);
        QCOMPARE(p.labels.size(), std::size_t(0));
    }

    void evidenceEnd_isCheckedInCodePoints_data()
    {
        QTest::addColumn<qint64>("start");
        QTest::addColumn<qint64>("end");
        QTest::addColumn<bool>("ok");
        QTest::newRow("whole document") << qint64(0) << qint64(8) << true;
        QTest::newRow("last code point") << qint64(7) << qint64(8) << true;
        QTest::newRow("one past the end") << qint64(0) << qint64(9) << false;
        QTest::newRow("within the byte length") << qint64(2) << qint64(14) << false;
        QTest::newRow("far past the end") << qint64(100) << qint64(200) << false;
    }
    void evidenceEnd_isCheckedInCodePoints()
    {
        QFETCH(qint64, start);
        QFETCH(qint64, end);
        QFETCH(bool, ok);
        QCOMPARE(utf8::codePointCount("£€😀 rent"), std::int64_t(8));
        QVERIFY(read(join({kDocument, kItem, labelWithEvidence(start, end)})));
        const ImportPlan p = plan();
        if (ok) {
            QVERIFY2(m_diagnostics.empty(), qPrintable(describe(m_diagnostics)));
            QCOMPARE(p.labels.size(), std::size_t(1));
        } else {
            expectOneDiagnostic(3, "evidence[0].end");
            QVERIFY2(m_diagnostics[0].message.find("(8 code points)") != std::string::npos,
                     m_diagnostics[0].message.c_str());
            QCOMPARE(p.labels.size(), std::size_t(0));
        }
    }

    void evidenceEnd_namesTheSpanPastTheEnd()
    {
        QVERIFY(read(join(
            {kDocument, kItem,
             R"({"kind":"label","item":"q1","rater":"alice","evidence":[{"answer":"A","start":0,"end":2},{"answer":"B","start":3,"end":9}]})"})));
        (void)plan();
        expectOneDiagnostic(3, "evidence[1].end");
    }

    void evidenceEnd_usesProjectItemsDocumentLength()
    {
        m_project.items["q1"] = {"hash-of-q1", 5};
        QVERIFY(read(join({labelWithEvidence(0, 5), labelWithEvidence(1, 6)})));
        const ImportPlan p = plan();
        expectOneDiagnostic(2, "evidence[0].end");
        QCOMPARE(p.labels.size(), std::size_t(1));
    }

    void raterKindConflict_namesRaterKind_data()
    {
        QTest::addColumn<QString>("content");
        QTest::addColumn<bool>("botInProject");
        QTest::addColumn<qint64>("line");
        QTest::newRow("label vs project rater")
            << QString::fromStdString(join(
                   {kDocument, kItem,
                    R"({"kind":"label","item":"q1","rater":"bot","rater_kind":"human","preference":"A"})"}))
            << true << qint64(3);
        QTest::newRow("rater line vs project rater")
            << QString::fromStdString(join({R"({"kind":"rater","id":"bot","rater_kind":"gold"})"})) << true
            << qint64(1);
        QTest::newRow("label vs rater line in batch")
            << QString::fromStdString(join(
                   {R"({"kind":"rater","id":"bot","rater_kind":"judge"})", kDocument, kItem,
                    R"({"kind":"label","item":"q1","rater":"bot","rater_kind":"gold","preference":"A"})"}))
            << false << qint64(4);
        QTest::newRow("label vs earlier label in batch")
            << QString::fromStdString(join(
                   {kDocument, kItem,
                    R"({"kind":"label","item":"q1","rater":"bot","rater_kind":"judge","preference":"A"})",
                    R"({"kind":"label","item":"q1","rater":"bot","rater_kind":"human","preference":"B"})"}))
            << false << qint64(4);
    }
    void raterKindConflict_namesRaterKind()
    {
        QFETCH(QString, content);
        QFETCH(bool, botInProject);
        QFETCH(qint64, line);
        if (botInProject)
            m_project.raters["bot"] = Rater{"bot", RaterKind::Judge, std::nullopt, std::nullopt};
        QVERIFY(read(content.toStdString()));
        (void)plan();
        expectOneDiagnostic(line, "rater_kind");
    }

    void labelWithoutRaterKind_takesTheRatersKind()
    {
        m_project.raters["bot"] = Rater{"bot", RaterKind::Judge, std::nullopt, std::nullopt};
        QVERIFY(
            read(join({kDocument, kItem, R"({"kind":"label","item":"q1","rater":"bot","preference":"A"})"})));
        const ImportPlan p = plan();
        QVERIFY2(m_diagnostics.empty(), qPrintable(describe(m_diagnostics)));
        QCOMPARE(p.labels.size(), std::size_t(1));
        QCOMPARE(spelled(p.labels[0].raterKind), std::string("judge"));
        QCOMPARE(p.raters.size(), std::size_t(0)); // bot is already in the project
    }

    void reportsEveryProblem_withItsOwnFile()
    {
        std::vector<Diagnostic> readProblems;
        readJsonl("docs.jsonl", join({kDocument}), m_batch, readProblems);
        readJsonl("labels.jsonl",
                  join({R"({"kind":"label","item":"nope","rater":"alice","preference":"A"})",
                        labelWithEvidence(0, 3)}),
                  m_batch, readProblems);
        QVERIFY2(readProblems.empty(), qPrintable(describe(readProblems)));
        (void)plan();
        QVERIFY2(m_diagnostics.size() == 2, qPrintable(describe(m_diagnostics)));
        for (const Diagnostic &d : m_diagnostics) {
            QCOMPARE(d.file, std::string("labels.jsonl"));
            QCOMPARE(d.field, std::string("item"));
        }
        QCOMPARE(m_diagnostics[0].line, std::int64_t(1));
        QCOMPARE(m_diagnostics[1].line, std::int64_t(2));
    }

    // ---- Label revision keys and implied raters -------------------------------------------------

    void identicalLabelLines_getDistinctKeys()
    {
        QVERIFY(read(join({kDocument, kItem, kLabelA, kLabelA})));
        const ImportPlan p = plan();
        QVERIFY2(m_diagnostics.empty(), qPrintable(describe(m_diagnostics)));
        QCOMPARE(p.labels.size(), std::size_t(2));
        QVERIFY(p.labels[0].key != p.labels[1].key);
    }

    void labelSequenceABA_keepsThreeRevisions()
    {
        QVERIFY(read(join({kDocument, kItem, kLabelA, kLabelB, kLabelA})));
        const ImportPlan p = plan();
        QVERIFY2(m_diagnostics.empty(), qPrintable(describe(m_diagnostics)));
        QCOMPARE(p.labels.size(), std::size_t(3));
        const std::set<std::string> keys{p.labels[0].key, p.labels[1].key, p.labels[2].key};
        QCOMPARE(keys.size(), std::size_t(3));
        QCOMPARE(p.labels[2].label->values.at(0).value, std::string("A"));
    }

    void labelKeys_ignoreSpellingOfTheSameLabel()
    {
        // Key order, a spelled-out default kind and whitespace do not make a different revision.
        QVERIFY(read(join({kDocument, kItem, kLabelA})));
        const std::string key = plan().labels.at(0).key;
        QVERIFY(read(join(
            {kDocument, kItem,
             R"({ "preference" : "A", "rater_kind":"human", "rater":"alice", "item":"q1", "kind":"label" })"})));
        QCOMPARE(plan().labels.at(0).key, key);
    }

    void labelKeys_sameInEveryImport()
    {
        QVERIFY(read(join({kDocument, kItem, kLabelA, kLabelB, kLabelA})));
        std::vector<std::string> first;
        for (const PlannedLabel &l : plan().labels)
            first.push_back(l.key);
        std::vector<std::string> second;
        for (const PlannedLabel &l : plan().labels)
            second.push_back(l.key);
        QCOMPARE(second, first);
    }

    void labelKeyAlreadyInProject_countsUnchanged()
    {
        QVERIFY(read(join({kDocument, kItem, kLabelA, kLabelB, kLabelA})));
        const ImportPlan p = plan();
        m_project.labelKeys.insert(p.labels[0].key); // the first "A" only

        const ImportPlan again = plan();
        QVERIFY2(m_diagnostics.empty(), qPrintable(describe(m_diagnostics)));
        QCOMPARE(again.labelsUnchanged, std::int64_t(1));
        QCOMPARE(again.labels.size(), std::size_t(2));
        QCOMPARE(again.labels[0].key, p.labels[1].key);
        QCOMPARE(again.labels[1].key, p.labels[2].key); // the second "A" is still new
    }

    void impliedRaters_areAddedOnce()
    {
        QVERIFY(
            read(join({kDocument, kItem, kLabelA, kLabelB,
                       R"({"kind":"label","item":"q1","rater":"bot","rater_kind":"judge","preference":"A"})",
                       R"({"kind":"label","item":"q1","rater":"bot","preference":"B"})", kLabelA})));
        const ImportPlan p = plan();
        QVERIFY2(m_diagnostics.empty(), qPrintable(describe(m_diagnostics)));
        QCOMPARE(p.raters.size(), std::size_t(2));
        QCOMPARE(p.raters[0].id, std::string("alice"));
        QCOMPARE(spelled(p.raters[0].kind), std::string("human"));
        QCOMPARE(p.raters[1].id, std::string("bot"));
        QCOMPARE(spelled(p.raters[1].kind), std::string("judge"));
        QCOMPARE(spelled(p.labels.at(3).raterKind), std::string("judge")); // kind not given: the rater's
    }

    void impliedRaters_notAddedWhenDefinedOrKnown()
    {
        m_project.raters["carol"] = Rater{"carol", RaterKind::Human, std::nullopt, std::nullopt};
        QVERIFY(read(join({R"({"kind":"rater","id":"bot","rater_kind":"judge"})", kDocument, kItem,
                           R"({"kind":"label","item":"q1","rater":"bot","preference":"A"})",
                           R"({"kind":"label","item":"q1","rater":"carol","preference":"A"})"})));
        const ImportPlan p = plan();
        QVERIFY2(m_diagnostics.empty(), qPrintable(describe(m_diagnostics)));
        QCOMPARE(p.raters.size(), std::size_t(1)); // bot, from its rater line, once
        QCOMPARE(p.raters[0].id, std::string("bot"));
    }
};

QTEST_APPLESS_MAIN(ImportPlanTest)
#include "importplan_test.moc"
