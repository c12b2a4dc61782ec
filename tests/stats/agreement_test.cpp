// Agreement statistics on hand-checked textbook cases. Cross-checks against statsmodels and
// sklearn on random data live in stats_reference_test.cpp.
#include "agreement.h"

#include <QTest>

#include <cmath>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

using namespace concord::model;

using Labels = std::vector<int>;
using OptDouble = std::optional<double>;
using Counts = std::vector<std::vector<std::int64_t>>;

Q_DECLARE_METATYPE(OptDouble)
Q_DECLARE_METATYPE(Counts)
Q_DECLARE_METATYPE(LabelMatrix)

namespace QTest {
template <> inline char *toString(const std::optional<double> &v)
{
    return v ? qstrdup(QByteArray::number(*v, 'g', 17).constData()) : qstrdup("std::nullopt");
}
template <> inline char *toString(const std::string &s)
{
    return toPrettyCString(s.data(), static_cast<qsizetype>(s.size()));
}
} // namespace QTest

namespace {

constexpr double kTol = 1e-12;
constexpr int M = kMissing;

/// Both nullopt, or both values within `tol`.
bool near(const OptDouble &got, const OptDouble &want, double tol)
{
    if (!got || !want)
        return !got && !want;
    return std::abs(*got - *want) <= tol;
}

QByteArray describe(const OptDouble &got, const OptDouble &want)
{
    char *g = QTest::toString(got);
    char *w = QTest::toString(want);
    QByteArray s = QByteArray("got ") + g + ", want " + w;
    delete[] g;
    delete[] w;
    return s;
}

/// Two raters' labels whose confusion matrix is `table` (row = rater a, column = rater b).
std::pair<Labels, Labels> fromTable(const std::vector<std::vector<int>> &table)
{
    std::pair<Labels, Labels> ab;
    for (std::size_t i = 0; i < table.size(); ++i) {
        for (std::size_t j = 0; j < table[i].size(); ++j) {
            for (int c = 0; c < table[i][j]; ++c) {
                ab.first.push_back(static_cast<int>(i));
                ab.second.push_back(static_cast<int>(j));
            }
        }
    }
    return ab;
}

/// Fleiss' layout turned into a rater matrix: unit u gets counts[u][j] ratings of j, in order.
LabelMatrix ratersFromCounts(const Counts &counts)
{
    std::int64_t m = 0;
    for (const auto c : counts.front())
        m += c;
    LabelMatrix ratings(static_cast<std::size_t>(m));
    for (const auto &row : counts) {
        std::size_t r = 0;
        for (std::size_t j = 0; j < row.size(); ++j) {
            for (std::int64_t c = 0; c < row[j]; ++c)
                ratings[r++].push_back(static_cast<int>(j));
        }
    }
    return ratings;
}

// Fleiss (1971) kappa example as tabulated on Wikipedia ("Fleiss' kappa", worked example):
// 10 subjects, 14 raters, 5 categories; P̄ = 0.378, P̄e = 0.213, kappa = 0.210.
const Counts kWikipediaFleiss = {{0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0},
                                 {2, 2, 8, 1, 1},  {7, 7, 0, 0, 0}, {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2},
                                 {6, 5, 2, 1, 0},  {0, 2, 2, 3, 7}};

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers,
// 12 units, values 1..5 (here 0..4), missing values; nominal alpha = 0.743.
const LabelMatrix kKrippendorff2011 = {
    {0, 1, 2, 2, 1, 0, 3, 0, 1, M, M, M},
    {0, 1, 2, 2, 1, 1, 3, 0, 1, 4, M, 2},
    {M, 2, 2, 2, 1, 2, 3, 1, 1, 4, 0, M},
    {0, 1, 2, 2, 1, 3, 3, 0, 1, 4, 0, M},
};

} // namespace

#define COMPARE_NEAR(got, want, tol) QVERIFY2(near((got), (want), (tol)), describe((got), (want)).constData())

