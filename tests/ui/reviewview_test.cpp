// The Review view on the demo project: the queue matches findDisagreements, filters narrow it,
// adjudication by keyboard (the workspace's keys) stores gold revisions (with notes) that are all
// kept, every rater's labels show side by side in stable colours, and a judge's rationale (written
// as a judge run writes it) shows its claims with quotes that scroll the document.
#include "reviewview_test.h"

#include "documentview.h"
#include "judgestore.h"
#include "judgetemplates.h"
#include "labelquery.h"
#include "models/reviewqueuemodel.h"
#include "project.h"
#include "reviewview.h"
#include "sqlite.h"
#include "sqliteconnection.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTest>
#include <QTextBrowser>
#include <QUrl>

using namespace concord;

namespace {

/// A view wired to the project as the app wires it: one connection for reads and gold writes.
struct Fixture
{
    std::unique_ptr<model::ProjectConnection> connection;
    std::unique_ptr<ui::ReviewView> view;
};

Fixture open(const QString &path)
{
    Fixture f;
    auto connection = storage::SqliteOpener().open(path.toStdString());
    if (!connection)
        qFatal("open failed: %s", connection.error().message.c_str());
    f.connection = std::move(*connection);
    model::ProjectConnection *c = f.connection.get();
    ui::ReviewView::Sources sources;
    sources.labels = [path] { return storage::readCurrentLabelsAt(path.toStdString()); };
    sources.item = [c](const std::string &id) { return c->item(id); };
    sources.label = [c](const std::string &rater, const std::string &item) {
        return c->currentLabel(rater, item);
    };
    sources.document = [c](const std::string &id) { return c->document(id); };
    sources.rationale = [c](const std::string &rater, const std::string &item) {
        return c->judgeRationale(rater, item);
    };
    sources.decisionNote = [c](const std::string &rater, const std::string &item, model::Facet facet,
                               std::optional<model::Slot> slot) {
        return c->decisionNote(rater, item, facet, slot);
    };
    sources.save = [c](const model::LabelRevision &revision) {
        model::Rater gold;
        gold.id = revision.raterId;
        gold.kind = model::RaterKind::Gold;
        if (auto ensured = c->ensureRater(gold); !ensured)
            return model::Status(ensured.error());
        return c->saveRevision(revision);
    };
    f.view = std::make_unique<ui::ReviewView>(std::move(sources), "gold");
    f.view->resize(1400, 800);
    return f;
}

model::LabelSet labelsOf(const QString &path)
{
    auto project = storage::Project::open(path.toStdString());
    auto labels = storage::readCurrentLabels(**project);
    if (!labels)
        qFatal("read failed");
    return std::move(*labels);
}

/// Selects the first visible unit of `item` and `facet` (and `slot`); false when none is listed.
bool selectUnit(ui::ReviewView &view, const std::string &item, model::Facet facet,
                std::optional<model::Slot> slot = std::nullopt)
{
    for (int row = 0; row < view.visibleUnits(); ++row) {
        view.selectRow(row);
        const model::Disagreement *d = view.selectedUnit();
        if (d->unit.itemId == item && d->facet == facet && d->unit.slot == slot)
            return true;
    }
    return false;
}

int raterIndex(const model::LabelSet &labels, const std::string &id)
{
    for (std::size_t i = 0; i < labels.raters().size(); ++i)
        if (labels.raters()[i].id == id)
            return int(i);
    return -1;
}

/// Current gold value of a unit, or empty.
std::string goldOf(model::ProjectConnection &c, const model::UnitRef &unit, model::Facet facet)
{
    auto label = c.currentLabel("gold", unit.itemId);
    return label ? model::valueOf(*label, facet, unit.slot).value_or("") : std::string();
}

/// A quote in the document of `item`: 40 code points at 70 % of the text.
struct Quote
{
    std::int64_t start = 0, end = 0;
    std::string text;
    int utf16Start = 0;
};

Quote quoteIn(model::ProjectConnection &c, const std::string &item)
{
    auto document = c.document(c.item(item)->documentId);
    const QList<uint> points = QString::fromStdString(document->text).toUcs4();
    Quote q;
    q.start = std::int64_t(points.size() * 7 / 10);
    q.end = q.start + 40;
    q.text =
        QString::fromUcs4(reinterpret_cast<const char32_t *>(points.constData() + q.start), 40).toStdString();
    q.utf16Start = int(
        QString::fromUcs4(reinterpret_cast<const char32_t *>(points.constData()), qsizetype(q.start)).size());
    return q;
}

/// Stores one judge verdict on `item` as a judge run does (JudgeStore), with its details: the
/// preference, a contradicted claim of answer A with `quote` located, and a no-info reasoning.
std::string judgeOne(model::ProjectConnection &c, const std::string &item, const std::string &preference,
                     const Quote &quote)
{
    auto &project = static_cast<storage::SqliteConnection &>(c).project();
    model::JudgeConfig config;
    config.baseUrl = "http://127.0.0.1:9";
    config.model = "review-test";
    config.templates = model::builtinTemplates();
    const std::string id = model::judgeRaterId(config);
    storage::JudgeStore store(project);
    auto rater = store.ensureJudge(config, id, "review test judge");
    auto run = store.startRun(*rater, "{}");
    auto items = store.items();
    if (!rater || !run || !items)
        qFatal("judge store failed");
    storage::JudgedTask task;
    for (const storage::JudgeItemRef &ref : *items)
        if (ref.id == item)
            task.itemRow = ref.row;
    task.label.itemId = item;
    task.label.raterId = id;
    task.label.raterKind = model::RaterKind::Judge;
    task.label.values = {{model::Facet::Preference, std::nullopt, preference}};
    model::PreferenceOutcome p;
    p.payloads = {R"({"explanation":"Answer one cites the clause."})",
                  R"({"explanation":"Shown second, still better."})"};
    p.mapped[0][0] = p.mapped[1][0] = p.final[0] = *model::parseChoice(preference);
    p.consistent = true;
    task.preference = p;
    model::FaithfulOutcome f;
    model::CheckedClaim claim;
    claim.claim = "The lease ends in the spring";
    claim.check = {1, "The document says otherwise", quote.text, model::ClaimVerdict::Contradicted};
    claim.located = {model::QuoteMatch::Exact, quote.start, quote.end};
    f.claims[0].push_back(claim);
    task.faithful = f;
    model::NoInfoOutcome n;
    n.payload = R"({"reasoning":"The document states it."})";
    n.reply.documentContainsAnswer = true;
    task.noInfo = n;
    storage::JudgeWriteBatch batch;
    batch.judged.push_back(task);
    if (!store.write(*rater, *run, batch, {1, 0, 3, 0}))
        qFatal("judge write failed");
    return id;
}

/// An item whose two humans agree on the preference (so a judge saying otherwise is listed).
std::pair<std::string, std::string> humansAgreeOnPreference(const model::LabelSet &labels)
{
    std::map<std::string, std::map<std::string, std::string>> byItem;
    for (const model::CurrentLabel &l : labels.labels())
        if (l.facet == model::Facet::Preference && labels.raters()[l.rater].kind == model::RaterKind::Human)
            byItem[labels.items()[l.item].id][labels.raters()[l.rater].id] =
                std::string(model::valuesOf(l.facet)[l.value]);
    for (const auto &[item, values] : byItem)
        if (values.size() == 2 && values.begin()->second == std::next(values.begin())->second)
            return {item, values.begin()->second};
    return {};
}

QStringList visibleButtons(const QWidget &view)
{
    QStringList out;
    for (const QPushButton *b : view.findChildren<QPushButton *>())
        if (b->isVisibleTo(&view))
            out << b->text();
    out.sort();
    return out;
}

} // namespace

