// The `concord` command line, run as a user runs it: exit codes, messages that name file, line
// and field, atomic imports that leave the project unchanged, and the export round trip.
#include "cli_test.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <chrono>
#include <csignal>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

const QString kConcord = QStringLiteral(CONCORD_BINARY_DIR "/app/concord");
const QString kDemo = QStringLiteral(CONCORD_SOURCE_DIR "/resources/demo/demo.jsonl");

struct Run
{
    int code = -1;
    QString out;
    QString err;
};

Run concord(const QStringList &args,
            const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
            const QString &program = kConcord)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    p.waitForFinished(120000);
    Run r;
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

const QByteArray kDoc = R"({"kind":"document","id":"d1","text":"Rent: £1,200 per month."})";
const QByteArray kItem =
    R"({"kind":"item","id":"q1","document":"d1","question":"Rent?","question_type":"fact_recall","answers":{"A":{"system":"s1","text":"£1,200"},"B":{"system":"s2","text":"£1,500"}}})";

} // namespace

QString CliTest::path(const QString &name) const { return m_dir.filePath(name); }

QString CliTest::write(const QString &name, const QByteArray &content)
{
    QFile f(path(name));
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(name));
    f.write(content);
    return f.fileName();
}

QString CliTest::seededProject(const QString &name)
{
    const QString project = path(name);
    QFile::remove(project);
    if (concord({"new", project}).code != 0)
        qFatal("new failed");
    const QString seed = write(name + ".seed.jsonl", kDoc + "\n" + kItem + "\n");
    if (concord({"import", project, seed}).code != 0)
        qFatal("seed import failed");
    return project;
}

void CliTest::versionAndHelp()
{
    Run v = concord({"--version"});
    QCOMPARE(v.code, 0);
    QVERIFY(v.out.startsWith("concord "));
    Run h = concord({"--help"});
    QCOMPARE(h.code, 0);
    for (const char *c : {"new", "import", "export", "info"}) {
        QVERIFY2(h.out.contains(QLatin1String(c)), c);
        Run sub = concord({QLatin1String(c), "--help"});
        QCOMPARE(sub.code, 0);
        QVERIFY2(sub.out.startsWith(QStringLiteral("Usage: concord %1").arg(QLatin1String(c))), c);
    }
    Run unknown = concord({"frobnicate"});
    QCOMPARE(unknown.code, 2);
    QCOMPARE(unknown.err.count('\n'), 1);
}

void CliTest::infoJsonHasTheDocumentedShape()
{
    const QString project = path("info.concord");
    QCOMPARE(concord({"new", project}).code, 0);
    QCOMPARE(concord({"import", project, kDemo}).code, 0);
    Run r = concord({"info", project, "--json"});
    QCOMPARE(r.code, 0);
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    for (const char *key : {"documents", "items", "answers", "raters", "labels"})
        QVERIFY2(o.value(QLatin1String(key)).isDouble(), key);
    QVERIFY(o.value("items").toInt() >= 36);
    QCOMPARE(o.value("answers").toInt(), 2 * o.value("items").toInt());
    const QJsonObject byFacet = o.value("labels_by_facet").toObject();
    int sum = 0;
    for (const QString &facet : byFacet.keys())
        sum += byFacet.value(facet).toInt();
    QCOMPARE(sum, o.value("labels").toInt());
    QVERIFY(byFacet.value("preference").toInt() > 0);
}

void CliTest::importTwiceChangesNothing()
{
    const QString project = path("twice.concord");
    QCOMPARE(concord({"new", project}).code, 0);
    Run first = concord({"import", project, kDemo});
    QCOMPARE(first.code, 0);
    QVERIFY(first.out.startsWith("added 1 document,"));
    // Two annotators and a judge came with the labels: the line says so.
    QVERIFY2(first.out.endsWith("; 3 new raters\n"), qPrintable(first.out));
    const QString before = concord({"export", project}).out;
    Run second = concord({"import", project, kDemo});
    QCOMPARE(second.code, 0);
    QVERIFY2(second.out.startsWith("added 0 documents, 0 items, 0 label revisions; unchanged 1 document"),
             qPrintable(second.out));
    QVERIFY2(!second.out.contains("rater"), qPrintable(second.out));
    QCOMPARE(concord({"export", project}).out, before);
    // A file of rater lines only says what it added too (it read "added 0 documents…" alone).
    const QString raters =
        write("raters-only.jsonl", R"({"kind":"rater","id":"carol","rater_kind":"human","name":"Carol"})"
                                   "\n");
    Run third = concord({"import", project, raters});
    QCOMPARE(third.code, 0);
    QVERIFY2(third.out.endsWith("; 1 new rater\n"), qPrintable(third.out));
}