class AgreementTest : public QObject
{
    Q_OBJECT

private slots:
    void confusionCountsPairedUnitsOnly()
    {
        const auto m = confusion({0, 1, M, 1, 0, M}, {0, M, 1, 1, 1, M}, 2);
        QVERIFY(m.note.empty());
        QCOMPARE(m.n, 3);
        QCOMPARE(m.missing, 3);
        QCOMPARE(m.at(0, 0), 1);
        QCOMPARE(m.at(0, 1), 1);
        QCOMPARE(m.at(1, 0), 0);
        QCOMPARE(m.at(1, 1), 1);
        QCOMPARE(m.rowTotal(0), 2);
        QCOMPARE(m.colTotal(1), 2);
        QCOMPARE(m.agreements(), 2);
    }

    void cohenKappa_data()
    {
        QTest::addColumn<Labels>("a");
        QTest::addColumn<Labels>("b");
        QTest::addColumn<int>("k");
        QTest::addColumn<qint64>("n");
        QTest::addColumn<OptDouble>("po");
        QTest::addColumn<OptDouble>("pe");
        QTest::addColumn<OptDouble>("kappa");
        QTest::addColumn<std::string>("note");

        QTest::newRow("perfect agreement, two categories")
            << Labels{0, 1, 0, 1, 1} << Labels{0, 1, 0, 1, 1} << 2 << qint64(5) << OptDouble(1.0)
            << OptDouble(13.0 / 25) << OptDouble(1.0) << std::string();
        // po = 1/2, pe = 1/2·1/2 + 1/2·1/2 = 1/2.
        QTest::newRow("chance level") << Labels{0, 0, 1, 1} << Labels{0, 1, 0, 1} << 2 << qint64(4)
                                      << OptDouble(0.5) << OptDouble(0.5) << OptDouble(0.0) << std::string();
        // Perfect disagreement with balanced margins: po = 0, pe = 1/2, kappa = −1.
        QTest::newRow("perfect disagreement")
            << Labels{0, 1, 0, 1} << Labels{1, 0, 1, 0} << 2 << qint64(4) << OptDouble(0.0) << OptDouble(0.5)
            << OptDouble(-1.0) << std::string();
        // Units 1, 2, 5 are missing a label; pairs (0,0) (1,1) (0,1): po = 2/3, pe = 4/9,
        // kappa = (2/9)/(5/9) = 0.4.
        QTest::newRow("missing labels")
            << Labels{0, 1, M, 1, 0, M} << Labels{0, M, 1, 1, 1, 0} << 2 << qint64(3) << OptDouble(2.0 / 3)
            << OptDouble(4.0 / 9) << OptDouble(0.4) << std::string();
        // A category neither rater used changes nothing.
        QTest::newRow("unused category")
            << Labels{0, 0, 1, 1} << Labels{0, 1, 0, 1} << 4 << qint64(4) << OptDouble(0.5) << OptDouble(0.5)
            << OptDouble(0.0) << std::string();
        QTest::newRow("one category used by both")
            << Labels{2, 2, 2} << Labels{2, 2, 2} << 3 << qint64(3) << OptDouble(1.0) << OptDouble(1.0)
            << OptDouble() << std::string("both raters used one category only");
        QTest::newRow("no unit labelled by both")
            << Labels{0, M} << Labels{M, 1} << 2 << qint64(0) << OptDouble() << OptDouble() << OptDouble()
            << std::string("no unit labelled by both raters");
        QTest::newRow("no units at all")
            << Labels{} << Labels{} << 2 << qint64(0) << OptDouble() << OptDouble() << OptDouble()
            << std::string("no unit labelled by both raters");
        // Each rater used one category, but not the same one: pe = 0, kappa = po = 0.
        QTest::newRow("one category each, different")
            << Labels{0, 0, 0} << Labels{1, 1, 1} << 2 << qint64(3) << OptDouble(0.0) << OptDouble(0.0)
            << OptDouble(0.0) << std::string();
    }

