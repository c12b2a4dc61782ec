// The agreement report on small label sets whose numbers are worked out by hand in the comments:
// which comparisons appear, the human majority and its no_majority count, answers pooled over
// both slots, preference without ties, gold raters, groups, and null-with-a-note for what is
// undefined, in the report structs and in its JSON.
#include "agreementreport.h"
#include "modeltest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <algorithm>
#include <array>
#include <cmath>
#include <random>

using namespace concord::model;
using concord::test::spelled;

namespace {

constexpr double kTol = 1e-12;

bool near(const std::optional<double> &got, double want) { return got && std::abs(*got - want) <= kTol; }

ItemAttributes item(std::string id, std::optional<double> evidencePosition = std::nullopt,
                    QuestionType type = QuestionType::FactRecall, std::string systemA = "careful-v1",
                    std::string systemB = "quick-v0")
{
    return ItemAttributes{std::move(id), type, evidencePosition, {std::move(systemA), std::move(systemB)}};
}

/// "q1", "q2", …; built by appending, as `"q" + std::to_string(n)` trips GCC 12's false -Wrestrict.
std::string itemId(std::size_t n)
{
    std::string id = "q";
    id += std::to_string(n);
    return id;
}

/// A label set with items q1…qN (no attributes that matter).
LabelSet withItems(int n)
{
    LabelSet set;
    for (int i = 1; i <= n; ++i)
        (void)set.addItem(item(itemId(static_cast<std::size_t>(i))));
    return set;
}

void addPreferences(LabelSet &set, const std::string &rater, RaterKind kind,
                    const std::vector<std::string> &values)
{
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (values[i].empty())
            continue; // not labelled
        const Status s = set.add(rater, kind, itemId(i + 1), Facet::Preference, std::nullopt, values[i]);
        if (!s)
            qFatal("%s", s.error().message.c_str());
    }
}

const PairAgreement *findPair(const FacetAgreement &f, std::string_view a, std::string_view b)
{
    for (const PairAgreement &p : f.pairs)
        if (p.raterA == a && p.raterB == b)
            return &p;
    return nullptr;
}

QJsonObject parseJson(const AgreementReport &report)
{
    const std::string text = toJson(report);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(text), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("toJson gave invalid JSON: %s", qPrintable(error.errorString()));
    return doc.object();
}

AgreementOptions noBootstrap()
{
    AgreementOptions o;
    o.bootstrapResamples = 0;
    return o;
}

} // namespace

class AgreementReportTest : public QObject
{
    Q_OBJECT

private slots:
    void kappaAc1PabakAndConfusionMatchHandComputation()
    {
        // Confusion (rows alice, columns bob, order A, B, tie): [[3,1,0],[0,3,1],[1,0,1]], n = 10.
        // po = 7/10; margins 4,4,2 both ways, so pe = (16+16+4)/100 = 0.36 and
        // kappa = (0.7 − 0.36)/0.64 = 0.53125. AC1: π = 0.4, 0.4, 0.2, pe = (0.24+0.24+0.16)/2 = 0.32,
        // AC1 = 0.38/0.68. PABAK = (3·0.7 − 1)/2 = 0.55.
        LabelSet set = withItems(10);
        addPreferences(set, "alice", RaterKind::Human,
                       {"A", "A", "A", "A", "B", "B", "B", "B", "tie", "tie"});
        addPreferences(set, "bob", RaterKind::Human, {"A", "A", "A", "B", "B", "B", "B", "tie", "A", "tie"});
        const AgreementReport r = measureAgreement(set, noBootstrap());
        QCOMPARE(r.facets.size(), kFacets.size());
        const FacetAgreement &f = r.facets.front();
        QCOMPARE(spelled(f.facet), std::string("preference"));
        QCOMPARE(f.units, std::int64_t(10));
        QCOMPARE(f.pairs.size(), std::size_t(1));
        const PairAgreement &p = f.pairs.front();
        QCOMPARE(p.raterA, std::string("alice"));
        QCOMPARE(p.raterB, std::string("bob"));
        QCOMPARE(spelled(p.comparison), std::string("human_human"));
        QCOMPARE(p.confusion.n, std::int64_t(10));
        QCOMPARE(p.confusion.cells, (std::vector<std::int64_t>{3, 1, 0, 0, 3, 1, 1, 0, 1}));
        QVERIFY(near(p.agreement.po, 0.7));
        QVERIFY(near(p.kappa.kappa, 0.53125));
        QVERIFY(p.kappa.ciLow && p.kappa.ciHigh && *p.kappa.ciLow < 0.53125 && *p.kappa.ciHigh > 0.53125);
        QVERIFY(near(p.ac1.ac1, 0.38 / 0.68));
        QVERIFY(near(p.pabak.pabak, 0.55));
        QVERIFY(!p.bootstrap);
        QCOMPARE(p.note, std::string());
    }

