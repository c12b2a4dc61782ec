// The Judge dialog over a real project file: the estimate it shows before anything is sent, the
// progress and failure log of a run (through storage::runJudge with an in-memory server), cancel
// and resume, and "edit a template, re-run on the gold set" making a new judge rater.
#include "judgedialog_test.h"

#include "judgedialog.h"
#include "judgerunner.h"
#include "judgetemplates.h"
#include "preferences.h"
#include "project.h"
#include "sqlite.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QProgressBar>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>

#include <nlohmann/json.hpp>

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
            content = json{{"explanation", "e"},
                           {"relevance", pick},
                           {"comprehensiveness", pick},
                           {"conciseness", "tie"},
                           {"overall", pick}}
                          .dump();
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
    s.estimate = [](const std::string &path, const model::JudgeRunOptions &o) -> model::Result<model::JudgeEstimate> {
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

struct Fixture
{
    QSettings settings;
    ui::Preferences preferences;
    ui::JudgeDialog dialog;

    Fixture(const QString &dir, const QString &project, std::chrono::milliseconds delay,
            std::vector<std::string> gold = {})
        : settings(dir + "/settings.ini", QSettings::IniFormat), preferences(settings),
          dialog(project, services(delay), std::move(gold), preferences)
    {
        dialog.profileBox()->setCurrentIndex(dialog.profileBox()->findData("openai-compatible"));
        dialog.baseUrlEdit()->setText("http://127.0.0.1:9");
        dialog.modelEdit()->setText("fake");
        for (QCheckBox *box : dialog.findChildren<QCheckBox *>())
            if (box->text().startsWith("Faithfulness") || box->text().startsWith("No-info"))
                box->setChecked(false);
    }
    /// Waits for the estimate of the fields as they are now.
    bool estimate()
    {
        QSignalSpy spy(&dialog, &ui::JudgeDialog::estimated);
        return spy.wait(10000);
    }
};

} // namespace

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
    QCOMPARE(f.dialog.findChildren<QLineEdit *>().at(2)->text(), "ANTHROPIC_API_KEY");
    f.dialog.profileBox()->setCurrentIndex(f.dialog.profileBox()->findData("llama-server"));
    QCOMPARE(f.dialog.baseUrlEdit()->text(), "http://127.0.0.1:8080");
    QVERIFY(f.dialog.options().config.forms.topLevelJsonSchema);
    QCOMPARE(f.dialog.options().tasks.size(), std::size_t(1)); // only preference is ticked
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
    QVERIFY2(f.dialog.progressText().contains("Position consistency 100.0%"), qPrintable(f.dialog.progressText()));
    const QString log = f.dialog.failureLog();
    QVERIFY2(log.startsWith("i6 · preference: ") && log.contains("not valid JSON"), qPrintable(log));
    QCOMPARE(query(m_project, "SELECT count(*) FROM labels l JOIN raters r ON r.id = l.rater_id "
                              "WHERE r.kind = 'judge' AND l.preference = 'A'"),
             QStringList{"5"});
    // The estimate now counts what is done.
    QVERIFY(f.estimate());
    QVERIFY2(f.dialog.estimateText().contains("1 task to judge, 5 already judged"), qPrintable(f.dialog.estimateText()));
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
    const int judged = query(m_project, "SELECT count(*) FROM judge_outcomes WHERE status = 'judged'").front().toInt();
    QVERIFY2(judged >= 1 && judged < 5, qPrintable(QString::number(judged)));

    // Starting again does only the rest, and no item is judged twice.
    QVERIFY(f.dialog.start());
    QVERIFY(finished.wait(30000));
    QCOMPARE(query(m_project, "SELECT count(*) FROM judge_outcomes WHERE status = 'judged'"), QStringList{"5"});
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
    QCOMPARE(query(m_project, "SELECT r.ext_id || '|' || count(l.id) FROM raters r JOIN labels l ON l.rater_id = r.id "
                              "WHERE r.kind = 'judge' GROUP BY r.id ORDER BY count(l.id)"),
             (QStringList{QString::fromStdString(second) + "|2", QString::fromStdString(first) + "|5"}));
    QCOMPARE(query(m_project, "SELECT i.ext_id FROM labels l JOIN items i ON i.id = l.item_id "
                              "JOIN raters r ON r.id = l.rater_id WHERE r.ext_id = '" + second + "' ORDER BY 1")
                 .join(','),
             "i2,i4");
    QCOMPARE(query(m_project, "SELECT CAST(version AS TEXT) FROM judge_templates WHERE step = 'preference' ORDER BY version"),
             (QStringList{"1", "2"}));
}

QTEST_MAIN(JudgeDialogTest)
