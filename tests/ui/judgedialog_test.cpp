// The Judge dialog over a real project file: the estimate it shows before anything is sent, the
// progress and failure log of a run (through storage::runJudge with an in-memory server), cancel
// and resume, "edit a template, re-run on the gold set" making a new judge rater, the key from
// the environment or the keychain (no keychain service runs here: the tests see how the dialog
// copes), and the calibration loop end to end against tests/app/fake_llm_server.py.
#include "judgedialog_test.h"

#include "curltransport.h"
#include "judgedialog.h"
#include "judgekeys.h"
#include "judgerunner.h"
#include "judgestore.h"
#include "judgetemplates.h"
#include "labelquery.h"
#include "preferences.h"
#include "project.h"
#include "sqlite.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

#include <nlohmann/json.hpp>

#include <algorithm>

#include <chrono>
#include <deque>
#include <thread>

using namespace concord;
using json = nlohmann::json;

namespace {

/// An OpenAI-compatible server in memory, for the preference step only: the answer saying GOOD
/// wins; a question saying BROKEN gets a reply that is not JSON. Each reply takes `delay`.
class SlowServer final : public model::HttpTransport
{
public:
    explicit SlowServer(std::chrono::milliseconds delay) : m_delay(delay) {}

    void start(std::uint64_t tag, model::HttpRequest request) override
    {
        const json body = json::parse(request.body);
        const std::string prompt = body["messages"].back()["content"];
        std::string content;
        if (prompt.find("BROKEN") != std::string::npos) {
            content = "I would rather not say.";
        } else {
            const std::size_t first = prompt.find("GOOD"), second = prompt.find("<answer_2>");
            const std::string pick = first < second ? "1" : "2";
            content = json{
                {"explanation", "e"},
                {"relevance", pick},
                {"comprehensiveness", pick},
                {"conciseness", "tie"},
                {"overall",
                 pick}}.dump();
        }
        model::HttpResponse r;
        r.status = 200;
        r.body = json{{"choices", {{{"finish_reason", "stop"}, {"message", {{"content", content}}}}}}}.dump();
        m_done.push_back({tag, std::move(r)});
    }
    std::vector<Completed> collect(std::chrono::milliseconds timeout) override
    {
        std::this_thread::sleep_for(m_done.empty() ? timeout : m_delay);
        std::vector<Completed> out;
        if (!m_done.empty()) {
            out.push_back(std::move(m_done.front()));
            m_done.pop_front();
        }
        return out;
    }
    void abandonAll() override { m_done.clear(); }

private:
    std::chrono::milliseconds m_delay;
    std::deque<Completed> m_done;
};

ui::WorkspaceServices::Judge services(std::chrono::milliseconds delay)
{
    ui::WorkspaceServices::Judge s;
    s.estimate = [](const std::string &path,
                    const model::JudgeRunOptions &o) -> model::Result<model::JudgeEstimate> {
        auto project = storage::Project::open(path);
        if (!project)
            return project.error();
        return storage::estimateJudgeRun(**project, o);
    };
    s.run = [delay](const std::string &path, const model::JudgeRunOptions &o,
                    const std::function<void(const model::JudgeProgress &)> &progress,
                    const std::atomic<bool> *cancel) -> model::Result<model::JudgeRunSummary> {
        auto project = storage::Project::open(path);
        if (!project)
            return project.error();
        SlowServer server(delay);
        return storage::runJudge(**project, server, o, progress, cancel);
    };
    return s;
}

std::string item(const std::string &id, const std::string &question)
{
    return json{{"kind", "item"},
                {"id", id},
                {"document", "lease"},
                {"question", question},
                {"question_type", "fact_recall"},
                {"answers",
                 {{"A", {{"system", "s1"}, {"text", "GOOD The rent is 1,200 a month."}}},
                  {"B", {{"system", "s2"}, {"text", "The rent is 1,500 a month."}}}}}}
        .dump();
}

/// The first column of every row of `sql` on the project.
QStringList query(const QString &path, const std::string &sql)
{
    auto project = storage::Project::open(path.toStdString());
    if (!project)
        qFatal("%s", project.error().message.c_str());
    storage::Statement s((*project)->database(), sql);
    QStringList rows;
    while (s.step())
        rows << QString::fromStdString(s.optionalText(0).value_or(""));
    return rows;
}

/// The judge as the app wires it: libcurl to a real server, and the labels for the comparison.
ui::WorkspaceServices::Judge curlServices()
{
    ui::WorkspaceServices::Judge s = services(std::chrono::milliseconds(0));
    s.run = [](const std::string &path, const model::JudgeRunOptions &o,
               const std::function<void(const model::JudgeProgress &)> &progress,
               const std::atomic<bool> *cancel) -> model::Result<model::JudgeRunSummary> {
        auto project = storage::Project::open(path);
        if (!project)
            return project.error();
        storage::CurlTransport::Options options;
        options.maxConnections = o.concurrency;
        auto transport = storage::CurlTransport::create(options);
        if (!transport)
            return transport.error();
        return storage::runJudge(**project, **transport, o, progress, cancel);
    };
    s.readLabels = storage::readCurrentLabelsAt;
    return s;
}

/// tests/app/fake_llm_server.py on a free port of 127.0.0.1, stopped with the test.
class FakeServer
{
public:
    FakeServer()
    {
        m_process.start("python3", {QStringLiteral(CONCORD_SOURCE_DIR "/tests/app/fake_llm_server.py")});
        if (!m_process.waitForStarted(10000) || !m_process.waitForReadyRead(10000))
            qFatal("the fake server did not start: %s", m_process.readAllStandardError().constData());
        const QByteArray line = m_process.readLine().trimmed();
        if (!line.startsWith("PORT "))
            qFatal("unexpected first line from the fake server: %s", line.constData());
        m_url = QStringLiteral("http://127.0.0.1:%1").arg(line.mid(5).toInt());
    }
    ~FakeServer()
    {
        m_process.terminate();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
        m_process.waitForFinished(5000);
    }
    QString url() const { return m_url; }

private:
    QProcess m_process;
    QString m_url;
};

/// The push button of `parent` with this text (mnemonic included), or nullptr.
QPushButton *buttonNamed(QWidget *parent, const QString &text)
{
    for (QPushButton *b : parent->findChildren<QPushButton *>())
        if (b->text() == text)
            return b;
    return nullptr;
}

struct Fixture
{
    QSettings settings;
    ui::Preferences preferences;
    ui::JudgeDialog dialog;