    void withoutTiesDropsUnitsWhereEitherSaidTie()
    {
        // Same labels: units without a tie on either side are cells (A,A)=3, (A,B)=1, (B,B)=3, so
        // n = 7, agreement 6/7; margins alice 4,3 and bob 3,4, pe = 24/49, kappa = (42−24)/(49−24).
        LabelSet set = withItems(10);
        addPreferences(set, "alice", RaterKind::Human,
                       {"A", "A", "A", "A", "B", "B", "B", "B", "tie", "tie"});
        addPreferences(set, "bob", RaterKind::Human, {"A", "A", "A", "B", "B", "B", "B", "tie", "A", "tie"});
        const AgreementReport r = measureAgreement(set, noBootstrap());
        const PairAgreement &p = r.facets.front().pairs.front();
        QVERIFY(p.withoutTies);
        QCOMPARE(p.withoutTies->agreement.n, std::int64_t(7));
        QVERIFY(near(p.withoutTies->agreement.po, 6.0 / 7.0));
        QVERIFY(near(p.withoutTies->kappa.kappa, 18.0 / 25.0));

        const QJsonObject wt = parseJson(r)["facets"][0]["pairs"][0]["without_ties"].toObject();
        QCOMPARE(wt["n"].toInt(), 7);
        QVERIFY(std::abs(wt["kappa"].toDouble() - 0.72) < 1e-12);
        // Only preference has it.
        for (const auto &pair : parseJson(r)["facets"][1]["pairs"].toArray())
            QVERIFY(!pair.toObject().contains("without_ties"));
    }

    void pairsAppearOnlyWhenRatersShareAUnit()
    {
        // alice and bob share q1-q2; carol labelled q3 only; the judge labelled q2 and q3.
        LabelSet set = withItems(3);
        addPreferences(set, "alice", RaterKind::Human, {"A", "B", ""});
        addPreferences(set, "bob", RaterKind::Human, {"A", "A", ""});
        addPreferences(set, "carol", RaterKind::Human, {"", "", "tie"});
        addPreferences(set, "judge:x", RaterKind::Judge, {"", "B", "tie"});
        const FacetAgreement f = measureAgreement(set, noBootstrap()).facets.front();
        QVERIFY(findPair(f, "alice", "bob"));
        QVERIFY(!findPair(f, "alice", "carol"));
        QVERIFY(!findPair(f, "bob", "carol"));
        QVERIFY(findPair(f, "judge:x", "alice"));
        QVERIFY(findPair(f, "judge:x", "bob"));
        QVERIFY(findPair(f, "judge:x", "carol"));
        QCOMPARE(spelled(findPair(f, "judge:x", "carol")->comparison), std::string("judge_human"));
        QCOMPARE(findPair(f, "judge:x", "carol")->confusion.n, std::int64_t(1));
        // Order: human pairs, then judge–human, then the majority.
        QCOMPARE(f.pairs.size(), std::size_t(5));
        QCOMPARE(spelled(f.pairs[0].comparison), std::string("human_human"));
        QCOMPARE(f.pairs[1].raterB, std::string("alice"));
        QCOMPARE(f.pairs[4].raterA, std::string(kMajority));
        // Nobody labelled criteria: no pairs, and the multi-rater statistics say why not.
        const FacetAgreement &relevance = measureAgreement(set, noBootstrap()).facets[1];
        QVERIFY(relevance.pairs.empty());
        QCOMPARE(relevance.units, std::int64_t(0));
        QVERIFY(!relevance.multi.fleiss.kappa);
        QVERIFY(!relevance.multi.note.empty());
    }

