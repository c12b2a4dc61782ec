// `concord export --gold` and `concord compare`, run as a user runs them, on a small project
// whose numbers are checked by hand (tests/app/data/calibration.jsonl):
//   gold (lead)   q1 A, q2 B (revised from A), q3 A;  q4 has no gold label
//   judge:m:v1    q1 A, q2 A, q3 B, q4 A   → 1 of 3 with gold: po 1/3, pe 5/9, kappa −0.5
//   judge:m:v2    q1 A, q2 B, q3 A, q4 B   → 3 of 3: kappa 1; difference 1.5; q2, q3 now agree
#include "calibration_cli_test.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

namespace {

struct Run
{
    int code = -1;
    QByteArray out, err;
};

Run concord(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(CONCORD_BINARY_DIR "/app/concord"), args);
    p.waitForFinished(60000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

QList<QJsonObject> lines(const QByteArray &jsonl)
{
    QList<QJsonObject> out;
    for (const QByteArray &line : jsonl.split('\n'))
        if (!line.isEmpty())
            out << QJsonDocument::fromJson(line).object();
    return out;
}

} // namespace

void CalibrationCliTest::initTestCase()
{
    m_project = m_dir.filePath(QStringLiteral("cal.concord"));
    QCOMPARE(concord({"new", m_project}).code, 0);
    const Run import = concord(
        {"import", m_project, QStringLiteral(CONCORD_SOURCE_DIR "/tests/app/data/calibration.jsonl")});
    QVERIFY2(import.code == 0, import.err.constData());
}

void CalibrationCliTest::goldExportHoldsOnlyAdjudicatedItems()
{
    const Run r = concord({"export", m_project, "--gold"});
    QCOMPARE(r.code, 0);
    QStringList items, documents, raters;
    QMap<QString, QJsonObject> goldLabels;
    for (const QJsonObject &o : lines(r.out)) {
        const QString kind = o.value("kind").toString();
        if (kind == "item")
            items << o.value("id").toString();
        else if (kind == "document")
            documents << o.value("id").toString();
        else if (kind == "rater")
            raters << o.value("id").toString();
        else if (kind == "label") {
            QCOMPARE(o.value("rater_kind").toString(), QStringLiteral("gold"));
            goldLabels.insert(o.value("item").toString(), o);
        }
    }
    QCOMPARE(items, (QStringList{"q1", "q2", "q3"}));
    QCOMPARE(documents, QStringList{"d1"});
    QCOMPARE(raters, QStringList{"lead"});
    QCOMPARE(goldLabels.size(), 3);
    // The current gold label, not the first: q2 was revised from A to B.
    QCOMPARE(goldLabels.value("q2").value("preference").toString(), QStringLiteral("B"));
    QCOMPARE(goldLabels.value("q3").value("no_info").toObject().value("B").toString(),
             QStringLiteral("hallucinated"));
    // The adjudication notes go with the gold labels: the note of the newest revision carrying one.
    QCOMPARE(goldLabels.value("q1").value("note").toString(), QStringLiteral("clear"));
    QCOMPARE(goldLabels.value("q2").value("note").toString(), QStringLiteral("re-read: A says ten years"));
    QVERIFY(!goldLabels.value("q3").contains("note"));
}

void CalibrationCliTest::goldExportRoundTrips()
{
    const QString exported = m_dir.filePath(QStringLiteral("gold.jsonl"));
    QCOMPARE(concord({"export", m_project, "--gold", "-o", exported}).code, 0);
    const QString other = m_dir.filePath(QStringLiteral("golden.concord"));
    QCOMPARE(concord({"new", other}).code, 0);
    const Run import = concord({"import", other, exported});
    QVERIFY2(import.code == 0, import.err.constData());
    QFile f(exported);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray first = f.readAll();
    QVERIFY(first.contains("\"note\":\"re-read: A says ten years\""));
    QCOMPARE(concord({"export", other, "--gold"}).out, first);
}

// A lead decides an item facet by facet, each with its reason: the export keeps each decision in
// force with its own reason (not the item's latest note on every value).
void CalibrationCliTest::goldExportKeepsEachDecisionsReason()
{
    const QString project = m_dir.filePath(QStringLiteral("reasons.concord"));
    QCOMPARE(concord({"new", project}).code, 0);
    const QString file = m_dir.filePath(QStringLiteral("reasons.jsonl"));
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"kind":"document","id":"d1","text":"The rent is 100 a month."}
{"kind":"item","id":"q1","document":"d1","question":"What is the rent?","question_type":"fact_recall","answers":{"A":{"system":"s1","text":"100."},"B":{"system":"s2","text":"200."}}}
{"kind":"label","item":"q1","rater":"lead","rater_kind":"gold","preference":"A","note":"first look"}
{"kind":"label","item":"q1","rater":"lead","rater_kind":"gold","criteria":{"relevance":"B"},"note":"B stays on the question"}
{"kind":"label","item":"q1","rater":"lead","rater_kind":"gold","preference":"tie"}
)");
    }
    const Run import = concord({"import", project, file});
    QVERIFY2(import.code == 0, import.err.constData());
    const Run r = concord({"export", project, "--gold"});
    QCOMPARE(r.code, 0);
    QList<QJsonObject> labels;
    for (const QJsonObject &o : lines(r.out))
        if (o.value("kind").toString() == "label")
            labels << o;
    QCOMPARE(labels.size(), 2); // the relevance decision, then the preference decision in force
    QCOMPARE(labels[0].value("criteria").toObject().value("relevance").toString(), QStringLiteral("B"));
    QCOMPARE(labels[0].value("note").toString(), QStringLiteral("B stays on the question"));
    QVERIFY(!labels[0].contains("preference"));
    QCOMPARE(labels[1].value("preference").toString(), QStringLiteral("tie"));
    QVERIFY(!labels[1].contains("note")); // decided without a reason; "first look" was for A
    // And it round-trips.
    const QString exported = m_dir.filePath(QStringLiteral("reasons-gold.jsonl"));
    QCOMPARE(concord({"export", project, "--gold", "-o", exported}).code, 0);
    const QString other = m_dir.filePath(QStringLiteral("reasons-golden.concord"));
    QCOMPARE(concord({"new", other}).code, 0);
    QCOMPARE(concord({"import", other, exported}).code, 0);
    QCOMPARE(concord({"export", other, "--gold"}).out, r.out);
}