void ReviewViewTest::init()
{
    QStandardPaths::setTestModeEnabled(true);
    m_project = m_dir.filePath(QStringLiteral("review-%1.concord").arg(QDateTime::currentMSecsSinceEpoch()));
    auto project = storage::Project::create(m_project.toStdString());
    QVERIFY(project.ok());
    std::vector<model::Diagnostic> diagnostics;
    QVERIFY((*project)->importFiles({CONCORD_SOURCE_DIR "/resources/demo/demo.jsonl"}, diagnostics).ok());
}

void ReviewViewTest::queueListsEveryDisagreement()
{
    Fixture f = open(m_project);
    const auto expected = model::findDisagreements(labelsOf(m_project));
    QVERIFY(expected.size() > 10);
    QCOMPARE(f.view->visibleUnits(), int(expected.size()));
    QVERIFY(f.view->selectedUnit());
    if (const QByteArray dir = qgetenv("CONCORD_SCREENSHOT_DIR"); !dir.isEmpty())
        QVERIFY(f.view->grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/review-view.png")));
}

void ReviewViewTest::modelsPassTheModelTester()
{
    Fixture f = open(m_project);
    QAbstractItemModelTester tester(f.view->filter(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    f.view->filter()->setKind(QStringLiteral("judge_human"));
    f.view->filter()->setFacet(int(model::Facet::Faithful));
    f.view->filter()->setFacet(-1);
    f.view->filter()->setSummary(QStringLiteral("judge says faithful, humans say unfaithful"));
    f.view->filter()->setRaterPair(QStringLiteral("alice"), QString());
    f.view->filter()->setSummary(QString());
    f.view->filter()->setRaterPair(QString(), QString());
    f.view->reload();
}

void ReviewViewTest::filtersByKindFacetAndRaterPair()
{
    Fixture f = open(m_project);
    const auto all = model::findDisagreements(labelsOf(m_project));
    auto count = [&](auto &&keep) { return int(std::count_if(all.begin(), all.end(), keep)); };
    f.view->filter()->setKind(QStringLiteral("judge_human"));
    QCOMPARE(f.view->visibleUnits(), count([](const model::Disagreement &d) {
                 return std::find(d.kinds.begin(), d.kinds.end(), model::DisagreementKind::JudgeHuman) !=
                        d.kinds.end();
             }));
    f.view->filter()->setKind(QString());
    f.view->filter()->setFacet(int(model::Facet::Preference));
    f.view->filter()->setRaterPair(QStringLiteral("alice"), QStringLiteral("bob"));
    const int alicebob = count([](const model::Disagreement &d) {
        if (d.facet != model::Facet::Preference)
            return false;
        std::string a, b;
        for (const auto &v : d.values) {
            if (v.rater == "alice")
                a = v.value;
            if (v.rater == "bob")
                b = v.value;
        }
        return !a.empty() && !b.empty() && a != b;
    });
    QVERIFY(alicebob > 0);
    QCOMPARE(f.view->visibleUnits(), alicebob);
}

void ReviewViewTest::keyboardAdjudicationStoresGoldWithNote()
{
    Fixture f = open(m_project);
    f.view->filter()->setFacet(int(model::Facet::Preference));
    f.view->selectRow(0);
    const std::string item = f.view->selectedUnit()->unit.itemId;
    QSignalSpy adjudicated(f.view.get(), &ui::ReviewView::adjudicated);
    f.view->noteField()->setText(QStringLiteral("A answers the question; B is vague"));
    f.view->show();
    QVERIFY(QTest::qWaitForWindowExposed(f.view.get()));
    f.view->setFocus();
    QTest::keyClick(f.view.get(), Qt::Key_1); // first value of preference: A
    QCOMPARE(adjudicated.count(), 1);
    const model::LabelSet labels = labelsOf(m_project);
    bool found = false;
    for (const model::CurrentLabel &l : labels.labels())
        if (labels.raters()[l.rater].id == "gold" && labels.items()[l.item].id == item &&
            l.facet == model::Facet::Preference)
            found = model::valuesOf(l.facet)[l.value] == "A";
    QVERIFY(found);
    auto gold = f.connection->currentLabel("gold", item);
    QVERIFY(gold.ok());
    QCOMPARE(gold->note, std::string("A answers the question; B is vague"));
}

void ReviewViewTest::everyAdjudicationIsKeptInHistory()
{
    Fixture f = open(m_project);
    f.view->filter()->setFacet(int(model::Facet::Preference));
    f.view->selectRow(0);
    const model::Disagreement unit = *f.view->selectedUnit();
    QVERIFY(f.view->adjudicate("A"));
    // Find the same unit again (it stays listed: others now disagree with gold) and change gold.
    bool again = false;
    for (int row = 0; row < f.view->visibleUnits() && !again; ++row) {
        f.view->selectRow(row);
        again = f.view->selectedUnit()->unit == unit.unit;
    }
    QVERIFY(again);
    QVERIFY(f.view->adjudicate("tie"));
    storage::Database db(m_project.toStdString(), storage::Database::Mode::ReadOnly);
    storage::Statement s(db, "SELECT l.preference FROM labels l JOIN raters r ON r.id = l.rater_id "
                             "JOIN items i ON i.id = l.item_id WHERE r.ext_id = 'gold' AND r.kind = 'gold' "
                             "AND i.ext_id = ? ORDER BY l.id");
    s.bind(1, unit.unit.itemId);
    QStringList history;
    while (s.step())
        history << QString::fromStdString(s.text(0));
    QCOMPARE(history, (QStringList{"A", "tie"}));
}

void ReviewViewTest::raterPairWithOneSideAnyone()
{
    Fixture f = open(m_project);
    const auto all = model::findDisagreements(labelsOf(m_project));
    // The chosen rater has a value and someone else has another.
    auto against = [&](const std::string &rater) {
        return int(std::count_if(all.begin(), all.end(), [&](const model::Disagreement &d) {
            auto one = std::find_if(d.values.begin(), d.values.end(),
                                    [&](const auto &v) { return v.rater == rater; });
            return one != d.values.end() && std::any_of(d.values.begin(), d.values.end(), [&](const auto &v) {
                       return v.rater != rater && v.value != one->value;
                   });
        }));
    };
    const std::string judge = "judge:demo-model:3f9a1c";
    for (const std::string &rater : {std::string("alice"), judge}) {
        const QString r = QString::fromStdString(rater);
        QVERIFY(against(rater) > 0); // before the fix, "anyone" on one side hid every unit
        f.view->filter()->setRaterPair(r, QString());
        QCOMPARE(f.view->visibleUnits(), against(rater));
        f.view->filter()->setRaterPair(QString(), r);
        QCOMPARE(f.view->visibleUnits(), against(rater));
        f.view->filter()->setRaterPair(r, r);
        QCOMPARE(f.view->visibleUnits(), against(rater));
    }
    // Both set: the two of them differ, whatever the others say.
    f.view->filter()->setRaterPair(QStringLiteral("bob"), QString::fromStdString(judge));
    QCOMPARE(f.view->visibleUnits(),
             int(std::count_if(all.begin(), all.end(), [&](const model::Disagreement &d) {
                 std::string b, j;
                 for (const auto &v : d.values) {
                     if (v.rater == "bob")
                         b = v.value;
                     if (v.rater == judge)
                         j = v.value;
                 }
                 return !b.empty() && !j.empty() && b != j;
             })));
    f.view->filter()->setRaterPair(QString(), QString());
    QCOMPARE(f.view->visibleUnits(), int(all.size()));
}

void ReviewViewTest::kindFilterListsEveryReadingAndKeepsItOnReload()
{
    Fixture f = open(m_project);
    const QString reading = QStringLiteral("judge says faithful, humans say unfaithful");
    QComboBox *kind = f.view->kindFilter();
    auto readingsListed = [&] {
        QStringList out;
        for (int i = 0; i < kind->count(); ++i)
            if (const QString s = kind->itemData(i, Qt::UserRole + 1).toString(); !s.isEmpty())
                out << s;
        out.sort();
        return out;
    };
    auto readingsOf = [](const std::vector<model::Disagreement> &all) {
        QStringList out;
        for (const auto &d : all)
            if (!out.contains(QString::fromStdString(d.summary)))
                out << QString::fromStdString(d.summary);
        out.sort();
        return out;
    };
    auto all = model::findDisagreements(labelsOf(m_project));
    QCOMPARE(readingsListed(), readingsOf(all));
    const int index = kind->findData(reading, Qt::UserRole + 1);
    QVERIFY(index >= 0);
    kind->setCurrentIndex(index);
    const auto expected = int(std::count_if(
        all.begin(), all.end(), [&](const auto &d) { return d.summary == reading.toStdString(); }));
    QVERIFY(expected > 0);
    QCOMPARE(f.view->visibleUnits(), expected);
    for (int row = 0; row < f.view->visibleUnits(); ++row) {
        f.view->selectRow(row);
        QCOMPARE(QString::fromStdString(f.view->selectedUnit()->summary), reading);
        QVERIFY(f.view->selectedUnit()->facet == model::Facet::Faithful);
    }
    // Gold on one of them brings a new reading ("gold says ..."); the list follows, the choice stays.
    f.view->selectRow(0);
    QVERIFY(f.view->adjudicate("faithful"));
    all = model::findDisagreements(labelsOf(m_project));
    QCOMPARE(readingsListed(), readingsOf(all));
    QCOMPARE(kind->currentData(Qt::UserRole + 1).toString(), reading);
    QCOMPARE(f.view->visibleUnits(), int(std::count_if(all.begin(), all.end(), [&](const auto &d) {
                 return d.summary == reading.toStdString();
             })));
}

void ReviewViewTest::labelsTableShowsEveryFacetOfEveryRater()
{
    Fixture f = open(m_project);
    f.view->filter()->setFacet(int(model::Facet::Faithful));
    f.view->selectRow(0);
    const model::Disagreement d = *f.view->selectedUnit();
    const model::LabelSet labels = labelsOf(m_project);
    QTableWidget *table = f.view->labelsTable();
    QVERIFY(table->rowCount() >= int(d.values.size()));
    // The queue's tooltip names the raters as the table does (display names, not ids).
    const QString said = f.view->filter()->index(0, 0).data(Qt::ToolTipRole).toString();
    QVERIFY2(said.contains(QStringLiteral("Alice Moreau (human)")) ||
                 said.contains(QStringLiteral("Bob Okafor (human)")),
             qPrintable(said));
    // Every rater's facets, in the table's column order, as their current labels hold them.
    const std::pair<model::Facet, std::optional<model::Slot>> columns[] = {
        {model::Facet::Preference, std::nullopt},        {model::Facet::Relevance, std::nullopt},
        {model::Facet::Comprehensiveness, std::nullopt}, {model::Facet::Conciseness, std::nullopt},
        {model::Facet::Faithful, model::Slot::A},        {model::Facet::Faithful, model::Slot::B},
        {model::Facet::NoInfo, model::Slot::A},          {model::Facet::NoInfo, model::Slot::B}};
    for (int row = 0; row < table->rowCount(); ++row) {
        const std::string rater = table->item(row, 0)->data(Qt::UserRole).toString().toStdString();
        QCOMPARE(table->item(row, 0)->background().color(),
                 ui::ReviewView::raterColor(raterIndex(labels, rater)));
        auto label = f.connection->currentLabel(rater, d.unit.itemId);
        QVERIFY(label.ok());
        for (int c = 0; c < int(std::size(columns)); ++c) {
            const auto value = model::valueOf(*label, columns[c].first, columns[c].second);
            QString shown = value ? QString::fromStdString(*value).replace('_', ' ') : QStringLiteral("—");
            QCOMPARE(table->item(row, 1 + c)->text(), shown);
            const bool focus = columns[c].first == d.facet && columns[c].second == d.unit.slot;
            QCOMPARE(table->item(row, 1 + c)->font().bold(), focus);
        }
    }
    // All raters fit: the table is not cut to fewer rows than it has.
    f.view->show();
    QVERIFY(QTest::qWaitForWindowExposed(f.view.get()));
    int rows = table->horizontalHeader()->height();
    for (int row = 0; row < table->rowCount(); ++row)
        rows += table->rowHeight(row);
    QVERIFY2(table->viewport()->height() + table->horizontalHeader()->height() >= rows,
             qPrintable(QStringLiteral("%1 < %2").arg(table->viewport()->height()).arg(rows)));
}

void ReviewViewTest::judgeRationaleShowsClaimsAndQuotesScrollTheDocument()
{
    auto connection = storage::SqliteOpener().open(m_project.toStdString());
    QVERIFY(connection.ok());
    // A human with no labels yet, added before the judge: the judge's place among the project's
    // raters (its colour) is then not its place within the unit.
    model::Rater carol;
    carol.id = "carol";
    QVERIFY((*connection)->ensureRater(carol).ok());
    const auto [item, humans] = humansAgreeOnPreference(labelsOf(m_project));
    QVERIFY(!item.empty());
    const Quote quote = quoteIn(**connection, item);
    const std::string judge = judgeOne(**connection, item, humans == "A" ? "B" : "A", quote);
    connection->reset();

    Fixture f = open(m_project);
    f.view->show();
    QVERIFY(QTest::qWaitForWindowExposed(f.view.get()));
    QVERIFY(selectUnit(*f.view, item, model::Facet::Preference));
    const QString html = f.view->rationale()->toHtml();
    QVERIFY(f.view->rationale()->toPlainText().contains(QStringLiteral("The lease ends in the spring")));
    QVERIFY(f.view->rationale()->toPlainText().contains(QStringLiteral("Answer one cites the clause.")));
    QVERIFY(f.view->rationale()->toPlainText().contains(QStringLiteral("The document states it.")));
    const QString link = QStringLiteral("quote:%1:%2").arg(quote.start).arg(quote.end);
    QVERIFY2(html.contains(link), qPrintable(html));

    // The colours are the raters' places among the project's raters.
    const model::LabelSet labels = labelsOf(m_project);
    QTableWidget *table = f.view->labelsTable();
    bool judgeRow = false;
    for (int row = 0; row < table->rowCount(); ++row) {
        const std::string rater = table->item(row, 0)->data(Qt::UserRole).toString().toStdString();
        QCOMPARE(table->item(row, 0)->background().color(),
                 ui::ReviewView::raterColor(raterIndex(labels, rater)));
        if (rater == judge) {
            judgeRow = true;
            QVERIFY(row < raterIndex(labels, judge)); // carol has no row
        }
    }
    QVERIFY(judgeRow);

    QPlainTextEdit *editor = f.view->document()->editor();
    editor->verticalScrollBar()->setValue(0);
    f.view->openLink(QUrl(link));
    QCOMPARE(editor->textCursor().position(), quote.utf16Start);
    QVERIFY(editor->verticalScrollBar()->value() > 0);
    QVERIFY(editor->viewport()->rect().contains(editor->cursorRect().center()));
    // Clicking the link in the browser does the same.
    editor->verticalScrollBar()->setValue(0);
    emit f.view->rationale()->anchorClicked(QUrl(link));
    QVERIFY(editor->verticalScrollBar()->value() > 0);
    // Other links do nothing.
    const int before = editor->textCursor().position();
    f.view->openLink(QUrl(QStringLiteral("https://example.org/")));
    f.view->openLink(QUrl(QStringLiteral("quote:9:3")));
    QCOMPARE(editor->textCursor().position(), before);
}

void ReviewViewTest::importedJudgeSaysNoRationaleIsStored()
{
    Fixture f = open(m_project);
    f.view->filter()->setKind(QStringLiteral("judge_human"));
    f.view->selectRow(0);
    QVERIFY(f.view->rationale()->toPlainText().isEmpty());
    QVERIFY2(f.view->rationale()->placeholderText().contains(QStringLiteral("imported")),
             qPrintable(f.view->rationale()->placeholderText()));
    f.view->filter()->setKind(QString());
}

void ReviewViewTest::keysAreTheWorkspaceKeys()
{
    Fixture f = open(m_project);
    f.view->show();
    QVERIFY(QTest::qWaitForWindowExposed(f.view.get()));
    QSignalSpy adjudicated(f.view.get(), &ui::ReviewView::adjudicated);
    // Keys typed with the queue focused reach the review, not the queue's keyboard search.
    auto press = [&](model::Facet facet, int row, Qt::Key key) {
        f.view->filter()->setFacet(int(facet));
        f.view->selectRow(row);
        const model::Disagreement d = *f.view->selectedUnit();
        f.view->queue()->setFocus();
        QTest::keyClick(f.view->queue(), key);
        return std::pair(d.unit, goldOf(*f.connection, d.unit, facet));
    };
    f.view->filter()->setFacet(int(model::Facet::Preference));
    f.view->selectRow(0);
    // New buttons are shown by the layout once the event loop runs.
    QTRY_COMPARE(visibleButtons(*f.view), (QStringList{"1   A", "2   tie", "3   B"}));
    QCOMPARE(press(model::Facet::Preference, 0, Qt::Key_2).second, std::string("tie"));
    QCOMPARE(press(model::Facet::Preference, 1, Qt::Key_3).second, std::string("B"));
    QCOMPARE(press(model::Facet::Preference, 2, Qt::Key_1).second, std::string("A"));
    QCOMPARE(press(model::Facet::Relevance, 0, Qt::Key_3).second, std::string("B"));
    QCOMPARE(adjudicated.count(), 4);

    f.view->filter()->setFacet(int(model::Facet::Faithful));
    f.view->selectRow(0);
    QTRY_COMPARE(visibleButtons(*f.view), (QStringList{"F   faithful", "U   unfaithful"}));
    QCOMPARE(press(model::Facet::Faithful, 0, Qt::Key_U).second, std::string("unfaithful"));
    QCOMPARE(press(model::Facet::Faithful, 1, Qt::Key_F).second, std::string("faithful"));
    QCOMPARE(press(model::Facet::Faithful, 2, Qt::Key_1).second, std::string()); // not a faithful key
    QCOMPARE(adjudicated.count(), 6);

    f.view->filter()->setFacet(int(model::Facet::NoInfo));
    if (f.view->visibleUnits() > 0) {
        QCOMPARE(press(model::Facet::NoInfo, 0, Qt::Key_2).second, std::string("hallucinated"));
        QCOMPARE(adjudicated.count(), 7);
    }
    // The workspace's arrows: ← A, → B; ↓ moves in the focused queue rather than saying tie.
    QCOMPARE(press(model::Facet::Preference, 3, Qt::Key_Left).second, std::string("A"));
    QCOMPARE(press(model::Facet::Preference, 4, Qt::Key_Right).second, std::string("B"));
    int counted = adjudicated.count();
    f.view->selectRow(0);
    f.view->queue()->setFocus();
    QTest::keyClick(f.view->queue(), Qt::Key_Down);
    QCOMPARE(adjudicated.count(), counted);
    QCOMPARE(f.view->queue()->currentIndex().row(), 1);
    f.view->noteField()->setFocus();
    f.view->noteField()->clearFocus();
    f.view->setFocus();
    const model::Disagreement below = *f.view->selectedUnit();
    QTest::keyClick(f.view.get(), Qt::Key_Down);
    QCOMPARE(goldOf(*f.connection, below.unit, model::Facet::Preference), std::string("tie"));
    // G and D choose the no-info outcome as in the workspace, a second press the other value.
    f.view->filter()->setFacet(int(model::Facet::NoInfo));
    if (f.view->visibleUnits() > 1) {
        const auto first = press(model::Facet::NoInfo, 1, Qt::Key_G);
        QCOMPARE(first.second, std::string("answered"));
        // A decision moves on to the next unit; back on this one, G again gives the other value.
        bool found = false;
        for (int r = 0; r < f.view->visibleUnits() && !found; ++r) {
            f.view->selectRow(r);
            found = f.view->selectedUnit()->unit == first.first;
        }
        if (!found)
            QSKIP("the adjudicated unit no longer disagrees with anyone, so it left the queue");
        f.view->queue()->setFocus();
        QTest::keyClick(f.view->queue(), Qt::Key_G);
        QCOMPARE(goldOf(*f.connection, first.first, model::Facet::NoInfo), std::string("hallucinated"));
        QCOMPARE(press(model::Facet::NoInfo, 1, Qt::Key_D).second, std::string("declined_correctly"));
    }
    // Ctrl+M goes to the note, as in the workspace.
    f.view->filter()->setFacet(int(model::Facet::Preference));
    f.view->selectRow(0);
    f.view->queue()->setFocus();
    QTest::keyClick(f.view->queue(), Qt::Key_M, Qt::ControlModifier);
    QTRY_VERIFY(f.view->noteField()->hasFocus());
    // In the note field the keys type.
    f.view->filter()->setFacet(int(model::Facet::Preference));
    f.view->selectRow(0);
    f.view->noteField()->setFocus();
    QTest::keyClicks(f.view->noteField(), QStringLiteral("1 F"));
    QCOMPARE(f.view->noteField()->text(), QStringLiteral("1 F"));
    const int count = adjudicated.count();
    QTest::keyClick(f.view->noteField(), Qt::Key_2);
    QCOMPARE(adjudicated.count(), count);
}

void ReviewViewTest::decisionsNeitherSlipNorSkip()
{
    Fixture f = open(m_project);
    f.view->show();
    QVERIFY(QTest::qWaitForWindowExposed(f.view.get()));
    QSignalSpy adjudicated(f.view.get(), &ui::ReviewView::adjudicated);

    // Reading the document: ↓ scrolls it and decides nothing (a gold decision has no undo); a
    // digit still decides.
    f.view->filter()->setFacet(int(model::Facet::Preference));
    f.view->selectRow(0);
    const model::Disagreement reading = *f.view->selectedUnit();
    f.view->document()->editor()->setFocus();
    QTest::keyClick(f.view->document()->editor(), Qt::Key_Down);
    QTest::keyClick(f.view->document()->editor(), Qt::Key_Left);
    QCOMPARE(adjudicated.count(), 0);
    QCOMPARE(goldOf(*f.connection, reading.unit, model::Facet::Preference), std::string());
    QTest::keyClick(f.view->document()->editor(), Qt::Key_3);
    QCOMPARE(adjudicated.count(), 1);
    QCOMPARE(goldOf(*f.connection, reading.unit, model::Facet::Preference), std::string("B"));

    // G, then G again: the same unit gets the other value; the next unit gets nothing.
    f.view->filter()->setFacet(int(model::Facet::NoInfo));
    QVERIFY(f.view->visibleUnits() > 1);
    f.view->selectRow(0);
    const model::Disagreement outcome = *f.view->selectedUnit();
    f.view->selectRow(1);
    const model::Disagreement next = *f.view->selectedUnit();
    f.view->selectRow(0);
    f.view->queue()->setFocus();
    QTest::keyClick(f.view->queue(), Qt::Key_G);
    QTest::keyClick(f.view->queue(), Qt::Key_G);
    QCOMPARE(goldOf(*f.connection, outcome.unit, model::Facet::NoInfo), std::string("hallucinated"));
    QCOMPARE(goldOf(*f.connection, next.unit, model::Facet::NoInfo), std::string());

    // A reading of who said what: each decision names gold, so the unit leaves that list; the
    // next decision is on the unit that took its place, none skipped.
    f.view->filter()->setFacet(-1);
    int reading3 = -1;
    for (int i = 0; i < f.view->kindFilter()->count() && reading3 < 0; ++i)
        if (f.view->kindFilter()->itemText(i).endsWith(QStringLiteral(")")) &&
            !f.view->kindFilter()->itemText(i).endsWith(QStringLiteral("(1)")) &&
            !f.view->kindFilter()->itemText(i).endsWith(QStringLiteral("(2)")))
            reading3 = i;
    QVERIFY(reading3 >= 0);
    f.view->kindFilter()->setCurrentIndex(reading3);
    const QString chosen = f.view->kindFilter()->currentText().section(QStringLiteral(" ("), 0, 0);
    std::vector<model::Disagreement> listed;
    for (int row = 0; row < f.view->visibleUnits(); ++row) {
        f.view->selectRow(row);
        listed.push_back(*f.view->selectedUnit());
    }
    QVERIFY(listed.size() >= 3);
    f.view->selectRow(0);
    for (std::size_t i = 0; i < listed.size(); ++i) {
        const model::Disagreement *d = f.view->selectedUnit();
        QVERIFY2(d && d->unit == listed[i].unit && d->facet == listed[i].facet,
                 qPrintable(QString::number(i)));
        f.view->queue()->setFocus();
        QTest::keyClick(f.view->queue(), Qt::Key_1);
    }
    // All decided: the reading stays chosen, empty, rather than jumping to every disagreement.
    QVERIFY2(f.view->kindFilter()->currentText().startsWith(chosen),
             qPrintable(f.view->kindFilter()->currentText()));
    QCOMPARE(f.view->visibleUnits(), 0);
}

void ReviewViewTest::goldReasonIsThatOfTheDecisionShown()
{
    Fixture f = open(m_project);
    f.view->filter()->setFacet(int(model::Facet::Preference));
    f.view->selectRow(0);
    const model::Disagreement unit = *f.view->selectedUnit();
    f.view->noteField()->setText(QStringLiteral("A quotes the clause"));
    QVERIFY(f.view->adjudicate("A"));
    // Later, on the same item, another facet with another reason.
    model::LabelRevision relevance;
    relevance.itemId = unit.unit.itemId;
    relevance.raterId = "gold";
    relevance.raterKind = model::RaterKind::Gold;
    relevance.values.push_back({model::Facet::Relevance, std::nullopt, "B"});
    relevance.note = "B stays on topic";
    QVERIFY(f.connection->saveRevision(relevance));
    f.view->reload();
    f.view->filter()->setFacet(int(model::Facet::Preference));
    QVERIFY(selectUnit(*f.view, unit.unit.itemId, model::Facet::Preference));
    const QString notes = f.view->notes()->text();
    QVERIFY2(notes.contains(QStringLiteral("A quotes the clause")), qPrintable(notes));
    QVERIFY2(!notes.contains(QStringLiteral("B stays on topic")), qPrintable(notes));
}

void ReviewViewTest::blindHidesSystemNames()
{
    Fixture f = open(m_project);
    f.view->selectRow(0);
    const auto item = f.connection->item(f.view->selectedUnit()->unit.itemId);
    QVERIFY(item.ok());
    const QString system = QString::fromStdString(item->answer(model::Slot::A).system);
    QVERIFY(!system.isEmpty());
    QVERIFY(f.view->answerTitle(model::Slot::A)->text().contains(system));
    f.view->setBlind(true);
    QVERIFY(f.view->isBlind());
    for (model::Slot slot : model::kSlots) {
        QVERIFY(
            !f.view->answerTitle(slot)->text().contains(QString::fromStdString(item->answer(slot).system)));
        QVERIFY(f.view->answerTitle(slot)->text().contains(
            QStringLiteral("Answer %1").arg(slot == model::Slot::A ? 'A' : 'B')));
    }
    f.view->selectRow(1); // stays blind on the next unit
    const auto next = f.connection->item(f.view->selectedUnit()->unit.itemId);
    QVERIFY(!f.view->answerTitle(model::Slot::B)
                 ->text()
                 .contains(QString::fromStdString(next->answer(model::Slot::B).system)));
    f.view->setBlind(false);
    QVERIFY(f.view->answerTitle(model::Slot::B)
                ->text()
                .contains(QString::fromStdString(next->answer(model::Slot::B).system)));
}

// An empty queue says why: no labels yet, one rater only, or raters who agree, not "these
// filters" when no filter is set.
void ReviewViewTest::anEmptyQueueSaysWhy()
{
    const QByteArray base =
        R"({"kind":"document","id":"d","text":"The rent is 1,200 a month."}
{"kind":"item","id":"q","document":"d","question":"Rent?","question_type":"fact_recall","answers":{"A":{"system":"s","text":"1,200"},"B":{"system":"t","text":"1,500"}}}
)";
    const QByteArray alice = R"({"kind":"label","item":"q","rater":"alice","preference":"A"})"
                             "\n";
    const QByteArray bob = R"({"kind":"label","item":"q","rater":"bob","preference":"A"})"
                           "\n";
    const struct
    {
        const char *name;
        QByteArray content;
        const char *says;
    } cases[] = {{"noitems.concord",
                  R"({"kind":"document","id":"d","text":"Text."})"
                  "\n",
                  "This project has no items yet."},
                 {"none.concord", base, "No labels yet."},
                 {"one.concord", base + alice, "Only one rater has labelled so far."},
                 // Bob is in the project (a rater line) but has labelled nothing yet.
                 {"listed.concord",
                  base + R"({"kind":"rater","id":"bob","rater_kind":"human","name":"Bob"})" + "\n" + alice,
                  "Only one rater has labelled so far."},
                 {"agree.concord", base + alice + bob, "No disagreements: the raters agree"}};
    for (const auto &c : cases) {
        const QString path = m_dir.filePath(QString::fromLatin1(c.name));
        {
            auto project = storage::Project::create(path.toStdString());
            QVERIFY(project.ok());
            std::vector<model::Diagnostic> diagnostics;
            QVERIFY((*project)->importContent("x.jsonl", c.content.toStdString(), diagnostics).ok());
        }
        Fixture f = open(path);
        f.view->reload();
        QCOMPARE(f.view->visibleUnits(), 0);
        QStringList shown;
        for (const QLabel *label : f.view->findChildren<QLabel *>())
            shown << label->text();
        QVERIFY2(shown.join('|').contains(QString::fromLatin1(c.says)), qPrintable(shown.join('|')));
        QVERIFY(!shown.join('|').contains(QStringLiteral("with these filters")));
        // One sentence where the unit would be, not empty answer boxes and a gold note field.
        bool said = false;
        for (const QLabel *label : f.view->findChildren<QLabel *>())
            said = said ||
                   (label->isVisibleTo(f.view.get()) && label->text().contains(QString::fromLatin1(c.says)));
        QVERIFY(said);
        for (const QLineEdit *field : f.view->findChildren<QLineEdit *>())
            QVERIFY(!field->isVisibleTo(f.view.get()) || field->parent()->inherits("QComboBox"));
    }
}

QTEST_MAIN(ReviewViewTest)