    void majorityIsStrictAndUnitsWithoutOneAreCounted()
    {
        // q1 A,A,B → A; q2 A,B,tie → none; q3 B,B,B → B; q4 only alice: tie → tie (1 of 1);
        // q5 alice A, bob B → none (1 of 2 is not more than half); q6 A,A,A but the judge is absent.
        // Judge: q1 A, q2 A, q3 A, q4 tie, q5 B. Compared: q1 (A,A), q3 (B,A), q4 (tie,tie): n = 3,
        // agreement 2/3, no_majority = 2 (q2, q5).
        LabelSet set = withItems(6);
        addPreferences(set, "alice", RaterKind::Human, {"A", "A", "B", "tie", "A", "A"});
        addPreferences(set, "bob", RaterKind::Human, {"A", "B", "B", "", "B", "A"});
        addPreferences(set, "carol", RaterKind::Human, {"B", "tie", "B", "", "", "A"});
        addPreferences(set, "judge:x", RaterKind::Judge, {"A", "A", "A", "tie", "B", ""});
        const FacetAgreement f = measureAgreement(set, noBootstrap()).facets.front();
        const PairAgreement *m = findPair(f, kMajority, "judge:x");
        QVERIFY(m);
        QCOMPARE(spelled(m->comparison), std::string("judge_majority"));
        QCOMPARE(m->confusion.n, std::int64_t(3));
        QCOMPARE(m->noMajority, std::int64_t(2));
        QVERIFY(near(m->agreement.po, 2.0 / 3.0));
        QCOMPARE(m->confusion.cells, (std::vector<std::int64_t>{1, 0, 0, 1, 0, 0, 0, 0, 1}));

        const QJsonObject facet = parseJson(measureAgreement(set, noBootstrap()))["facets"][0].toObject();
        const QJsonObject majority = facet["majority"][0].toObject();
        QCOMPARE(majority["rater"].toString(), QStringLiteral("judge:x"));
        QCOMPARE(majority["n"].toInt(), 3);
        QCOMPARE(majority["no_majority"].toInt(), 2);
        bool inPairs = false;
        for (const auto &value : facet["pairs"].toArray()) {
            const QJsonObject pair = value.toObject();
            inPairs |= pair["rater_a"].toString() == "majority" && pair["rater_b"].toString() == "judge:x" &&
                       pair["no_majority"].toInt() == 2;
        }
        QVERIFY(inPairs);
        // Every human is in the multi-rater statistics; Fleiss uses q1-q3 and q6 (all three).
        QCOMPARE(f.multi.raters, (std::vector<std::string>{"alice", "bob", "carol"}));
        QCOMPARE(f.multi.fleiss.units, std::int64_t(4));
        QCOMPARE(facet["multi"]["n"].toInt(), 4);
        QVERIFY(f.multi.alpha.alpha);
    }

    void majorityWithoutAnyMajorityIsListedWithNulls()
    {
        // Two humans who always disagree: no unit has a majority, so the judge's comparison has
        // n = 0 and every statistic is undefined, with a note.
        LabelSet set = withItems(2);
        addPreferences(set, "alice", RaterKind::Human, {"A", "B"});
        addPreferences(set, "bob", RaterKind::Human, {"B", "A"});
        addPreferences(set, "judge:x", RaterKind::Judge, {"A", "A"});
        const AgreementReport r = measureAgreement(set, noBootstrap());
        const PairAgreement *m = findPair(r.facets.front(), kMajority, "judge:x");
        QVERIFY(m);
        QCOMPARE(m->confusion.n, std::int64_t(0));
        QCOMPARE(m->noMajority, std::int64_t(2));
        QVERIFY(!m->kappa.kappa);
        QVERIFY(m->note.find("no unit labelled by both raters") != std::string::npos);
        QCOMPARE(r.facets.front().headlines.size(), std::size_t(1));
        QVERIFY(!r.facets.front().headlines.front().reading);

        const QJsonObject majority = parseJson(r)["facets"][0]["majority"][0].toObject();
        QVERIFY(majority["kappa"].isNull());
        QVERIFY(majority["percent_agreement"].isNull());
        QVERIFY(majority["note"].isString());
        const QJsonObject headline = parseJson(r)["facets"][0]["headline"][0].toObject();
        QVERIFY(headline["reading"].isNull());
        QVERIFY(headline["note"].toString().contains("judge kappa"));
    }