    Fixture(const QString &dir, const QString &project, std::chrono::milliseconds delay,
            std::vector<std::string> gold = {})
        : Fixture(dir, project, services(delay), std::move(gold))
    {
    }
    Fixture(const QString &dir, const QString &project, ui::WorkspaceServices::Judge judge,
            std::vector<std::string> gold)
        : settings(dir + "/settings.ini", QSettings::IniFormat), preferences(settings),
          dialog(project, std::move(judge), std::move(gold), preferences)
    {
        dialog.profileBox()->setCurrentIndex(dialog.profileBox()->findData("openai-compatible"));
        dialog.baseUrlEdit()->setText("http://127.0.0.1:9");
        dialog.modelEdit()->setText("fake");
        for (QCheckBox *box : dialog.findChildren<QCheckBox *>())
            if (box->text().startsWith("Faithfulness") || box->text().startsWith("No-info"))
                box->setChecked(false);
        // The keychain is asked for the profile's key (OPENAI_API_KEY is unset here); it answers
        // at once that it cannot be used, and Start waits for that answer.
        if (!QTest::qWaitFor([this] { return !dialog.keychainBusy(); }, 10000))
            qWarning("the keychain did not answer within 10 s");
    }
    /// Waits for the estimate of the fields as they are now.
    bool estimate()
    {
        QSignalSpy spy(&dialog, &ui::JudgeDialog::estimated);
        return spy.wait(10000);
    }
};

} // namespace

void JudgeDialogTest::initTestCase()
{
    // No session bus, so no keychain service, as on a server or in CI: the tests never touch a
    // real keychain (and a stray write would go to a test service name, not Concord's).
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/concord-test-bus");
    qunsetenv("DISPLAY");
    qunsetenv("OPENAI_API_KEY");
    qunsetenv("CONCORD_TEST_KEY");
    ui::setKeychainService(QStringLiteral("ConcordTest"));
}

