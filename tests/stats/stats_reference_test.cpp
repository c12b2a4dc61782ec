// Concord's agreement statistics against reference implementations, on the seeded random data in
// fixtures/reference.json: sklearn cohen_kappa_score; statsmodels cohens_kappa (kappa, std_kappa,
// std_kappa0, CI) and fleiss_kappa; kappa's SEs, Krippendorff's alpha, Gwet's AC1 and PABAK in
// exact rational arithmetic; and the bootstrap CI against an independent Python version of its
// procedure.
// Regenerate with `/usr/bin/python3 tests/stats/fixtures/make_fixtures.py`.
#include "agreement.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

using namespace concord::model;

using OptDouble = std::optional<double>;

namespace QTest {
template <> inline char *toString(const std::optional<double> &v)
{
    return v ? qstrdup(QByteArray::number(*v, 'g', 17).constData()) : qstrdup("std::nullopt");
}
} // namespace QTest

namespace {

constexpr double kTol = 1e-9;
/// Against values computed in exact rational arithmetic.
constexpr double kExactTol = 1e-12;
/// What statsmodels returns for a standard error that is exactly 0 is below this.
constexpr double kRoundingNoise = 1e-8;

const QString kFixture = QStringLiteral(CONCORD_SOURCE_DIR "/tests/stats/fixtures/reference.json");

/// JSON null is an undefined statistic.
OptDouble optional(const QJsonValue &v) { return v.isNull() ? OptDouble() : OptDouble(v.toDouble()); }

std::vector<int> labels(const QJsonArray &a)
{
    std::vector<int> out;
    out.reserve(static_cast<std::size_t>(a.size()));
    for (const auto &v : a)
        out.push_back(v.toInt());
    return out;
}

bool nearWithin(const OptDouble &got, const OptDouble &want, double tolerance)
{
    if (!got || !want)
        return !got && !want;
    return std::abs(*got - *want) <= tolerance;
}

bool near(const OptDouble &got, const OptDouble &want) { return nearWithin(got, want, kTol); }

QByteArray describe(const char *what, const OptDouble &got, const OptDouble &want)
{
    char *g = QTest::toString(got);
    char *w = QTest::toString(want);
    QByteArray s = QByteArray(what) + ": got " + g + ", want " + w;
    delete[] g;
    delete[] w;
    return s;
}

} // namespace

#define COMPARE_REF(what, got, want)                                                                         \
    QVERIFY2(near((got), (want)), describe((what), (got), (want)).constData())

