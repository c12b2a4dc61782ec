// The review queue: which units are listed, as which kinds of disagreement, with what summary.
#include "review.h"

#include <QTest>

using namespace concord::model;

namespace {

LabelSet crafted()
{
    LabelSet set;
    for (const char *id : {"q1", "q2", "q3", "q4"}) {
        ItemAttributes item;
        item.id = id;
        item.evidencePosition = 0.3;
        (void)set.addItem(item);
    }
    auto add = [&](const char *rater, RaterKind kind, const char *item, Facet facet, std::optional<Slot> slot,
                   const char *value) { (void)set.add(rater, kind, item, facet, slot, value); };
    // q1: everyone agrees on preference A — not listed.
    add("alice", RaterKind::Human, "q1", Facet::Preference, std::nullopt, "A");
    add("bob", RaterKind::Human, "q1", Facet::Preference, std::nullopt, "A");
    add("judge:m", RaterKind::Judge, "q1", Facet::Preference, std::nullopt, "A");
    // q2: humans agree answer B is faithful, the judge says unfaithful.
    add("alice", RaterKind::Human, "q2", Facet::Faithful, Slot::B, "faithful");
    add("bob", RaterKind::Human, "q2", Facet::Faithful, Slot::B, "faithful");
    add("judge:m", RaterKind::Judge, "q2", Facet::Faithful, Slot::B, "unfaithful");
    // q3: the humans split on preference; the judge sides with alice.
    add("alice", RaterKind::Human, "q3", Facet::Preference, std::nullopt, "A");
    add("bob", RaterKind::Human, "q3", Facet::Preference, std::nullopt, "tie");
    add("judge:m", RaterKind::Judge, "q3", Facet::Preference, std::nullopt, "A");
    // q4: gold says B; alice said A.
    add("alice", RaterKind::Human, "q4", Facet::Preference, std::nullopt, "A");
    add("lead", RaterKind::Gold, "q4", Facet::Preference, std::nullopt, "B");
    return set;
}

bool has(const Disagreement &d, DisagreementKind k)
{
    return std::find(d.kinds.begin(), d.kinds.end(), k) != d.kinds.end();
}

} // namespace

class ReviewTest : public QObject
{
    Q_OBJECT

private slots:
    void listsOnlyUnitsWithDisagreement()
    {
        const auto queue = findDisagreements(crafted());
        QCOMPARE(queue.size(), std::size_t(3));
        QCOMPARE(queue[0].unit.itemId, std::string("q2"));
        QCOMPARE(queue[1].unit.itemId, std::string("q3"));
        QCOMPARE(queue[2].unit.itemId, std::string("q4"));
    }

    void judgeAgainstHumansNamesTheAnswer()
    {
        const Disagreement d = findDisagreements(crafted())[0];
        QVERIFY(d.facet == Facet::Faithful);
        QVERIFY(d.unit.slot == Slot::B);
        QVERIFY(has(d, DisagreementKind::JudgeHuman));
        QVERIFY(!has(d, DisagreementKind::HumanHuman));
        QCOMPARE(d.summary, std::string("judge says unfaithful, humans say faithful"));
        QCOMPARE(d.evidenceBucket, std::string("[0.25,0.5)"));
        QCOMPARE(d.values.size(), std::size_t(3));
        QCOMPARE(d.values.back().rater, std::string("judge:m")); // humans first, then judges
    }

    void humansSplitIsAHumanDisagreement()
    {
        const Disagreement d = findDisagreements(crafted())[1];
        QVERIFY(has(d, DisagreementKind::HumanHuman));
        // No strict human majority: the judge cannot be said to disagree with it.
        QVERIFY(!has(d, DisagreementKind::JudgeHuman));
        QCOMPARE(d.summary, std::string("humans split: A or tie; judge says A"));
    }

    void goldDisagreementIsListed()
    {
        const Disagreement d = findDisagreements(crafted())[2];
        QVERIFY(d.kinds == std::vector<DisagreementKind>{DisagreementKind::VersusGold});
        QCOMPARE(d.summary, std::string("gold says B, others say A"));
        QVERIFY(d.values.back().kind == RaterKind::Gold);
    }

    void judgesAndGoldRatersDifferingAreListed()
    {
        LabelSet set = crafted();
        for (const char *id : {"q5", "q6"}) {
            ItemAttributes item;
            item.id = id;
            QVERIFY(set.addItem(item));
        }
        // q5: two judges differ and no human labelled it (a judge version against another).
        QVERIFY(set.add("judge:m", RaterKind::Judge, "q5", Facet::Preference, std::nullopt, "B"));
        QVERIFY(set.add("judge:m2", RaterKind::Judge, "q5", Facet::Preference, std::nullopt, "tie"));
        // q6: two gold raters differ, everyone else agrees with one of them.
        for (const char *r : {"alice", "bob"})
            (void)set.add(r, RaterKind::Human, "q6", Facet::Preference, std::nullopt, "A");
        (void)set.add("lead", RaterKind::Gold, "q6", Facet::Preference, std::nullopt, "B");
        (void)set.add("lead2", RaterKind::Gold, "q6", Facet::Preference, std::nullopt, "A");
        const auto queue = findDisagreements(set);
        auto find = [&](const char *item) {
            return std::find_if(queue.begin(), queue.end(),
                                [&](const Disagreement &d) { return d.unit.itemId == item; });
        };
        const auto q5 = find("q5");
        QVERIFY(q5 != queue.end());
        QVERIFY(q5->kinds == std::vector<DisagreementKind>{DisagreementKind::JudgeJudge});
        QCOMPARE(q5->summary, std::string("judges split: B or tie"));
        const auto q6 = find("q6");
        QVERIFY(q6 != queue.end());
        QVERIFY(q6->kinds == std::vector<DisagreementKind>{DisagreementKind::GoldGold});
        QCOMPARE(q6->summary, std::string("gold split: B or A")); // lead, then lead2
        // q1 (everyone agrees) stays out.
        QVERIFY(find("q1") == queue.end());
    }

    void adjudicatedUnitSaysWhatGoldDecided()
    {
        // q3 again, after the lead decided tie: still a human split, and the queue says so.
        LabelSet set = crafted();
        (void)set.add("lead", RaterKind::Gold, "q3", Facet::Preference, std::nullopt, "tie");
        const auto queue = findDisagreements(set);
        const auto q3 = std::find_if(queue.begin(), queue.end(),
                                     [](const Disagreement &d) { return d.unit.itemId == "q3"; });
        QVERIFY(q3 != queue.end());
        QCOMPARE(q3->summary, std::string("humans split: A or tie; judge says A; gold says tie"));
    }
};

QTEST_APPLESS_MAIN(ReviewTest)
#include "review_test.moc"