    void faithfulPoolsBothAnswersOfAnItem()
    {
        // Units are answers: q1/A F,F; q1/B U,U; q2/A F,U; q2/B F,F. n = 4, agreement 3/4,
        // confusion [[2,1],[0,1]]; margins alice 3,1, bob 2,2: pe = (6+2)/16, kappa = 0.25/0.5.
        LabelSet set = withItems(2);
        auto faithful = [&](const char *rater, const char *itemId, Slot slot, std::string_view value) {
            QVERIFY(set.add(rater, RaterKind::Human, itemId, Facet::Faithful, slot, value));
        };
        faithful("alice", "q1", Slot::A, kFaithful);
        faithful("bob", "q1", Slot::A, kFaithful);
        faithful("alice", "q1", Slot::B, kUnfaithful);
        faithful("bob", "q1", Slot::B, kUnfaithful);
        faithful("alice", "q2", Slot::A, kFaithful);
        faithful("bob", "q2", Slot::A, kUnfaithful);
        faithful("alice", "q2", Slot::B, kFaithful);
        faithful("bob", "q2", Slot::B, kFaithful);
        AgreementOptions options = noBootstrap();
        options.facets = {Facet::Faithful};
        const AgreementReport r = measureAgreement(set, options);
        QCOMPARE(r.facets.size(), std::size_t(1));
        const FacetAgreement &f = r.facets.front();
        QCOMPARE(f.units, std::int64_t(4));
        const PairAgreement &p = f.pairs.front();
        QCOMPARE(p.confusion.cells, (std::vector<std::int64_t>{2, 1, 0, 1}));
        QVERIFY(near(p.kappa.kappa, 0.5));
        QVERIFY(!p.withoutTies);
        const QJsonObject facet = parseJson(r)["facets"][0].toObject();
        QCOMPARE(facet["facet"].toString(), QStringLiteral("faithful"));
        QCOMPARE(facet["unit"].toString(), QStringLiteral("answer"));
        QCOMPARE(facet["pairs"][0]["confusion"]["labels"].toArray(), (QJsonArray{"faithful", "unfaithful"}));
        QCOMPARE(facet["pairs"][0]["confusion"]["matrix"].toArray(),
                 (QJsonArray{QJsonArray{2, 1}, QJsonArray{0, 1}}));
    }

    void aLabelAddedTwiceCountsOnceTheLastOne()
    {
        LabelSet set = withItems(2);
        addPreferences(set, "alice", RaterKind::Human, {"A", "B"});
        addPreferences(set, "alice", RaterKind::Human, {"B", ""}); // q1 revised to B
        addPreferences(set, "bob", RaterKind::Human, {"B", "B"});
        const PairAgreement &p = measureAgreement(set, noBootstrap()).facets.front().pairs.front();
        QCOMPARE(p.confusion.n, std::int64_t(2));
        QVERIFY(near(p.agreement.po, 1.0));
    }

    void everyRaterIsComparedWithGold()
    {
        LabelSet set = withItems(4);
        addPreferences(set, "alice", RaterKind::Human, {"A", "B", "A", "tie"});
        addPreferences(set, "judge:x", RaterKind::Judge, {"A", "B", "B", "tie"});
        addPreferences(set, "key", RaterKind::Gold, {"A", "B", "A", ""});
        const FacetAgreement f = measureAgreement(set, noBootstrap()).facets.front();
        const PairAgreement *human = findPair(f, "alice", "key");
        const PairAgreement *judge = findPair(f, "judge:x", "key");
        QVERIFY(human && judge);
        QCOMPARE(spelled(human->comparison), std::string("rater_gold"));
        QCOMPARE(human->confusion.n, std::int64_t(3));
        QVERIFY(near(human->agreement.po, 1.0));
        QVERIFY(near(judge->agreement.po, 2.0 / 3.0));
        // Gold is neither a human nor a judge.
        QCOMPARE(f.multi.raters, std::vector<std::string>{"alice"});
        QVERIFY(!findPair(f, "key", "alice"));
        QCOMPARE(f.pairs.back().raterB, std::string("key"));
        // Without gold labels there are no gold pairs.
        LabelSet noGold = withItems(1);
        addPreferences(noGold, "alice", RaterKind::Human, {"A"});
        addPreferences(noGold, "judge:x", RaterKind::Judge, {"A"});
        for (const PairAgreement &p : measureAgreement(noGold, noBootstrap()).facets.front().pairs)
            QVERIFY(p.comparison != Comparison::RaterGold);
    }

    void undefinedStatisticsAreNullWithANote()
    {
        // Both raters say A every time: kappa is 0/0, while AC1 and PABAK are 1.
        LabelSet set = withItems(3);
        addPreferences(set, "alice", RaterKind::Human, {"A", "A", "A"});
        addPreferences(set, "bob", RaterKind::Human, {"A", "A", "A"});
        AgreementOptions options;
        options.bootstrapResamples = 50;
        const AgreementReport r = measureAgreement(set, options);
        const PairAgreement &p = r.facets.front().pairs.front();
        QVERIFY(!p.kappa.kappa);
        QVERIFY(p.bootstrap && !p.bootstrap->ciLow);
        QVERIFY(near(p.ac1.ac1, 1.0));
        QVERIFY(near(p.pabak.pabak, 1.0));
        QCOMPARE(p.note,
                 std::string("kappa, bootstrap CI, without ties: both raters used one category only"));

        const std::string text = toJson(r);
        QVERIFY(text.find("nan") == std::string::npos && text.find("NaN") == std::string::npos);
        const QJsonObject pair = parseJson(r)["facets"][0]["pairs"][0].toObject();
        for (const char *key : {"kappa", "kappa_se", "kappa_ci95", "kappa_ci95_bootstrap"})
            QVERIFY2(pair[QLatin1String(key)].isNull(), key);
        QCOMPARE(pair["gwet_ac1"].toDouble(), 1.0);
        QVERIFY(pair["note"].toString().contains("both raters used one category only"));
        // A single human: no multi-rater statistics, and a note.
        LabelSet one = withItems(1);
        addPreferences(one, "alice", RaterKind::Human, {"A"});
        const QJsonObject multi =
            parseJson(measureAgreement(one, noBootstrap()))["facets"][0]["multi"].toObject();
        QVERIFY(multi["fleiss_kappa"].isNull());
        QVERIFY(multi["krippendorff_alpha"].isNull());
        QCOMPARE(multi["note"].toString(), QStringLiteral("fewer than two human raters labelled this facet"));
    }

