// The Review view on the demo project: the queue matches findDisagreements, filters narrow it,
// and adjudication by keyboard stores gold revisions (with notes) that are all kept.
#include "reviewview_test.h"

#include "labelquery.h"
#include "models/reviewqueuemodel.h"
#include "project.h"
#include "reviewview.h"
#include "sqlite.h"
#include "sqliteconnection.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

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
    sources.labels = [path] {
        auto project = storage::Project::open(path.toStdString());
        if (!project)
            return model::Result<model::LabelSet>(project.error());
        return storage::readCurrentLabels(**project);
    };
    sources.item = [c](const std::string &id) { return c->item(id); };
    sources.label = [c](const std::string &rater, const std::string &item) { return c->currentLabel(rater, item); };
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
    f.view->reload();
}

void ReviewViewTest::filtersByKindFacetAndRaterPair()
{
    Fixture f = open(m_project);
    const auto all = model::findDisagreements(labelsOf(m_project));
    auto count = [&](auto &&keep) { return int(std::count_if(all.begin(), all.end(), keep)); };
    f.view->filter()->setKind(QStringLiteral("judge_human"));
    QCOMPARE(f.view->visibleUnits(), count([](const model::Disagreement &d) {
                 return std::find(d.kinds.begin(), d.kinds.end(), model::DisagreementKind::JudgeHuman) != d.kinds.end();
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

QTEST_MAIN(ReviewViewTest)