void CalibrationCliTest::compareGivesHandCheckedNumbers()
{
    const Run r = concord({"compare", m_project, "--judge", "judge:m:v1", "--judge", "judge:m:v2", "--facet",
                           "preference", "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o.value("against").toString(), QStringLiteral("gold"));
    const QJsonObject f = o.value("facets").toArray().at(0).toObject();
    QCOMPARE(f.value("n").toInt(), 3);
    QCOMPARE(f.value("no_reference").toInt(), 1);
    QVERIFY(std::abs(f.value("kappa_1").toDouble() + 0.5) < 1e-12);
    QVERIFY(std::abs(f.value("kappa_2").toDouble() - 1.0) < 1e-12);
    QVERIFY(std::abs(f.value("difference").toDouble() - 1.5) < 1e-12);
    QStringList now;
    for (const QJsonValue &u : f.value("now_agree").toArray())
        now << u.toObject().value("item").toString();
    QCOMPARE(now, (QStringList{"q2", "q3"}));
    QCOMPARE(f.value("now_disagree").toArray().size(), 0);

    const Run text = concord({"compare", m_project, "--judge", "judge:m:v1", "--judge", "judge:m:v2"});
    QCOMPARE(text.code, 0);
    QVERIFY(text.out.contains("against: the gold labels"));
}

void CalibrationCliTest::compareRefusesBadArguments()
{
    const Run one = concord({"compare", m_project, "--judge", "judge:m:v1"});
    QCOMPARE(one.code, 2);
    QVERIFY(one.err.contains("exactly two --judge"));
    const Run human = concord({"compare", m_project, "--judge", "alice", "--judge", "judge:m:v2"});
    QCOMPARE(human.code, 2);
    QVERIFY(human.err.contains("\"alice\" is not a judge"));
    const Run against = concord(
        {"compare", m_project, "--judge", "judge:m:v1", "--judge", "judge:m:v2", "--against", "everyone"});
    QCOMPARE(against.code, 2);
}

QTEST_APPLESS_MAIN(CalibrationCliTest)