// Once an import is committed, a Ctrl-C must not make it look as if it did not happen: the
// process finishes and prints its summary. Its standard output is a pipe filled beforehand, so
// the summary line waits there, after the commit, for as long as the test needs.
void CliTest::ctrlCAfterTheCommitDoesNotStopTheImport()
{
    const QString project = path("ctrl-c.concord");
    QCOMPARE(concord({"new", project}).code, 0);
    int out[2];
    QCOMPARE(pipe(out), 0);
    QCOMPARE(fcntl(out[1], F_SETFL, O_NONBLOCK), 0);
    const std::string filler(4096, 'x');
    std::size_t filled = 0;
    for (ssize_t n; (n = ::write(out[1], filler.data(), filler.size())) > 0;)
        filled += std::size_t(n);
    QCOMPARE(fcntl(out[1], F_SETFL, 0), 0); // the child's writes block
    const QByteArray binary = kConcord.toLocal8Bit(), projectPath = project.toLocal8Bit(),
                     demo = kDemo.toLocal8Bit();
    const pid_t child = fork();
    if (child == 0) {
        dup2(out[1], STDOUT_FILENO);
        close(out[0]);
        close(out[1]);
        execl(binary.constData(), "concord", "import", projectPath.constData(), demo.constData(),
              static_cast<char *>(nullptr));
        _exit(127);
    }
    close(out[1]);
    // Committed once `concord info` counts its labels.
    auto labels = [&project] {
        const Run info = concord({"info", project, "--json"});
        return info.code == 0 ? QJsonDocument::fromJson(info.out.toUtf8()).object().value("labels").toInt()
                              : -1;
    };
    for (int waited = 0; labels() <= 0 && waited < 1000; ++waited)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    QVERIFY(labels() > 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(300)); // at the summary line by now
    QCOMPARE(kill(child, SIGINT), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    int status = 0;
    const pid_t ended = waitpid(child, &status, WNOHANG);
    QByteArray printed;
    char buffer[65536];
    for (ssize_t n; (n = ::read(out[0], buffer, sizeof buffer)) > 0;)
        printed.append(buffer, n);
    close(out[0]);
    if (ended == 0)
        waitpid(child, &status, 0);
    QVERIFY2(!WIFSIGNALED(status), "stopped by the Ctrl-C after the commit");
    QCOMPARE(WEXITSTATUS(status), 0);
    QCOMPARE(std::size_t(printed.size()) > filled, true);
    QVERIFY2(printed.mid(qsizetype(filled)).startsWith("added 1 document,"),
             printed.mid(qsizetype(filled)).constData());
}

void CliTest::exportImportExportIsIdentical()
{
    const QString first = path("rt-a.concord"), second = path("rt-b.concord");
    QCOMPARE(concord({"new", first}).code, 0);
    QCOMPARE(concord({"import", first, kDemo}).code, 0);
    const QString exported = path("rt.jsonl");
    QCOMPARE(concord({"export", first, "-o", exported}).code, 0);
    QCOMPARE(concord({"new", second}).code, 0);
    QCOMPARE(concord({"import", second, exported}).code, 0);
    Run again = concord({"export", second});
    QFile f(exported);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(again.out.toUtf8(), f.readAll());
}

void CliTest::badInputIsRejectedWithFileLineField_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("field");
    const QByteArray ok = kDoc + "\n";
    QTest::newRow("truncated JSON") << ok + R"({"kind":"item","id":"q9")" << 2 << "line";
    QTest::newRow("invalid UTF-8") << ok + "{\"kind\":\"document\",\"id\":\"x\",\"text\":\"caf\xe9\"}" << 2
                                   << "line";
    QTest::newRow("NUL byte") << ok + QByteArray("{\"kind\":\"document\",\"id\":\"x\",\"text\":\"a\0b\"}", 40)
                              << 2 << "line";
    QTest::newRow("unknown kind") << ok + R"({"kind":"answer","id":"x"})" << 2 << "kind";
    QTest::newRow("unknown enum") << ok + QByteArray(kItem).replace("fact_recall", "trivia") << 2
                                  << "question_type";
    QTest::newRow("missing field") << ok + R"({"kind":"document","id":"x"})" << 2 << "text";
    QTest::newRow("wrong type") << ok + QByteArray(kItem).replace(R"("question":"Rent?")", R"("question":42)")
                                << 2 << "question";
    QTest::newRow("duplicate id") << ok + R"({"kind":"document","id":"d1","text":"other text"})" << 2 << "id";
    QTest::newRow("unknown document")
        << ok + QByteArray(kItem).replace(R"("document":"d1")", R"("document":"dX")").replace("q1", "q9") << 2
        << "document";
    QTest::newRow("unknown item") << ok + R"({"kind":"label","item":"zz","rater":"a","preference":"A"})" << 2
                                  << "item";
    QTest::newRow("evidence out of range")
        << ok + kItem + "\n" +
               R"({"kind":"label","item":"q1","rater":"a","evidence":[{"answer":"A","start":5,"end":999}]})"
        << 3 << "evidence[0].end";
    QTest::newRow("empty file") << QByteArray("\n\n") << 0 << "file";
    QTest::newRow("empty key") << ok + R"({"kind":"document","id":"x","text":"y","":1})" << 2 << "\"\"";
}

