// Comparing two judge configurations against gold or the human majority: kappas, the paired
// bootstrap of their difference, and the units that flipped — on a case checked by hand.
#include "calibration.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cstdio>

using namespace concord::model;

namespace {

constexpr const char *kJudge1 = "judge:m:v1";
constexpr const char *kJudge2 = "judge:m:v2";

std::string itemId(int i);

/// Ten preference units; gold A×5 then B×5. Judge 1 agrees with gold on 6 of them, judge 2 on 8:
///   gold  A A A A A B B B B B
///   v1    A A A B B B B B A A   → confusion [[3,2],[2,3]], po .6, pe .5, kappa .2
///   v2    A A A A B B B B B A   → confusion [[4,1],[1,4]], po .8, pe .5, kappa .6
/// Flipped: q4 and q9 (v1 wrong, v2 right) agree now; none disagree now. q11 has no gold.
LabelSet handChecked()
{
    LabelSet set;
    const char *gold = "AAAAABBBBB";
    const char *v1 = "AAABBBBBAA";
    const char *v2 = "AAAABBBBBA";
    for (int i = 1; i <= 11; ++i) {
        ItemAttributes item;
        item.id = itemId(i);
        (void)set.addItem(item);
    }
    for (int i = 0; i < 10; ++i) {
        const std::string item = itemId(i + 1);
        (void)set.add("lead", RaterKind::Gold, item, Facet::Preference, std::nullopt,
                      std::string(1, gold[i]));
        (void)set.add(kJudge1, RaterKind::Judge, item, Facet::Preference, std::nullopt,
                      std::string(1, v1[i]));
        (void)set.add(kJudge2, RaterKind::Judge, item, Facet::Preference, std::nullopt,
                      std::string(1, v2[i]));
    }
    (void)set.add(kJudge1, RaterKind::Judge, "q11", Facet::Preference, std::nullopt, "A");
    (void)set.add(kJudge2, RaterKind::Judge, "q11", Facet::Preference, std::nullopt, "B");
    return set;
}

/// "q7" (built with snprintf: GCC 12 gives a false -Wrestrict on "q" + std::to_string(i)).
std::string itemId(int i)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "q%d", i);
    return buf;
}

std::vector<std::string> ids(const std::vector<UnitRef> &units)
{
    std::vector<std::string> out;
    for (const UnitRef &u : units)
        out.push_back(u.itemId);
    return out;
}

/// The two judges on preference against the majority of the humans, without bootstrap.
auto compareOnPreferenceByMajority(const LabelSet &set)
{
    CalibrationOptions options;
    options.facets = {Facet::Preference};
    options.reference = Reference::Majority;
    options.bootstrapResamples = 0;
    return compareJudges(set, kJudge1, kJudge2, options);
}

} // namespace

class CalibrationTest : public QObject
{
    Q_OBJECT

private slots:
    void kappasDifferenceAndFlipsAgainstGold()
    {
        CalibrationOptions options;
        options.facets = {Facet::Preference};
        auto result = compareJudges(handChecked(), kJudge1, kJudge2, options);
        QVERIFY(result.ok());
        QCOMPARE(result->size(), std::size_t(1));
        const JudgeComparison &c = result->front();
        QCOMPARE(c.n, std::int64_t(10));
        QCOMPARE(c.noReference, std::int64_t(1));
        QVERIFY(c.kappa1.kappa && c.kappa2.kappa && c.difference);
        QVERIFY(std::abs(*c.kappa1.kappa - 0.2) < 1e-12);
        QVERIFY(std::abs(*c.kappa2.kappa - 0.6) < 1e-12);
        QVERIFY(std::abs(*c.difference - 0.4) < 1e-12);
        QVERIFY(c.differenceCiLow && c.differenceCiHigh);
        QVERIFY(*c.differenceCiLow <= *c.difference && *c.difference <= *c.differenceCiHigh);
        QCOMPARE(ids(c.nowAgree), (std::vector<std::string>{"q4", "q9"}));
        QVERIFY(c.nowDisagree.empty());
    }

    void missingGoldIsNamedNotBlamedOnTheJudges()
    {
        // Both judges labelled every item; nobody adjudicated the criterion.
        LabelSet set = handChecked();
        for (int i = 1; i <= 11; ++i) {
            (void)set.add(kJudge1, RaterKind::Judge, itemId(i), Facet::Relevance, std::nullopt, "A");
            (void)set.add(kJudge2, RaterKind::Judge, itemId(i), Facet::Relevance, std::nullopt, "B");
        }
        CalibrationOptions options;
        options.facets = {Facet::Relevance};
        auto result = compareJudges(set, kJudge1, kJudge2, options);
        QVERIFY(result.ok());
        const JudgeComparison &c = result->front();
        QCOMPARE(c.n, std::int64_t(0));
        QCOMPARE(c.noReference, std::int64_t(11));
        QCOMPARE(c.note, std::string("no unit both judges labelled has a gold label (11 without one)"));
        const std::string text = toText(*result, kJudge1, kJudge2, Reference::Gold);
        QVERIFY2(text.find("no ref") != std::string::npos, text.c_str());
        QVERIFY2(text.find(" 0     11 ") != std::string::npos, text.c_str());
    }

    void sameSeedSameInterval_otherSeedOther()
    {
        CalibrationOptions options;
        options.facets = {Facet::Preference};
        const auto a = compareJudges(handChecked(), kJudge1, kJudge2, options);
        const auto b = compareJudges(handChecked(), kJudge1, kJudge2, options);
        options.seed = 7;
        const auto c = compareJudges(handChecked(), kJudge1, kJudge2, options);
        QCOMPARE(a->front().differenceCiLow, b->front().differenceCiLow);
        QVERIFY(a->front().differenceCiLow != c->front().differenceCiLow ||
                a->front().differenceCiHigh != c->front().differenceCiHigh);
    }