    void bootstrapOffIsNullAndSameSeedSameReport()
    {
        LabelSet set = withItems(10);
        addPreferences(set, "alice", RaterKind::Human,
                       {"A", "A", "A", "A", "B", "B", "B", "B", "tie", "tie"});
        addPreferences(set, "bob", RaterKind::Human, {"A", "A", "A", "B", "B", "B", "B", "tie", "A", "tie"});
        const QJsonObject off =
            parseJson(measureAgreement(set, noBootstrap()))["facets"][0]["pairs"][0].toObject();
        QVERIFY(off.contains("kappa_ci95_bootstrap"));
        QVERIFY(off["kappa_ci95_bootstrap"].isNull());
        QCOMPARE(off["note"].toString(), QStringLiteral("bootstrap CI: off (0 resamples requested)"));

        AgreementOptions options;
        options.seed = 7;
        const std::string first = toJson(measureAgreement(set, options));
        QCOMPARE(toJson(measureAgreement(set, options)), first);
        const QJsonArray ci = QJsonDocument::fromJson(QByteArray::fromStdString(
            first))["facets"][0]["pairs"][0]["kappa_ci95_bootstrap"]
                                  .toArray();
        QCOMPARE(ci.size(), 2);
        QVERIFY(ci[0].toDouble() < 0.53125 && ci[1].toDouble() > 0.53125);
        options.seed = 8;
        QVERIFY(toJson(measureAgreement(set, options)) != first);
    }

    void headlineReadsTheJudgeAgainstTheHumans_data()
    {
        QTest::addColumn<QStringList>("judge");
        QTest::addColumn<int>("resamples");
        QTest::addColumn<int>("reading");
        // Humans agree perfectly over A, B and tie (kappa 1).
        const QStringList same{"A", "B", "tie", "A", "B", "tie", "A", "B"};
        const QStringList worse{"A", "tie", "B", "B", "A", "tie", "tie", "B"};
        QTest::newRow("judge agrees perfectly too, bootstrap") << same << 1000 << int(Reading::AboutAsWell);
        QTest::newRow("judge agrees less, bootstrap") << worse << 1000 << int(Reading::Less);
        // Without the bootstrap there is no CI for the difference, and so no reading.
        QTest::newRow("judge agrees perfectly too, no bootstrap") << same << 0 << -1;
        QTest::newRow("judge agrees less, no bootstrap") << worse << 0 << -1;
    }

    void headlineReadsTheJudgeAgainstTheHumans()
    {
        QFETCH(QStringList, judge);
        QFETCH(int, resamples);
        QFETCH(int, reading);
        LabelSet set = withItems(8);
        const std::vector<std::string> humans = {"A", "B", "tie", "A", "B", "tie", "A", "B"};
        addPreferences(set, "alice", RaterKind::Human, humans);
        addPreferences(set, "bob", RaterKind::Human, humans);
        std::vector<std::string> judgeLabels;
        for (const QString &v : judge)
            judgeLabels.push_back(v.toStdString());
        addPreferences(set, "judge:x", RaterKind::Judge, judgeLabels);
        AgreementOptions options;
        options.bootstrapResamples = resamples;
        const AgreementReport r = measureAgreement(set, options);
        const Headline &h = r.facets.front().headlines.front();
        QCOMPARE(h.judge, std::string("judge:x"));
        QVERIFY(near(h.humanKappaMean, 1.0));
        QCOMPARE(h.humanPairs, 1);
        QCOMPARE(h.judgeHumanPairs, 2);
        QVERIFY(h.judgeHumanKappaMean);
        QVERIFY(near(h.difference, *h.judgeHumanKappaMean - 1.0));
        const QJsonObject json = parseJson(r)["facets"][0]["headline"][0].toObject();
        if (reading < 0) {
            QVERIFY(!h.reading);
            QVERIFY(json["reading"].isNull());
            QVERIFY2(h.note.find("reading: needs the difference's bootstrap CI") != std::string::npos,
                     h.note.c_str());
        } else {
            QVERIFY(h.reading);
            QCOMPARE(int(*h.reading), reading);
            QCOMPARE(json["reading"].toString().toStdString(), std::string(toString(Reading(reading))));
        }
        if (resamples > 0) {
            // Humans who always agree agree in every resample.
            QCOMPARE(json["human_kappa_ci95"].toArray(), (QJsonArray{1.0, 1.0}));
            QCOMPARE(json["kappa_difference_ci95"].toArray().size(), 2);
            if (reading == int(Reading::Less))
                QVERIFY(*h.differenceCiHigh < 0);
        } else {
            QVERIFY(json["human_kappa_ci95"].isNull());
            QVERIFY(json["kappa_difference_ci95"].isNull());
            QVERIFY(json["note"].toString().contains(QStringLiteral("joint bootstrap: bootstrap off")));
        }
    }