    void cohenKappa()
    {
        QFETCH(Labels, a);
        QFETCH(Labels, b);
        QFETCH(int, k);
        QFETCH(qint64, n);
        QFETCH(OptDouble, po);
        QFETCH(OptDouble, pe);
        QFETCH(OptDouble, kappa);
        QFETCH(std::string, note);

        const auto r = concord::model::cohenKappa(a, b, k);
        QCOMPARE(r.n, n);
        COMPARE_NEAR(r.po, po, kTol);
        COMPARE_NEAR(r.pe, pe, kTol);
        COMPARE_NEAR(r.kappa, kappa, kTol);
        QCOMPARE(r.note, note);
        // The SE and CI exist exactly when kappa does.
        QCOMPARE(r.se.has_value(), kappa.has_value());
        QCOMPARE(r.se0.has_value(), kappa.has_value());
        QCOMPARE(r.ciLow.has_value(), kappa.has_value());
        QCOMPARE(r.ciHigh.has_value(), kappa.has_value());
    }

    void cohenKappaStandardErrorsMatchFleissCohenEveritt()
    {
        // Table [[20, 5], [10, 15]], n = 50: po = 0.7, pe = 0.5, kappa = 0.4. By hand from
        // Fleiss, Levin & Paik eq. 18.15: A = 0.10972, B = 0.10188, C = 0.01,
        // var = (A + B − C) / (0.25 · 50) = 0.016128; under H0 (eq. 18.11):
        // var0 = (0.5 + 0.25 − 0.51) / 12.5 = 0.0192. statsmodels gives the same
        // (std_kappa 0.12699606293110033, std_kappa0 0.13856406460551018).
        const auto [a, b] = fromTable({{20, 5}, {10, 15}});
        const auto r = concord::model::cohenKappa(a, b, 2);
        COMPARE_NEAR(r.kappa, OptDouble(0.4), kTol);
        COMPARE_NEAR(r.se, OptDouble(std::sqrt(0.016128)), kTol);
        COMPARE_NEAR(r.se0, OptDouble(std::sqrt(0.0192)), kTol);
        COMPARE_NEAR(r.ciLow, OptDouble(0.4 - kZ975 * std::sqrt(0.016128)), kTol);
        COMPARE_NEAR(r.ciHigh, OptDouble(0.4 + kZ975 * std::sqrt(0.016128)), kTol);
        COMPARE_NEAR(r.ciLow, OptDouble(0.151092290476661), 1e-12);
        COMPARE_NEAR(r.ciHigh, OptDouble(0.6489077095233389), 1e-12);
    }

    void perfectAgreementHasZeroStandardError()
    {
        const auto r = concord::model::cohenKappa({0, 1, 2, 0, 1, 2, 2}, {0, 1, 2, 0, 1, 2, 2}, 3);
        COMPARE_NEAR(r.kappa, OptDouble(1.0), kTol);
        // Exactly: the formula's value, not the rounding noise around it.
        QCOMPARE(r.se, OptDouble(0.0));
        QCOMPARE(r.ciLow, OptDouble(1.0));
        QCOMPARE(r.ciHigh, OptDouble(1.0));
        QVERIFY(r.se0 && *r.se0 > 0);
        QVERIFY(r.note.empty());
    }

    void oneRaterWithOneCategoryHasKappaZeroAndZeroStandardErrors_data()
    {
        QTest::addColumn<Counts>("table");
        // Floating point gives std_kappa0 = 2.5e-9, 1.3e-9 and 3.5e-9 here (so does statsmodels).
        QTest::newRow("rater b in column 0") << Counts{{3, 0}, {11, 0}};
        QTest::newRow("rater a in row 2, k = 3") << Counts{{0, 0, 0}, {0, 0, 0}, {10, 11, 4}};
        QTest::newRow("rater b in column 0, k = 3") << Counts{{10, 0, 0}, {11, 0, 0}, {4, 0, 0}};
        QTest::newRow("raters in different categories") << Counts{{0, 9}, {0, 0}};
    }