void CliTest::badInputIsRejectedWithFileLineField()
{
    QFETCH(QByteArray, content);
    QFETCH(int, line);
    QFETCH(QString, field);
    const QString project = seededProject("bad.concord");
    const QString before = concord({"export", project}).out;
    const QString file = write("bad.jsonl", content);
    Run r = concord({"import", project, file});
    QCOMPARE(r.code, 2);
    const QString expected = line > 0 ? QStringLiteral("%1:%2: %3: ").arg(file).arg(line).arg(field)
                                      : QStringLiteral("%1: %2: ").arg(file, field);
    QVERIFY2(r.err.startsWith(expected), qPrintable(r.err));
    QVERIFY(r.err.contains("nothing was imported"));
    QCOMPARE(concord({"export", project}).out, before);
}

void CliTest::hugeDocumentIsRejected()
{
    const QString project = seededProject("huge.concord");
    QByteArray line = R"({"kind":"document","id":"big","text":")";
    line += QByteArray(100 * 1000 * 1000, 'x');
    line += "\"}\n";
    const QString file = write("huge.jsonl", line);
    line.clear();
    Run r = concord({"import", project, file});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.startsWith(file + ":1: text: document is 100.0 MB"), qPrintable(r.err.left(300)));
    QFile::remove(file);
    QVERIFY(!concord({"export", project}).out.contains("\"big\""));
}

void CliTest::directoryAndMissingFilesAreNamed()
{
    const QString project = seededProject("dir.concord");
    const QString before = concord({"export", project}).out;
    QVERIFY(before.contains("\"q1\""));
    Run r = concord({"import", project, m_dir.path()});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.startsWith(m_dir.path() + ": file: is a directory"), qPrintable(r.err));
    QVERIFY(r.err.contains("nothing was imported"));
    QCOMPARE(concord({"export", project}).out, before);
    // A good file beside the missing one is not imported either.
    const QString good = write("dir-good.jsonl", R"({"kind":"document","id":"d2","text":"More."})"
                                                 "\n");
    Run missing = concord({"import", project, good, path("nope.jsonl")});
    QCOMPARE(missing.code, 2);
    QVERIFY(missing.err.startsWith(path("nope.jsonl") + ": file: no such file"));
    QVERIFY(missing.err.contains("nothing was imported"));
    QCOMPARE(concord({"export", project}).out, before);
}

void CliTest::pipesAndEndlessStreamsAreRefused()
{
    // A FIFO named as the project: reading its header would wait for a writer that never comes.
    const QString fifo = path("pipe.concord");
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    for (const QStringList &args :
         {QStringList{"info", fifo}, QStringList{"export", fifo}, QStringList{"import", fifo, kDemo}}) {
        QProcess p;
        p.start(kConcord, args);
        const bool ended = p.waitForFinished(20000);
        if (!ended)
            p.kill();
        QVERIFY2(ended, qPrintable(args.join(' ') + " waited on the FIFO"));
        QCOMPARE(p.exitCode(), 2);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains(fifo + ": is not a regular file"), qPrintable(err));
        QCOMPARE(err.count('\n'), 1);
    }
    // An endless stream of NUL bytes is refused at its first line, not read until memory runs out.
    const QString project = seededProject("zero.concord");
    const QString before = concord({"export", project}).out;
    QProcess p;
    p.start(kConcord, {"import", project, "/dev/zero"});
    const bool ended = p.waitForFinished(20000);
    if (!ended)
        p.kill();
    QVERIFY2(ended, "import /dev/zero did not end");
    QCOMPARE(p.exitCode(), 2);
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(err.startsWith("/dev/zero:1: line: contains a NUL byte at column 1"), qPrintable(err));
    QCOMPARE(concord({"export", project}).out, before);
}