    void headlineHumanCiIsABootstrapOfTheMeanOverUnits()
    {
        // Three humans and a judge over 240 items, labels drawn at random with some agreement.
        // The headline's CI of the mean human-human kappa must match a plain bootstrap that
        // resamples item indices (drawn here independently, with many more resamples), and the
        // difference's CI must be that of the judge's mean kappa with each human minus the human mean.
        constexpr int kItems = 240;
        LabelSet set = withItems(kItems);
        std::mt19937_64 gen(11);
        const char *values[] = {"A", "B", "tie"};
        std::vector<std::array<int, 4>> labels(kItems);
        for (auto &unit : labels) {
            const int truth = static_cast<int>(gen() % 3);
            for (int &v : unit)
                v = gen() % 10 < 6 ? truth : static_cast<int>(gen() % 3);
        }
        const char *names[] = {"alice", "bob", "carol", "judge:x"};
        for (int r = 0; r < 4; ++r) {
            std::vector<std::string> column;
            for (const auto &unit : labels)
                column.emplace_back(values[unit[static_cast<std::size_t>(r)]]);
            addPreferences(set, names[r], r < 3 ? RaterKind::Human : RaterKind::Judge, column);
        }
        AgreementOptions options;
        options.facets = {Facet::Preference};
        options.bootstrapResamples = 2000;
        const Headline h = measureAgreement(set, options).facets.front().headlines.front();
        QCOMPARE(h.humanPairs, 3);
        QVERIFY(h.humanCiLow && h.humanCiHigh && h.differenceCiLow && h.differenceCiHigh);
        QVERIFY(*h.humanCiLow < *h.humanKappaMean && *h.humanKappaMean < *h.humanCiHigh);
        QVERIFY(*h.differenceCiLow < *h.difference && *h.difference < *h.differenceCiHigh);

        auto kappa = [](const std::vector<int> &a, const std::vector<int> &b) {
            return *cohenKappa(a, b, 3).kappa;
        };
        std::vector<double> means, differences;
        std::uniform_int_distribution<int> pick(0, kItems - 1);
        for (int b = 0; b < 8000; ++b) {
            std::array<std::vector<int>, 4> column;
            for (int i = 0; i < kItems; ++i) {
                const auto &unit = labels[static_cast<std::size_t>(pick(gen))];
                for (std::size_t r = 0; r < 4; ++r)
                    column[r].push_back(unit[r]);
            }
            const double mean =
                (kappa(column[0], column[1]) + kappa(column[0], column[2]) + kappa(column[1], column[2])) / 3;
            const double judgeMean =
                (kappa(column[3], column[0]) + kappa(column[3], column[1]) + kappa(column[3], column[2])) / 3;
            means.push_back(mean);
            differences.push_back(judgeMean - mean);
        }
        std::sort(means.begin(), means.end());
        std::sort(differences.begin(), differences.end());
        // Monte Carlo error of a 2.5% quantile with 2,000 and 8,000 resamples: well under 0.02.
        QVERIFY2(std::abs(*h.humanCiLow - quantileType7(means, 0.025)) < 0.02, "human CI low");
        QVERIFY2(std::abs(*h.humanCiHigh - quantileType7(means, 0.975)) < 0.02, "human CI high");
        QVERIFY2(std::abs(*h.differenceCiLow - quantileType7(differences, 0.025)) < 0.025,
                 "difference CI low");
        QVERIFY2(std::abs(*h.differenceCiHigh - quantileType7(differences, 0.975)) < 0.025,
                 "difference CI high");
        // Not the old summary (the mean of the pairs' asymptotic bounds).
        const FacetAgreement f = measureAgreement(set, options).facets.front();
        double low = 0;
        for (const PairAgreement &p : f.pairs)
            if (p.comparison == Comparison::HumanHuman)
                low += *p.kappa.ciLow / 3;
        QVERIFY(std::abs(*h.humanCiLow - low) > 1e-6);
    }