    void oneRaterWithOneCategoryHasKappaZeroAndZeroStandardErrors()
    {
        QFETCH(Counts, table);
        std::vector<std::int64_t> cells;
        for (const auto &row : table)
            cells.insert(cells.end(), row.begin(), row.end());
        const auto r = concord::model::cohenKappa(
            ConfusionMatrix::fromCounts(static_cast<int>(table.size()), std::move(cells)));
        QVERIFY2(r.note.empty(), r.note.c_str());
        QCOMPARE(r.kappa, OptDouble(0.0));
        QCOMPARE(r.se, OptDouble(0.0));
        QCOMPARE(r.se0, OptDouble(0.0));
        QCOMPARE(r.ciLow, OptDouble(0.0));
        QCOMPARE(r.ciHigh, OptDouble(0.0));
    }

    void kappaParadox_highAgreementLowKappaHighAc1()
    {
        // Feinstein & Cicchetti (1990) kappa paradox: table [[118, 5], [2, 0]], n = 125,
        // po = 118/125 = 0.944, pe = (123·120 + 2·5)/125² = 0.94528, kappa = −0.0234;
        // AC1: π = (0.972, 0.028), pe = 2·0.972·0.028 = 0.054432, AC1 = 0.9408; PABAK = 0.888.
        const auto [a, b] = fromTable({{118, 5}, {2, 0}});
        const auto k = concord::model::cohenKappa(a, b, 2);
        COMPARE_NEAR(k.po, OptDouble(0.944), kTol);
        COMPARE_NEAR(k.pe, OptDouble(0.94528), kTol);
        COMPARE_NEAR(k.kappa, OptDouble((0.944 - 0.94528) / (1 - 0.94528)), kTol);
        QVERIFY(*k.kappa < 0);
        const auto g = gwetAc1(a, b, 2);
        COMPARE_NEAR(g.pe, OptDouble(0.054432), kTol);
        COMPARE_NEAR(g.ac1, OptDouble((0.944 - 0.054432) / (1 - 0.054432)), kTol);
        QVERIFY(*g.ac1 > 0.94);
        COMPARE_NEAR(pabak(a, b, 2).pabak, OptDouble(0.888), kTol);
        COMPARE_NEAR(percentAgreement(a, b, 2).po, OptDouble(0.944), kTol);
    }

    void ac1AndPabak_data()
    {
        QTest::addColumn<Labels>("a");
        QTest::addColumn<Labels>("b");
        QTest::addColumn<int>("k");
        QTest::addColumn<OptDouble>("ac1");
        QTest::addColumn<OptDouble>("pabak");
        QTest::addColumn<std::string>("ac1Note");

        QTest::newRow("perfect agreement")
            << Labels{0, 1, 1} << Labels{0, 1, 1} << 2 << OptDouble(1.0) << OptDouble(1.0) << std::string();
        // π = (1/2, 1/2): pe = 1/2, AC1 = 0; PABAK = 2·0.5 − 1 = 0.
        QTest::newRow("chance level") << Labels{0, 0, 1, 1} << Labels{0, 1, 0, 1} << 2 << OptDouble(0.0)
                                      << OptDouble(0.0) << std::string();
        // Same data, k = 4: AC1 pe = (2·1/4)/3 = 1/6, AC1 = (1/2 − 1/6)/(5/6) = 0.4;
        // PABAK = (4·0.5 − 1)/3 = 1/3. Both depend on the vocabulary's size.
        QTest::newRow("chance level, k = 4") << Labels{0, 0, 1, 1} << Labels{0, 1, 0, 1} << 4
                                             << OptDouble(0.4) << OptDouble(1.0 / 3) << std::string();
        // Kappa is undefined here, AC1 and PABAK are 1.
        QTest::newRow("one category used by both")
            << Labels{2, 2, 2} << Labels{2, 2, 2} << 3 << OptDouble(1.0) << OptDouble(1.0) << std::string();
        QTest::newRow("single-category vocabulary")
            << Labels{0, 0} << Labels{0, 0} << 1 << OptDouble() << OptDouble()
            << std::string("AC1 needs at least two categories");
        QTest::newRow("no pairs") << Labels{0, M} << Labels{M, 0} << 2 << OptDouble() << OptDouble()
                                  << std::string("no unit labelled by both raters");
    }