class StatsReferenceTest : public QObject
{
    Q_OBJECT

private slots:
    void matchesReferenceImplementations_data()
    {
        QFile file(kFixture);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(kFixture));
        QJsonParseError error;
        const auto doc = QJsonDocument::fromJson(file.readAll(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        const auto datasets = doc.object().value(QStringLiteral("datasets")).toArray();
        QVERIFY(datasets.size() >= 20);

        QTest::addColumn<QJsonObject>("dataset");
        for (const auto &d : datasets) {
            const auto o = d.toObject();
            QTest::newRow(qPrintable(o.value(QStringLiteral("name")).toString())) << o;
        }
    }

    void matchesReferenceImplementations()
    {
        QFETCH(QJsonObject, dataset);
        const int k = dataset.value(QStringLiteral("k")).toInt();
        LabelMatrix ratings;
        for (const auto &r : dataset.value(QStringLiteral("ratings")).toArray())
            ratings.push_back(labels(r.toArray()));
        QVERIFY(ratings.size() >= 2);

        const auto cohen = dataset.value(QStringLiteral("cohen")).toObject();
        const auto m = confusion(ratings[0], ratings[1], k);
        QVERIFY(m.note.empty());
        QCOMPARE(m.n, cohen.value(QStringLiteral("n")).toInteger());
        const auto table = cohen.value(QStringLiteral("table")).toArray();
        for (int i = 0; i < k; ++i) {
            for (int j = 0; j < k; ++j)
                QCOMPARE(m.at(i, j), table.at(i).toArray().at(j).toInteger());
        }

        const auto c = cohenKappa(m);
        const auto field = [&](const char *key) { return optional(cohen.value(QLatin1String(key))); };
        COMPARE_REF("sklearn kappa", c.kappa, field("sklearn_kappa"));
        COMPARE_REF("statsmodels kappa", c.kappa, field("kappa"));
        // The SEs against the formulas in exact arithmetic; then against statsmodels, which agrees
        // except where the exact variance is 0: there its value is rounding noise, or NaN (null).
        QVERIFY2(nearWithin(c.se, field("se_exact"), kExactTol),
                 describe("exact se", c.se, field("se_exact")));
        QVERIFY2(nearWithin(c.se0, field("se0_exact"), kExactTol),
                 describe("exact se0", c.se0, field("se0_exact")));
        const auto statsmodelsSe = [&](const char *what, const OptDouble &got, const char *key,
                                       const char *exactKey) {
            if (field(exactKey) == OptDouble(0.0)) {
                QCOMPARE(got, OptDouble(0.0));
                QVERIFY2(!field(key) || std::abs(*field(key)) < kRoundingNoise,
                         describe(what, got, field(key)));
            } else {
                COMPARE_REF(what, got, field(key));
            }
        };
        statsmodelsSe("statsmodels std_kappa", c.se, "std_kappa", "se_exact");
        statsmodelsSe("statsmodels std_kappa0", c.se0, "std_kappa0", "se0_exact");
        if (field("se_exact") == OptDouble(0.0)) {
            QCOMPARE(c.ciLow, c.kappa);
            QCOMPARE(c.ciHigh, c.kappa);
        } else {
            COMPARE_REF("statsmodels kappa_low", c.ciLow, field("kappa_low"));
            COMPARE_REF("statsmodels kappa_upp", c.ciHigh, field("kappa_upp"));
        }
        COMPARE_REF("AC1", gwetAc1(m).ac1, field("ac1"));
        COMPARE_REF("PABAK", pabak(m).pabak, field("pabak"));

        const auto fleissRef = dataset.value(QStringLiteral("fleiss")).toObject();
        const auto f = fleissKappa(ratings, k);
        QCOMPARE(f.units, fleissRef.value(QStringLiteral("units")).toInteger());
        COMPARE_REF("statsmodels fleiss_kappa", f.kappa, optional(fleissRef.value(QStringLiteral("kappa"))));

        COMPARE_REF("Krippendorff alpha", krippendorffAlphaNominal(ratings, k).alpha,
                    optional(dataset.value(QStringLiteral("alpha"))));

        // The byte-per-label overloads are the same functions.
        CompactLabelMatrix compact;
        for (const auto &rater : ratings)
            compact.emplace_back(rater.begin(), rater.end());
        const auto fc = fleissKappa(compact, k);
        QCOMPARE(fc.kappa, f.kappa);
        QCOMPARE(fc.units, f.units);
        QCOMPARE(fc.unitsDropped, f.unitsDropped);
        QCOMPARE(krippendorffAlphaNominal(compact, k).alpha, krippendorffAlphaNominal(ratings, k).alpha);
    }

    void bootstrapMatchesIndependentImplementation_data()
    {
        QFile file(kFixture);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(kFixture));
        const auto cases =
            QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("bootstrap")).toArray();
        QVERIFY(!cases.isEmpty());

        QTest::addColumn<QJsonObject>("bootstrap");
        for (const auto &c : cases) {
            const auto o = c.toObject();
            QTest::newRow(qPrintable(o.value(QStringLiteral("name")).toString())) << o;
        }
    }

    void bootstrapMatchesIndependentImplementation()
    {
        QFETCH(QJsonObject, bootstrap);
        const auto value = [&](const char *key) { return bootstrap.value(QLatin1String(key)); };
        BootstrapOptions options;
        options.resamples = value("resamples").toInt();
        options.seed = static_cast<std::uint64_t>(value("seed").toInteger());
        options.level = value("level").toDouble();
        BootstrapCi r;
        if (bootstrap.contains(QStringLiteral("table"))) {
            std::vector<std::int64_t> cells;
            for (const auto &row : value("table").toArray())
                for (const auto &count : row.toArray())
                    cells.push_back(count.toInteger());
            r = bootstrapKappaCi(ConfusionMatrix::fromCounts(value("k").toInt(), std::move(cells)), options);
        } else {
            r = bootstrapKappaCi(labels(value("a").toArray()), labels(value("b").toArray()),
                                 value("k").toInt(), options);
        }
        QCOMPARE(r.used, value("used").toInt());
        QCOMPARE(r.skipped, value("skipped").toInt());
        COMPARE_REF("bootstrap ciLow", r.ciLow, optional(value("ciLow")));
        COMPARE_REF("bootstrap ciHigh", r.ciHigh, optional(value("ciHigh")));
    }
};

QTEST_APPLESS_MAIN(StatsReferenceTest)
#include "stats_reference_test.moc"
