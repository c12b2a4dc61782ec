// "Saved" means saved: a child process labels through the real window, prints each act the
// moment the status bar says it is committed, and keeps labelling; it is killed with SIGKILL
// mid-stream, and every act it reported is in the project file, which is intact.
#include "workspace_fixtures.h"

#include "annotateview.h"
#include "documentview.h"
#include "labelquery.h"
#include "labelsession.h"
#include "mainwindow.h"
#include "preferences.h"
#include "project.h"
#include "sqliteconnection.h"

#include <QApplication>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <cstdio>

using namespace concord;

namespace {

constexpr int kReportedActs = 6;
const char *const kChildFlag = "--label-until-killed";

ui::WorkspaceServices services(storage::SqliteOpener &opener)
{
    ui::WorkspaceServices s;
    s.opener = &opener;
    s.readLabels = storage::readCurrentLabelsAt;
    return s;
}

/// The child: labels q1 over and over (left, right, tie, ...), one act at a time, until killed.
int labelUntilKilled(int argc, char **argv)
{
    QApplication app(argc, argv);
    QSettings settings(QString::fromLocal8Bit(argv[3]), QSettings::IniFormat);
    ui::Preferences preferences(settings);
    storage::SqliteOpener opener;
    ui::MainWindow window(services(opener), preferences);
    window.setInteractive(false);
    model::Rater rater;
    rater.id = "kill-rater";
    window.setAnnotator(rater);
    if (!window.openProject(QString::fromLocal8Bit(argv[2])))
        return 2;
    window.show();
    if (!QTest::qWaitForWindowActive(&window))
        return 3;
    window.annotateView()->document()->editor()->setFocus();
    const Qt::Key keys[] = {Qt::Key_1, Qt::Key_3, Qt::Key_2};
    for (int act = 1;; ++act) {
        QTest::keyClick(QApplication::focusWidget(), keys[(act - 1) % 3]);
        if (!QTest::qWaitFor([&] { return window.saveState() == QStringLiteral("✓ Saved"); }, 20000))
            return 4;
        const auto &label = window.session()->label(window.annotateView()->currentItem());
        std::printf("saved %d %s\n", act, std::string(model::toString(*label.preference)).c_str());
        std::fflush(stdout);
    }
}

} // namespace

class KillSafetyTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void labelReportedSavedSurvivesKill9()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("kill.concord"));
        {
            auto project = storage::Project::create(path.toStdString());
            QVERIFY(project.ok());
            std::vector<model::Diagnostic> diagnostics;
            const QByteArray content = fixtures::smallProject();
            QVERIFY((*project)->importContent(
                "small.jsonl", std::string_view(content.constData(), content.size()), diagnostics));
        }
        QProcess child;
        child.start(QCoreApplication::applicationFilePath(),
                    {QString::fromLatin1(kChildFlag), path, dir.filePath(QStringLiteral("child.ini"))});
        QVERIFY(child.waitForStarted());
        QByteArray output;
        QList<QByteArray> reported;
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         output += child.readAllStandardOutput();
                         reported = output.split('\n');
                         reported.removeAll(QByteArray());
                         return reported.size() >= kReportedActs || child.state() == QProcess::NotRunning;
                     },
                     60000),
                 child.readAllStandardError().constData());
        QVERIFY2(reported.size() >= kReportedActs, child.readAllStandardError().constData());
        child.kill(); // SIGKILL: no destructor, no flush, in the middle of the next act
        QVERIFY(child.waitForFinished());
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        output += child.readAllStandardOutput();
        reported = output.split('\n');
        reported.removeAll(QByteArray());

        // The file is intact, and holds every act reported as saved, in order.
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
        auto text = [&](const char *sql) {
            sqlite3_stmt *s = nullptr;
            sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
            QStringList out;
            while (sqlite3_step(s) == SQLITE_ROW)
                out.append(QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(s, 0))));
            sqlite3_finalize(s);
            return out;
        };
        QCOMPARE(text("PRAGMA integrity_check"), QStringList{QStringLiteral("ok")});
        const QStringList stored =
            text("SELECT l.preference FROM labels l JOIN raters r ON r.id = l.rater_id "
                 "WHERE r.ext_id = 'kill-rater' ORDER BY l.id");
        sqlite3_close(db);
        QVERIFY(stored.size() >= reported.size());
        for (const QByteArray &line : reported) {
            const QList<QByteArray> parts = line.split(' ');
            QCOMPARE(parts.size(), 3);
            const int act = parts[1].toInt();
            QCOMPARE(stored[act - 1], QString::fromLatin1(parts[2]));
        }
    }
};

int main(int argc, char **argv)
{
    if (argc == 4 && qstrcmp(argv[1], kChildFlag) == 0)
        return labelUntilKilled(argc, argv);
    QApplication app(argc, argv);
    KillSafetyTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "killsafety_test.moc"