void JudgeDialogTest::init()
{
    m_project = m_dir.filePath(QStringLiteral("%1.concord").arg(QTest::currentTestFunction()));
    auto project = storage::Project::create(m_project.toStdString());
    QVERIFY(project);
    std::string content = R"({"kind":"document","id":"lease","text":"The rent is 1,200 a month."})";
    content += "\n";
    for (const char *id : {"i1", "i2", "i3", "i4", "i5"})
        content += item(id, std::string("What is the rent? (") + id + ")") + "\n"; // no two requests alike
    content += item("i6", "What is the rent? BROKEN") + "\n";
    std::vector<model::Diagnostic> diagnostics;
    QVERIFY((*project)->importContent("items.jsonl", content, diagnostics));
}

void JudgeDialogTest::profileFillsServerAndKey()
{
    Fixture f(m_dir.path(), m_project, std::chrono::milliseconds(0));
    f.dialog.profileBox()->setCurrentIndex(f.dialog.profileBox()->findData("anthropic"));
    const model::JudgeRunOptions o = f.dialog.options();
    QVERIFY(o.config.api == model::JudgeApi::Anthropic);
    QCOMPARE(QString::fromStdString(o.config.baseUrl), "https://api.anthropic.com");
    QVERIFY(!o.config.seed); // Anthropic takes none
    QCOMPARE(o.maxContext.value_or(0), 200000);
    QCOMPARE(f.dialog.keyEnvEdit()->text(), "ANTHROPIC_API_KEY");
    f.dialog.profileBox()->setCurrentIndex(f.dialog.profileBox()->findData("llama-server"));
    QCOMPARE(f.dialog.baseUrlEdit()->text(), "http://127.0.0.1:8080");
    QVERIFY(f.dialog.options().config.forms.topLevelJsonSchema);
    QCOMPARE(f.dialog.options().tasks.size(), std::size_t(1)); // only preference is ticked
}

void JudgeDialogTest::startNeedsAServerUrlAndIsNeverImplied()
{
    Fixture f(m_dir.path(), m_project, std::chrono::milliseconds(0));
    QPushButton *start = buttonNamed(&f.dialog, QStringLiteral("&Start"));
    QVERIFY(start);
    // Enter in a field must not start a paid run: Start is no default button.
    QVERIFY(!start->isDefault() && !start->autoDefault());
    f.dialog.baseUrlEdit()->setText("not a url"); // the CLI refuses it too
    QTRY_VERIFY(!start->isEnabled());
    QVERIFY(!f.dialog.start());
    QVERIFY(!f.dialog.isRunning());
    QTRY_VERIFY(f.dialog.estimateText().contains("must start with http:// or https://"));
    f.dialog.baseUrlEdit()->setText("http://127.0.0.1:9");
    QTRY_VERIFY(start->isEnabled());
}

void JudgeDialogTest::undoingATemplateEditGivesTheSameVersionBack()
{
    Fixture f(m_dir.path(), m_project, std::chrono::milliseconds(0));
    QPushButton *editButton = buttonNamed(&f.dialog, QStringLiteral("Edit &Templates…"));
    QVERIFY(editButton);
    const model::PromptTemplate original = f.dialog.templates().front();
    // In the editor: the first tab's text set to `text`, then Use as New Versions.
    auto editFirst = [&](const QString &text) {
        QTimer::singleShot(0, this, [text] {
            QWidget *editor = QApplication::activeModalWidget();
            QVERIFY(editor);
            qobject_cast<QPlainTextEdit *>(editor->findChild<QTabWidget *>()->widget(0))->setPlainText(text);
            QPushButton *use = buttonNamed(editor, QStringLiteral("Use as New Versions"));
            QVERIFY(use);
            use->click();
        });
        editButton->click();
    };
    editFirst(QString::fromStdString(original.text) + "\nBe strict about numbers.");
    QCOMPARE(f.dialog.templates().front().version, original.version + 1);
    editFirst(QString::fromStdString(original.text)); // the edit undone
    QCOMPARE(f.dialog.templates().front().version, original.version);
    QCOMPARE(f.dialog.templates().front().text, original.text);
}

