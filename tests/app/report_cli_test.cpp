// `concord report`: the HTML holds exactly the kappas `concord agreement --json` gives for the same
// project, embeds its charts, and prints to PDF.
#include "report_cli_test.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
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
    p.waitForFinished(120000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

QString attribute(const QString &html, const QString &facet, const QString &a, const QString &b)
{
    const QRegularExpression row(
        QStringLiteral("<tr data-facet=\"%1\" data-rater-a=\"%2\" data-rater-b=\"%3\">.*?"
                       "data-kappa=\"([^\"]*)\"")
            .arg(QRegularExpression::escape(facet), QRegularExpression::escape(a),
                 QRegularExpression::escape(b)));
    return row.match(html).captured(1);
}

} // namespace

void ReportCliTest::initTestCase()
{
    m_project = m_dir.filePath(QStringLiteral("demo.concord"));
    QCOMPARE(concord({"new", m_project}).code, 0);
    QCOMPARE(
        concord({"import", m_project, QStringLiteral(CONCORD_SOURCE_DIR "/resources/demo/demo.jsonl")}).code,
        0);
}

void ReportCliTest::reportHoldsTheNumbersOfAgreementJson()
{
    const Run agreement = concord({"agreement", m_project, "--json", "--bootstrap", "0"});
    QCOMPARE(agreement.code, 0);
    const QString out = m_dir.filePath(QStringLiteral("report.html"));
    const Run report = concord({"report", m_project, "-o", out, "--bootstrap", "0"});
    QVERIFY2(report.code == 0, report.err.constData());
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString html = QString::fromUtf8(file.readAll());
    int checked = 0;
    const QJsonArray facets = QJsonDocument::fromJson(agreement.out).object().value("facets").toArray();
    for (const QJsonValue &f : facets) {
        const QString facet = f.toObject().value("facet").toString();
        for (const QJsonValue &p : f.toObject().value("pairs").toArray()) {
            const QJsonObject pair = p.toObject();
            const QString shown =
                attribute(html, facet, pair.value("rater_a").toString(), pair.value("rater_b").toString());
            QVERIFY2(!shown.isEmpty(), qPrintable(facet + " " + pair.value("rater_a").toString()));
            if (pair.value("kappa").isNull()) {
                QCOMPARE(shown, QStringLiteral("null"));
            } else {
                QVERIFY2(std::abs(shown.toDouble() - pair.value("kappa").toDouble()) < 1e-12,
                         qPrintable(shown));
            }
            ++checked;
        }
    }
    QVERIFY(checked >= 12); // six facets, several comparisons each
    // The reading rests on the difference's bootstrap CI: with the bootstrap off it says so.
    QVERIFY(!html.contains(QStringLiteral("judge agrees with humans")));
    QVERIFY(html.contains(QStringLiteral("needs the difference&#39;s bootstrap CI")) ||
            html.contains(QStringLiteral("needs the difference's bootstrap CI")));
}

void ReportCliTest::reportIsSelfContainedAndPrintsToPdf()
{
    const QString out = m_dir.filePath(QStringLiteral("r.html")),
                  pdf = m_dir.filePath(QStringLiteral("r.pdf"));
    const Run r = concord({"report", m_project, "-o", out, "--pdf", pdf, "--bootstrap", "100"});
    QVERIFY2(r.code == 0, r.err.constData());
    QVERIFY(r.err.isEmpty()); // no stray warnings for users
    QFile html(out);
    QVERIFY(html.open(QIODevice::ReadOnly));
    const QByteArray content = html.readAll();
    QVERIFY(content.contains("<img alt=\"kappa per comparison\" src=\"data:image/png;base64,"));
    QVERIFY(!content.contains("src=\"http"));
    QVERIFY(content.contains("judge:demo-model:3f9a1c"));
    // By question type: the judge with each human (like for like), not only against the majority;
    // an undefined kappa says why.
    // Raters by display name (the Raters table gives their ids).
    QVERIFY(content.contains(
        "<td class=l>fact_recall</td><td class=l>Demo judge (illustrative) / Alice Moreau</td>"));
    QVERIFY(content.contains(
        "<td class=l>fact_recall</td><td class=l>human majority / Demo judge (illustrative)</td>"));
    QVERIFY(
        content.contains("<tr><td class=l>alice</td><td class=l>human</td><td class=l>Alice Moreau</td>"));
    QVERIFY(content.contains("both raters used one category only"));
    // The headline's reading and the two means it compares, from the bootstrap.
    const QJsonObject headline =
        QJsonDocument::fromJson(concord({"agreement", m_project, "--json", "--bootstrap", "100"}).out)
            .object()["facets"][0]["headline"][0]
            .toObject();
    QVERIFY(content.contains(headline["reading"].toString().toUtf8()));
    QVERIFY(
        content.contains(
            QString::number(headline["kappa_difference"].toDouble(), 'f', 2).replace("-", "−").toUtf8()) ||
        content.contains(QString::number(headline["kappa_difference"].toDouble(), 'f', 2).toUtf8()));
    QFile file(pdf);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.read(5) == "%PDF-");
}

void ReportCliTest::reportRefusesMissingOutput()
{
    const Run r = concord({"report", m_project});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("-o FILE.html"));
}

void ReportCliTest::reportIsWrittenWholeOrNotAtAll()
{
    // The HTML and the PDF as one file would leave only the PDF.
    const QString same = m_dir.filePath(QStringLiteral("same.html"));
    Run r = concord({"report", m_project, "-o", same, "--pdf", same, "--bootstrap", "0"});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("-o and --pdf name the same file"), r.err.constData());
    QVERIFY(!QFile::exists(same));
    // A full disk (here /dev/full through a link) is a failure, never "wrote", for either file.
    if (QFile::exists(QStringLiteral("/dev/full"))) {
        const QString full = m_dir.filePath(QStringLiteral("full.html"));
        QVERIFY(QFile::link(QStringLiteral("/dev/full"), full));
        r = concord({"report", m_project, "-o", full, "--bootstrap", "0"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("full.html: writing failed"), r.err.constData());
        QVERIFY(!r.out.contains("wrote"));
        const QString html = m_dir.filePath(QStringLiteral("ok.html"));
        r = concord({"report", m_project, "-o", html, "--pdf", full, "--bootstrap", "0"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("full.html: writing failed"), r.err.constData());
    }
    // "-o -" is standard output, as for export; no file named "-" appears.
    r = concord({"report", m_project, "-o", "-", "--bootstrap", "0"});
    QVERIFY2(r.code == 0, r.err.constData());
    QVERIFY(r.out.startsWith("<!DOCTYPE html>"));
    QVERIFY(r.out.contains("data-kappa="));
    QVERIFY(!QFile::exists(QStringLiteral("-")));
    QVERIFY(!r.out.contains("wrote")); // only the HTML on standard output
    // /dev/stdout (a pipe here) is written into, as "-" is.
    r = concord({"report", m_project, "-o", "/dev/stdout", "--bootstrap", "0"});
    QVERIFY2(r.code == 0, r.err.constData());
    QVERIFY(r.out.startsWith("<!DOCTYPE html>"));
    QVERIFY(r.out.trimmed().endsWith("</html>"));
    // An option given twice would silently take the last.
    r = concord({"report", m_project, "-o", same, "--bootstrap", "10", "--bootstrap", "20"});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("--bootstrap is given twice"), r.err.constData());
    QVERIFY(!QFile::exists(same));
}

QTEST_APPLESS_MAIN(ReportCliTest)