    void groupsByEvidenceBucket()
    {
        LabelSet set;
        (void)set.addItem(item("q1", 0.1));
        (void)set.addItem(item("q2", 0.3));
        (void)set.addItem(item("q3", 0.25));
        (void)set.addItem(item("q4", 1.0));
        (void)set.addItem(item("q5"));
        (void)set.addItem(item("q6", 0.6)); // nobody labels it: no "[0.5,0.75)" group
        addPreferences(set, "alice", RaterKind::Human, {"A", "B", "A", "tie", "B"});
        addPreferences(set, "bob", RaterKind::Human, {"A", "B", "B", "tie", "A"});
        AgreementOptions options = noBootstrap();
        options.groupBy = Grouping::EvidenceBucket;
        options.facets = {Facet::Preference};
        const AgreementReport r = measureAgreement(set, options);
        QCOMPARE(r.facets.front().pairs.front().confusion.n, std::int64_t(5));
        std::vector<std::string> names;
        for (const GroupAgreement &g : r.groups)
            names.push_back(g.value);
        QCOMPARE(names, (std::vector<std::string>{"[0,0.25)", "[0.25,0.5)", "[0.75,1]", "none"}));
        QCOMPARE(r.groups[1].facets.front().pairs.front().confusion.n, std::int64_t(2)); // q2, q3
        QVERIFY(near(r.groups[1].facets.front().pairs.front().agreement.po, 0.5));
        QCOMPARE(r.groups[3].facets.front().pairs.front().confusion.n, std::int64_t(1)); // q5

        const QJsonObject json = parseJson(r);
        QCOMPARE(json["group_by"].toString(), QStringLiteral("evidence_bucket"));
        const QJsonObject groups = json["groups"].toObject();
        QCOMPARE(groups.size(), 4);
        QCOMPARE(groups["[0.25,0.5)"]["facets"][0]["pairs"][0]["n"].toInt(), 2);
        QVERIFY(!parseJson(measureAgreement(set, noBootstrap())).contains("groups"));
    }

    void groupNames_data()
    {
        QTest::addColumn<double>("position");
        QTest::addColumn<QString>("bucket");
        QTest::newRow("0") << 0.0 << "[0,0.25)";
        QTest::newRow("just below a quarter") << 0.2499 << "[0,0.25)";
        QTest::newRow("a quarter") << 0.25 << "[0.25,0.5)";
        QTest::newRow("a half") << 0.5 << "[0.5,0.75)";
        QTest::newRow("three quarters") << 0.75 << "[0.75,1]";
        QTest::newRow("1") << 1.0 << "[0.75,1]";
    }

    void groupNames()
    {
        QFETCH(double, position);
        QFETCH(QString, bucket);
        QCOMPARE(evidenceBucket(position), bucket.toStdString());
        QCOMPARE(evidenceBucket(std::nullopt), std::string("none"));
        const ItemAttributes i = item("q", position, QuestionType::Inference);
        QCOMPARE(groupOf(i, Grouping::System), std::string("careful-v1 vs quick-v0"));
        QCOMPARE(groupOf(i, Grouping::QuestionType), std::string("inference"));
        QCOMPARE(groupOf(i, Grouping::EvidenceBucket), bucket.toStdString());
        QVERIFY(parseGrouping("evidence_bucket") == Grouping::EvidenceBucket);
        QVERIFY(!parseGrouping("document"));
    }

    void groupsBySystemPairAndQuestionTypeInVocabularyOrder()
    {
        LabelSet set;
        (void)set.addItem(item("q1", std::nullopt, QuestionType::NoInfo, "quick-v0", "careful-v1"));
        (void)set.addItem(item("q2", std::nullopt, QuestionType::FactRecall, "careful-v1", "quick-v0"));
        addPreferences(set, "alice", RaterKind::Human, {"A", "B"});
        addPreferences(set, "bob", RaterKind::Human, {"A", "B"});
        AgreementOptions options = noBootstrap();
        options.groupBy = Grouping::System;
        AgreementReport r = measureAgreement(set, options);
        QCOMPARE(r.groups.size(), std::size_t(2));
        QCOMPARE(r.groups[0].value, std::string("careful-v1 vs quick-v0"));
        QCOMPARE(r.groups[1].value, std::string("quick-v0 vs careful-v1"));
        options.groupBy = Grouping::QuestionType;
        r = measureAgreement(set, options);
        QCOMPARE(r.groups[0].value, std::string("fact_recall"));
        QCOMPARE(r.groups[1].value, std::string("no_info"));
    }