    void ac1AndPabak()
    {
        QFETCH(Labels, a);
        QFETCH(Labels, b);
        QFETCH(int, k);
        QFETCH(OptDouble, ac1);
        QFETCH(OptDouble, pabak);
        QFETCH(std::string, ac1Note);

        const auto g = gwetAc1(a, b, k);
        COMPARE_NEAR(g.ac1, ac1, kTol);
        QCOMPARE(g.note, ac1Note);
        const auto p = concord::model::pabak(a, b, k);
        COMPARE_NEAR(p.pabak, pabak, kTol);
        QCOMPARE(p.note.empty(), pabak.has_value());
    }

    void fleissKappaWikipediaExample()
    {
        const auto r = fleissKappaFromCounts(kWikipediaFleiss);
        QVERIFY(r.note.empty());
        QCOMPARE(r.units, 10);
        QCOMPARE(r.raters, 14);
        COMPARE_NEAR(r.pBar, OptDouble(0.378), 5e-4);
        COMPARE_NEAR(r.pe, OptDouble(0.213), 5e-4);
        COMPARE_NEAR(r.kappa, OptDouble(0.210), 5e-4);
        // statsmodels fleiss_kappa on the same table.
        COMPARE_NEAR(r.kappa, OptDouble(0.20993070442195522), 1e-12);

        // The same ratings as a rater × unit matrix give the same kappa.
        const auto fromRatings = concord::model::fleissKappa(ratersFromCounts(kWikipediaFleiss), 5);
        COMPARE_NEAR(fromRatings.kappa, r.kappa, 1e-15);
        QCOMPARE(fromRatings.unitsDropped, 0);
    }

    void fleissKappa_data()
    {
        QTest::addColumn<LabelMatrix>("ratings");
        QTest::addColumn<int>("k");
        QTest::addColumn<qint64>("units");
        QTest::addColumn<qint64>("dropped");
        QTest::addColumn<OptDouble>("kappa");
        QTest::addColumn<std::string>("note");

        // Two raters, complete data: Fleiss' kappa is Scott's pi. Pairs (0,0) (1,1) (0,1) (1,1):
        // P_i = 1, 1, 0, 1 → P̄ = 3/4; p = (3/8, 5/8), P̄e = 17/32; kappa = (3/4 − 17/32)/(15/32) = 7/15.
        QTest::newRow("two raters") << LabelMatrix{{0, 1, 0, 1}, {0, 1, 1, 1}} << 2 << qint64(4) << qint64(0)
                                    << OptDouble(7.0 / 15) << std::string();
        // Unit 4 lacks rater 0's label. P_i: 1, 1, 1/3, 1 → P̄ = 5/6; p = (4/12, 8/12), P̄e = 5/9;
        // kappa = (5/6 − 5/9)/(4/9) = 5/8.
        QTest::newRow("incomplete unit dropped")
            << LabelMatrix{{0, 1, 0, 1, M}, {0, 1, 1, 1, 0}, {0, 1, 1, 1, 1}} << 2 << qint64(4) << qint64(1)
            << OptDouble(5.0 / 8) << std::string();
        QTest::newRow("every rating one category")
            << LabelMatrix{{1, 1}, {1, 1}, {1, 1}} << 3 << qint64(2) << qint64(0) << OptDouble()
            << std::string("every rating is in one category");
        QTest::newRow("no complete unit") << LabelMatrix{{0, M}, {M, 1}} << 2 << qint64(0) << qint64(2)
                                          << OptDouble() << std::string("no unit labelled by every rater");
        QTest::newRow("one rater") << LabelMatrix{{0, 1}} << 2 << qint64(0) << qint64(0) << OptDouble()
                                   << std::string("invalid input: Fleiss' kappa needs at least two raters");
    }

