// Where the command line writes -o / --out files: never over a project (this one or another),
// never half a file on a full disk, and no temporary left behind by Ctrl-C.
#include "modeltest.h"
#include "outputfile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <fstream>

#include <sys/wait.h>
#include <unistd.h>

using namespace concord::model;

namespace {

Status writeText(std::ostream &out, const std::string &text)
{
    out << text;
    return Ok{};
}

QStringList partFiles(const QTemporaryDir &dir)
{
    return QDir(dir.path()).entryList({QStringLiteral("*.part.*")}, QDir::Files | QDir::Hidden);
}

} // namespace

class OutputFileTest : public QObject
{
    Q_OBJECT

private slots:
    void refusesTheProjectAndAnyOtherDatabase()
    {
        QTemporaryDir dir;
        const std::string project = dir.filePath(QStringLiteral("p.concord")).toStdString();
        std::ofstream(project) << std::string("SQLite format 3\0rest", 20);
        QVERIFY(refusedOutput(project, project).find("is the project file itself") != std::string::npos);
        QVERIFY(refusedOutput(project + "-wal", project).find("-wal") != std::string::npos);
        // Another project (any SQLite file) is refused too: `report -o other.concord` would
        // replace someone's labels with HTML.
        const std::string other = dir.filePath(QStringLiteral("other.db")).toStdString();
        std::ofstream(other) << std::string("SQLite format 3\0rest", 20);
        const std::string refused = refusedOutput(other, project);
        QVERIFY2(refused.find("is an SQLite database") != std::string::npos, refused.c_str());
        // A plain file, or one not there yet, may be written.
        const std::string plain = dir.filePath(QStringLiteral("plain.html")).toStdString();
        std::ofstream(plain) << "<html>";
        QCOMPARE(refusedOutput(plain, project), std::string());
        QCOMPARE(refusedOutput(dir.filePath(QStringLiteral("new.html")).toStdString(), project),
                 std::string());
    }

    void aFullDeviceIsReportedNotTakenForSuccess()
    {
        if (!QFile::exists(QStringLiteral("/dev/full")))
            QSKIP("no /dev/full here");
        const std::string failed = writeOutputFile(
            "/dev/full", [](std::ostream &out) { return writeText(out, std::string(1 << 20, 'x')); });
        QVERIFY2(failed.find("/dev/full: writing failed") != std::string::npos, failed.c_str());
    }

    void aFailedWriteLeavesTheOldFileAndNoTemporary()
    {
        QTemporaryDir dir;
        const std::string target = dir.filePath(QStringLiteral("out.jsonl")).toStdString();
        std::ofstream(target) << "old";
        const std::string failed = writeOutputFile(target, [](std::ostream &out) -> Status {
            out << "half";
            return Error{Error::Code::Io, "the export stopped"};
        });
        QCOMPARE(failed, std::string("the export stopped"));
        std::ifstream in(target);
        std::string content;
        in >> content;
        QCOMPARE(content, std::string("old"));
        QCOMPARE(partFiles(dir), QStringList());
    }

    void anInterruptRemovesTheTemporary()
    {
        QTemporaryDir dir;
        const std::string target = dir.filePath(QStringLiteral("out.jsonl")).toStdString();
        for (const int signal : {SIGINT, SIGTERM}) {
            const pid_t child = ::fork();
            QVERIFY(child >= 0);
            if (child == 0) {
                // As the command line runs: asked for once, then Ctrl-C arrives mid-write.
                removeTemporaryOnInterrupt();
                (void)writeOutputFile(target, [signal](std::ostream &out) {
                    out << std::string(1 << 16, 'x');
                    out.flush();
                    ::raise(signal);
                    return writeText(out, "never reached");
                });
                ::_exit(0);
            }
            int status = 0;
            QCOMPARE(::waitpid(child, &status, 0), child);
            // It ended as the signal ends a program (exit status 128 + signal in a shell) ...
            QVERIFY(WIFSIGNALED(status));
            QCOMPARE(WTERMSIG(status), signal);
            // ... and left neither the target nor its temporary behind.
            QCOMPARE(partFiles(dir), QStringList());
            QVERIFY(!QFile::exists(QString::fromStdString(target)));
        }
    }

    void anIgnoredInterruptStaysIgnored()
    {
        // `nohup concord export …`: the program ignores SIGHUP/SIGINT, and the write goes on.
        QTemporaryDir dir;
        const std::string target = dir.filePath(QStringLiteral("out.jsonl")).toStdString();
        const pid_t child = ::fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            removeTemporaryOnInterrupt();
            ::signal(SIGINT, SIG_IGN);
            const std::string failed = writeOutputFile(target, [](std::ostream &out) {
                ::raise(SIGINT); // ignored, as the program said
                return writeText(out, "whole");
            });
            ::_exit(failed.empty() ? 0 : 1);
        }
        int status = 0;
        QCOMPARE(::waitpid(child, &status, 0), child);
        QVERIFY(WIFEXITED(status));
        QCOMPARE(WEXITSTATUS(status), 0);
        std::ifstream in(target);
        std::string content;
        in >> content;
        QCOMPARE(content, std::string("whole"));
    }
};

QTEST_APPLESS_MAIN(OutputFileTest)
#include "outputfile_test.moc"