    void majorityReferenceUsesStrictHumanMajority()
    {
        // Three humans: q1 two say A (majority A), q2 one each of A, B, tie (no majority).
        LabelSet set;
        for (const char *id : {"q1", "q2"}) {
            ItemAttributes item;
            item.id = id;
            (void)set.addItem(item);
        }
        const char *h1 = "AA", *h2 = "AB", *h3 = "Bt";
        for (int i = 0; i < 2; ++i) {
            const std::string item = i == 0 ? "q1" : "q2";
            auto value = [](char c) { return c == 't' ? std::string("tie") : std::string(1, c); };
            (void)set.add("h1", RaterKind::Human, item, Facet::Preference, std::nullopt, value(h1[i]));
            (void)set.add("h2", RaterKind::Human, item, Facet::Preference, std::nullopt, value(h2[i]));
            (void)set.add("h3", RaterKind::Human, item, Facet::Preference, std::nullopt, value(h3[i]));
            (void)set.add(kJudge1, RaterKind::Judge, item, Facet::Preference, std::nullopt, "B");
            (void)set.add(kJudge2, RaterKind::Judge, item, Facet::Preference, std::nullopt, "A");
        }
        const auto result = compareOnPreferenceByMajority(set);
        QVERIFY(result.ok());
        QCOMPARE(result->front().n, std::int64_t(1));
        QCOMPARE(result->front().noReference, std::int64_t(1));
        QCOMPARE(ids(result->front().nowAgree), std::vector<std::string>{"q1"});
    }

    void majorityCountsEachHumanOnce()
    {
        // h1 gives B and then A on q1 (LabelSet: the label added last counts); h2 says B. The
        // majority of {A, B} is none, so q1 has no reference. Counting h1's two labels would
        // have made B a majority of three.
        LabelSet set;
        ItemAttributes item;
        item.id = "q1";
        (void)set.addItem(item);
        (void)set.add("h1", RaterKind::Human, "q1", Facet::Preference, std::nullopt, "B");
        (void)set.add("h1", RaterKind::Human, "q1", Facet::Preference, std::nullopt, "A");
        (void)set.add("h2", RaterKind::Human, "q1", Facet::Preference, std::nullopt, "B");
        (void)set.add(kJudge1, RaterKind::Judge, "q1", Facet::Preference, std::nullopt, "B");
        (void)set.add(kJudge2, RaterKind::Judge, "q1", Facet::Preference, std::nullopt, "A");
        const auto result = compareOnPreferenceByMajority(set);
        QVERIFY(result.ok());
        QCOMPARE(result->front().n, std::int64_t(0));
        QCOMPARE(result->front().noReference, std::int64_t(1));
    }

    void perAnswerFacetsNameTheAnswer()
    {
        LabelSet set;
        ItemAttributes item;
        item.id = "q1";
        (void)set.addItem(item);
        for (Slot slot : kSlots) {
            (void)set.add("lead", RaterKind::Gold, "q1", Facet::Faithful, slot, "unfaithful");
            (void)set.add(kJudge1, RaterKind::Judge, "q1", Facet::Faithful, slot, "faithful");
            (void)set.add(kJudge2, RaterKind::Judge, "q1", Facet::Faithful, slot,
                          slot == Slot::B ? "unfaithful" : "faithful");
        }
        CalibrationOptions options;
        options.facets = {Facet::Faithful};
        const auto result = compareJudges(set, kJudge1, kJudge2, options);
        QVERIFY(result.ok());
        QCOMPARE(result->front().n, std::int64_t(2));
        QCOMPARE(result->front().nowAgree.size(), std::size_t(1));
        QCOMPARE(result->front().nowAgree.front().slot, std::optional<Slot>(Slot::B));
    }

    void refusesRatersThatAreNotJudges()
    {
        const auto result = compareJudges(handChecked(), "lead", kJudge2, {});
        QVERIFY(!result.ok());
        QVERIFY(result.error().message.find("\"lead\" is not a judge") != std::string::npos);
        QVERIFY(!compareJudges(handChecked(), kJudge1, kJudge1, {}).ok());
    }

    void jsonCarriesTheFixedNames()
    {
        CalibrationOptions options;
        options.facets = {Facet::Preference};
        options.bootstrapResamples = 0;
        const auto result = compareJudges(handChecked(), kJudge1, kJudge2, options);
        const std::string json = toJson(*result, kJudge1, kJudge2, Reference::Gold);
        const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
        QCOMPARE(o.value("judge_1").toString(), QStringLiteral("judge:m:v1"));
        QCOMPARE(o.value("against").toString(), QStringLiteral("gold"));
        const QJsonObject f = o.value("facets").toArray().at(0).toObject();
        QCOMPARE(f.value("facet").toString(), QStringLiteral("preference"));
        QVERIFY(std::abs(f.value("kappa_1").toDouble() - 0.2) < 1e-12);
        QVERIFY(std::abs(f.value("difference").toDouble() - 0.4) < 1e-12);
        QVERIFY(f.value("difference_ci95_bootstrap").toArray().at(0).isNull()); // bootstrap off
        QCOMPARE(f.value("now_agree").toArray().size(), 2);
        QCOMPARE(f.value("now_agree").toArray().at(1).toObject().value("item").toString(),
                 QStringLiteral("q9"));
    }
};

QTEST_APPLESS_MAIN(CalibrationTest)
#include "calibration_test.moc"
