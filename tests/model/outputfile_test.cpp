// Where the command line writes -o / --out files: never over a project (this one or another),
// never half a file on a full disk, and no temporary left behind by Ctrl-C.
#include "modeltest.h"
#include "outputfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <fstream>
#include <functional>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace concord::model;

namespace {

Status writeText(std::ostream &out, const std::string &text)
{
    out << text;
    return Ok{};
}

/// Runs `body` in a child process under `ulimit -f 64` (KiB), asking for interrupts to remove
/// temporaries as the command line does; the child's exit status, 0 when `body` returned true, or
/// -1 when a signal ended it (SIGXFSZ would, with a .part file left behind).
int underFileSizeLimit(const std::function<bool()> &body)
{
    const pid_t child = ::fork();
    if (child < 0)
        return -2;
    if (child == 0) {
        struct rlimit limit
        {
            64 * 1024, 64 * 1024
        };
        ::setrlimit(RLIMIT_FSIZE, &limit);
        removeTemporaryOnInterrupt();
        ::_exit(body() ? 0 : 1);
    }
    int status = 0;
    if (::waitpid(child, &status, 0) != child || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
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
        // Opened through a link, the project's -journal is beside the real file.
        const std::string link = dir.filePath(QStringLiteral("link.concord")).toStdString();
        QVERIFY(QFile::link(QString::fromStdString(project), QString::fromStdString(link)));
        QVERIFY(refusedOutput(project + "-journal", link).find("-journal") != std::string::npos);
        // Another project (any SQLite file) is refused too: `report -o other.concord` would
        // replace someone's labels with HTML.
        const std::string other = dir.filePath(QStringLiteral("other.db")).toStdString();
        std::ofstream(other) << std::string("SQLite format 3\0rest", 20);
        const std::string refused = refusedOutput(other, project);
        QVERIFY2(refused.find("is an SQLite database") != std::string::npos, refused.c_str());
        // A directory is named as one (for every command that writes a file).
        QVERIFY(refusedOutput(dir.path().toStdString(), project).find("is a directory") != std::string::npos);
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

    void streamsAreToldFromFiles()
    {
        QTemporaryDir dir;
        const std::string file = dir.filePath(QStringLiteral("f.txt")).toStdString();
        std::ofstream(file) << "x";
        QVERIFY(isStream("/dev/null"));
        QVERIFY(!isStream(file));
        QVERIFY(!isStream(file + ".missing"));
        QVERIFY(!isStream(dir.path().toStdString()));
        QVERIFY(sameFile(file, dir.path().toStdString() + "/./f.txt"));
        QVERIFY(!sameFile(file, file + ".missing"));
    }

    void aPipeThroughDevFdIsWrittenInto()
    {
        // `-o /dev/stdout`, `-o >(gzip > x.gz)`: a link to a pipe, written into as it is (it was
        // resolved to "pipe:[N]", and the content went to a .part file in the current folder).
        int ends[2] = {-1, -1};
        QCOMPARE(::pipe(ends), 0);
        const std::string viaFd = "/dev/fd/" + std::to_string(ends[1]);
        const std::string failed =
            writeOutputFile(viaFd, [](std::ostream &out) { return writeText(out, "through the pipe"); });
        ::close(ends[1]);
        QCOMPARE(failed, std::string());
        char buffer[64] = {};
        const ssize_t n = ::read(ends[0], buffer, sizeof buffer);
        ::close(ends[0]);
        QCOMPARE(std::string(buffer, n > 0 ? std::size_t(n) : 0), std::string("through the pipe"));
    }

    void aLinkKeepsPointingWhereItDid()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("sub")));
        // The file the link names is not there yet: it is made there, and the link stays a link.
        const QString link = dir.filePath(QStringLiteral("latest.jsonl"));
        QVERIFY(QFile::link(QStringLiteral("sub/export.jsonl"), link));
        QCOMPARE(writeOutputFile(link.toStdString(), [](std::ostream &out) { return writeText(out, "one"); }),
                 std::string());
        QVERIFY(QFileInfo(link).isSymLink());
        QFile made(dir.filePath(QStringLiteral("sub/export.jsonl")));
        QVERIFY(made.open(QIODevice::ReadOnly));
        QCOMPARE(made.readAll(), QByteArray("one"));
        QCOMPARE(partFiles(dir), QStringList());
    }

    void aFileSizeLimitFailsTheWriteAndLeavesNoTemporary()
    {
        QTemporaryDir dir;
        const std::string target = dir.filePath(QStringLiteral("big.jsonl")).toStdString();
        // `ulimit -f 64`: SIGXFSZ would end the process with the .part file left behind.
        QCOMPARE(underFileSizeLimit([&] {
                     const std::string failed = writeOutputFile(target, [](std::ostream &out) {
                         for (int i = 0; i < 64 && out; ++i)
                             out << std::string(16 * 1024, 'x') << std::flush;
                         return writeText(out, "");
                     });
                     return failed.find("writing failed") != std::string::npos;
                 }),
                 0);
        QCOMPARE(partFiles(dir), QStringList());
        QVERIFY(!QFile::exists(QString::fromStdString(target)));
    }

    void severalFilesAreWrittenAllOrNone()
    {
        QTemporaryDir dir;
        const std::string html = dir.filePath(QStringLiteral("r.html")).toStdString();
        const std::string pdf = dir.filePath(QStringLiteral("r.pdf")).toStdString();
        std::ofstream(html) << "old-html";
        std::ofstream(pdf) << "old-pdf";
        auto content = [](const std::string &file) {
            std::ifstream in(file);
            return std::string(std::istreambuf_iterator<char>(in), {});
        };
        // The second file does not fit under the process's file size limit (a full disk): the
        // first, which fits, is not replaced either, and no temporary is left.
        QCOMPARE(underFileSizeLimit([&] {
                     const std::string big(256 * 1024, 'p');
                     const std::string failed = writeOutputFiles({{html, "new-html"}, {pdf, big}});
                     return failed.find(pdf + ": writing failed") != std::string::npos;
                 }),
                 0);
        QCOMPARE(content(html), std::string("old-html"));
        QCOMPARE(content(pdf), std::string("old-pdf"));
        QCOMPARE(partFiles(dir), QStringList());
        // When both can be written, both are.
        QCOMPARE(writeOutputFiles({{html, "new-html"}, {pdf, "new-pdf"}}), std::string());
        QCOMPARE(content(html), std::string("new-html"));
        QCOMPARE(content(pdf), std::string("new-pdf"));
        QCOMPARE(partFiles(dir), QStringList());
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