    void fleissKappa()
    {
        QFETCH(LabelMatrix, ratings);
        QFETCH(int, k);
        QFETCH(qint64, units);
        QFETCH(qint64, dropped);
        QFETCH(OptDouble, kappa);
        QFETCH(std::string, note);

        const auto r = concord::model::fleissKappa(ratings, k);
        QCOMPARE(r.units, units);
        QCOMPARE(r.unitsDropped, dropped);
        COMPARE_NEAR(r.kappa, kappa, kTol);
        QCOMPARE(r.note, note);
    }

    void krippendorffAlphaPaperExample()
    {
        const auto r = krippendorffAlphaNominal(kKrippendorff2011, 5);
        QVERIFY(r.note.empty());
        QCOMPARE(r.units, 11);          // unit 12 holds a single value
        QCOMPARE(r.pairableValues, 40); // n.. in the paper
        COMPARE_NEAR(r.alpha, OptDouble(0.743), 5e-4);
        // Exact: n_c = (9, 13, 10, 5, 3), Σ_{c≠k} o_ck = 8, Σ_{c≠k} n_c n_k = 40² − 384 = 1216,
        // alpha = 1 − 39·8/1216 = 113/152.
        COMPARE_NEAR(r.alpha, OptDouble(113.0 / 152), 1e-12);
        COMPARE_NEAR(r.observedDisagreement, OptDouble(8.0 / 40), 1e-12);
        COMPARE_NEAR(r.expectedDisagreement, OptDouble(1216.0 / (40 * 39)), 1e-12);
    }

    void krippendorffAlpha_data()
    {
        QTest::addColumn<LabelMatrix>("ratings");
        QTest::addColumn<int>("k");
        QTest::addColumn<qint64>("units");
        QTest::addColumn<OptDouble>("alpha");
        QTest::addColumn<std::string>("note");

        QTest::newRow("perfect agreement")
            << LabelMatrix{{0, 1, 2}, {0, 1, 2}} << 3 << qint64(3) << OptDouble(1.0) << std::string();
        // Two coders, units (0,0) (0,1) (1,1) (1,0): o_01 = o_10 = 2, n_c = (4, 4), n = 8;
        // alpha = 1 − 7·4/(2·16) = 1/8.
        QTest::newRow("two coders") << LabelMatrix{{0, 0, 1, 1}, {0, 1, 1, 0}} << 2 << qint64(4)
                                    << OptDouble(1.0 - 7.0 * 4 / 32) << std::string();
        QTest::newRow("lone values are not pairable")
            << LabelMatrix{{0, 0, 1, 1, 0}, {0, 1, 1, 0, M}} << 2 << qint64(4)
            << OptDouble(1.0 - 7.0 * 4 / 32) << std::string();
        QTest::newRow("one category everywhere")
            << LabelMatrix{{1, 1, M}, {1, 1, 1}} << 2 << qint64(2) << OptDouble()
            << std::string("every pairable label is in one category");
        QTest::newRow("nothing pairable") << LabelMatrix{{0, M}, {M, 1}} << 2 << qint64(0) << OptDouble()
                                          << std::string("no unit has two or more labels");
    }

    void krippendorffAlpha()
    {
        QFETCH(LabelMatrix, ratings);
        QFETCH(int, k);
        QFETCH(qint64, units);
        QFETCH(OptDouble, alpha);
        QFETCH(std::string, note);

        const auto r = krippendorffAlphaNominal(ratings, k);
        QCOMPARE(r.units, units);
        COMPARE_NEAR(r.alpha, alpha, kTol);
        QCOMPARE(r.note, note);
    }

    void invalidInputIsANoteNotACrash_data()
    {
        QTest::addColumn<Labels>("a");
        QTest::addColumn<Labels>("b");
        QTest::addColumn<int>("k");

        QTest::newRow("index too large") << Labels{0, 2} << Labels{0, 1} << 2;
        QTest::newRow("index below -1") << Labels{0, 1} << Labels{-2, 1} << 2;
        QTest::newRow("different lengths") << Labels{0, 1, 1} << Labels{0, 1} << 2;
        QTest::newRow("k = 0") << Labels{} << Labels{} << 0;
        QTest::newRow("k too large") << Labels{0} << Labels{0} << kMaxCategories + 1;
    }