void CliTest::exportToADirectoryIsRefusedAndLeavesNothing()
{
    const QString project = seededProject("exportdir.concord");
    QDir(m_dir.path()).mkdir("out");
    const QString dir = path("out");
    Run r = concord({"export", project, "-o", dir});
    QCOMPARE(r.code, 2);
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY2(r.err.startsWith("concord: " + dir + ": is a directory"), qPrintable(r.err));
    QVERIFY(!QFile::exists(dir + ".part"));
    QVERIFY(QDir(dir).isEmpty());
    // The same directory with a file name inside it works.
    QCOMPARE(concord({"export", project, "-o", dir + "/export.jsonl"}).code, 0);
    QVERIFY(QFile(dir + "/export.jsonl").size() > 0);
    QVERIFY(!QFile::exists(dir + "/export.jsonl.part"));
}

void CliTest::doubleDashEndsTheOptions()
{
    // A project whose name starts with '-': after "--" it is a name, for every command.
    const QString project = seededProject("-dash.concord");
    const QString name = QFileInfo(project).fileName();
    QProcess p;
    p.setWorkingDirectory(m_dir.path());
    p.start(kConcord, {"info", "--", name, "--json"});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 2); // "--json" after "--" is a second name, not the flag
    p.start(kConcord, {"info", "--json", "--", name});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    QVERIFY(QJsonDocument::fromJson(p.readAllStandardOutput()).isObject());
    p.start(kConcord, {"agreement", "--json", "--bootstrap", "0", "--", name});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    p.start(kConcord,
            {"judge", "--model", "m", "--base-url", "http://127.0.0.1:9", "--estimate", "--", name});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    p.start(kConcord, {"report", "-o", path("dash.html"), "--bootstrap", "0", "--", name});
    QVERIFY(p.waitForFinished(60000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    // An option given twice, or a value given to a flag, is refused rather than half-used.
    Run twice = concord({"export", project, "-o", path("a.jsonl"), "-o", path("b.jsonl")});
    QCOMPARE(twice.code, 2);
    QVERIFY2(twice.err.contains("-o is given twice"), qPrintable(twice.err));
    Run flag = concord({"info", project, "--json=0"});
    QCOMPARE(flag.code, 2);
    QVERIFY2(flag.err.contains("--json takes no value"), qPrintable(flag.err));
}

void CliTest::outputNeverOverwritesTheProject()
{
    const QString project = seededProject("self.concord");
    const QString other = seededProject("other.concord");
    auto contentOf = [](const QString &file) {
        QFile f(file);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    };
    const QByteArray before = contentOf(project), otherBefore = contentOf(other);
    for (const QStringList &args :
         {QStringList{"export", project, "-o", project},
          QStringList{"export", project, "-o",
                      QFileInfo(project).path() + "/./" + QFileInfo(project).fileName()},
          QStringList{"export", project, "-o", project + "-wal"},
          QStringList{"report", project, "-o", project},
          QStringList{"report", project, "-o", path("r.html"), "--pdf", project},
          QStringList{"screenshot", project, "--out", project},
          // Another project (any SQLite file) is never replaced by an export, report or picture.
          QStringList{"export", project, "-o", other}, QStringList{"report", project, "-o", other},
          QStringList{"report", project, "-o", path("r.html"), "--pdf", other},
          QStringList{"screenshot", project, "--out", other}}) {
        const Run r = concord(args);
        QCOMPARE(r.code, 2);
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.contains("choose another file to write"), qPrintable(r.err));
    }
    for (const auto &[file, content] : {std::pair{project, before}, std::pair{other, otherBefore}}) {
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), content);
        QCOMPARE(concord({"info", file}).code, 0);
    }
    QVERIFY(!QFile::exists(path("r.html")));
    // An empty name is not standard output.
    const Run empty = concord({"export", project, "-o", ""});
    QCOMPARE(empty.code, 2);
    QVERIFY2(empty.err.contains("-o needs a file name"), qPrintable(empty.err));
    QVERIFY(empty.out.isEmpty());
}

