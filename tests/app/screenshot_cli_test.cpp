// `concord screenshot`: renders the real window offscreen to a PNG of the asked size, for an item
// and a view, explains bad arguments in one line, and leaves the project unchanged.
#include <QColor>
#include <QCryptographicHash>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QString kConcord = QStringLiteral(CONCORD_BINARY_DIR "/app/concord");

struct Run
{
    int code = -1;
    QString out, err;
};

Run concord(const QStringList &args)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("QT_QPA_PLATFORM")); // the command picks offscreen itself
    env.remove(QStringLiteral("DISPLAY"));
    p.setProcessEnvironment(env);
    p.start(kConcord, args);
    p.waitForFinished(120000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

QByteArray hashOf(const QString &path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

} // namespace

class ScreenshotCliTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_project;

private slots:
    void initTestCase()
    {
        m_project = m_dir.filePath(QStringLiteral("demo.concord"));
        QCOMPARE(concord({"new", m_project}).code, 0);
        QCOMPARE(concord({"import", m_project, CONCORD_SOURCE_DIR "/resources/demo/demo.jsonl"}).code, 0);
    }

    void rendersTheWindowAtTheAskedSize()
    {
        const QString png = m_dir.filePath(QStringLiteral("a.png"));
        const QByteArray before = hashOf(m_project);
        const Run r =
            concord({"screenshot", m_project, "--out", png, "--item", "q-007", "--size", "1280x800"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("item q-007")));
        const QImage image(png);
        QCOMPARE(image.size(), QSize(1280, 800));
        // Not a blank picture: many distinct colours (text, buttons, highlights).
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7)
            for (int x = 0; x < image.width(); x += 7)
                colours.insert(image.pixel(x, y));
        QVERIFY(colours.size() > 50);
        QCOMPARE(hashOf(m_project), before); // nothing written
    }

    void rendersTheOtherViews()
    {
        for (const char *view : {"agreement", "review"}) {
            const QString png = m_dir.filePath(QStringLiteral("%1.png").arg(QLatin1String(view)));
            const Run r = concord({"screenshot", m_project, "--out", png, "--view", view});
            QVERIFY2(r.code == 0, qPrintable(r.err));
            QCOMPARE(QImage(png).size(), QSize(1600, 1000));
        }
        // The Judge dialog alone, with its estimate worked out (nothing is sent, nothing written).
        const QString png = m_dir.filePath(QStringLiteral("judge.png"));
        const QByteArray before = hashOf(m_project);
        const Run r = concord({"screenshot", m_project, "--out", png, "--view", "judge"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("judge dialog")));
        QVERIFY(!QImage(png).isNull());
        QCOMPARE(hashOf(m_project), before);
    }

    void reviewShowsTheItemAskedFor()
    {
        // --item with --view review selects that item's disagreement (it showed the first one).
        const QString first = m_dir.filePath(QStringLiteral("review-first.png")),
                      asked = m_dir.filePath(QStringLiteral("review-q009.png"));
        Run r = concord({"screenshot", m_project, "--out", first, "--view", "review", "--size", "1280x800"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = concord({"screenshot", m_project, "--out", asked, "--view", "review", "--item", "q-009", "--size",
                     "1280x800"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(QImage(first) != QImage(asked));
        // An item without a listed disagreement is named, not silently replaced by another.
        r = concord({"screenshot", m_project, "--out", asked, "--view", "review", "--item", "q-007"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QStringLiteral("has no disagreement listed")), qPrintable(r.err));
    }

    void rendersALightOrADarkPalette()
    {
        auto meanLightness = [](const QImage &image) {
            double sum = 0;
            int n = 0;
            for (int y = 0; y < image.height(); y += 9)
                for (int x = 0; x < image.width(); x += 9, ++n)
                    sum += QColor(image.pixel(x, y)).lightnessF();
            return sum / n;
        };
        double lightness[2] = {};
        for (int i = 0; i < 2; ++i) {
            const QString palette = i == 0 ? QStringLiteral("light") : QStringLiteral("dark");
            const QString png = m_dir.filePath(palette + QStringLiteral(".png"));
            const Run r =
                concord({"screenshot", m_project, "--out", png, "--size", "1280x720", "--palette", palette});
            QVERIFY2(r.code == 0, qPrintable(r.err));
            QVERIFY(r.out.contains(palette + QStringLiteral(" palette")));
            lightness[i] = meanLightness(QImage(png));
        }
        QVERIFY2(lightness[0] > 0.8 && lightness[1] < 0.3,
                 qPrintable(QStringLiteral("%1 %2").arg(lightness[0]).arg(lightness[1])));
        const Run bad = concord({"screenshot", m_project, "--out", m_dir.filePath(QStringLiteral("x.png")),
                                 "--palette", "sepia"});
        QCOMPARE(bad.code, 2);
        QVERIFY(bad.err.contains(QStringLiteral("--palette must be light or dark")));
        QVERIFY(concord({"screenshot", "--help"}).out.contains(QStringLiteral("--palette")));
    }

    void badArgumentsAreOneLine()
    {
        const QString png = m_dir.filePath(QStringLiteral("b.png"));
        Run r = concord({"screenshot", m_project, "--out", png, "--item", "nope"});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains(QStringLiteral("no item \"nope\"")));
        r = concord({"screenshot", m_project, "--out", png, "--view", "charts"});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains(QStringLiteral("--view must be annotate, agreement, review or judge")));
        r = concord({"screenshot", m_project, "--out", png, "--size", "big"});
        QCOMPARE(r.code, 2);
        r = concord({"screenshot", m_project});
        QCOMPARE(r.code, 2);
        r = concord({"screenshot", m_dir.filePath(QStringLiteral("missing.concord")), "--out", png});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains(QStringLiteral("no such project file")));
        QVERIFY(!QFile::exists(png));
        // An option given twice would silently take the last; the size's upper bound is named.
        r = concord({"screenshot", m_project, "--out", png, "--view", "review", "--view", "agreement"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QStringLiteral("--view is given twice")), qPrintable(r.err));
        r = concord({"screenshot", m_project, "--out", png, "--annotator", "judge:demo-model:3f9a1c"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QStringLiteral("--annotator takes a human rater")), qPrintable(r.err));
        r = concord({"screenshot", m_project, "--out", png, "--size", "9000x700"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QStringLiteral("8000x8000")), qPrintable(r.err));
        QVERIFY(!QFile::exists(png));
    }

    void theFormatFollowsTheNameAndAFullDiskIsReported()
    {
        // x.jpg holds JPEG data (it held PNG data under a .jpg name), a format it cannot write is
        // refused before anything is drawn.
        const QString jpg = m_dir.filePath(QStringLiteral("small.jpg"));
        Run r = concord({"screenshot", m_project, "--out", jpg, "--size", "1024x700"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QFile file(jpg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.read(3), QByteArray("\xFF\xD8\xFF"));
        QCOMPARE(QImage(jpg).size(), QSize(1024, 700));
        const QString gif = m_dir.filePath(QStringLiteral("x.gif"));
        r = concord({"screenshot", m_project, "--out", gif});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QStringLiteral("must name a .png (or .jpg) file")), qPrintable(r.err));
        QVERIFY(!QFile::exists(gif));
        // No extension, or standard output (a pipe here): PNG, and only the picture on stdout.
        const QString plain = m_dir.filePath(QStringLiteral("picture"));
        r = concord({"screenshot", m_project, "--out", plain, "--size", "1024x700"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(QImage(plain, "PNG").size(), QSize(1024, 700));
        {
            QProcess p;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.remove(QStringLiteral("DISPLAY"));
            env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
            p.setProcessEnvironment(env);
            p.start(kConcord, {"screenshot", m_project, "--out", "/dev/stdout", "--size", "1024x700"});
            QVERIFY(p.waitForFinished(120000));
            QCOMPARE(p.exitCode(), 0);
            const QByteArray png = p.readAllStandardOutput();
            QVERIFY2(png.startsWith("\x89PNG"), png.left(40).constData());
            QCOMPARE(QImage::fromData(png, "PNG").size(), QSize(1024, 700));
        }
        // A picture that cannot be written whole is a failure, not "wrote".
        if (QFile::exists(QStringLiteral("/dev/full"))) {
            const QString full = m_dir.filePath(QStringLiteral("full.png"));
            QVERIFY(QFile::link(QStringLiteral("/dev/full"), full));
            r = concord({"screenshot", m_project, "--out", full, "--size", "800x600"});
            QCOMPARE(r.code, 1);
            QVERIFY2(r.err.contains(QStringLiteral("writing failed")), qPrintable(r.err));
            QVERIFY(!r.out.contains(QStringLiteral("wrote")));
        }
    }
};

QTEST_GUILESS_MAIN(ScreenshotCliTest)
#include "screenshot_cli_test.moc"
