// `concord agreement` run as a user runs it, on a small project whose numbers are worked out by
// hand below: the JSON shape docs/agreement.md promises, current labels only, --facet, --by,
// --bootstrap 0 and reproducibility for a seed.
#include "agreement_cli_test.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

namespace {

const QString kConcord = QStringLiteral(CONCORD_BINARY_DIR "/app/concord");

struct Run
{
    int code = -1;
    QByteArray out;
    QString err;
};

Run concord(const QStringList &args)
{
    QProcess p;
    p.start(kConcord, args);
    p.waitForFinished(120000);
    Run r;
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QJsonObject json(const Run &r)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("not JSON (%s): %s", qPrintable(error.errorString()), r.out.left(300).constData());
    return doc.object();
}

QJsonObject facetNamed(const QJsonObject &report, const QString &name)
{
    for (const auto &f : report["facets"].toArray())
        if (f.toObject()["facet"].toString() == name)
            return f.toObject();
    return {};
}

QJsonObject pairOf(const QJsonObject &facet, const QString &a, const QString &b)
{
    for (const auto &p : facet["pairs"].toArray())
        if (p.toObject()["rater_a"].toString() == a && p.toObject()["rater_b"].toString() == b)
            return p.toObject();
    return {};
}

// Six items. Preference, by item q1..q6 (alice's q1 was B, then revised to A):
//   alice  A  B  A  tie  B  A
//   bob    A  B  B  tie  B  A
//   judge  A  A  B  tie  B  B
// alice/bob: 5 of 6 agree; confusion (rows alice) [[2,1,0],[0,2,0],[0,0,1]]; without ties n = 5, 4 agree.
// Human majority (two humans: where they agree): q1 A, q2 B, q4 tie, q5 B, q6 A; q3 has none.
// Judge against it: n = 5, no_majority = 1, 3 agree (q1, q4, q5).
// Evidence positions 0.1, 0.2, 0.4, 0.8, none, 0.9: buckets [0,0.25) ×2, [0.25,0.5), [0.75,1] ×2, none.
// Faithful: all 12 answers by alice and bob; the judge withdrew its verdict on q6/B (null), so 11.
const char *kProject = R"({"kind":"rater","id":"alice","rater_kind":"human"}
{"kind":"rater","id":"bob","rater_kind":"human"}
{"kind":"rater","id":"judge:j","rater_kind":"judge","config":{"model":"m"}}
{"kind":"document","id":"d1","text":"Rent is £1,200 a month, payable in advance on the first day of each month."}
{"kind":"item","id":"q1","document":"d1","question":"Rent?","question_type":"fact_recall","evidence_position":0.1,"answers":{"A":{"system":"careful-v1","text":"£1,200"},"B":{"system":"quick-v0","text":"£1,500"}}}
{"kind":"item","id":"q2","document":"d1","question":"When?","question_type":"fact_recall","evidence_position":0.2,"answers":{"A":{"system":"careful-v1","text":"monthly"},"B":{"system":"quick-v0","text":"in advance"}}}
{"kind":"item","id":"q3","document":"d1","question":"Which day?","question_type":"fact_recall","evidence_position":0.4,"answers":{"A":{"system":"careful-v1","text":"the first"},"B":{"system":"quick-v0","text":"day one"}}}
{"kind":"item","id":"q4","document":"d1","question":"Currency?","question_type":"definition","evidence_position":0.8,"answers":{"A":{"system":"careful-v1","text":"pounds"},"B":{"system":"quick-v0","text":"GBP"}}}
{"kind":"item","id":"q5","document":"d1","question":"Deposit?","question_type":"no_info","answerable":false,"answers":{"A":{"system":"careful-v1","text":"not stated"},"B":{"system":"quick-v0","text":"not in the document"}}}
{"kind":"item","id":"q6","document":"d1","question":"Arrears?","question_type":"inference","evidence_position":0.9,"answers":{"A":{"system":"careful-v1","text":"none stated"},"B":{"system":"quick-v0","text":"two months"}}}
{"kind":"label","item":"q1","rater":"alice","preference":"B","faithful":{"A":true,"B":true}}
{"kind":"label","item":"q2","rater":"alice","preference":"B","faithful":{"A":true,"B":false}}
{"kind":"label","item":"q3","rater":"alice","preference":"A","faithful":{"A":true,"B":true}}
{"kind":"label","item":"q4","rater":"alice","preference":"tie","faithful":{"A":true,"B":true}}
{"kind":"label","item":"q5","rater":"alice","preference":"B","faithful":{"A":true,"B":true}}
{"kind":"label","item":"q6","rater":"alice","preference":"A","faithful":{"A":true,"B":true}}
{"kind":"label","item":"q1","rater":"alice","preference":"A"}
{"kind":"label","item":"q1","rater":"bob","preference":"A","faithful":{"A":true,"B":true}}
{"kind":"label","item":"q2","rater":"bob","preference":"B","faithful":{"A":true,"B":false}}
{"kind":"label","item":"q3","rater":"bob","preference":"B","faithful":{"A":false,"B":true}}
{"kind":"label","item":"q4","rater":"bob","preference":"tie","faithful":{"A":true,"B":true}}
{"kind":"label","item":"q5","rater":"bob","preference":"B","faithful":{"A":true,"B":true}}
{"kind":"label","item":"q6","rater":"bob","preference":"A","faithful":{"A":true,"B":true}}
{"kind":"label","item":"q1","rater":"judge:j","preference":"A","faithful":{"A":true,"B":true}}
{"kind":"label","item":"q2","rater":"judge:j","preference":"A","faithful":{"A":true,"B":true}}
{"kind":"label","item":"q3","rater":"judge:j","preference":"B","faithful":{"A":true,"B":true}}
{"kind":"label","item":"q4","rater":"judge:j","preference":"tie","faithful":{"A":true,"B":true}}
{"kind":"label","item":"q5","rater":"judge:j","preference":"B","faithful":{"A":true,"B":true}}
{"kind":"label","item":"q6","rater":"judge:j","preference":"B","faithful":{"A":true,"B":true}}
{"kind":"label","item":"q6","rater":"judge:j","faithful":{"B":null}}
)";

} // namespace

void AgreementCliTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_project = m_dir.filePath("agreement.concord");
    const QString jsonl = m_dir.filePath("agreement.jsonl");
    QFile f(jsonl);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(kProject);
    f.close();
    QCOMPARE(concord({"new", m_project}).code, 0);
    const Run import = concord({"import", m_project, jsonl});
    QVERIFY2(import.code == 0, qPrintable(import.err));
}

void AgreementCliTest::helpDescribesTheCommand()
{
    QVERIFY(concord({"--help"}).out.contains("agreement PROJECT.concord"));
    const Run help = concord({"agreement", "--help"});
    QCOMPARE(help.code, 0);
    QVERIFY(help.out.startsWith("Usage: concord agreement PROJECT.concord [--json]"));
    QVERIFY(help.out.contains("--bootstrap N"));
}

void AgreementCliTest::jsonHasTheDocumentedShape()
{
    const Run r = concord({"agreement", m_project, "--json", "--bootstrap", "200"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject report = json(r);
    QVERIFY(!report.contains("groups"));
    QStringList facets;
    for (const auto &f : report["facets"].toArray())
        facets << f.toObject()["facet"].toString();
    QCOMPARE(facets, (QStringList{"preference", "criteria.relevance", "criteria.comprehensiveness",
                                  "criteria.conciseness", "faithful", "no_info"}));

    const QJsonObject preference = facetNamed(report, "preference");
    const QJsonObject pair = pairOf(preference, "alice", "bob");
    QCOMPARE(pair["n"].toInt(), 6);
    QCOMPARE(pair["percent_agreement"].toDouble(), 5.0 / 6.0);
    for (const char *key : {"kappa", "kappa_se", "gwet_ac1", "pabak"})
        QVERIFY2(pair[QLatin1String(key)].isDouble(), key);
    for (const char *key : {"kappa_ci95", "kappa_ci95_bootstrap"}) {
        QVERIFY2(pair[QLatin1String(key)].toArray().size() == 2, key);
        QVERIFY2(pair[QLatin1String(key)][0].toDouble() <= pair[QLatin1String(key)][1].toDouble(), key);
    }
    QCOMPARE(pair["confusion"]["labels"].toArray(), (QJsonArray{"A", "B", "tie"}));
    QCOMPARE(pair["confusion"]["matrix"].toArray(),
             (QJsonArray{QJsonArray{2, 1, 0}, QJsonArray{0, 2, 0}, QJsonArray{0, 0, 1}}));
    const QJsonObject withoutTies = pair["without_ties"].toObject();
    QCOMPARE(withoutTies["n"].toInt(), 5);
    QCOMPARE(withoutTies["percent_agreement"].toDouble(), 0.8);
    QVERIFY(withoutTies["kappa"].isDouble());

    QVERIFY(!pairOf(preference, "judge:j", "alice").isEmpty());
    QVERIFY(!pairOf(preference, "judge:j", "bob").isEmpty());
    const QJsonObject majorityPair = pairOf(preference, "majority", "judge:j");
    QCOMPARE(majorityPair["n"].toInt(), 5);
    QCOMPARE(majorityPair["no_majority"].toInt(), 1);

    const QJsonObject multi = preference["multi"].toObject();
    QCOMPARE(multi["raters"].toArray(), (QJsonArray{"alice", "bob"}));
    QCOMPARE(multi["n"].toInt(), 6);
    QVERIFY(multi["fleiss_kappa"].isDouble());
    QVERIFY(multi["krippendorff_alpha"].isDouble());

    const QJsonArray majority = preference["majority"].toArray();
    QCOMPARE(majority.size(), 1);
    QCOMPARE(majority[0]["rater"].toString(), QStringLiteral("judge:j"));
    QCOMPARE(majority[0]["n"].toInt(), 5);
    QCOMPARE(majority[0]["no_majority"].toInt(), 1);
    QCOMPARE(majority[0]["percent_agreement"].toDouble(), 0.6);
    QCOMPARE(majority[0]["kappa_ci95"].toArray().size(), 2);

    const QJsonArray headline = preference["headline"].toArray();
    QCOMPARE(headline.size(), 1);
    QCOMPARE(headline[0]["judge"].toString(), QStringLiteral("judge:j"));
    QCOMPARE(headline[0]["kappa"].toDouble(), majority[0]["kappa"].toDouble());
    QCOMPARE(headline[0]["human_kappa_mean"].toDouble(), pair["kappa"].toDouble());
    // The human side's CI is the joint bootstrap's (docs/agreement.md 2.12): around the mean, within [-1, 1].
    const QJsonArray humanCi = headline[0]["human_kappa_ci95"].toArray();
    QCOMPARE(humanCi.size(), 2);
    QVERIFY(-1 <= humanCi[0].toDouble() && humanCi[0].toDouble() <= pair["kappa"].toDouble());
    QVERIFY(pair["kappa"].toDouble() <= humanCi[1].toDouble() && humanCi[1].toDouble() <= 1);
    // Like with like: the judge's mean kappa with each human minus the humans' own.
    QCOMPARE(headline[0]["kappa_difference"].toDouble(),
             headline[0]["judge_human_kappa_mean"].toDouble() - pair["kappa"].toDouble());
    QVERIFY(headline[0]["judge_human_kappa_mean"].toDouble() != majority[0]["kappa"].toDouble());
    QCOMPARE(headline[0]["kappa_difference_ci95"].toArray().size(), 2);
    QVERIFY(headline[0]["reading"].toString().startsWith("judge agrees with humans "));

    // Nobody labelled the criteria: the facet is there, with no pairs and null statistics.
    const QJsonObject relevance = facetNamed(report, "criteria.relevance");
    QCOMPARE(relevance["pairs"].toArray().size(), 0);
    QVERIFY(relevance["multi"]["fleiss_kappa"].isNull());
    QVERIFY(relevance["multi"]["note"].isString());
    QCOMPARE(report["bootstrap"]["resamples"].toInt(), 200);
}

void AgreementCliTest::onlyCurrentLabelsAreCompared()
{
    // alice's first q1 label (B) was revised to A; only A counts (checked by the matrix above),
    // and her faithful labels on q1 survive the revision, which did not touch them.
    const QJsonObject faithful =
        facetNamed(json(concord({"agreement", m_project, "--json", "--bootstrap", "0"})), "faithful");
    const QJsonObject pair = pairOf(faithful, "alice", "bob");
    QCOMPARE(pair["n"].toInt(), 12);
    // Answers: both say unfaithful for q2/B; bob alone for q3/A; the other 10 faithful by both.
    QCOMPARE(pair["confusion"]["matrix"].toArray(), (QJsonArray{QJsonArray{10, 1}, QJsonArray{0, 1}}));
    // A withdrawn verdict (null) is no label: the judge has 11 current faithful labels, not 12.
    QCOMPARE(pairOf(faithful, "judge:j", "alice")["n"].toInt(), 11);
    QCOMPARE(pairOf(faithful, "majority", "judge:j")["n"].toInt() +
                 pairOf(faithful, "majority", "judge:j")["no_majority"].toInt(),
             11);
}

void AgreementCliTest::facetOptionReportsOneFacet()
{
    const Run r = concord({"agreement", m_project, "--json", "--facet", "faithful", "--bootstrap", "0"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonArray facets = json(r)["facets"].toArray();
    QCOMPARE(facets.size(), 1);
    QCOMPARE(facets[0]["facet"].toString(), QStringLiteral("faithful"));
    QCOMPARE(facets[0]["unit"].toString(), QStringLiteral("answer"));
    QCOMPARE(facets[0]["units"].toInt(), 12);
    QCOMPARE(facets[0]["pairs"][0]["confusion"]["labels"].toArray(), (QJsonArray{"faithful", "unfaithful"}));
    const Run criteria = concord({"agreement", m_project, "--json", "--facet=criteria.relevance"});
    QCOMPARE(criteria.code, 0);
    QCOMPARE(json(criteria)["facets"][0]["facet"].toString(), QStringLiteral("criteria.relevance"));
}

void AgreementCliTest::unknownFacetOrGroupingIsOneLineAndExit2()
{
    for (const QStringList &args :
         {QStringList{"--facet", "tone"}, QStringList{"--by", "document"}, QStringList{"--bootstrap", "-1"},
          QStringList{"--seed", "x"}, QStringList{"--frobnicate"}, QStringList{"--facet"}}) {
        const Run r = concord(QStringList{"agreement", m_project} + args);
        QVERIFY2(r.code == 2, qPrintable(args.join(' ')));
        QVERIFY2(r.err.startsWith("concord: ") && r.err.count('\n') == 1, qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }
    const Run tone = concord({"agreement", m_project, "--facet", "tone"});
    QVERIFY2(tone.err.contains("unknown facet \"tone\"") && tone.err.contains("criteria.relevance"),
             qPrintable(tone.err));
    const Run missing = concord({"agreement", m_dir.filePath("missing.concord")});
    QCOMPARE(missing.code, 1);
    QCOMPARE(missing.err.count('\n'), 1);
}

void AgreementCliTest::byEvidenceBucketReportsEachBucket()
{
    const Run r = concord({"agreement", m_project, "--json", "--by", "evidence_bucket", "--bootstrap", "0"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject report = json(r);
    QCOMPARE(report["group_by"].toString(), QStringLiteral("evidence_bucket"));
    const QJsonObject groups = report["groups"].toObject();
    QCOMPARE(groups.keys(), (QStringList{"[0,0.25)", "[0.25,0.5)", "[0.75,1]", "none"}));
    // q1, q2: alice and bob agree on both.
    const QJsonObject first = pairOf(facetNamed(groups["[0,0.25)"].toObject(), "preference"), "alice", "bob");
    QCOMPARE(first["n"].toInt(), 2);
    QCOMPARE(first["percent_agreement"].toDouble(), 1.0);
    // q3 alone: they disagree.
    QCOMPARE(
        pairOf(facetNamed(groups["[0.25,0.5)"].toObject(), "preference"), "alice", "bob")["percent_agreement"]
            .toDouble(),
        0.0);
    QCOMPARE(pairOf(facetNamed(groups["none"].toObject(), "preference"), "alice", "bob")["n"].toInt(), 1);
    // The overall report is still there.
    QCOMPARE(pairOf(facetNamed(report, "preference"), "alice", "bob")["n"].toInt(), 6);

    const Run bySystem = concord({"agreement", m_project, "--json", "--by", "system", "--bootstrap", "0"});
    QCOMPARE(json(bySystem)["groups"].toObject().keys(), QStringList{"careful-v1 vs quick-v0"});
}

void AgreementCliTest::byQuestionTypeReportsEachType()
{
    const QStringList args{"agreement", m_project, "--json", "--by", "question_type", "--bootstrap", "0"};
    const Run r = concord(args);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject report = json(r);
    QCOMPARE(report["group_by"].toString(), QStringLiteral("question_type"));
    const QJsonObject groups = report["groups"].toObject();
    QCOMPARE(groups.keys(), (QStringList{"definition", "fact_recall", "inference", "no_info"}));
    // fact_recall is q1..q3: alice and bob agree on q1 and q2, not q3.
    const QJsonObject facts = facetNamed(groups["fact_recall"].toObject(), "preference");
    const QJsonObject humans = pairOf(facts, "alice", "bob");
    QCOMPARE(humans["n"].toInt(), 3);
    QCOMPARE(humans["percent_agreement"].toDouble(), 2.0 / 3.0);
    // The judge against their majority there: q1 (A, agrees) and q2 (A against B); q3 has none.
    const QJsonObject majority = pairOf(facts, "majority", "judge:j");
    QCOMPARE(majority["n"].toInt(), 2);
    QCOMPARE(majority["no_majority"].toInt(), 1);
    QCOMPARE(majority["percent_agreement"].toDouble(), 0.5);
    QCOMPARE(pairOf(facetNamed(groups["inference"].toObject(), "preference"), "alice", "bob")["n"].toInt(),
             1);
    // Asked again with nothing changed, the report comes from the kept columns: byte for byte the same.
    const Run again = concord(args);
    QCOMPARE(again.code, 0);
    QCOMPARE(again.out, r.out);
}

void AgreementCliTest::bootstrapZeroGivesNullBootstrapCi()
{
    const QJsonObject report = json(concord({"agreement", m_project, "--json", "--bootstrap", "0"}));
    const QJsonObject pair = pairOf(facetNamed(report, "preference"), "alice", "bob");
    QVERIFY(pair.contains("kappa_ci95_bootstrap"));
    QVERIFY(pair["kappa_ci95_bootstrap"].isNull());
    QVERIFY(pair["note"].toString().contains("bootstrap CI: off"));
    QVERIFY(pair["kappa_ci95"].isArray());
    QCOMPARE(report["bootstrap"]["resamples"].toInt(), 0);
}

void AgreementCliTest::sameSeedGivesIdenticalOutput()
{
    const Run first = concord({"agreement", m_project, "--json", "--seed", "42"});
    const Run second = concord({"agreement", m_project, "--json", "--seed", "42"});
    QCOMPARE(first.code, 0);
    QCOMPARE(second.out, first.out);
    const Run other = concord({"agreement", m_project, "--json", "--seed", "43"});
    QVERIFY(other.out != first.out);
    const Run text = concord({"agreement", m_project, "--seed", "42"});
    QCOMPARE(concord({"agreement", m_project, "--seed", "42"}).out, text.out);
}

void AgreementCliTest::textTableShowsPairsAndHeadline()
{
    const Run r = concord({"agreement", m_project, "--facet", "preference"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QString text = QString::fromUtf8(r.out);
    for (const char *expected :
         {"preference (one unit per item, 6 labelled)", "rater a", "kappa [95% CI]", "bootstrap CI", "AC1",
          "PABAK", "alice", "judge:j", "majority", "83.3%", "without ties", "headline for judge:j",
          "-> judge agrees with humans", "1 shared unit without a human majority was left out"})
        QVERIFY2(text.contains(QLatin1String(expected)), expected);
    QVERIFY(!text.contains("criteria.relevance"));
}

QTEST_APPLESS_MAIN(AgreementCliTest)