void CliTest::outputThroughALinkOrIntoAFifoKeepsThem()
{
    const QString project = seededProject("links.concord");
    const QString expected = concord({"export", project}).out;
    // A symbolic link: it still points at its file, which holds the export.
    const QString real = path("real.jsonl"), link = path("link.jsonl");
    QVERIFY(QFile(real).open(QIODevice::WriteOnly));
    QVERIFY(QFile::link(real, link));
    QCOMPARE(concord({"export", project, "-o", link}).code, 0);
    QVERIFY(QFileInfo(link).isSymLink());
    QFile r(real);
    QVERIFY(r.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(r.readAll()), expected);
    // A FIFO (as a device or /dev/fd/N would be): written into, not replaced by a file.
    const QString fifo = path("pipe");
    QCOMPARE(::mkfifo(fifo.toLocal8Bit().constData(), 0600), 0);
    QProcess reader;
    reader.setStandardOutputFile(path("from-pipe.jsonl"));
    reader.start("cat", {fifo});
    QVERIFY(reader.waitForStarted());
    QCOMPARE(concord({"export", project, "-o", fifo}).code, 0);
    QVERIFY(reader.waitForFinished(20000));
    struct stat st
    {
    };
    QCOMPARE(::stat(fifo.toLocal8Bit().constData(), &st), 0);
    QVERIFY(S_ISFIFO(st.st_mode));
    QFile piped(path("from-pipe.jsonl"));
    QVERIFY(piped.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(piped.readAll()), expected);
    // No temporary file is left beside any of them.
    for (const QString &name : QDir(m_dir.path()).entryList(QDir::Files))
        QVERIFY2(!name.contains(".part"), qPrintable(name));
}

void CliTest::exportToAnUnwritablePlaceFailsInOneLine()
{
    const QString project = seededProject("exportbad.concord");
    const QString target = path("no-such-dir/export.jsonl");
    Run r = concord({"export", project, "-o", target});
    QCOMPARE(r.code, 1);
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY2(r.err.contains(target + ": cannot write here"), qPrintable(r.err));
    QVERIFY(!QFile::exists(target + ".part"));
}

void CliTest::manyErrorsAreAllReportedUpTo50()
{
    const QString project = seededProject("many.concord");
    QByteArray content;
    for (int i = 0; i < 60; ++i)
        content += R"({"kind":"document","id":"x)" + QByteArray::number(i) + "\"}\n";
    const QString file = write("many.jsonl", content);
    Run r = concord({"import", project, file});
    QCOMPARE(r.code, 2);
    QCOMPARE(r.err.count(": text: missing (required)"), 50);
    QVERIFY(r.err.contains("and 10 more problems"));
}

void CliTest::problemsBeyondTheCollectedAreCountedAsAtLeast()
{
    // Reading collects 1000 problems and stops: of 1100 bad lines, 950 are not printed, and the
    // count cannot know of the last 100.
    const QString project = seededProject("cap.concord");
    QByteArray content;
    for (int i = 0; i < 1100; ++i)
        content += "x\n";
    const QString file = write("cap.jsonl", content);
    Run r = concord({"import", project, file});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("\n… and at least 950 more problems\n"), qPrintable(r.err.right(300)));
}

void CliTest::problemsArePrintedInFileAndLineOrder()
{
    // The planner checks documents, then items, then labels: these lines give it problems in the
    // order 3, 2, 1, and the file given second has one on line 1.
    const QString project = seededProject("order.concord");
    const QString before = concord({"export", project}).out;
    const QString first =
        write("order1.jsonl",
              R"({"kind":"label","item":"zz","rater":"a","preference":"A"})"
              "\n" +
                  QByteArray(kItem).replace("q1", "q9").replace(R"("document":"d1")", R"("document":"dX")") +
                  "\n"
                  R"({"kind":"document","id":"d1","text":"other"})"
                  "\n");
    const QString second =
        write("order0.jsonl", R"({"kind":"label","item":"zy","rater":"a","preference":"A"})"
                              "\n");
    Run r = concord({"import", project, first, second});
    QCOMPARE(r.code, 2);
    const QStringList lines = r.err.split('\n', Qt::SkipEmptyParts);
    QVERIFY2(lines.size() == 5, qPrintable(r.err));
    QVERIFY2(lines[0].startsWith(first + ":1: item: "), qPrintable(r.err));
    QVERIFY2(lines[1].startsWith(first + ":2: document: "), qPrintable(r.err));
    QVERIFY2(lines[2].startsWith(first + ":3: id: "), qPrintable(r.err));
    QVERIFY2(lines[3].startsWith(second + ":1: item: "), qPrintable(r.err));
    QCOMPARE(concord({"export", project}).out, before);
}