void JudgeDialogTest::goldSetGrowsWhileTheDialogIsOpen()
{
    Fixture f(m_dir.path(), m_project, std::chrono::milliseconds(0)); // no gold yet
    QVERIFY(!f.dialog.goldOnlyBox()->isEnabled());
    QVERIFY(f.dialog.goldOnlyBox()->text().contains("(0 adjudicated items)"));
    f.dialog.addGoldItem("i1"); // the lead adjudicates in the Review view
    f.dialog.addGoldItem("i1");
    f.dialog.addGoldItem("i3");
    QVERIFY(f.dialog.goldOnlyBox()->isEnabled());
    QVERIFY2(f.dialog.goldOnlyBox()->text().contains("(2 adjudicated items)"),
             qPrintable(f.dialog.goldOnlyBox()->text()));
    f.dialog.goldOnlyBox()->setChecked(true);
    QCOMPARE(f.dialog.options().items, (std::vector<std::string>{"i1", "i3"}));
}

void JudgeDialogTest::estimateShowsCallsTokensAndCost()
{
    Fixture f(m_dir.path(), m_project, std::chrono::milliseconds(0));
    QVERIFY(f.estimate());
    QString text = f.dialog.estimateText();
    QVERIFY2(text.contains("6 items: 6 tasks to judge, 0 already judged"), qPrintable(text));
    QVERIFY2(text.contains("12 calls, 0 answered"), qPrintable(text)); // both answer orders
    QVERIFY2(text.contains("enter the prices"), qPrintable(text));

    // The cost follows the token counts and the prices per million tokens.
    auto project = storage::Project::open(m_project.toStdString());
    QVERIFY(project);
    const auto expected = storage::estimateJudgeRun(**project, f.dialog.options());
    QVERIFY(expected);
    QCOMPARE(expected->calls, 12);
    QVERIFY(expected->promptTokens > 12 * 100); // the prompt template alone is longer than that
    QCOMPARE(expected->outputTokens, 12 * f.dialog.options().config.maxTokens);
    f.dialog.promptPriceBox()->setValue(2.5);
    f.dialog.outputPriceBox()->setValue(10.0);
    text = f.dialog.estimateText();
    const QString cost = QString::number(expected->cost(2.5, 10.0), 'f', 2);
    QVERIFY2(text.contains("$" + cost), qPrintable(text + " / expected $" + cost));
    // Nothing was written by estimating: no judge rater yet.
    QCOMPARE(query(m_project, "SELECT count(*) FROM raters WHERE kind = 'judge'"), QStringList{"0"});
}

void JudgeDialogTest::runsTabListsTheRunJustEnded()
{
    ui::WorkspaceServices::Judge judge = services(std::chrono::milliseconds(0));
    judge.runs = [](const std::string &path) -> model::Result<std::vector<model::JudgeRunRecord>> {
        auto project = storage::Project::openForReading(path);
        if (!project)
            return project.error();
        return storage::JudgeStore(**project).runs();
    };
    Fixture f(m_dir.path(), m_project, std::move(judge), {});
    QTRY_VERIFY(!f.dialog.runsLoading());
    QCOMPARE(f.dialog.runsView()->topLevelItemCount(), 0); // no run yet
    // The counts are of tasks, and the headers say so.
    QVERIFY(f.dialog.runsView()->headerItem()->toolTip(4).contains("up to three tasks"));
    QSignalSpy finished(&f.dialog, &ui::JudgeDialog::runFinished);
    QVERIFY(f.dialog.start());
    QVERIFY(finished.wait(30000));
    QTRY_COMPARE(f.dialog.runsView()->topLevelItemCount(), 1);
    const QTreeWidgetItem *run = f.dialog.runsView()->topLevelItem(0);
    QCOMPARE(run->text(2), QString("fake")); // the model
    QCOMPARE(run->text(3), QString("Finished"));
    QCOMPARE(run->text(4), QString("5")); // judged
    QCOMPARE(run->text(5), QString("1")); // failed
    QVERIFY(!run->text(8).isEmpty());     // finished at
}