    void invalidInputIsANoteNotACrash()
    {
        QFETCH(Labels, a);
        QFETCH(Labels, b);
        QFETCH(int, k);

        const auto isInvalid = [](const std::string &note) { return note.rfind("invalid input: ", 0) == 0; };
        QVERIFY(isInvalid(confusion(a, b, k).note));
        const auto c = concord::model::cohenKappa(a, b, k);
        QVERIFY2(isInvalid(c.note), c.note.c_str());
        QVERIFY(!c.po && !c.kappa && !c.se && c.n == 0);
        QVERIFY(isInvalid(percentAgreement(a, b, k).note));
        QVERIFY(isInvalid(gwetAc1(a, b, k).note));
        QVERIFY(isInvalid(pabak(a, b, k).note));
        QVERIFY(isInvalid(bootstrapKappaCi(a, b, k).note));
        QVERIFY(isInvalid(concord::model::fleissKappa({a, b}, k).note));
        QVERIFY(isInvalid(krippendorffAlphaNominal({a, b}, k).note));
    }

    void invalidCountsAreANote()
    {
        QVERIFY(!ConfusionMatrix::fromCounts(2, {1, 2, 3}).note.empty());
        QVERIFY(!ConfusionMatrix::fromCounts(2, {1, -2, 3, 4}).note.empty());
        QVERIFY(!fleissKappaFromCounts({{1, 2}, {2, 2}}).note.empty()); // unequal raters per unit
        QVERIFY(!fleissKappaFromCounts({{1, 0}, {0, 1}}).note.empty()); // one rater
        auto hand = ConfusionMatrix::fromCounts(2, {1, 2, 3, 4});
        QVERIFY(hand.note.empty());
        QCOMPARE(hand.n, 10);
        hand.n = 11; // inconsistent with its cells
        QVERIFY(!concord::model::cohenKappa(hand).note.empty());
    }

