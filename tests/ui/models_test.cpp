// The workspace's item models: QAbstractItemModelTester on each, natural sorting, the filters,
// and the pinned item that labelling never pulls out of view.
#include "englishplurals.h"
#include "models/comparisontablemodel.h"
#include "models/evidencelistmodel.h"
#include "models/itemqueuemodel.h"
#include "raternames.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace concord;
using ui::ItemQueueFilterModel;
using ui::ItemQueueModel;

namespace {

std::vector<model::ItemSummary> summaries()
{
    std::vector<model::ItemSummary> out;
    const QStringList ids = {"q-10", "q-2", "q-1", "q-33", "q-3"};
    for (int i = 0; i < 5; ++i) {
        model::ItemSummary s;
        s.id = ids[i].toStdString();
        s.documentId = QStringLiteral("d").toStdString();
        s.type = i % 2 ? model::QuestionType::NoInfo : model::QuestionType::FactRecall;
        s.systemA = QString::fromLatin1(i < 3 ? "zeta" : "alpha").toStdString();
        s.systemB = QString::fromLatin1(i < 3 ? "alpha" : "beta").toStdString();
        out.push_back(s);
    }
    return out;
}

QStringList column(const QAbstractItemModel &m, int role = ItemQueueModel::ItemIdRole)
{
    QStringList out;
    for (int r = 0; r < m.rowCount(); ++r)
        out.append(m.index(r, 0).data(role).toString());
    return out;
}

} // namespace

class ModelsTest : public QObject
{
    Q_OBJECT

private slots:
    void pluralsReadAsEnglish()
    {
        // Without it Qt shows the source text's "(s)": "61 item(s)".
        ui::installEnglishPlurals();
        ui::installEnglishPlurals(); // once only
        QCOMPARE(QCoreApplication::translate("concord::ui::AnnotateView", "%n item(s)", nullptr, 1),
                 QStringLiteral("1 item"));
        QCOMPARE(QCoreApplication::translate("concord::ui::AnnotateView", "%n item(s)", nullptr, 61),
                 QStringLiteral("61 items"));
        QCOMPARE(QCoreApplication::translate("x", "%n label change(s) could not be saved yet", nullptr, 0),
                 QStringLiteral("0 label changes could not be saved yet"));
        QCOMPARE(QCoreApplication::translate("x", "Keep (s) as it is"), QStringLiteral("Keep (s) as it is"));
    }
    void ratersAreNamedByANameOfTheirOwn()
    {
        using K = model::RaterKind;
        const ui::RaterNames names(std::vector<model::RaterRef>{
            {"alice", K::Human, "Alice Moreau"},
            {"bob", K::Human, ""},                      // no name: its id
            {"judge:m:1", K::Judge, "gpt-4o (openai)"}, // two versions of one judge share
            {"judge:m:2", K::Judge, "gpt-4o (openai)"}, // a name: both by id
            {"sam", K::Human, "  Sam   Lee "},          // spaces tidied
            {"zoe", K::Human, "alice"},                 // another rater's id: by her own id
            {"lead", K::Gold, "lead"}});                // the name is its id: fine
        QCOMPARE(names.name("alice"), QStringLiteral("Alice Moreau"));
        QCOMPARE(names.name("bob"), QStringLiteral("bob"));
        QCOMPARE(names.name("judge:m:1"), QStringLiteral("judge:m:1"));
        QCOMPARE(names.name("judge:m:2"), QStringLiteral("judge:m:2"));
        QCOMPARE(names.name("sam"), QStringLiteral("Sam Lee"));
        QCOMPARE(names.name("zoe"), QStringLiteral("zoe"));
        QCOMPARE(names.name("lead"), QStringLiteral("lead"));
        QCOMPARE(names.name("unknown"), QStringLiteral("unknown"));
        QCOMPARE(names.describe("alice"), QStringLiteral("Alice Moreau — rater alice (human)"));
        QCOMPARE(names.describe("judge:m:1"), QStringLiteral("rater judge:m:1 (judge)"));
        QCOMPARE(ui::RaterNames().name("x"), QStringLiteral("x"));
    }