void JudgeDialogTest::runShowsProgressAndFailures()
{
    Fixture f(m_dir.path(), m_project, std::chrono::milliseconds(5));
    QSignalSpy finished(&f.dialog, &ui::JudgeDialog::runFinished);
    QVERIFY(f.dialog.start());
    QVERIFY(f.dialog.isRunning());
    QVERIFY(finished.wait(30000));
    QCOMPARE(f.dialog.progressBar()->maximum(), 6);
    QCOMPARE(f.dialog.progressBar()->value(), 6);
    QVERIFY2(f.dialog.progressText().contains("judged 5, failed 1"), qPrintable(f.dialog.progressText()));
    QVERIFY2(f.dialog.progressText().contains("Position consistency 100.0%"),
             qPrintable(f.dialog.progressText()));
    const QString log = f.dialog.failureLog();
    QVERIFY2(log.startsWith("i6 · preference: ") && log.contains("not valid JSON"), qPrintable(log));
    QCOMPARE(query(m_project, "SELECT count(*) FROM labels l JOIN raters r ON r.id = l.rater_id "
                              "WHERE r.kind = 'judge' AND l.preference = 'A'"),
             QStringList{"5"});
    // The estimate now counts what is done.
    QVERIFY(f.estimate());
    QVERIFY2(f.dialog.estimateText().contains("1 task to judge, 5 already judged"),
             qPrintable(f.dialog.estimateText()));
}

void JudgeDialogTest::cancelKeepsWhatWasJudgedAndTheNextRunContinues()
{
    Fixture f(m_dir.path(), m_project, std::chrono::milliseconds(250));
    f.dialog.findChildren<QSpinBox *>().at(1)->setValue(1); // concurrency 1: one reply at a time
    QSignalSpy finished(&f.dialog, &ui::JudgeDialog::runFinished);
    QVERIFY(f.dialog.start());
    QTRY_VERIFY_WITH_TIMEOUT(f.dialog.progressBar()->value() >= 1, 20000);
    f.dialog.cancelRun();
    QVERIFY(finished.wait(20000));
    QVERIFY(!f.dialog.isRunning());
    QVERIFY2(f.dialog.progressText().startsWith("Cancelled"), qPrintable(f.dialog.progressText()));
    const int judged =
        query(m_project, "SELECT count(*) FROM judge_outcomes WHERE status = 'judged'").front().toInt();
    QVERIFY2(judged >= 1 && judged < 5, qPrintable(QString::number(judged)));

    // Starting again does only the rest, and no item is judged twice.
    QVERIFY(f.dialog.start());
    QVERIFY(finished.wait(30000));
    QCOMPARE(query(m_project, "SELECT count(*) FROM judge_outcomes WHERE status = 'judged'"),
             QStringList{"5"});
    QCOMPARE(query(m_project, "SELECT count(*) FROM labels"), QStringList{"5"});
}

void JudgeDialogTest::editedTemplateOnTheGoldSetIsANewJudge()
{
    Fixture f(m_dir.path(), m_project, std::chrono::milliseconds(0), {"i2", "i4"});
    QSignalSpy finished(&f.dialog, &ui::JudgeDialog::runFinished);
    QVERIFY(f.dialog.start()); // the judge with the built-in prompts, on everything
    QVERIFY(finished.wait(30000));
    const std::string first = model::judgeRaterId(f.dialog.options().config);

    // A new version of the preference prompt, run on the gold set only.
    model::PromptTemplate edited = f.dialog.templates().front();
    QVERIFY(edited.step == model::JudgeStep::Preference);
    auto v2 = model::parsePromptTemplate(model::JudgeStep::Preference, 2,
                                         edited.text + "\nBe strict about numbers.");
    QVERIFY(v2);
    f.dialog.setTemplates({*v2});
    f.dialog.goldOnlyBox()->setChecked(true);
    QVERIFY(f.estimate());
    const std::string second = model::judgeRaterId(f.dialog.options().config);
    QVERIFY(first != second);
    QVERIFY2(f.dialog.estimateText().contains("2 items: 2 tasks to judge, 0 already judged"),
             qPrintable(f.dialog.estimateText()));
    QVERIFY(f.dialog.start());
    QVERIFY(finished.wait(30000));

    // Two judges side by side; the new one judged exactly the gold items, and its template is stored.
    QCOMPARE(query(m_project,
                   "SELECT r.ext_id || '|' || count(l.id) FROM raters r JOIN labels l ON l.rater_id = r.id "
                   "WHERE r.kind = 'judge' GROUP BY r.id ORDER BY count(l.id)"),
             (QStringList{QString::fromStdString(second) + "|2", QString::fromStdString(first) + "|5"}));
    QCOMPARE(query(m_project, "SELECT i.ext_id FROM labels l JOIN items i ON i.id = l.item_id "
                              "JOIN raters r ON r.id = l.rater_id WHERE r.ext_id = '" +
                                  second + "' ORDER BY 1")
                 .join(','),
             "i2,i4");
    QCOMPARE(
        query(m_project,
              "SELECT CAST(version AS TEXT) FROM judge_templates WHERE step = 'preference' ORDER BY version"),
        (QStringList{"1", "2"}));
}