    void labelSetRejectsWhatIsNotALabel()
    {
        LabelSet set = withItems(1);
        QVERIFY(!set.add("alice", RaterKind::Human, "q9", Facet::Preference, std::nullopt, "A"));
        QVERIFY(!set.add("alice", RaterKind::Human, "q1", Facet::Preference, std::nullopt, "C"));
        QVERIFY(!set.add("alice", RaterKind::Human, "q1", Facet::Preference, Slot::A, "A"));
        QVERIFY(!set.add("alice", RaterKind::Human, "q1", Facet::Faithful, std::nullopt, kFaithful));
        QVERIFY(set.add("alice", RaterKind::Human, "q1", Facet::Faithful, Slot::B, kFaithful));
        const Status kind = set.add("alice", RaterKind::Judge, "q1", Facet::Preference, std::nullopt, "A");
        QVERIFY(!kind);
        QCOMPARE(kind.error().message, std::string("rater \"alice\" is a human, not a judge"));
        QVERIFY(!set.addItem(item("q1")));
        QVERIFY(!set.add(CurrentLabel{0, 5, Facet::Preference, std::nullopt, 0}));
        QVERIFY(!set.add(CurrentLabel{0, 0, Facet::NoInfo, Slot::A, 4}));
        QCOMPARE(set.labels().size(), std::size_t(1));
    }

    void textTableNamesPairsAndHeadline()
    {
        LabelSet set = withItems(8);
        const std::vector<std::string> humans = {"A", "B", "tie", "A", "B", "tie", "A", "B"};
        addPreferences(set, "alice", RaterKind::Human, humans);
        addPreferences(set, "bob", RaterKind::Human, humans);
        addPreferences(set, "judge:x", RaterKind::Judge, {"A", "tie", "B", "B", "A", "tie", "tie", "B"});
        AgreementOptions options = noBootstrap();
        options.facets = {Facet::Preference};
        const std::string text = toText(measureAgreement(set, options));
        for (const char *expected :
             {"preference (one unit per item, 8 labelled)", "alice", "judge:x", "majority", "100.0%",
              "1.00 [1.00, 1.00]", "headline for judge:x", "judge-human mean - human mean",
              "cannot compare: ", "reading: needs the difference's bootstrap CI", "bootstrap CI off"})
            QVERIFY2(text.find(expected) != std::string::npos, expected);
        QVERIFY(text.find("nan") == std::string::npos);
        options.bootstrapResamples = 500;
        const std::string withBootstrap = toText(measureAgreement(set, options));
        QVERIFY2(withBootstrap.find("judge agrees with humans less than humans agree with each other") !=
                     std::string::npos,
                 withBootstrap.c_str());
    }

    void headlineReadingIsNotFlatteredByTheMajority()
    {
        // Two humans and a judge, each right with probability 0.75 about a hidden truth: the
        // judge is interchangeable with either human. The majority of two humans exists only
        // where they agree (the easy units), so the judge's kappa against it is well above the
        // human-human kappa; the reading must not call the judge better for that.
        constexpr int kItems = 600;
        LabelSet set = withItems(kItems);
        std::mt19937_64 gen(5);
        const char *values[] = {"A", "B", "tie"};
        std::array<std::vector<std::string>, 3> columns;
        for (int i = 0; i < kItems; ++i) {
            const int truth = static_cast<int>(gen() % 4 == 3 ? 2 : gen() % 2);
            for (auto &column : columns)
                column.emplace_back(values[gen() % 4 != 0 ? truth : static_cast<int>(gen() % 3)]);
        }
        addPreferences(set, "alice", RaterKind::Human, columns[0]);
        addPreferences(set, "bob", RaterKind::Human, columns[1]);
        addPreferences(set, "judge:x", RaterKind::Judge, columns[2]);
        AgreementOptions options;
        options.facets = {Facet::Preference};
        const Headline h = measureAgreement(set, options).facets.front().headlines.front();
        QVERIFY(h.kappa && h.humanKappaMean && h.judgeHumanKappaMean && h.reading);
        QVERIFY2(*h.kappa > *h.humanKappaMean + 0.1, "the majority flatters the judge in this data");
        QCOMPARE(int(*h.reading), int(Reading::AboutAsWell));
        QVERIFY(near(h.difference, *h.judgeHumanKappaMean - *h.humanKappaMean));
    }
};

QTEST_APPLESS_MAIN(AgreementReportTest)
#include "agreementreport_test.moc"
