// The Agreement view on the demo project: the comparison table matches the report, a confusion
// cell lists exactly the units behind it, activation asks to open the item, and refresh sees new
// labels. Set CONCORD_SCREENSHOT_DIR to also save a picture of the view.
#include "agreementview_test.h"

#include "agreementview.h"
#include "confusionmatrixwidget.h"
#include "labelquery.h"
#include "models/comparisontablemodel.h"
#include "project.h"

#include <QAbstractItemModelTester>
#include <QBarCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QFileInfo>
#include <QLineSeries>
#include <QListWidget>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace concord;

namespace {

model::Result<model::LabelSet> load(const QString &path)
{
    return storage::readCurrentLabelsAt(path.toStdString());
}

std::unique_ptr<ui::AgreementView> makeView(const QString &path)
{
    auto view = std::make_unique<ui::AgreementView>([path] { return load(path); });
    view->resize(1400, 900);
    view->refreshAndWait();
    return view;
}

/// A new project at `path` holding `content` (JSONL v1); false when that fails.
bool createProject(const QString &path, const QString &content)
{
    auto project = storage::Project::create(path.toStdString());
    std::vector<model::Diagnostic> diagnostics;
    return project && (*project)->importContent(QFileInfo(path).fileName().toStdString() + ".jsonl",
                                                content.toStdString(), diagnostics);
}

/// A judge label on q-001 that differs from the judge's current preference there.
std::string changedJudgeLabel(const model::LabelSet &labels)
{
    std::string current;
    for (const model::CurrentLabel &l : labels.labels())
        if (l.facet == model::Facet::Preference && labels.raters()[l.rater].id == "judge:demo-model:3f9a1c" &&
            labels.items()[l.item].id == "q-001")
            current = std::string(model::valuesOf(model::Facet::Preference)[l.value]);
    const std::string next = current == "A" ? "B" : "A";
    return R"({"kind":"label","item":"q-001","rater":"judge:demo-model:3f9a1c","rater_kind":"judge","preference":")" +
           next + R"(","created_at":"2026-11-29T10:00:00Z"})" + "\n";
}

} // namespace

void AgreementViewTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_project = m_dir.filePath(QStringLiteral("demo.concord"));
    auto project = storage::Project::create(m_project.toStdString());
    QVERIFY(project.ok());
    std::vector<model::Diagnostic> diagnostics;
    auto summary = (*project)->importFiles({CONCORD_SOURCE_DIR "/resources/demo/demo.jsonl"}, diagnostics);
    QVERIFY(summary.ok());
}