void JudgeDialogTest::failureLogFillsWhileTheRunGoes()
{
    // A project whose first item fails, then many that take a while.
    const QString file = m_dir.filePath("live.concord");
    {
        auto project = storage::Project::create(file.toStdString());
        QVERIFY(project);
        std::string content = R"({"kind":"document","id":"lease","text":"The rent is 1,200 a month."})";
        content += "\n" + item("broken", "What is the rent? BROKEN") + "\n";
        for (int i = 0; i < 30; ++i) {
            const std::string n = std::to_string(i);
            content +=
                item(std::string("i").append(n), std::string("What is the rent? (").append(n).append(")"));
            content += '\n';
        }
        std::vector<model::Diagnostic> diagnostics;
        QVERIFY((*project)->importContent("items.jsonl", content, diagnostics));
    }
    Fixture f(m_dir.path(), file, std::chrono::milliseconds(40));
    f.dialog.findChildren<QSpinBox *>().at(1)->setValue(1); // concurrency 1: 63 replies, 40 ms each
    QSignalSpy finished(&f.dialog, &ui::JudgeDialog::runFinished);
    QVERIFY(f.dialog.start());
    // The failure shows while the run still has about 60 replies to wait for.
    QTRY_VERIFY_WITH_TIMEOUT(!f.dialog.failureLog().isEmpty(), 20000);
    QVERIFY(f.dialog.isRunning());
    QVERIFY(finished.isEmpty());
    QVERIFY2(f.dialog.failureLog().startsWith("broken · preference: preference "),
             qPrintable(f.dialog.failureLog()));
    QVERIFY(finished.wait(30000));
    // At the end it is listed once, not again from the summary.
    QCOMPARE(f.dialog.failureLog().count('\n'), 0);
    QCOMPARE(finished.front().front().value<model::JudgeRunSummary>().failures.size(), std::size_t(1));
}

void JudgeDialogTest::keyFromTheVariableComesBeforeTheKeychain()
{
    Fixture f(m_dir.path(), m_project, std::chrono::milliseconds(0));
    f.dialog.profileBox()->setCurrentIndex(f.dialog.profileBox()->findData("openai"));
    f.dialog.keyEnvEdit()->setText("CONCORD_TEST_KEY");
    QTRY_VERIFY_WITH_TIMEOUT(!f.dialog.keychainBusy(), 10000);
    // Unset: the keychain was asked, and the line says why it gave nothing.
    QVERIFY2(
        f.dialog.keyStateText().contains("CONCORD_TEST_KEY is not set, and the OS keychain cannot be used"),
        qPrintable(f.dialog.keyStateText()));
    QVERIFY2(f.dialog.keyStateText().contains("the server will refuse the requests"),
             qPrintable(f.dialog.keyStateText()));
    QVERIFY(f.dialog.options().apiKey.empty());
    // A hosted server without a key would refuse every request: Start waits for the key.
    QPushButton *start = buttonNamed(&f.dialog, QStringLiteral("&Start"));
    QVERIFY(start);
    QTRY_VERIFY(!start->isEnabled());
    QVERIFY(!f.dialog.start());
    QVERIFY(!f.dialog.isRunning());
    QVERIFY2(f.dialog.progressText().contains("No API key"), qPrintable(f.dialog.progressText()));

    qputenv("CONCORD_TEST_KEY", "sk-from-the-environment");
    f.dialog.keyEnvEdit()->setText("CONCORD_TEST_KEY "); // any edit looks again
    QVERIFY(!f.dialog.keychainBusy());                   // the variable is set: the keychain is not asked
    QVERIFY2(f.dialog.keyStateText().contains("✓ from CONCORD_TEST_KEY"),
             qPrintable(f.dialog.keyStateText()));
    QCOMPARE(f.dialog.options().apiKey, "sk-from-the-environment");
    QTRY_VERIFY(start->isEnabled());
    qunsetenv("CONCORD_TEST_KEY");
    // A local server (http://) usually needs none: Start is not held back.
    f.dialog.keyEnvEdit()->setText("CONCORD_TEST_KEY");
    f.dialog.baseUrlEdit()->setText("http://127.0.0.1:9");
    QTRY_VERIFY_WITH_TIMEOUT(!f.dialog.keychainBusy(), 10000);
    QTRY_VERIFY(start->isEnabled());
}