    void numbersNeverReadNegativeZero()
    {
        QCOMPARE(concord::ui::fixedNumber(-0.001), QStringLiteral("0.00"));
        QCOMPARE(concord::ui::formatNumber(-0.004), QStringLiteral("0.00"));
        QCOMPARE(concord::ui::formatNumber(-0.005, 3), QStringLiteral("-0.005"));
        QCOMPARE(concord::ui::fixedNumber(-0.5), QStringLiteral("-0.50"));
        QCOMPARE(concord::ui::formatNumber(std::nullopt), QStringLiteral("—"));
    }

    void queueModelPassesTheTester()
    {
        ItemQueueModel queue;
        QAbstractItemModelTester tester(&queue, QAbstractItemModelTester::FailureReportingMode::QtTest);
        queue.setItems(summaries(),
                       {{"q-2", model::LabelStatus::Done}, {"q-33", model::LabelStatus::Partial}});
        QCOMPARE(queue.rowCount(), 5);
        QCOMPARE(queue.doneCount(), 1);
        queue.setStatus(QStringLiteral("q-1"), model::LabelStatus::Done);
        QCOMPARE(queue.doneCount(), 2);
        queue.setConsensus({{"q-10", 3, true}, {"q-2", 2, false}, {"nope", 1, true}});
        // Blind by default: q-10 is not labelled by the annotator, so others' disagreement is not
        // shown (it could sway the first verdict); the number of raters is.
        QVERIFY(queue.blind());
        QCOMPARE(queue.index(0, ItemQueueModel::Others).data().toString(), QStringLiteral("3"));
        QVERIFY(!queue.index(0, 0).data(ItemQueueModel::DisagreementRole).toBool());
        QVERIFY(!queue.index(0, ItemQueueModel::Others)
                     .data(Qt::ToolTipRole)
                     .toString()
                     .contains(QStringLiteral("disagree")));
        // Partly labelled, still not (it could sway the rest of the label); done, it shows.
        queue.setStatus(QStringLiteral("q-10"), model::LabelStatus::Partial);
        QCOMPARE(queue.index(0, ItemQueueModel::Others).data().toString(), QStringLiteral("3"));
        QVERIFY(!queue.index(0, 0).data(ItemQueueModel::DisagreementRole).toBool());
        queue.setStatus(QStringLiteral("q-10"), model::LabelStatus::Done);
        QCOMPARE(queue.index(0, ItemQueueModel::Others).data().toString(), QStringLiteral("≠ 3"));
        QVERIFY(queue.index(0, 0).data(ItemQueueModel::DisagreementRole).toBool());
        queue.setStatus(QStringLiteral("q-10"), model::LabelStatus::Unlabelled);
        // Blinding off: shown before labelling too.
        queue.setBlind(false);
        QCOMPARE(queue.index(0, ItemQueueModel::Others).data().toString(), QStringLiteral("≠ 3"));
        queue.setBlind(true);
        // The type in one short word, its full name in the tooltip.
        QCOMPARE(queue.index(0, ItemQueueModel::Type).data().toString(), QStringLiteral("fact"));
        QCOMPARE(queue.index(0, ItemQueueModel::Type).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("fact recall"));
        QCOMPARE(queue.index(1, ItemQueueModel::Others).data().toString(),
                 QStringLiteral("1")); // q-2: me and one other
        queue.setProgress({});
        QCOMPARE(queue.doneCount(), 0);
        QCOMPARE(queue.index(0, 0).data(ItemQueueModel::SystemPairRole).toString(),
                 QStringLiteral("alpha vs zeta"));
        QCOMPARE(queue.systemPairs(),
                 (QStringList{QStringLiteral("alpha vs beta"), QStringLiteral("alpha vs zeta")}));
        queue.setItems({}, {});
        QCOMPARE(queue.rowCount(), 0);
    }