void CliTest::deeplyNestedValuesAreRefusedWithoutACrash_data()
{
    // 100,000 nested arrays (a 200 KB line) used to overflow the stack when a message or the stored
    // meta was written out.
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("field");
    const QByteArray deep = QByteArray(100'000, '[') + QByteArray(100'000, ']');
    QTest::newRow("meta") << R"({"kind":"document","id":"deep","text":"x","meta":{"a":)" + deep + "}}"
                          << "meta";
    QTest::newRow("config") << R"({"kind":"rater","id":"zz","rater_kind":"human","config":{"a":)" + deep +
                                   "}}"
                            << "config";
    QTest::newRow("evidence start")
        << R"({"kind":"label","item":"q1","rater":"a","evidence":[{"answer":"A","start":)" + deep +
               R"(,"end":1}]})"
        << "evidence[0].start";
    QTest::newRow("time_spent_s") << R"({"kind":"label","item":"q1","rater":"a","note":"x","time_spent_s":)" +
                                         deep + "}"
                                  << "time_spent_s";
}

void CliTest::deeplyNestedValuesAreRefusedWithoutACrash()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, field);
    const QString project = seededProject("deep.concord");
    const QString before = concord({"export", project}).out;
    const QString file = write("deep.jsonl", line + "\n");
    Run r = concord({"import", project, file});
    QCOMPARE(r.code, 2);
    QCOMPARE(r.err, QStringLiteral("%1:1: %2: nested deeper than 512 levels\n"
                                   "concord: nothing was imported; %3 is unchanged\n")
                        .arg(file, field, project));
    QCOMPARE(concord({"export", project}).out, before);
}

void CliTest::deepMetaWithinTheLimitIsImported()
{
    const QString project = seededProject("deepok.concord");
    const QByteArray deep = QByteArray(300, '[') + QByteArray(300, ']');
    const QByteArray line = R"({"kind":"document","id":"deep","text":"x","meta":{"a":)" + deep + "}}";
    const QString file = write("deepok.jsonl", line + "\n");
    Run r = concord({"import", project, file});
    QVERIFY2(r.code == 0, qPrintable(r.err.left(300)));
    QVERIFY(concord({"export", project}).out.contains(QString::fromUtf8(line)));
}

void CliTest::utf16FileIsRefusedInOneMessage()
{
    const QString project = seededProject("utf16.concord");
    const QString before = concord({"export", project}).out;
    const QString text = QString::fromUtf8(kDoc).replace("d1", "u1") + "\n" +
                         QString::fromUtf8(kDoc).replace("d1", "u2") + "\n";
    QByteArray utf16("\xFF\xFE"); // what `iconv -t utf-16` writes on a little-endian machine
    for (QChar c : text) {
        utf16 += char(c.unicode() & 0xFF);
        utf16 += char(c.unicode() >> 8);
    }
    const QString file = write("utf16.jsonl", utf16);
    Run r = concord({"import", project, file});
    QCOMPARE(r.code, 2);
    QCOMPARE(r.err, QStringLiteral("%1:1: line: the file is UTF-16, not UTF-8; save it as UTF-8\n"
                                   "concord: nothing was imported; %2 is unchanged\n")
                        .arg(file, project));
    QCOMPARE(concord({"export", project}).out, before);
}