void JudgeDialogTest::keychainWithoutAServiceSaysSoAndStoresNothing()
{
    Fixture f(m_dir.path(), m_project, std::chrono::milliseconds(0));
    f.dialog.profileBox()->setCurrentIndex(f.dialog.profileBox()->findData("openai"));
    QTRY_VERIFY_WITH_TIMEOUT(!f.dialog.keychainBusy(), 10000);
    QSignalSpy changed(&f.dialog, &ui::JudgeDialog::keyStateChanged);
    QElapsedTimer clock;
    clock.start();
    f.dialog.storeKeyInKeychain("sk-typed-into-the-dialog");
    QVERIFY(changed.wait(ui::kKeychainTimeout.count() + 5000));
    QVERIFY2(clock.elapsed() < ui::kKeychainTimeout.count(), "the store waited for the timeout");
    QVERIFY2(f.dialog.keyStateText().contains("Not stored: the OS keychain cannot be used"),
             qPrintable(f.dialog.keyStateText()));
    // Not kept anywhere instead: not used for the run, not in the settings.
    QVERIFY(f.dialog.options().apiKey.empty());
    f.settings.sync();
    QFile ini(f.settings.fileName());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    QVERIFY(!ini.readAll().contains("sk-typed-into-the-dialog"));
    // Forgetting fails the same way, and nothing hangs or crashes.
    f.dialog.forgetKeychainKey();
    QVERIFY(changed.wait(ui::kKeychainTimeout.count() + 5000));
    QVERIFY2(f.dialog.keyStateText().contains("Not removed"), qPrintable(f.dialog.keyStateText()));
}