    void encodeLabelsMapsSpellingsToIndices()
    {
        const std::vector<std::string_view> categories = {"A", "B", "tie"};
        const auto ok = encodeLabels({"tie", std::nullopt, "A", "B"}, categories);
        QVERIFY(ok.ok());
        QCOMPARE(*ok, (Labels{2, M, 0, 1}));
        const auto bad = encodeLabels({"A", "C"}, categories);
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, Error::Code::InvalidInput);
        QCOMPARE(bad.error().message, std::string("unknown label \"C\" at unit 1; allowed: A, B, tie"));
    }

    void mt19937_64IsTheStandardsSequence()
    {
        // C++ standard [rand.predef]: the 10000th invocation of a default-constructed
        // mt19937_64 yields 9981545732273789042. The bootstrap's portability rests on it.
        std::mt19937_64 gen;
        gen.discard(9999);
        QCOMPARE(gen(), std::uint64_t(9981545732273789042ULL));
    }

    void bootstrapIsDeterministicGivenTheSeed()
    {
        const auto [a, b] = fromTable({{20, 5}, {10, 15}});
        const BootstrapOptions options{2000, 42, 0.95};
        const auto r1 = bootstrapKappaCi(a, b, 2, options);
        const auto r2 = bootstrapKappaCi(a, b, 2, options);
        QVERIFY2(r1.note.empty(), r1.note.c_str());
        QCOMPARE(r1.n, 50);
        QCOMPARE(r1.used, 2000);
        QCOMPARE(r1.skipped, 0);
        QCOMPARE(r1.ciLow, r2.ciLow);
        QCOMPARE(r1.ciHigh, r2.ciHigh);
        // Golden values: the same on every platform, since the generator's sequence and our
        // arithmetic from it to the resampled tables are both fixed. A change here means the
        // resampling changed.
        // make_fixtures.py's independent Python version of the procedure gives the same
        // (stats_reference_test checks it on more cases).
        COMPARE_NEAR(r1.ciLow, OptDouble(kGoldenLow), 1e-12);
        COMPARE_NEAR(r1.ciHigh, OptDouble(kGoldenHigh), 1e-12);
        // The asymptotic CI is [0.151, 0.649]; the bootstrap's should be close to it.
        QVERIFY(std::abs(*r1.ciLow - 0.151) < 0.05);
        QVERIFY(std::abs(*r1.ciHigh - 0.649) < 0.05);

        const auto other = bootstrapKappaCi(a, b, 2, {2000, 43, 0.95});
        QVERIFY(other.ciLow != r1.ciLow || other.ciHigh != r1.ciHigh);
    }

    void bootstrapSkipsAndCountsUndefinedResamples()
    {
        // Only unit 4 uses category 1: a resample without it has kappa undefined. The chance a
        // resample of 5 misses it is (4/5)^5 ≈ 0.33.
        const Labels a = {0, 0, 0, 0, 1};
        const auto r = bootstrapKappaCi(a, a, 2, {1000, 7, 0.95});
        QCOMPARE(r.used + r.skipped, 1000);
        QVERIFY(r.skipped > 250 && r.skipped < 400);
        QCOMPARE(r.skipped, kGoldenSkipped);
        QCOMPARE(r.note,
                 std::to_string(r.skipped) + " of 1000 resamples had an undefined kappa and were skipped");
        COMPARE_NEAR(r.ciLow, OptDouble(1.0), kTol);
        COMPARE_NEAR(r.ciHigh, OptDouble(1.0), kTol);
    }

    void bootstrapOfALargeTableIsCloseToTheAsymptoticCi()
    {
        // 200,000 units: the multinomial draw costs O(k²) per resample whatever n, and at this n
        // the percentile interval and the asymptotic one nearly coincide.
        const auto m =
            ConfusionMatrix::fromCounts(3, {44132, 11302, 11210, 11308, 44225, 11419, 11159, 11488, 43757});
        const auto r = bootstrapKappaCi(m, {2000, 3, 0.95});
        const auto c = concord::model::cohenKappa(m);
        QVERIFY2(r.note.empty(), r.note.c_str());
        QCOMPARE(r.used, 2000);
        COMPARE_NEAR(r.ciLow, c.ciLow, 3e-4);
        COMPARE_NEAR(r.ciHigh, c.ciHigh, 3e-4);
        // The table overload and the label overload are the same procedure.
        const auto [a, b] = fromTable({{20, 5}, {10, 15}});
        const auto byLabels = bootstrapKappaCi(a, b, 2, {500, 9, 0.9});
        const auto byTable = bootstrapKappaCi(confusion(a, b, 2), {500, 9, 0.9});
        QCOMPARE(byLabels.ciLow, byTable.ciLow);
        QCOMPARE(byLabels.ciHigh, byTable.ciHigh);
    }

    void bootstrapUndefinedCases()
    {
        QCOMPARE(bootstrapKappaCi({2, 2}, {2, 2}, 3).note, std::string("both raters used one category only"));
        QCOMPARE(bootstrapKappaCi({0, M}, {M, 1}, 2).note, std::string("no unit labelled by both raters"));
        // Two units (0,0) and (1,1): a resample is defined only when it draws both (p = 1/2).
        const auto one = bootstrapKappaCi({0, 1}, {0, 1}, 2, {1, 1, 0.95});
        QVERIFY(!one.ciLow && !one.ciHigh);
        QCOMPARE(one.note, std::string("fewer than two resamples had a defined kappa"));
        QVERIFY(bootstrapKappaCi({0, 1}, {0, 1}, 2, {0, 1, 0.95}).note.rfind("invalid input: ", 0) == 0);
        QVERIFY(bootstrapKappaCi({0, 1}, {0, 1}, 2, {10, 1, 1.0}).note.rfind("invalid input: ", 0) == 0);
    }

private:
    static constexpr double kGoldenLow = 0.1419353582653945;
    static constexpr double kGoldenHigh = 0.6365105008077543;
    static constexpr int kGoldenSkipped = 338;
};

QTEST_APPLESS_MAIN(AgreementTest)
#include "agreement_test.moc"