void CliTest::projectErrorsAreOneClearLine()
{
    Run wrongExtension = concord({"new", path("project.txt")});
    QVERIFY(wrongExtension.code != 0);
    QCOMPARE(wrongExtension.err.count('\n'), 1);
    QVERIFY(wrongExtension.err.contains(".concord"));

    Run noFolder = concord({"new", path("no-such-folder/p.concord")});
    QCOMPARE(noFolder.code, 1);
    QCOMPARE(noFolder.err.count('\n'), 1);
    QVERIFY2(noFolder.err.contains("no-such-folder does not exist"), qPrintable(noFolder.err));

    Run missing = concord({"info", path("missing.concord")});
    QCOMPARE(missing.code, 1);
    QCOMPARE(missing.err, QStringLiteral("concord: %1: no such project file\n").arg(path("missing.concord")));

    const QString notSqlite = write("text.concord", "hello\n");
    Run text = concord({"info", notSqlite});
    QCOMPARE(text.code, 1);
    QVERIFY(text.err.contains("not a Concord project"));

    // A format number changed by hand (it indexes the migrations): damaged, not a crash.
    for (int version : {0, -1, -2147483647}) {
        const QString project = seededProject(QStringLiteral("version%1.concord").arg(version + 3));
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(project.toUtf8().constData(), &db), SQLITE_OK);
        QCOMPARE(sqlite3_exec(db, ("PRAGMA user_version = " + std::to_string(version)).c_str(), nullptr,
                              nullptr, nullptr),
                 SQLITE_OK);
        sqlite3_close(db);
        const Run r = concord({"info", project});
        QCOMPARE(r.code, 1);
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.contains("the project file is damaged (its format number is"), qPrintable(r.err));
    }

    // Counts a script cannot receive are a failure, not an empty success.
    QProcess full;
    full.setStandardOutputFile("/dev/full");
    full.start(kConcord, {"info", seededProject("full.concord"), "--json"});
    QVERIFY(full.waitForFinished(60000));
    QCOMPARE(full.exitCode(), 1);
    QVERIFY(QString::fromUtf8(full.readAllStandardError()).contains("cannot write to standard output"));
    // An export that cannot be written names where it was going: standard output, or the file.
    full.start(kConcord, {"export", seededProject("full.concord")});
    QVERIFY(full.waitForFinished(60000));
    QCOMPARE(full.exitCode(), 1);
    QVERIFY(QString::fromUtf8(full.readAllStandardError())
                .contains("cannot write the export to standard output"));
    const QString link = path("full-link.jsonl");
    QVERIFY(QFile::link("/dev/full", link));
    const Run toLink = concord({"export", seededProject("full.concord"), "-o", link});
    QCOMPARE(toLink.code, 1);
    QVERIFY2(toLink.err.contains(link + ": writing failed (is the disk full?)"), qPrintable(toLink.err));
}