    void filterSortsNaturallyAndFilters()
    {
        ItemQueueModel queue;
        ItemQueueFilterModel filter;
        filter.setSourceModel(&queue);
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        queue.setItems(summaries(), {{"q-2", model::LabelStatus::Done}});
        filter.setScope(ItemQueueFilterModel::Scope::All);
        QCOMPARE(column(filter), (QStringList{"q-10", "q-2", "q-1", "q-33", "q-3"})); // the project's order
        filter.sort(ItemQueueModel::Id);
        QCOMPARE(column(filter), (QStringList{"q-1", "q-2", "q-3", "q-10", "q-33"}));
        filter.sort(ItemQueueModel::Id, Qt::DescendingOrder);
        QCOMPARE(column(filter).first(), QStringLiteral("q-33"));
        filter.sort(-1);

        filter.setScope(ItemQueueFilterModel::Scope::NotDone);
        QCOMPARE(column(filter), (QStringList{"q-10", "q-1", "q-33", "q-3"}));
        filter.setPinnedItem(QStringLiteral("q-1"));
        queue.setStatus(QStringLiteral("q-1"), model::LabelStatus::Done);
        QCOMPARE(filter.rowCount(), 4); // pinned: still listed
        filter.setPinnedItem(QStringLiteral("q-3"));
        QCOMPARE(column(filter), (QStringList{"q-10", "q-33", "q-3"}));
        filter.setScope(ItemQueueFilterModel::Scope::Done);
        QCOMPARE(column(filter), (QStringList{"q-2", "q-1", "q-3"}));
        filter.setPinnedItem(QString());
        filter.setScope(ItemQueueFilterModel::Scope::All);
        filter.setQuestionType(QStringLiteral("no_info"));
        QCOMPARE(column(filter), (QStringList{"q-2", "q-33"}));
        filter.setQuestionType(QString());
        filter.setSystemPair(QStringLiteral("alpha vs beta"));
        QCOMPARE(column(filter), (QStringList{"q-33", "q-3"}));
        filter.setSystemPair(QString());
        queue.setConsensus({{"q-3", 2, true}});
        filter.setScope(ItemQueueFilterModel::Scope::Disagreement);
        QCOMPARE(column(filter), QStringList()); // blind, and q-3 is not labelled by the annotator
        queue.setBlind(false);
        filter.invalidate();
        QCOMPARE(column(filter), (QStringList{"q-3"}));
        queue.setBlind(true);
        filter.setScope(ItemQueueFilterModel::Scope::Unlabelled);
        QCOMPARE(column(filter), (QStringList{"q-10", "q-33", "q-3"}));
    }

    void evidenceListShowsOneAnswer()
    {
        ui::EvidenceListModel list;
        QAbstractItemModelTester tester(&list, QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::vector<model::EvidenceSpan> evidence(3);
        evidence[0] = {model::Slot::A, 0, 4, std::nullopt};
        evidence[1] = {model::Slot::B, 5, 9, std::nullopt};
        evidence[1].note.emplace(QStringLiteral("why").toStdString());
        evidence[2] = {model::Slot::B, 10, 12, std::nullopt};
        list.setEvidence(model::Slot::B, evidence,
                         {QStringLiteral("aaaa"), QStringLiteral("bbbb"), QStringLiteral("cc")});
        QCOMPARE(list.rowCount(), 2);
        QCOMPARE(list.index(0).data(ui::EvidenceListModel::IndexRole).toInt(), 1);
        QCOMPARE(list.index(0).data().toString(), QStringLiteral("“bbbb” — why"));
        QCOMPARE(list.index(1).data(ui::EvidenceListModel::StartRole).toLongLong(), 10);
        list.setEvidence(model::Slot::A, evidence, {QStringLiteral("a long passage\nacross lines")});
        QCOMPARE(list.rowCount(), 1);
        QCOMPARE(list.index(0).data().toString(), QStringLiteral("“a long passage across lines”"));
        list.setEvidence(model::Slot::A, {}, {});
        QCOMPARE(list.rowCount(), 0);
    }
};

QTEST_MAIN(ModelsTest)
#include "models_test.moc"