void AgreementViewTest::tableShowsEveryComparisonOfTheFacet()
{
    auto view = makeView(m_project);
    auto labels = load(m_project);
    QVERIFY(labels.ok());
    model::AgreementOptions options;
    options.bootstrapResamples = 0;
    const model::AgreementReport report = model::measureAgreement(*labels, options);
    for (model::Facet facet : {model::Facet::Preference, model::Facet::Faithful}) {
        view->setFacet(facet);
        const auto *expected = &report.facets[0];
        for (const auto &f : report.facets)
            if (f.facet == facet)
                expected = &f;
        QCOMPARE(view->comparisons()->rowCount(), int(expected->pairs.size()));
        for (int row = 0; row < view->comparisons()->rowCount(); ++row) {
            const model::PairAgreement *shown = view->comparisons()->comparison(row);
            QCOMPARE(shown->raterA, expected->pairs[std::size_t(row)].raterA);
            QCOMPARE(shown->kappa.kappa, expected->pairs[std::size_t(row)].kappa.kappa);
        }
    }
    view->setFacet(model::Facet::Preference);
    // Raters by their display names; the id is in the tooltip.
    QVERIFY(view->headlineText().contains(QStringLiteral("Demo judge (illustrative)")));
    QVERIFY(!view->headlineText().contains(QStringLiteral("judge:demo-model:3f9a1c")));
    QAbstractItemModel *table = view->findChild<QTableView *>()->model();
    QStringList shown;
    for (int row = 0; row < table->rowCount(); ++row)
        shown << table->index(row, ui::ComparisonTableModel::RaterB).data().toString();
    QVERIFY2(shown.contains(QStringLiteral("Bob Okafor")), qPrintable(shown.join(',')));
    for (int row = 0; row < table->rowCount(); ++row)
        if (table->index(row, ui::ComparisonTableModel::RaterB).data().toString() ==
            QStringLiteral("Bob Okafor"))
            QVERIFY(table->index(row, ui::ComparisonTableModel::RaterB)
                        .data(Qt::ToolTipRole)
                        .toString()
                        .contains(QStringLiteral("rater bob (human)")));
    // The headline's intervals come from the bootstrap: shown, not "—", and the report's own.
    model::AgreementOptions withBootstrap;
    const model::Headline &h = model::measureAgreement(*labels, withBootstrap).facets[0].headlines.front();
    QVERIFY(h.humanCiLow && h.differenceCiHigh);
    QVERIFY2(!view->headlineText().contains(QStringLiteral("—")), qPrintable(view->headlineText()));
    QVERIFY(view->headlineText().contains(QString::number(*h.humanCiLow, 'f', 2)));
    QVERIFY(view->headlineText().contains(QString::number(*h.differenceCiHigh, 'f', 2)));
    if (const QByteArray dir = qgetenv("CONCORD_SCREENSHOT_DIR"); !dir.isEmpty())
        QVERIFY(view->grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/agreement-view.png")));
}

void AgreementViewTest::comparisonModelPassesTheModelTester()
{
    auto view = makeView(m_project);
    QAbstractItemModelTester tester(view->comparisons(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    view->setFacet(model::Facet::NoInfo);
    view->setFacet(model::Facet::Relevance);
    view->refreshAndWait();
}

void AgreementViewTest::clickingAConfusionCellListsItsUnits()
{
    auto view = makeView(m_project);
    view->setFacet(model::Facet::Preference);
    QVERIFY(view->selectComparison(QStringLiteral("alice"), QStringLiteral("bob")));
    const model::PairAgreement *pair = nullptr;
    for (int row = 0; row < view->comparisons()->rowCount(); ++row)
        if (view->comparisons()->comparison(row)->raterA == "alice")
            pair = view->comparisons()->comparison(row);
    QVERIFY(pair);
    // Row "A" (alice said A), column "tie" (bob said tie): click the cell as a user would.
    view->show();
    QVERIFY(QTest::qWaitForWindowExposed(view.get()));
    ui::ConfusionMatrixWidget *matrix = view->confusionMatrix();
    QTest::mouseClick(matrix, Qt::LeftButton, {}, matrix->cellRect(0, 2).center());
    const qint64 expected = pair->confusion.at(0, 2);
    QVERIFY(expected > 0);
    QCOMPARE(view->unitList()->count(), int(expected));
    auto labels = load(m_project);
    const auto units = model::unitsInCell(*labels, model::Facet::Preference, *pair, 0, 2);
    QCOMPARE(int(units.size()), int(expected));
    QCOMPARE(view->unitList()->item(0)->text(), QString::fromStdString(units.front().itemId));
}

void AgreementViewTest::majorityCellsListTheUnitsWhereHumansAgree()
{
    auto view = makeView(m_project);
    view->setFacet(model::Facet::Preference);
    QVERIFY(view->selectComparison(QStringLiteral("majority"), QStringLiteral("judge:demo-model:3f9a1c")));
    int total = 0;
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c) {
            view->showCell(r, c);
            total += view->unitList()->count();
        }
    const model::PairAgreement *pair = nullptr;
    for (int row = 0; row < view->comparisons()->rowCount(); ++row)
        if (view->comparisons()->comparison(row)->raterA == "majority")
            pair = view->comparisons()->comparison(row);
    QVERIFY(pair);
    QCOMPARE(qint64(total), pair->confusion.n);
}

void AgreementViewTest::aHumanCalledMajorityIsNotTheHumanMajority()
{
    const QString path = m_dir.filePath(QStringLiteral("majority-name.concord"));
    {
        // Built with QString::arg: GCC 12 warns wrongly (-Wrestrict) on "q" + std::to_string(i).
        QString content = QStringLiteral(R"({"kind":"document","id":"d","text":"The rent is 100."})"
                                         "\n");
        const char *values[] = {"A", "B", "tie", "A", "B", "A"};
        for (int i = 0; i < 6; ++i) {
            content +=
                QStringLiteral(
                    R"({"kind":"item","id":"q%1","document":"d","question":"Rent?","question_type":"fact_recall","answers":{"A":{"system":"s","text":"100"},"B":{"system":"t","text":"200"}}})"
                    "\n")
                    .arg(i);
            for (const char *rater : {"majority", "zoe", "judge:x"})
                content +=
                    QStringLiteral(
                        R"({"kind":"label","item":"q%1","rater":"%2","rater_kind":"%3","preference":"%4"})"
                        "\n")
                        .arg(i)
                        .arg(QLatin1String(rater), QLatin1String(rater[0] == 'j' ? "judge" : "human"),
                             QLatin1String(values[(i + (rater[0] == 'z')) % 6]));
        }
        QVERIFY(createProject(path, content));
    }
    auto view = makeView(path);
    QAbstractItemModel *table = view->findChild<QTableView *>()->model();
    bool humanPair = false, majorityRow = false;
    for (int row = 0; row < table->rowCount(); ++row) {
        const QString a = table->index(row, ui::ComparisonTableModel::RaterA).data().toString();
        const QString b = table->index(row, ui::ComparisonTableModel::RaterB).data().toString();
        if (b == QStringLiteral("zoe") && a != QStringLiteral("judge:x")) {
            QCOMPARE(a, QStringLiteral("majority")); // the human, by her id
            humanPair = true;
            QVERIFY(view->selectComparison(QStringLiteral("majority"), QStringLiteral("zoe")));
            QCOMPARE(view->confusionMatrix()->rowTitle(), QStringLiteral("majority"));
            // Her cells list her units, not the human majority's.
            const model::PairAgreement *pair = nullptr;
            for (int i = 0; i < view->comparisons()->rowCount(); ++i)
                if (const auto *p = view->comparisons()->comparison(i);
                    p->raterA == "majority" && p->raterB == "zoe")
                    pair = p;
            QVERIFY(pair && pair->comparison == model::Comparison::HumanHuman);
            for (int r = 0; r < 3; ++r)
                for (int c = 0; c < 3; ++c) {
                    view->showCell(r, c);
                    QCOMPARE(qint64(view->unitList()->count()), qint64(pair->confusion.at(r, c)));
                }
        }
        if (a == QStringLiteral("human majority"))
            majorityRow = true;
    }
    QVERIFY(humanPair);
    QVERIFY(majorityRow);
}

void AgreementViewTest::perAnswerFacetsListAnswers()
{
    auto view = makeView(m_project);
    view->setFacet(model::Facet::Faithful);
    QVERIFY(view->selectComparison(QStringLiteral("alice"), QStringLiteral("bob")));
    view->showCell(0, 0); // both said faithful
    QVERIFY(view->unitList()->count() > 0);
    QVERIFY(view->unitList()->item(0)->text().contains(QStringLiteral(" — answer ")));
}

void AgreementViewTest::activatingAUnitAsksToOpenItsItem()
{
    auto view = makeView(m_project);
    view->setFacet(model::Facet::Preference);
    QVERIFY(view->selectComparison(QStringLiteral("alice"), QStringLiteral("bob")));
    view->showCell(0, 0);
    QVERIFY(view->unitList()->count() > 0);
    QSignalSpy opened(view.get(), &ui::AgreementView::itemActivated);
    emit view->unitList()->itemActivated(view->unitList()->item(0));
    QCOMPARE(opened.count(), 1);
    QCOMPARE(opened.at(0).at(0).toString(), view->unitList()->item(0)->text());
}

void AgreementViewTest::refreshPicksUpNewLabels()
{
    auto view = makeView(m_project);
    view->setFacet(model::Facet::Preference);
    QVERIFY(view->selectComparison(QStringLiteral("judge:demo-model:3f9a1c"), QStringLiteral("alice")));
    const model::PairAgreement before = *view->comparisons()->comparison([&] {
        for (int row = 0; row < view->comparisons()->rowCount(); ++row)
            if (view->comparisons()->comparison(row)->raterB == "alice" &&
                view->comparisons()->comparison(row)->raterA == "judge:demo-model:3f9a1c")
                return row;
        return -1;
    }());
    {
        auto project = storage::Project::open(m_project.toStdString());
        QVERIFY(project.ok());
        std::vector<model::Diagnostic> diagnostics;
        auto labels = load(m_project);
        QVERIFY(labels.ok());
        QVERIFY((*project)->importContent("new.jsonl", changedJudgeLabel(*labels), diagnostics).ok());
    }
    QSignalSpy updated(view.get(), &ui::AgreementView::updated);
    view->refresh();
    QVERIFY(updated.wait(10000));
    for (int row = 0; row < view->comparisons()->rowCount(); ++row) {
        const model::PairAgreement *p = view->comparisons()->comparison(row);
        if (p->raterA == "judge:demo-model:3f9a1c" && p->raterB == "alice")
            QVERIFY(p->confusion.cells != before.confusion.cells);
    }
}

// Every question type's κ of the selected comparison is named under its bar, a κ of 0 (no bar to
// see) as much as any; a type where κ is undefined says "n/a" and the chart says why.
void AgreementViewTest::positionChartBreaksWhereKappaIsUndefined()
{
    // Two humans over four quarters of the document; in the second quarter both always say
    // tie, so kappa is undefined there: the line must not be drawn across it.
    const QString path = m_dir.filePath(QStringLiteral("gap.concord"));
    {
        QString content = QStringLiteral(R"({"kind":"document","id":"d","text":"The rent is 100."})"
                                         "\n");
        const double positions[] = {0.1, 0.3, 0.6, 0.9};
        const char *alice[] = {"A", "B", "A", "B"}, *bob[] = {"A", "B", "B", "B"};
        int n = 0;
        for (int quarter = 0; quarter < 4; ++quarter)
            for (int k = 0; k < 4; ++k, ++n) {
                content +=
                    QStringLiteral(
                        R"({"kind":"item","id":"q%1","document":"d","question":"Rent?","question_type":"fact_recall","evidence_position":%2,"answers":{"A":{"system":"s","text":"100"},"B":{"system":"t","text":"200"}}})"
                        "\n")
                        .arg(n)
                        .arg(positions[quarter]);
                for (int r = 0; r < 2; ++r)
                    content +=
                        QStringLiteral(R"({"kind":"label","item":"q%1","rater":"%2","preference":"%3"})"
                                       "\n")
                            .arg(n)
                            .arg(QLatin1String(r ? "bob" : "alice"),
                                 QLatin1String(quarter == 1 ? "tie" : (r ? bob : alice)[k]));
            }
        QVERIFY(createProject(path, content));
    }
    auto view = makeView(path);
    QVERIFY(view->selectComparison(QStringLiteral("alice"), QStringLiteral("bob")));
    QChart *chart = view->evidencePositionChart()->chart();
    int lines = 0, points = 0;
    for (QAbstractSeries *series : chart->series()) {
        if (auto *scatter = qobject_cast<QScatterSeries *>(series))
            points += int(scatter->count());
        else if (qobject_cast<QLineSeries *>(series))
            ++lines;
    }
    QCOMPARE(points, 3); // three quarters with a kappa
    QCOMPARE(lines, 6);  // two pieces of line (each with its CI): the first quarter, then the last two
    QVERIFY2(chart->title().contains(QStringLiteral("no κ for 25–50%")), qPrintable(chart->title()));
}

void AgreementViewTest::questionTypeChartNamesEveryKappa()
{
    auto view = makeView(m_project);
    // Wide enough for the full type names under every bar.
    view->resize(1900, 1000);
    view->show();
    view->setFacet(model::Facet::Preference);
    QVERIFY(view->selectComparison(QString::fromStdString(std::string(model::kMajority)),
                                   QStringLiteral("judge:demo-model:3f9a1c")));
    QTest::qWait(50);
    auto labels = load(m_project);
    QVERIFY(labels.ok());
    model::AgreementOptions options;
    options.bootstrapResamples = 0;
    options.groupBy = model::Grouping::QuestionType;
    const model::AgreementReport report = model::measureAgreement(*labels, options);
    QChart *chart = view->questionTypeChart()->chart();
    QVERIFY(chart);
    const auto axes = chart->axes(Qt::Horizontal);
    QCOMPARE(axes.size(), 1);
    const QStringList categories = qobject_cast<QBarCategoryAxis *>(axes.front())->categories();
    QCOMPARE(categories.size(), int(report.groups.size()));
    int undefined = 0, zero = 0;
    for (std::size_t g = 0; g < report.groups.size(); ++g) {
        const model::PairAgreement *pair = nullptr;
        for (const auto &f : report.groups[g].facets)
            if (f.facet == model::Facet::Preference)
                for (const auto &p : f.pairs)
                    if (p.raterA == model::kMajority && p.raterB == "judge:demo-model:3f9a1c")
                        pair = &p;
        const QString label = categories[int(g)];
        QVERIFY2(
            label.startsWith(
                QString::fromStdString(report.groups[g].value).replace(QLatin1Char('_'), QLatin1Char(' '))),
            qPrintable(label));
        // Then what the κ rests on: the units and how often the two said the same.
        const QString basis = pair && pair->agreement.po
                                  ? QStringLiteral("<br>n=%1 · %2%")
                                        .arg(pair->agreement.n)
                                        .arg(std::lround(*pair->agreement.po * 100))
                                  : QStringLiteral("<br>n=%1").arg(pair ? pair->agreement.n : 0);
        QVERIFY2(label.endsWith(basis), qPrintable(label + " " + basis));
        if (pair && pair->kappa.kappa) {
            QString value = QString::number(*pair->kappa.kappa, 'f', 2);
            if (value == QStringLiteral("-0.00"))
                value = QStringLiteral("0.00");
            QVERIFY2(label.endsWith(QStringLiteral("<br>") + value + basis), qPrintable(label));
            zero += std::abs(*pair->kappa.kappa) < 0.005;
        } else {
            QVERIFY2(label.endsWith(QStringLiteral("<br>n/a") + basis), qPrintable(label));
            ++undefined;
            if (pair)
                QVERIFY2(chart->title().contains(QString::fromStdString(pair->kappa.note)),
                         qPrintable(chart->title()));
        }
    }
    // The demo has both cases: definition (one category only) and summarization (κ = 0).
    QVERIFY(undefined > 0);
    QVERIFY(zero > 0);

    // Narrow (a 1024 px window), the names are short rather than cut to "summariz…" with the κ
    // under them lost; wide again, they are whole.
    auto typeLabels = [&] {
        const auto horizontal = view->questionTypeChart()->chart()->axes(Qt::Horizontal);
        return qobject_cast<QBarCategoryAxis *>(horizontal.front())->categories();
    };
    view->resize(700, 1000);
    QTRY_VERIFY(typeLabels().join(QString()).contains(QStringLiteral("summary<br>")));
    QVERIFY(typeLabels().front().startsWith(QStringLiteral("fact<br>")));
    view->resize(1900, 1000);
    QTRY_VERIFY(typeLabels().front().startsWith(QStringLiteral("fact recall<br>")));
}

// With nothing to compare the view says so in a sentence, instead of an empty table and blank
// charts; a facet nobody shares says which facet.
void AgreementViewTest::nothingToCompareIsSaidInWords()
{
    const QString base = QStringLiteral(
        R"({"kind":"document","id":"d","text":"The rent is 1,200 a month."}
{"kind":"item","id":"q","document":"d","question":"Rent?","question_type":"fact_recall","answers":{"A":{"system":"s","text":"1,200"},"B":{"system":"t","text":"1,500"}}}
)");
    const QString noItems = m_dir.filePath(QStringLiteral("noitems.concord"));
    QVERIFY(createProject(noItems, QStringLiteral(R"({"kind":"document","id":"d","text":"Text."})") + "\n"));
    QVERIFY2(makeView(noItems)->emptyText().startsWith(QStringLiteral("This project has no items yet.")),
             qPrintable(makeView(noItems)->emptyText()));

    const QString empty = m_dir.filePath(QStringLiteral("empty.concord"));
    QVERIFY(createProject(empty, base));
    auto view = makeView(empty);
    QVERIFY2(view->emptyText().startsWith(QStringLiteral("No labels yet.")), qPrintable(view->emptyText()));
    QCOMPARE(view->comparisons()->rowCount(), 0);

    const QString shared = m_dir.filePath(QStringLiteral("shared.concord"));
    QVERIFY(createProject(
        shared, base + QStringLiteral(R"({"kind":"label","item":"q","rater":"alice","preference":"A"}
{"kind":"label","item":"q","rater":"bob","preference":"B","faithful":{"A":true}}
)")));
    view = makeView(shared);
    view->setFacet(model::Facet::Preference);
    QCOMPARE(view->emptyText(), QString()); // alice and bob both gave a preference
    QVERIFY(view->comparisons()->rowCount() > 0);
    view->setFacet(model::Facet::Faithful); // only bob
    QVERIFY2(view->emptyText().startsWith(QStringLiteral("No two raters have labelled the same items on")),
             qPrintable(view->emptyText()));

    // One human and a judge: the headline says what the comparison with humans needs, not
    // "mean κ — [—, —]" and the engine's notes.
    const QString oneHuman = m_dir.filePath(QStringLiteral("onehuman.concord"));
    QVERIFY(createProject(
        oneHuman, base + QStringLiteral(R"({"kind":"label","item":"q","rater":"alice","preference":"A"}
{"kind":"label","item":"q","rater":"judge:m","rater_kind":"judge","preference":"B"}
)")));
    view = makeView(oneHuman);
    view->setFacet(model::Facet::Preference);
    QVERIFY2(view->headlineText().contains(QStringLiteral("needs two human annotators")),
             qPrintable(view->headlineText()));
    QVERIFY2(!view->headlineText().contains(QStringLiteral("[—, —]")), qPrintable(view->headlineText()));
    // One unit compared: a κ, but no interval that would look certain.
    QVERIFY(view->comparisons()->rowCount() > 0);
    const QModelIndex kappa = view->comparisons()->index(0, ui::ComparisonTableModel::Kappa);
    QVERIFY2(kappa.data().toString().contains(QStringLiteral("too few units for a CI")),
             qPrintable(kappa.data().toString()));
    QVERIFY(!kappa.data(ui::ComparisonTableModel::CiLowRole).isValid());
    QVERIFY(kappa.data(Qt::ToolTipRole).toString().contains(QStringLiteral("Only 1 unit compared: too few")));

    view = makeView(m_project); // the demo: comparisons on every facet
    QCOMPARE(view->emptyText(), QString());
    QVERIFY(view->headlineText().contains(QStringLiteral("humans with each other")));
    const QModelIndex demoKappa = view->comparisons()->index(0, ui::ComparisonTableModel::Kappa);
    QVERIFY2(demoKappa.data().toString().contains(QStringLiteral("[")),
             qPrintable(demoKappa.data().toString()));
}

QTEST_MAIN(AgreementViewTest)