void CliTest::lockedProjectIsReported()
{
    const QString project = seededProject("locked.concord");
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(project.toUtf8().constData(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    const QString file = write("more.jsonl", R"({"kind":"document","id":"d2","text":"x"})"
                                             "\n");
    Run r = concord({"import", project, file});
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("in use by another program"), qPrintable(r.err));
    QCOMPARE(r.err.count('\n'), 1);
}

void CliTest::fullDiskIsNamedAndReadingStillWorks()
{
    // A small file system filled to the last byte (a tmpfs; mounting one needs root).
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString disk = dir.path() + "/disk";
    QVERIFY(QDir().mkpath(disk));
    QProcess mount;
    mount.start("mount", {"-t", "tmpfs", "-o", "size=3m", "tmpfs", disk});
    if (::geteuid() != 0 || !mount.waitForFinished(10000) || mount.exitCode() != 0)
        QSKIP("needs root and permission to mount a tmpfs (a small disk to fill)");
    struct Unmount
    {
        QString path;
        ~Unmount() { QProcess::execute("umount", {path}); }
    } unmount{disk};
    const QString source = seededProject("full-source.concord");
    const QString project = disk + "/p.concord";
    QVERIFY(QFile::copy(source, project));
    {
        QFile filler(disk + "/filler");
        QVERIFY(filler.open(QIODevice::WriteOnly));
        const QByteArray block(4096, 'x');
        while (filler.write(block) == block.size() && filler.flush()) {
        }
    }
    const QStringList before = QDir(disk).entryList(QDir::Files);
    // Reading commands read the project as it is, with no room for SQLite's -shm file.
    Run info = concord({"info", project, "--json"});
    QVERIFY2(info.code == 0, qPrintable(info.err));
    QCOMPARE(QJsonDocument::fromJson(info.out.toUtf8()).object().value("items").toInt(), 1);
    QVERIFY(concord({"export", project}).out.contains("\"q1\""));
    // Writing commands say the disk is full, in one line, and leave nothing beside the project.
    Run import = concord({"import", project, kDemo});
    QCOMPARE(import.code, 1);
    QVERIFY2(import.err.contains(project + ": the disk is full"), qPrintable(import.err));
    QCOMPARE(import.err.count('\n'), 1);
    Run report = concord({"report", project, "-o", disk + "/r.html", "--bootstrap", "0"});
    QCOMPARE(report.code, 1);
    QVERIFY2(report.err.contains("r.html: writing failed"), qPrintable(report.err));
    QCOMPARE(QDir(disk).entryList(QDir::Files), before);
}

void CliTest::readOnlyFolderIsReadNotWritten()
{
    // A project on a read-only share or disk: the commands that only read work, create nothing
    // beside it and change nothing; the ones that write say why they cannot. Root is not held back
    // by a folder's mode, so as root (CI) the commands run as "nobody", from a copy of the binary
    // that "nobody" can reach.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QCOMPARE(::chmod(dir.path().toUtf8().constData(), 0755), 0);
    const QString share = dir.path() + "/share";
    QVERIFY(QDir().mkpath(share));
    const QString binary = dir.path() + "/concord";
    QVERIFY(QFile::copy(kConcord, binary));
    const QString project = share + "/p.concord";
    QCOMPARE(concord({"new", project}).code, 0);
    QCOMPARE(concord({"import", project, kDemo}).code, 0);
    // A second project left with its WAL (another program had it open when it was copied): the
    // rater added there is only in the -wal, which must be read too.
    const QString walLeft = share + "/w.concord";
    {
        const QString source = dir.path() + "/source.concord";
        QVERIFY(QFile::copy(project, source));
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(source.toUtf8().constData(), &db), SQLITE_OK);
        QCOMPARE(sqlite3_exec(db,
                              "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; "
                              "INSERT INTO raters(ext_id, kind) VALUES ('carol', 'human')",
                              nullptr, nullptr, nullptr),
                 SQLITE_OK);
        for (const char *suffix : {"", "-wal", "-shm"})
            QVERIFY(QFile::copy(source + suffix, walLeft + suffix));
        sqlite3_close(db);
    }
    QCOMPARE(::chmod(share.toUtf8().constData(), 0555), 0);
    auto run = [&](const QStringList &args) {
        if (::geteuid() != 0)
            return concord(args, QProcessEnvironment::systemEnvironment(), binary);
        return concord(QStringList{"--reuid=65534", "--regid=65534", "--clear-groups", "--", binary} + args,
                       QProcessEnvironment::systemEnvironment(), QStringLiteral("setpriv"));
    };
    const QByteArray before = [&] {
        QFile f(project);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }();

    Run info = run({"info", project, "--json"});
    QVERIFY2(info.code == 0, qPrintable(info.err));
    const QJsonObject counts = QJsonDocument::fromJson(info.out.toUtf8()).object();
    QCOMPARE(counts["items"].toInt(), 61);
    QCOMPARE(counts["raters"].toInt(), 3);
    const QString out = dir.path() + "/out"; // where "nobody" may write the export
    QVERIFY(QDir().mkpath(out));
    QCOMPARE(::chmod(out.toUtf8().constData(), 0777), 0);
    Run exported = run({"export", project, "-o", out + "/p.jsonl"});
    QVERIFY2(exported.code == 0, qPrintable(exported.err));
    QVERIFY(QFileInfo(out + "/p.jsonl").size() > 100000);
    Run agreement = run({"agreement", project, "--json", "--bootstrap", "0"});
    QVERIFY2(agreement.code == 0, qPrintable(agreement.err));
    Run fromWal = run({"info", walLeft, "--json"});
    QVERIFY2(fromWal.code == 0, qPrintable(fromWal.err));
    QCOMPARE(QJsonDocument::fromJson(fromWal.out.toUtf8()).object()["raters"].toInt(), 4);

    Run import = run({"import", project, kDemo});
    QCOMPARE(import.code, 1);
    QVERIFY2(import.err.contains("read-only"), qPrintable(import.err));
    QCOMPARE(import.err.count('\n'), 1);

    QCOMPARE(::chmod(share.toUtf8().constData(), 0755), 0);
    QStringList beside = QDir(share).entryList(QDir::Files);
    beside.sort();
    QCOMPARE(beside, (QStringList{"p.concord", "w.concord", "w.concord-shm", "w.concord-wal"}));
    QFile after(project);
    QVERIFY(after.open(QIODevice::ReadOnly));
    QVERIFY(after.readAll() == before);
}

void CliTest::noDisplayIsExplainedInOneLine()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *var : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        env.remove(QLatin1String(var));
    env.insert("HOME", m_dir.path());
    Run r = concord({}, env);
    QCOMPARE(r.code, 1);
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY(r.err.contains("xvfb-run"));
    QVERIFY(r.err.contains("concord --help"));
}

QTEST_APPLESS_MAIN(CliTest)