void JudgeDialogTest::calibrationComparesTheEditedJudgeWithThePreviousAgainstGold()
{
    // Seven adjudicated items and one without gold. The fake server prefers the answer saying GOOD
    // (a tie when neither does); a template carrying [fake:biased] makes it pick whichever answer
    // is shown first, so its two orders disagree and every verdict is a tie.
    //   gold      g1 A  g2 A  g3 A  g4 tie  g5 tie  g6 B  g7 tie
    //   previous  g1 A  g2 A  g3 A  g4 tie  g5 tie  g6 B  g7 A     6 of 7 agree: kappa 23/30
    //   edited    tie on all seven                                 3 of 7 agree: kappa 0
    const QString file = m_dir.filePath("calibration.concord");
    {
        auto project = storage::Project::create(file.toStdString());
        QVERIFY(project);
        auto withAnswers = [](const std::string &id, const std::string &a, const std::string &b) {
            return json{
                {"kind", "item"},
                {"id", id},
                {"document", "lease"},
                {"question", "What is the rent? (" + id + ")"},
                {"question_type", "fact_recall"},
                {"answers", {{"A", {{"system", "s1"}, {"text", a}}}, {"B", {{"system", "s2"}, {"text", b}}}}}}
                .dump();
        };
        std::string content = R"({"kind":"document","id":"lease","text":"The rent is 1,200 a month."})";
        content += "\n";
        content += R"({"kind":"rater","id":"lead","rater_kind":"gold","name":"Lead"})";
        content += "\n";
        const std::pair<const char *, const char *> gold[] = {
            {"g1", "A"}, {"g2", "A"}, {"g3", "A"}, {"g4", "tie"}, {"g5", "tie"}, {"g6", "B"}, {"g7", "tie"}};
        for (const auto &[id, verdict] : gold) {
            const std::string v = verdict;
            const bool goodA = v == "A" || std::string(id) == "g7", goodB = v == "B";
            content += withAnswers(id, goodA ? "GOOD The rent is 1,200." : "The rent is 1,200.",
                                   goodB ? "GOOD It is 1,200 a month." : "It is 1,200 a month.") +
                       "\n";
            content +=
                json{{"kind", "label"}, {"item", id}, {"rater", "lead"}, {"preference", v}}.dump() + "\n";
        }
        content += withAnswers("n1", "GOOD The rent is 1,200.", "It is 1,200 a month.") + "\n";
        std::vector<model::Diagnostic> diagnostics;
        QVERIFY((*project)->importContent("items.jsonl", content, diagnostics));
    }
    FakeServer server;
    Fixture f(m_dir.path(), file, curlServices(), {"g1", "g2", "g3", "g4", "g5", "g6", "g7"});
    f.dialog.baseUrlEdit()->setText(server.url());
    const std::string previous = model::judgeRaterId(f.dialog.options().config);

    model::PromptTemplate edited = f.dialog.templates().front();
    QVERIFY(edited.step == model::JudgeStep::Preference);
    auto v2 = model::parsePromptTemplate(model::JudgeStep::Preference, 2, edited.text + "\n[fake:biased]");
    QVERIFY(v2);
    QSignalSpy calibrated(&f.dialog, &ui::JudgeDialog::calibrated);
    QSignalSpy finished(&f.dialog, &ui::JudgeDialog::runFinished);
    QVERIFY(f.dialog.calibrate({*v2}));
    QVERIFY(f.dialog.isCalibrating());
    QVERIFY(!f.dialog.start()); // one thing at a time
    QVERIFY(calibrated.wait(60000));
    QVERIFY(!f.dialog.isCalibrating());
    QCOMPARE(finished.size(), 2); // the previous judge on gold, then the edited one
    const std::string edited2 = model::judgeRaterId(f.dialog.options().config);
    QVERIFY(edited2 != previous);
    QVERIFY(f.dialog.goldOnlyBox()->isChecked());

    // Both judges judged exactly the gold set.
    for (const std::string &rater : {previous, edited2})
        QCOMPARE(
            query(file, "SELECT group_concat(i.ext_id) FROM (SELECT i.ext_id FROM labels l JOIN items i ON "
                        "i.id = l.item_id JOIN raters r ON r.id = l.rater_id WHERE r.ext_id = '" +
                            rater + "' ORDER BY i.ext_id) i"),
            QStringList{"g1,g2,g3,g4,g5,g6,g7"});

    // The numbers of `concord compare --against gold`, worked out by hand above.
    const std::vector<model::JudgeComparison> &comparison = f.dialog.calibration();
    const auto preference =
        std::find_if(comparison.begin(), comparison.end(),
                     [](const model::JudgeComparison &c) { return c.facet == model::Facet::Preference; });
    QVERIFY(preference != comparison.end());
    QCOMPARE(preference->n, 7);
    QVERIFY(qAbs(preference->kappa1.kappa.value_or(-9) - 23.0 / 30.0) < 1e-9);
    QVERIFY(qAbs(preference->kappa2.kappa.value_or(-9)) < 1e-9);
    QVERIFY(qAbs(preference->difference.value_or(-9) + 23.0 / 30.0) < 1e-9);
    QVERIFY(preference->differenceCiLow && preference->differenceCiHigh);
    QCOMPARE(preference->nowAgree.size(), std::size_t(1));
    QCOMPARE(preference->nowAgree.front().itemId, "g7");
    QCOMPARE(preference->nowDisagree.size(), std::size_t(4));

    // As the panel shows them.
    const QString text = f.dialog.calibrationText();
    QVERIFY2(text.contains(QString::fromStdString(previous)) &&
                 text.contains(QString::fromStdString(edited2)),
             qPrintable(text));
    QVERIFY2(text.contains("preference v1 → v2"), qPrintable(text));
    QVERIFY2(text.contains("0.767 [") && text.contains("-0.767 ["), qPrintable(text));
    QVERIFY2(text.contains("preference: now agrees with gold on g7"), qPrintable(text));
    QVERIFY2(text.contains("preference: now disagrees with gold on g1, g2, g3, g6"), qPrintable(text));
    QVERIFY2(text.contains("concord compare"), qPrintable(text));
    if (const QString shots = qEnvironmentVariable("CONCORD_JUDGE_SCREENSHOTS"); !shots.isEmpty()) {
        f.dialog.show();
        f.dialog.grab().save(shots + "/judge-calibration.png");
    }
}

QTEST_MAIN(JudgeDialogTest)
