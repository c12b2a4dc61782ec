#include "judgedialog.h"

#include "answerpanel.h"

#include "judgetemplates.h"
#include "preferences.h"

#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace concord::ui {

namespace {

constexpr int kEstimateDelayMs = 300;

/// The profiles offered, with the names users know them by.
struct ProfileChoice
{
    const char *id;
    const char *label;
};
constexpr ProfileChoice kProfiles[] = {
    {"openai", "OpenAI"},
    {"anthropic", "Anthropic"},
    {"llama-server", "llama.cpp llama-server"},
    {"ollama", "Ollama"},
    {"vllm", "vLLM"},
    {"lmstudio", "LM Studio"},
    {"openai-compatible", "Other OpenAI-compatible server"},
};

namespace keys {
inline const SettingKey<QString> kProfile{"judge/profile", QStringLiteral("openai")};
inline const SettingKey<QString> kModel{"judge/model", {}};
inline const SettingKey<QString> kBaseUrl{"judge/baseUrl", {}};
inline const SettingKey<int> kConcurrency{"judge/concurrency", 8};
/// Per profile: "prompt;output" prices per million tokens.
inline const SettingKey<QVariantMap> kPrices{"judge/prices", {}};
} // namespace keys

QString tokens(std::int64_t n)
{
    if (n >= 1000000)
        return QStringLiteral("%1 M").arg(double(n) / 1e6, 0, 'f', 2);
    if (n >= 10000)
        return QStringLiteral("%1 k").arg(double(n) / 1e3, 0, 'f', 0);
    return QString::number(n);
}

QString duration(double seconds)
{
    const auto s = static_cast<std::int64_t>(seconds + 0.5);
    if (s < 60)
        return QObject::tr("%1 s").arg(s);
    if (s < 3600)
        return QObject::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return QObject::tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

/// "1 item", "3 items": English plurals without a translation file.
QString count(std::int64_t n, const char *one, const char *many)
{
    return QStringLiteral("%1 %2").arg(QLocale().toString(qlonglong(n)), QObject::tr(n == 1 ? one : many));
}

QString taskLabel(model::JudgeTask t)
{
    switch (t) {
    case model::JudgeTask::Preference:
        return QObject::tr("Preference (both answer orders)");
    case model::JudgeTask::Faithful:
        return QObject::tr("Faithfulness, claim by claim");
    case model::JudgeTask::NoInfo:
        return QObject::tr("No-info outcome");
    }
    return {};
}

/// Edits the four prompt templates; OK gives new versions of the edited ones.
class TemplateEditor final : public QDialog
{
public:
    TemplateEditor(const std::vector<model::PromptTemplate> &current, std::vector<int> newestVersions,
                   const QString &title, QWidget *parent)
        : QDialog(parent), m_current(current), m_newest(std::move(newestVersions))
    {
        setWindowTitle(title);
        auto *layout = new QVBoxLayout(this);
        auto *intro =
            new QLabel(tr("Edit a template and press Use as New Versions: each edited step gets the "
                          "next version number (or an earlier version's, when its text comes back to it), "
                          "and the judge with it is a new rater, so its labels sit beside the old ones; "
                          "the text is stored in the project by the first run that uses it. Keep the "
                          "<code>=== system ===</code> and "
                          "<code>=== user ===</code> sections and the <code>{{placeholders}}</code>."),
                       this);
        intro->setWordWrap(true);
        layout->addWidget(intro);
        m_tabs = new QTabWidget(this);
        QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
        for (const model::PromptTemplate &t : m_current) {
            auto *edit = new QPlainTextEdit(QString::fromStdString(t.text), m_tabs);
            edit->setFont(mono);
            edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
            m_tabs->addTab(
                edit,
                QStringLiteral("%1.v%2").arg(QString::fromUtf8(model::toString(t.step))).arg(t.version));
            m_edits.push_back(edit);
        }
        layout->addWidget(m_tabs, 1);
        auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
        buttons->addButton(tr("Use as New Versions"), QDialogButtonBox::AcceptRole);
        connect(buttons, &QDialogButtonBox::accepted, this, &TemplateEditor::save);
        connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
        layout->addWidget(buttons);
        resize(860, 640);
    }

    /// Esc or Cancel with edits asks before throwing them away.
    void reject() override
    {
        int edited = 0;
        for (std::size_t i = 0; i < m_current.size(); ++i)
            edited += m_edits[i]->toPlainText().toStdString() != m_current[i].text;
        if (edited > 0 &&
            QMessageBox::question(this, tr("Discard the edits?"),
                                  tr("%n template(s) edited. Discard the edits?", nullptr, edited),
                                  QMessageBox::Discard | QMessageBox::Cancel,
                                  QMessageBox::Cancel) != QMessageBox::Discard)
            return;
        QDialog::reject();
    }

    /// Versions known besides the current ones (built in, or stored by earlier runs): an edit
    /// that gives back one of their texts is that version again, not a new one.
    void setKnownVersions(std::vector<model::PromptTemplate> known) { m_known = std::move(known); }

    std::vector<model::PromptTemplate> result() const { return m_result; }

private:
    void save()
    {
        std::vector<model::PromptTemplate> out;
        for (std::size_t i = 0; i < m_current.size(); ++i) {
            const std::string text = m_edits[i]->toPlainText().toStdString();
            if (text == m_current[i].text) {
                out.push_back(m_current[i]);
                continue;
            }
            const auto step = m_current[i].step;
            // Back to a text a version already has (an edit undone): that version, the same judge.
            const auto same =
                std::find_if(m_known.begin(), m_known.end(), [&](const model::PromptTemplate &k) {
                    return k.step == step && k.text == text;
                });
            if (same != m_known.end()) {
                out.push_back(*same);
                continue;
            }
            const int version = m_newest[static_cast<std::size_t>(step)] + 1;
            auto parsed = model::parsePromptTemplate(step, version, text);
            if (!parsed) {
                m_tabs->setCurrentIndex(int(i));
                QMessageBox::warning(this, tr("Template not saved"),
                                     tr("%1.v%2: %3")
                                         .arg(QString::fromUtf8(model::toString(step)))
                                         .arg(version)
                                         .arg(QString::fromStdString(parsed.error().message)));
                return;
            }
            out.push_back(std::move(*parsed));
        }
        m_result = std::move(out);
        accept();
    }

    std::vector<model::PromptTemplate> m_current;
    std::vector<model::PromptTemplate> m_known;
    std::vector<int> m_newest;
    QTabWidget *m_tabs = nullptr;
    std::vector<QPlainTextEdit *> m_edits;
    std::vector<model::PromptTemplate> m_result;
};

} // namespace

JudgeDialog::JudgeDialog(QString projectPath, WorkspaceServices::Judge services,
                         std::vector<std::string> goldItems, Preferences &preferences, QWidget *parent)
    : QDialog(parent), m_path(std::move(projectPath)), m_services(std::move(services)),
      m_goldItems(std::move(goldItems)), m_preferences(preferences), m_builtin(model::builtinTemplates()),
      m_cancelFlag(std::make_shared<std::atomic<bool>>(false))
{
    setObjectName(QStringLiteral("judgeDialog"));
    setWindowTitle(tr("Run LLM Judge — %1").arg(QFileInfo(m_path).fileName()));
    auto *layout = new QVBoxLayout(this);

    // The server and the model.
    auto *server = new QGroupBox(tr("Judge"), this);
    auto *serverForm = new QFormLayout(server);
    m_profile = new QComboBox(server);
    for (const ProfileChoice &p : kProfiles)
        m_profile->addItem(tr(p.label), QString::fromLatin1(p.id));
    serverForm->addRow(tr("&Server:"), m_profile);
    m_baseUrl = new QLineEdit(server);
    m_baseUrl->setPlaceholderText(QStringLiteral("http://127.0.0.1:8080"));
    serverForm->addRow(tr("Base &URL:"), m_baseUrl);
    m_model = new QLineEdit(server);
    m_model->setPlaceholderText(tr("the model's name as the server knows it, e.g. gpt-4o-mini"));
    serverForm->addRow(tr("&Model:"), m_model);
    auto *keyRow = new QHBoxLayout;
    m_keyEnv = new QLineEdit(server);
    m_keyEnv->setMaximumWidth(220);
    m_keyEnv->setToolTip(tr("The environment variable that holds the API key; when it is unset, the key "
                            "stored in the OS keychain for this profile is used. The key itself is never "
                            "written to the project or the settings."));
    m_storeKey = new QPushButton(tr("Store in &Keychain…"), server);
    m_storeKey->setToolTip(tr("Keep an API key for this profile in the OS keychain, used when the variable "
                              "is unset"));
    m_forgetKey = new QPushButton(tr("&Forget"), server);
    m_forgetKey->setToolTip(tr("Remove this profile's key from the OS keychain"));
    keyRow->addWidget(new QLabel(tr("environment variable"), server));
    keyRow->addWidget(m_keyEnv);
    keyRow->addWidget(new QLabel(tr("or"), server));
    keyRow->addWidget(m_storeKey);
    keyRow->addWidget(m_forgetKey);
    keyRow->addStretch(1);
    m_keyState = new QLabel(server);
    m_keyState->setObjectName(QStringLiteral("judgeKeyState"));
    m_keyState->setWordWrap(true);
    auto *keyBox = new QVBoxLayout;
    keyBox->addLayout(keyRow);
    keyBox->addWidget(m_keyState);
    serverForm->addRow(tr("API key:"), keyBox);
    layout->addWidget(server);

    // What to judge.
    auto *scope = new QGroupBox(tr("What to judge"), this);
    auto *scopeForm = new QFormLayout(scope);
    auto *taskRow = new QHBoxLayout;
    for (std::size_t i = 0; i < model::kJudgeTasks.size(); ++i) {
        m_tasks[i] = new QCheckBox(taskLabel(model::kJudgeTasks[i]), scope);
        m_tasks[i]->setChecked(true);
        taskRow->addWidget(m_tasks[i]);
    }
    taskRow->addStretch(1);
    scopeForm->addRow(tr("Tasks:"), taskRow);
    m_goldOnly = new QCheckBox(scope);
    m_goldOnly->setToolTip(tr("Judge only items with a gold label, to compare a new judge against gold"));
    scopeForm->addRow(tr("Items:"), m_goldOnly);
    auto *limits = new QHBoxLayout;
    m_limit = new QSpinBox(scope);
    m_limit->setRange(0, 10000000);
    m_limit->setSpecialValueText(tr("all items"));
    m_limit->setSuffix(tr(" items"));
    m_limit->setToolTip(tr("Judge only the first N items of the project (all items: every one)"));
    m_concurrency = new QSpinBox(scope);
    m_concurrency->setRange(1, 256);
    m_concurrency->setValue(m_preferences.get(keys::kConcurrency));
    m_concurrency->setToolTip(tr("How many requests are sent to the server at the same time (a local "
                                 "server may want 1 or 2; a hosted one takes more)"));
    m_maxContext = new QSpinBox(scope);
    m_maxContext->setRange(0, 10000000);
    m_maxContext->setSingleStep(1024);
    m_maxContext->setSpecialValueText(tr("not set"));
    m_maxContext->setSuffix(tr(" tokens"));
    m_maxContext->setToolTip(tr("The model's context window, in tokens: prompts that may not fit are "
                                "refused with a reason, never shortened. Not set: every prompt is sent."));
    limits->addWidget(new QLabel(tr("At most"), scope));
    limits->addWidget(m_limit);
    limits->addSpacing(12);
    limits->addWidget(new QLabel(tr("Requests at once"), scope));
    limits->addWidget(m_concurrency);
    limits->addSpacing(12);
    limits->addWidget(new QLabel(tr("Context window"), scope));
    limits->addWidget(m_maxContext);
    limits->addStretch(1);
    scopeForm->addRow(tr("Limits:"), limits);
    auto *templateRow = new QHBoxLayout;
    m_templateLabel = new QLabel(scope);
    m_editTemplates = new QPushButton(tr("Edit &Templates…"), scope);
    m_calibrate = new QPushButton(tr("Edit Template, Re-run on &Gold…"), scope);
    showGoldSet(!isRunning() && !isCalibrating());
    templateRow->addWidget(m_templateLabel, 1);
    templateRow->addWidget(m_editTemplates);
    templateRow->addWidget(m_calibrate);
    scopeForm->addRow(tr("Prompts:"), templateRow);
    layout->addWidget(scope);

    // Cost before starting.
    auto *cost = new QGroupBox(tr("Estimate"), this);
    auto *costLayout = new QVBoxLayout(cost);
    auto *prices = new QHBoxLayout;
    m_promptPrice = new QDoubleSpinBox(cost);
    m_outputPrice = new QDoubleSpinBox(cost);
    for (QDoubleSpinBox *box : {m_promptPrice, m_outputPrice}) {
        box->setRange(0, 1000);
        box->setDecimals(3);
        box->setPrefix(QStringLiteral("$ "));
    }
    prices->addWidget(new QLabel(tr("Price per million tokens: prompt"), cost));
    prices->addWidget(m_promptPrice);
    prices->addWidget(new QLabel(tr("output"), cost));
    prices->addWidget(m_outputPrice);
    prices->addStretch(1);
    costLayout->addLayout(prices);
    m_estimate = new QLabel(tr("Estimating…"), cost);
    m_estimate->setObjectName(QStringLiteral("judgeEstimate"));
    m_estimate->setWordWrap(true);
    m_estimate->setTextInteractionFlags(Qt::TextSelectableByMouse);
    costLayout->addWidget(m_estimate);
    layout->addWidget(cost);

    // The run.
    auto *run = new QGroupBox(tr("Run"), this);
    auto *runLayout = new QVBoxLayout(run);
    m_progress = new QProgressBar(run);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progressLine = new QLabel(tr("Not started. Already judged items are skipped; a cancelled run continues "
                                   "where it stopped."),
                                run);
    m_progressLine->setWordWrap(true);
    m_results = new QTabWidget(run);
    m_log = new QPlainTextEdit(m_results);
    m_log->setReadOnly(true);
    m_log->setPlaceholderText(tr("Failures are listed here with their reasons as they happen."));
    m_log->setMaximumBlockCount(5000);
    m_results->addTab(m_log, tr("Failures"));
    m_comparisonView = new QTextBrowser(m_results);
    m_comparisonView->setObjectName(QStringLiteral("judgeCalibration"));
    m_comparisonView->setOpenLinks(false);
    m_comparisonView->setPlaceholderText(
        tr("Edit Template, Re-run on Gold… shows here how the edited judge compares with the previous one "
           "against the gold labels."));
    m_results->addTab(m_comparisonView, tr("Calibration"));
    m_runs = new QTreeWidget(m_results);
    m_runs->setObjectName(QStringLiteral("judgeRuns"));
    m_runs->setRootIsDecorated(false);
    m_runs->setUniformRowHeights(true);
    m_runs->setAlternatingRowColors(true);
    m_runs->setHeaderLabels({tr("Started"), tr("Judge"), tr("Model"), tr("Status"), tr("Judged"),
                             tr("Failed"), tr("Requests"), tr("From cache"), tr("Finished"),
                             tr("Why it stopped")});
    m_runs->header()->setStretchLastSection(true);
    // The counts are of tasks (docs/judge.md, "The three tasks"), not of items.
    m_runs->headerItem()->setToolTip(4, tr("Tasks judged in this run: each item is up to three tasks "
                                           "(preference, faithfulness, no-info outcome)"));
    m_runs->headerItem()->setToolTip(5, tr("Tasks that failed in this run (the Failures tab says why)"));
    m_runs->headerItem()->setToolTip(6, tr("Requests sent to the judge's server, retries included"));
    m_runs->headerItem()->setToolTip(7, tr("Calls answered from the project's cache of earlier replies, "
                                           "at no cost"));
    m_results->addTab(m_runs, tr("Runs"));
    runLayout->addWidget(m_progress);
    runLayout->addWidget(m_progressLine);
    runLayout->addWidget(m_results, 1);
    layout->addWidget(run, 1);

    auto *buttons = new QDialogButtonBox(this);
    m_start = buttons->addButton(tr("&Start"), QDialogButtonBox::AcceptRole);
    // Not the default button: Enter in the model field must not start a paid run.
    m_start->setAutoDefault(false);
    m_start->setDefault(false);
    m_cancel = buttons->addButton(tr("&Cancel Run"), QDialogButtonBox::ActionRole);
    m_cancel->setEnabled(false);
    m_close = buttons->addButton(QDialogButtonBox::Close);
    connect(m_start, &QPushButton::clicked, this, [this] { start(); });
    connect(m_cancel, &QPushButton::clicked, this, &JudgeDialog::cancelRun);
    connect(m_close, &QPushButton::clicked, this, &JudgeDialog::reject);
    layout->addWidget(buttons);

    m_fields = {m_profile,     m_baseUrl,    m_model,         m_keyEnv,      m_goldOnly,   m_limit,
                m_concurrency, m_maxContext, m_editTemplates, m_promptPrice, m_outputPrice};
    for (QCheckBox *box : m_tasks)
        m_fields.append(box);

    // The newest template of each step: built in, or stored in the project by an earlier edit.
    std::vector<model::PromptTemplate> newest = m_builtin;
    if (m_services.templates)
        if (auto stored = m_services.templates(m_path.toStdString()))
            for (model::PromptTemplate &t : *stored)
                for (model::PromptTemplate &n : newest)
                    if (n.step == t.step && t.version > n.version)
                        n = t;
    m_templates = std::move(newest);
    updateTemplateLabel();
    connect(&m_runsWatcher, &QFutureWatcherBase::finished, this, &JudgeDialog::showRuns);
    loadRuns();

    m_estimateDelay = new QTimer(this);
    m_estimateDelay->setSingleShot(true);
    m_estimateDelay->setInterval(kEstimateDelayMs);
    connect(m_estimateDelay, &QTimer::timeout, this, &JudgeDialog::estimateNow);
    connect(&m_estimateWatcher, &QFutureWatcherBase::finished, this, [this] {
        const auto result = m_estimateWatcher.result();
        if (m_estimateAgain) {
            m_estimateAgain = false;
            estimateNow();
            return;
        }
        if (!result) {
            m_lastEstimate.reset();
            m_estimate->setText(QString::fromStdString(result.error().message));
        } else {
            m_lastEstimate = *result;
            m_estimate->setText(estimateText());
        }
        emit estimated();
    });
    connect(&m_run, &QFutureWatcherBase::finished, this, &JudgeDialog::runEnded);
    connect(&m_compareWatcher, &QFutureWatcherBase::finished, this, &JudgeDialog::showComparison);

    // Restore the last choices, then follow every change.
    const QString profile = m_preferences.get(keys::kProfile);
    m_profile->setCurrentIndex(std::max(0, m_profile->findData(profile)));
    applyProfile();
    if (const QString url = m_preferences.get(keys::kBaseUrl); !url.isEmpty())
        m_baseUrl->setText(url);
    m_model->setText(m_preferences.get(keys::kModel));
    connect(m_profile, &QComboBox::currentIndexChanged, this, [this] {
        applyProfile();
        scheduleEstimate();
    });
    for (QLineEdit *edit : {m_baseUrl, m_model, m_keyEnv})
        connect(edit, &QLineEdit::textChanged, this, &JudgeDialog::scheduleEstimate);
    for (QCheckBox *box : m_tasks)
        connect(box, &QCheckBox::toggled, this, &JudgeDialog::scheduleEstimate);
    connect(m_goldOnly, &QCheckBox::toggled, this, &JudgeDialog::scheduleEstimate);
    for (QSpinBox *box : {m_limit, m_maxContext})
        connect(box, &QSpinBox::valueChanged, this, &JudgeDialog::scheduleEstimate);
    for (QDoubleSpinBox *box : {m_promptPrice, m_outputPrice})
        connect(box, &QDoubleSpinBox::valueChanged, this, [this] {
            savePrices();
            if (m_lastEstimate)
                m_estimate->setText(estimateText());
        });
    connect(m_editTemplates, &QPushButton::clicked, this, &JudgeDialog::editTemplates);
    connect(m_calibrate, &QPushButton::clicked, this, &JudgeDialog::editAndCalibrate);
    connect(m_storeKey, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const QString key = QInputDialog::getText(
            this, tr("Store API Key"),
            tr("API key for the %1 profile. It is kept in the OS keychain, never in the project or the "
               "settings, and used when %2 is unset.")
                .arg(m_profile->currentText(), m_keyEnv->text().trimmed()),
            QLineEdit::Password, {}, &ok);
        if (ok && !key.trimmed().isEmpty())
            storeKeyInKeychain(key.trimmed());
    });
    connect(m_forgetKey, &QPushButton::clicked, this, &JudgeDialog::forgetKeychainKey);
    resize(860, 800);
    scheduleEstimate();
}

JudgeDialog::~JudgeDialog()
{
    m_cancelFlag->store(true);
    m_run.waitForFinished();
    m_estimateWatcher.waitForFinished();
    m_compareWatcher.waitForFinished();
    m_runsWatcher.waitForFinished();
}

void JudgeDialog::applyProfile()
{
    const std::string id = m_profile->currentData().toString().toStdString();
    const auto profile = model::builtinProfile(id);
    if (!profile)
        return;
    const QSignalBlocker blockUrl(m_baseUrl), blockKey(m_keyEnv), blockContext(m_maxContext);
    m_baseUrl->setText(QString::fromStdString(profile->defaultBaseUrl));
    m_keyEnv->setText(QString::fromStdString(profile->keyEnv));
    m_maxContext->setValue(profile->maxContext ? int(std::min<std::int64_t>(*profile->maxContext, 10000000))
                                               : 0);
    const QStringList price =
        m_preferences.get(keys::kPrices).value(QString::fromStdString(id)).toStringList();
    const QSignalBlocker blockPrompt(m_promptPrice), blockOutput(m_outputPrice);
    m_promptPrice->setValue(price.size() == 2 ? price[0].toDouble() : 0.0);
    m_outputPrice->setValue(price.size() == 2 ? price[1].toDouble() : 0.0);
}

void JudgeDialog::savePrices()
{
    QVariantMap prices = m_preferences.get(keys::kPrices);
    prices.insert(m_profile->currentData().toString(), QStringList{QString::number(m_promptPrice->value()),
                                                                   QString::number(m_outputPrice->value())});
    m_preferences.set(keys::kPrices, prices);
}

model::JudgeRunOptions JudgeDialog::options() const
{
    model::JudgeRunOptions o;
    const auto profile = model::builtinProfile(m_profile->currentData().toString().toStdString());
    model::JudgeConfig &c = o.config;
    if (profile) {
        c.api = profile->api;
        c.forms = profile->forms;
        c.maxTokensField = profile->maxTokensField;
        if (!profile->seed)
            c.seed.reset();
    }
    c.baseUrl = model::normaliseBaseUrl(m_baseUrl->text().trimmed().toStdString());
    c.model = m_model->text().trimmed().toStdString();
    c.templates = m_templates;
    o.raterName = c.model + " (" + std::string(model::toString(c.api)) + ", " + c.baseUrl + ")";
    o.tasks.clear();
    for (std::size_t i = 0; i < model::kJudgeTasks.size(); ++i)
        if (m_tasks[i]->isChecked())
            o.tasks.push_back(model::kJudgeTasks[i]);
    o.concurrency = m_concurrency->value();
    if (m_limit->value() > 0)
        o.limit = m_limit->value();
    if (m_maxContext->value() > 0)
        o.maxContext = m_maxContext->value();
    if (m_goldOnly->isChecked())
        o.items = m_goldItems;
    const ResolvedKey key =
        resolveKey(m_keyEnv->text().trimmed(), m_storedProfile == profileId() ? &m_storedKey : nullptr);
    o.apiKey = key.key.toStdString();
    return o;
}

QString JudgeDialog::profileId() const { return m_profile->currentData().toString(); }

void JudgeDialog::setTemplates(std::vector<model::PromptTemplate> templates)
{
    for (model::PromptTemplate &t : templates)
        for (model::PromptTemplate &mine : m_templates)
            if (mine.step == t.step)
                mine = std::move(t);
    updateTemplateLabel();
    scheduleEstimate();
}

void JudgeDialog::updateTemplateLabel()
{
    QStringList parts;
    for (const model::PromptTemplate &t : m_templates) {
        const bool builtin =
            std::any_of(m_builtin.begin(), m_builtin.end(),
                        [&](const model::PromptTemplate &b) { return b.step == t.step && b.text == t.text; });
        parts << QStringLiteral("%1 v%2%3")
                     .arg(QString::fromUtf8(model::toString(t.step)))
                     .arg(t.version)
                     .arg(builtin ? QString() : tr(" (edited)"));
    }
    m_templateLabel->setText(parts.join(QStringLiteral(", ")));
}

std::vector<int> JudgeDialog::newestVersions() const
{
    std::vector<int> newest(model::kJudgeSteps.size(), 0);
    auto note = [&](const model::PromptTemplate &t) {
        int &v = newest[static_cast<std::size_t>(t.step)];
        v = std::max(v, t.version);
    };
    for (const model::PromptTemplate &t : m_builtin)
        note(t);
    for (const model::PromptTemplate &t : m_templates)
        note(t);
    if (m_services.templates)
        if (auto stored = m_services.templates(m_path.toStdString()))
            for (const model::PromptTemplate &t : *stored)
                note(t);
    return newest;
}

std::vector<model::PromptTemplate> JudgeDialog::knownVersions() const
{
    std::vector<model::PromptTemplate> known(m_builtin.begin(), m_builtin.end());
    if (m_services.templates)
        if (auto stored = m_services.templates(m_path.toStdString()))
            known.insert(known.end(), stored->begin(), stored->end());
    known.insert(known.end(), m_templates.begin(), m_templates.end());
    return known;
}

void JudgeDialog::editTemplates()
{
    TemplateEditor editor(m_templates, newestVersions(), tr("Edit Prompt Templates"), this);
    editor.setKnownVersions(knownVersions());
    if (editor.exec() == QDialog::Accepted)
        setTemplates(editor.result());
}

void JudgeDialog::scheduleEstimate()
{
    lookUpKeychain();
    updateStart();
    m_estimateDelay->start();
}

JudgeDialog::KeySources JudgeDialog::keySources() const
{
    const QString env = m_keyEnv->text().trimmed();
    KeySources k;
    k.fromVariable = !env.isEmpty() && !qEnvironmentVariableIsEmpty(env.toLocal8Bit().constData());
    k.inKeychain = m_storedProfile == profileId() && m_storedKey.state == StoredKey::State::Found;
    // A server on http:// is a local one (Ollama, vLLM, llama.cpp), which usually needs no key.
    k.local = m_baseUrl->text().startsWith(QLatin1String("http://"));
    return k;
}

bool JudgeDialog::keyMissing() const
{
    const KeySources k = keySources();
    return !k.fromVariable && !k.inKeychain && !m_keychainBusy && !k.local;
}

void JudgeDialog::updateStart()
{
    if (isRunning())
        return;
    const bool complete =
        !m_model->text().trimmed().isEmpty() && !model::baseUrlProblem(m_baseUrl->text().toStdString()) &&
        std::any_of(std::begin(m_tasks), std::end(m_tasks), [](QCheckBox *b) { return b->isChecked(); });
    // Every request to a hosted server without a key would come back refused.
    m_start->setEnabled(complete && !keyMissing());
    m_start->setToolTip(keyMissing() ? tr("Give the API key first: set the environment variable, or Store "
                                          "in Keychain…")
                                     : QString());
}

void JudgeDialog::estimateNow()
{
    if (!m_services.estimate)
        return;
    if (m_estimateWatcher.isRunning()) {
        m_estimateAgain = true;
        return;
    }
    if (const auto problem = model::baseUrlProblem(m_baseUrl->text().toStdString())) {
        m_lastEstimate.reset();
        m_estimate->setText(
            tr("The server URL %1, e.g. http://127.0.0.1:8080.").arg(QString::fromStdString(*problem)));
        return;
    }
    if (m_model->text().trimmed().isEmpty()) {
        m_lastEstimate.reset();
        m_estimate->setText(tr("Name the model to see what the run would take."));
        return;
    }
    m_estimate->setText(tr("Estimating…"));
    m_estimateWatcher.setFuture(
        QtConcurrent::run([estimate = m_services.estimate, path = m_path.toStdString(), o = options()] {
            return estimate(path, o);
        }));
}

QString JudgeDialog::warning(const QString &html) const
{
    const QColor red = shade::readableOn(QColor(0xc6, 0x28, 0x28), palette().color(QPalette::Window));
    return QStringLiteral("<span style='color:%1'>%2</span>").arg(red.name(), html);
}

QString JudgeDialog::success(const QString &html) const
{
    const QColor green = shade::readableOn(QColor(0x2e, 0x7d, 0x32), palette().color(QPalette::Window));
    return QStringLiteral("<span style='color:%1'>%2</span>").arg(green.name(), html);
}

QString JudgeDialog::estimateText() const
{
    if (!m_lastEstimate)
        return m_estimate->text();
    const model::JudgeEstimate &e = *m_lastEstimate;
    const QLocale locale;
    QString text =
        tr("<b>%1</b><br>%2: %3 to judge, %4 already judged. ")
            .arg(QString::fromStdString(e.raterId).toHtmlEscaped(), count(e.items, "item", "items"),
                 count(e.tasks, "task", "tasks"), locale.toString(qlonglong(e.alreadyJudged)));
    text += tr("%1, %2 answered from the project's cache.<br>")
                .arg(count(e.calls, "call", "calls"), locale.toString(qlonglong(e.cachedCalls)));
    text += tr("About %1 prompt tokens%2 and at most %3 output tokens")
                .arg(tokens(e.promptTokens),
                     e.measured ? tr(" (from the server's own counts)")
                                : tr(" (at about 3.5 characters a token)"),
                     tokens(e.outputTokens));
    const double promptPrice = m_promptPrice->value(), outputPrice = m_outputPrice->value();
    if (promptPrice > 0 || outputPrice > 0)
        text += tr(": at most <b>$%1</b>").arg(e.cost(promptPrice, outputPrice), 0, 'f', 2);
    else
        text += tr(" (enter the prices to see the cost)");
    text += QLatin1Char('.');
    if (e.tooLong)
        text +=
            QStringLiteral("<br>") +
            warning(
                tr("%1 may not fit the context and will be refused.").arg(count(e.tooLong, "call", "calls")));
    return text;
}

bool JudgeDialog::start()
{
    if (isRunning() || isCalibrating())
        return false;
    if (keyMissing()) {
        m_progressLine->setText(tr("No API key: the server would refuse every request. Set %1 or store a "
                                   "key in the OS keychain.")
                                    .arg(m_keyEnv->text().trimmed().isEmpty() ? tr("a key variable")
                                                                              : m_keyEnv->text().trimmed()));
        return false;
    }
    return startRun(options());
}

bool JudgeDialog::startRun(const model::JudgeRunOptions &o)
{
    if (isRunning() || !m_services.run)
        return false;
    if (o.config.model.empty() || o.tasks.empty() || o.config.baseUrl.empty()) {
        m_progressLine->setText(tr("Name the model and the server, and pick at least one task."));
        return false;
    }
    if (const auto problem = model::baseUrlProblem(o.config.baseUrl)) {
        m_progressLine->setText(tr("The server URL %1.").arg(QString::fromStdString(*problem)));
        return false;
    }
    if (const auto secret = model::baseUrlSecret(o.config.baseUrl)) {
        m_progressLine->setText(
            tr("The server URL %1, which would be stored in the project with the judge's configuration; "
               "give the API key below instead.")
                .arg(QString::fromStdString(*secret)));
        return false;
    }
    if (m_keychainBusy && o.apiKey.empty()) {
        m_progressLine->setText(
            tr("Waiting for the OS keychain to say whether it holds a key; start again then."));
        return false;
    }
    m_preferences.set(keys::kProfile, m_profile->currentData().toString());
    m_preferences.set(keys::kModel, m_model->text().trimmed());
    m_preferences.set(keys::kBaseUrl, m_baseUrl->text().trimmed());
    m_preferences.set(keys::kConcurrency, m_concurrency->value());

    m_cancelFlag->store(false);
    if (!isCalibrating() || m_calibration->stage == 1) {
        m_log->clear();
        m_shownFailures = 0;
        m_results->setTabText(0, tr("Failures"));
    }
    m_progress->setRange(0, 0); // busy until the first progress report
    m_progressLine->setText(tr("Starting…"));
    m_judgedAtStart = 0;
    m_runFailuresShown = 0;
    m_elapsed.start();
    setRunning(true);
    QPointer<JudgeDialog> self(this);
    auto report = [self](const model::JudgeProgress &p) {
        QMetaObject::invokeMethod(
            qApp,
            [self, p] {
                if (self)
                    self->showProgress(p);
            },
            Qt::QueuedConnection);
    };
    m_run.setFuture(
        QtConcurrent::run([run = m_services.run, path = m_path.toStdString(), o, report,
                           cancel = m_cancelFlag] { return run(path, o, report, cancel.get()); }));
    return true;
}

void JudgeDialog::cancelRun()
{
    if (!isRunning())
        return;
    m_cancelFlag->store(true);
    m_cancel->setEnabled(false);
    m_progressLine->setText(tr("Cancelling: nothing more is sent; waiting up to 20 s for the replies already "
                               "requested (they are billed either way), then saving…"));
}

void JudgeDialog::showProgress(const model::JudgeProgress &p)
{
    if (!isRunning())
        return;
    const std::int64_t done = p.judged + p.failed;
    m_progress->setRange(0, int(std::max<std::int64_t>(1, std::min<std::int64_t>(p.tasks, INT32_MAX))));
    m_progress->setValue(int(std::min<std::int64_t>(done, INT32_MAX)));
    QString line = tr("Judged %1 of %2, failed %3 · requests sent %4, calls from the cache %5 · in flight %6")
                       .arg(p.judged)
                       .arg(p.tasks)
                       .arg(p.failed)
                       .arg(p.requests)
                       .arg(p.cachedCalls)
                       .arg(p.inFlight);
    if (p.waitingRetry)
        line += tr(", %1 waiting to retry").arg(p.waitingRetry);
    if (p.rateLimitPauseS > 0)
        line += tr(" · rate limited by the server: sending again in %1 s").arg(std::ceil(p.rateLimitPauseS));
    const double seconds = double(m_elapsed.elapsed()) / 1000.0;
    if (done > 0 && done < p.tasks && seconds > 1.0)
        line += tr(" · about %1 left").arg(duration(seconds / double(done) * double(p.tasks - done)));
    if (m_calibration)
        line = calibrationStep() + line;
    m_progressLine->setText(line);
    // Failures arrive with the progress, in the order the run records them, so the log fills live.
    for (const model::JudgeFailure &f : p.newFailures) {
        appendFailure(f);
        ++m_runFailuresShown;
    }
}

void JudgeDialog::appendFailure(const model::JudgeFailure &f)
{
    m_log->appendPlainText(QStringLiteral("%1 · %2: %3")
                               .arg(QString::fromStdString(f.itemId),
                                    QString::fromUtf8(model::toString(f.task)),
                                    QString::fromStdString(f.reason)));
    ++m_shownFailures;
    m_results->setTabText(0, tr("Failures (%1)").arg(m_shownFailures));
}

void JudgeDialog::runEnded()
{
    setRunning(false);
    loadRuns();
    const auto result = m_run.result();
    if (!result) {
        m_progress->setRange(0, 1);
        m_progress->setValue(0);
        const QString message = QString::fromStdString(result.error().message);
        m_progressLine->setText(warning(tr("The run did not start: %1").arg(message.toHtmlEscaped())));
        if (m_calibration) {
            m_calibration.reset();
            m_comparisonView->setHtml(
                tr("<p>The calibration did not finish: %1</p>").arg(message.toHtmlEscaped()));
            emit calibrated();
        }
        emit runFailed(message);
        return;
    }
    const model::JudgeRunSummary &s = *result;
    m_progress->setRange(0, int(std::max<std::int64_t>(1, s.counts.tasks)));
    m_progress->setValue(int(s.counts.judged + s.counts.failed));
    // The log was filled as the run went; the summary has every failure, in the same order.
    for (std::size_t i = m_runFailuresShown; i < s.failures.size(); ++i)
        appendFailure(s.failures[i]);
    QString line;
    switch (s.end) {
    case model::JudgeRunSummary::End::Finished:
        line = tr("Finished in %1: judged %2, failed %3, %4 skipped as already judged.")
                   .arg(duration(s.seconds))
                   .arg(s.counts.judged)
                   .arg(s.counts.failed)
                   .arg(s.alreadyJudged);
        break;
    case model::JudgeRunSummary::End::Stopped:
        line = warning(tr("Stopped: %1.").arg(QString::fromStdString(s.stopReason).toHtmlEscaped())) +
               tr(" What was judged is saved; start again to continue.");
        break;
    case model::JudgeRunSummary::End::Cancelled:
        line = tr("Cancelled: judged %1; what was judged is saved, and the next run continues from there.")
                   .arg(s.counts.judged);
        break;
    }
    if (s.consistency)
        line += tr(" Position consistency %1% (%2 of %3 items agree in both orders).")
                    .arg(100.0 * s.consistency->rate(), 0, 'f', 1)
                    .arg(s.consistency->consistent)
                    .arg(s.consistency->items);
    if (m_calibration)
        line = calibrationStep() + line;
    m_progressLine->setText(line);
    emit runFinished(s);
    if (m_calibration)
        calibrationRunEnded(s);
    scheduleEstimate();
}

void JudgeDialog::addGoldItem(const std::string &itemId)
{
    if (std::find(m_goldItems.begin(), m_goldItems.end(), itemId) != m_goldItems.end())
        return;
    m_goldItems.push_back(itemId);
    showGoldSet(!isRunning() && !isCalibrating());
}

void JudgeDialog::showGoldSet(bool idle)
{
    m_goldOnly->setText(
        tr("Only the gold set (%1)")
            .arg(count(std::int64_t(m_goldItems.size()), "adjudicated item", "adjudicated items")));
    m_calibrate->setToolTip(m_goldItems.empty()
                                ? tr("Needs a gold set: adjudicate items in the Review view first")
                                : tr("Edit the prompts into new versions, judge the gold set with the judge "
                                     "as it is now and with "
                                     "the edited one, and compare both against gold"));
    m_goldOnly->setEnabled(idle && !m_goldItems.empty());
    m_calibrate->setEnabled(idle && !m_goldItems.empty());
}

void JudgeDialog::loadRuns()
{
    if (!m_services.runs) {
        m_results->setTabVisible(m_results->indexOf(m_runs), false);
        return;
    }
    // A read still going (a run ended just after the dialog opened) is replaced: the newer one is
    // shown. It captures no part of the dialog.
    m_runsWatcher.setFuture(
        QtConcurrent::run([runs = m_services.runs, path = m_path.toStdString()] { return runs(path); }));
}

void JudgeDialog::showRuns()
{
    m_runs->clear();
    const int tab = m_results->indexOf(m_runs);
    const auto runs = m_runsWatcher.result();
    if (!runs) {
        m_results->setTabText(tab, tr("Runs"));
        auto *item = new QTreeWidgetItem(m_runs);
        item->setText(0, tr("The runs cannot be read: %1").arg(QString::fromStdString(runs.error().message)));
        item->setFirstColumnSpanned(true);
        return;
    }
    const QLocale locale;
    auto when = [&locale](const std::string &iso) {
        if (iso.empty())
            return QString();
        const QDateTime t = QDateTime::fromString(QString::fromStdString(iso), Qt::ISODate);
        return t.isValid() ? locale.toString(t.toLocalTime(), QLocale::ShortFormat)
                           : QString::fromStdString(iso);
    };
    auto status = [](const model::JudgeRunRecord &r) {
        if (r.interrupted)
            return tr("Interrupted");
        if (r.status == "running")
            return tr("Running");
        if (r.status == "finished")
            return tr("Finished");
        if (r.status == "cancelled")
            return tr("Cancelled");
        return tr("Stopped");
    };
    for (const model::JudgeRunRecord &r : *runs) {
        auto *item = new QTreeWidgetItem(m_runs);
        item->setText(0, when(r.startedAt));
        item->setToolTip(0,
                         tr("Run %1, started %2 (UTC)").arg(r.id).arg(QString::fromStdString(r.startedAt)));
        item->setText(1, QString::fromStdString(r.rater));
        item->setText(2, QString::fromStdString(r.model));
        item->setText(3, status(r));
        const std::int64_t numbers[] = {r.judged, r.failed, r.requests, r.cachedCalls};
        for (int c = 0; c < 4; ++c) {
            item->setText(4 + c, locale.toString(static_cast<qlonglong>(numbers[c])));
            item->setTextAlignment(4 + c, Qt::AlignRight | Qt::AlignVCenter);
        }
        item->setText(8, when(r.finishedAt));
        item->setText(9, QString::fromStdString(r.stopReason));
        item->setToolTip(9, QString::fromStdString(r.stopReason));
    }
    for (int c = 0; c < m_runs->columnCount() - 1; ++c)
        m_runs->resizeColumnToContents(c);
    m_results->setTabText(tab, runs->empty() ? tr("Runs") : tr("Runs (%1)").arg(runs->size()));
}

void JudgeDialog::setRunning(bool running)
{
    for (QWidget *w : m_fields)
        w->setEnabled(!running && (w != m_goldOnly || !m_goldItems.empty()));
    showGoldSet(!running); // "Only the gold set" and Re-run on Gold, by the one rule
    m_cancel->setEnabled(running);
    m_close->setEnabled(!running);
    if (running)
        m_start->setEnabled(false);
    else
        updateStart();
}

// ---- The calibration loop --------------------------------------------------------------------

namespace {

/// "preference v1 → v2" for each step whose template differs between the two judges.
QString templateChange(const model::JudgeConfig &before, const model::JudgeConfig &after)
{
    QStringList parts;
    for (model::JudgeStep step : model::kJudgeSteps) {
        const model::PromptTemplate &a = before.templateFor(step), &b = after.templateFor(step);
        if (a.text != b.text)
            parts << QStringLiteral("%1 v%2 → v%3")
                         .arg(QString::fromUtf8(model::toString(step)))
                         .arg(a.version)
                         .arg(b.version);
    }
    return parts.join(QStringLiteral(", "));
}

QString number(const std::optional<double> &v, bool sign = false)
{
    if (!v)
        return QStringLiteral("–");
    return (sign && *v > 0 ? QStringLiteral("+") : QString()) + QString::number(*v, 'f', 3);
}

QString withCi(const std::optional<double> &v, const std::optional<double> &low,
               const std::optional<double> &high, bool sign = false)
{
    QString text = number(v, sign);
    if (low && high)
        text += QStringLiteral(" [%1, %2]").arg(number(low, sign), number(high, sign));
    return text;
}

QString units(const std::vector<model::UnitRef> &list)
{
    constexpr std::size_t kShown = 30;
    QStringList names;
    for (std::size_t i = 0; i < list.size() && i < kShown; ++i)
        names << QString::fromStdString(list[i].itemId) +
                     (list[i].slot ? QStringLiteral(" (answer %1)")
                                         .arg(QString::fromUtf8(model::toString(*list[i].slot)))
                                   : QString());
    if (list.size() > kShown)
        names << QObject::tr("and %1 more").arg(list.size() - kShown);
    return names.join(QStringLiteral(", ")).toHtmlEscaped();
}

} // namespace

QString JudgeDialog::calibrationStep() const
{
    if (!m_calibration)
        return {};
    if (m_calibration->stage == 1)
        return tr("Calibration, step 1 of 2 (the previous judge on the gold set): ");
    if (m_calibration->stage == 2)
        return tr("Calibration, step 2 of 2 (the edited judge on the gold set): ");
    return tr("Calibration: ");
}

void JudgeDialog::editAndCalibrate()
{
    if (isRunning() || isCalibrating())
        return;
    TemplateEditor editor(m_templates, newestVersions(),
                          tr("Edit Prompt Templates, then Re-run on the Gold Set"), this);
    editor.setKnownVersions(knownVersions());
    if (editor.exec() == QDialog::Accepted)
        calibrate(editor.result());
}

bool JudgeDialog::calibrate(std::vector<model::PromptTemplate> edited)
{
    if (isRunning() || isCalibrating() || m_goldItems.empty() || !m_services.run)
        return false;
    m_goldOnly->setChecked(true);
    Calibration c;
    c.previous = options();
    const std::vector<model::PromptTemplate> before = m_templates;
    setTemplates(std::move(edited));
    c.next = options();
    c.previousRater = model::judgeRaterId(c.previous.config);
    c.nextRater = model::judgeRaterId(c.next.config);
    if (c.previousRater == c.nextRater) {
        m_progressLine->setText(tr("No template was changed, so there is no new judge to compare."));
        return false;
    }
    c.change = templateChange(c.previous.config, c.next.config);
    m_calibration = std::move(c);
    m_comparison.clear();
    m_comparisonView->setHtml(tr("<p>Judging the gold set with the previous and the edited judge…</p>"));
    if (!startRun(m_calibration->previous)) {
        m_calibration.reset();
        m_templates = before;
        updateTemplateLabel();
        return false;
    }
    m_progressLine->setText(calibrationStep() + tr("starting…"));
    return true;
}

void JudgeDialog::calibrationRunEnded(const model::JudgeRunSummary &s)
{
    Calibration &c = *m_calibration;
    if (s.end != model::JudgeRunSummary::End::Finished) {
        m_comparisonView->setHtml(
            tr("<p>The calibration ended before the comparison: the run was %1. What was "
               "judged is saved. Start continues the edited judge on the gold set; then "
               "<code>concord compare</code> compares the two judges.</p>")
                .arg(s.end == model::JudgeRunSummary::End::Cancelled
                         ? tr("cancelled")
                         : tr("stopped (%1)").arg(QString::fromStdString(s.stopReason).toHtmlEscaped())));
        m_calibration.reset();
        emit calibrated();
        return;
    }
    if (c.stage == 1) {
        c.stage = 2;
        setRunning(true); // the fields stay as they are until the second run has started
        QTimer::singleShot(0, this, [this] {
            if (m_calibration && !startRun(m_calibration->next)) {
                m_calibration.reset();
                setRunning(false);
                emit calibrated();
            }
        });
        return;
    }
    c.stage = 3;
    if (!m_services.readLabels) {
        m_compared = c;
        m_calibration.reset();
        m_comparisonView->setHtml(
            tr("<p>Both judges have judged the gold set. Compare them with <code>%1</code>.</p>")
                .arg(compareCommand().toHtmlEscaped()));
        emit calibrated();
        return;
    }
    m_progressLine->setText(m_progressLine->text() + tr(" Comparing both judges against gold…"));
    m_compareWatcher.setFuture(
        QtConcurrent::run([read = m_services.readLabels, path = m_path.toStdString(), first = c.previousRater,
                           second = c.nextRater]() -> model::Result<std::vector<model::JudgeComparison>> {
            auto labels = read(path);
            if (!labels)
                return labels.error();
            model::CalibrationOptions options; // as `concord compare --against gold`
            options.reference = model::Reference::Gold;
            return model::compareJudges(*labels, first, second, options);
        }));
}

QString JudgeDialog::compareCommand() const
{
    return QStringLiteral("concord compare \"%1\" --judge %2 --judge %3 --against gold")
        .arg(m_path, QString::fromStdString(m_compared.previousRater),
             QString::fromStdString(m_compared.nextRater));
}

void JudgeDialog::showComparison()
{
    if (!m_calibration)
        return;
    m_compared = *m_calibration;
    m_calibration.reset();
    const auto result = m_compareWatcher.result();
    QString html = tr("<p><b>Previous</b> %1<br><b>Edited</b> %2 (%3)<br>against the gold labels</p>")
                       .arg(QString::fromStdString(m_compared.previousRater).toHtmlEscaped(),
                            QString::fromStdString(m_compared.nextRater).toHtmlEscaped(),
                            m_compared.change.toHtmlEscaped());
    if (!result) {
        m_comparison.clear();
        html += QStringLiteral("<p>%1</p>")
                    .arg(warning(tr("No comparison: %1")
                                     .arg(QString::fromStdString(result.error().message).toHtmlEscaped())));
    } else {
        m_comparison = *result;
        QString rows, flips, notes;
        for (const model::JudgeComparison &c : m_comparison) {
            const QString facet = QString::fromUtf8(model::toString(c.facet));
            if (c.n == 0)
                continue;
            // A difference whose interval excludes 0 is shown in bold: the edit changed agreement.
            const bool clear = c.differenceCiLow && c.differenceCiHigh &&
                               (*c.differenceCiLow > 0 || *c.differenceCiHigh < 0);
            const QString difference = withCi(c.difference, c.differenceCiLow, c.differenceCiHigh, true);
            rows += QStringLiteral("<tr><td>%1</td><td align='right'>%2</td><td>%3</td><td>%4</td><td>%5</td>"
                                   "<td align='right'>+%6 / −%7</td></tr>")
                        .arg(facet)
                        .arg(c.n)
                        .arg(withCi(c.kappa1.kappa, c.kappa1.ciLow, c.kappa1.ciHigh),
                             withCi(c.kappa2.kappa, c.kappa2.ciLow, c.kappa2.ciHigh),
                             clear ? QStringLiteral("<b>%1</b>").arg(difference) : difference)
                        .arg(c.nowAgree.size())
                        .arg(c.nowDisagree.size());
            if (!c.nowAgree.empty())
                flips += tr("<li>%1: now agrees with gold on %2</li>").arg(facet, units(c.nowAgree));
            if (!c.nowDisagree.empty())
                flips += tr("<li>%1: now disagrees with gold on %2</li>").arg(facet, units(c.nowDisagree));
            if (!c.note.empty())
                notes += QStringLiteral("<li>%1: %2</li>")
                             .arg(facet, QString::fromStdString(c.note).toHtmlEscaped());
        }
        if (rows.isEmpty()) {
            html += tr("<p>No gold unit was labelled by both judges, so there is nothing to compare.</p>");
        } else {
            html +=
                tr("<table cellspacing='0' cellpadding='3' border='1' style='border-collapse:collapse'>"
                   "<tr><th>facet</th><th>units</th><th>κ previous [95% CI]</th><th>κ edited [95% CI]</th>"
                   "<th>edited − previous [bootstrap 95% CI]</th><th>flipped (+agree / "
                   "−agree)</th></tr>%1</table>")
                    .arg(rows);
            html += flips.isEmpty() ? tr("<p>No unit flipped between agreeing and disagreeing with gold.</p>")
                                    : QStringLiteral("<ul>%1</ul>").arg(flips);
            if (!notes.isEmpty())
                html += QStringLiteral("<ul>%1</ul>").arg(notes);
        }
    }
    html += tr("<p>The same numbers: <code>%1</code></p>").arg(compareCommand().toHtmlEscaped());
    m_comparisonView->setHtml(html);
    m_results->setCurrentWidget(m_comparisonView);
    m_progressLine->setText(m_progressLine->text().replace(tr(" Comparing both judges against gold…"),
                                                           tr(" The comparison is in the Calibration tab.")));
    emit calibrated();
}

QString JudgeDialog::calibrationText() const { return m_comparisonView->toPlainText(); }

// ---- Keys ------------------------------------------------------------------------------------

void JudgeDialog::lookUpKeychain()
{
    const QString env = m_keyEnv->text().trimmed();
    const bool envSet = !env.isEmpty() && !qEnvironmentVariableIsEmpty(env.toLocal8Bit().constData());
    // The variable comes first: then the keychain is not asked at all (no unlock prompt).
    if (envSet || m_keychainBusy || m_storedProfile == profileId()) {
        updateKeyState();
        return;
    }
    m_keychainBusy = true;
    updateKeyState();
    const QString profile = profileId();
    readStoredKey(profile, this, [this, profile](const StoredKey &k) {
        m_keychainBusy = false;
        m_storedKey = k;
        m_storedProfile = profile;
        lookUpKeychain(); // the profile may have changed meanwhile
        emit keyStateChanged();
    });
}

void JudgeDialog::storeKeyInKeychain(const QString &key)
{
    if (key.isEmpty() || m_keychainBusy)
        return;
    const QString profile = profileId();
    m_keychainBusy = true;
    m_keychainNote.clear();
    updateKeyState();
    storeKey(profile, key, this, [this, profile, key](const StoredKey &k) {
        m_keychainBusy = false;
        if (k.state == StoredKey::State::Found) {
            m_storedProfile = profile;
            m_storedKey = StoredKey{StoredKey::State::Found, key, {}};
            m_keychainNote = tr("Stored in the OS keychain for the %1 profile.").arg(profile);
        } else {
            m_keychainNote = warning(tr("Not stored: %1.").arg(k.message.toHtmlEscaped()));
        }
        lookUpKeychain();
        scheduleEstimate();
        emit keyStateChanged();
    });
}

void JudgeDialog::forgetKeychainKey()
{
    if (m_keychainBusy)
        return;
    const QString profile = profileId();
    m_keychainBusy = true;
    m_keychainNote.clear();
    updateKeyState();
    forgetStoredKey(profile, this, [this, profile](const StoredKey &k) {
        m_keychainBusy = false;
        if (k.state == StoredKey::State::Found) {
            m_storedProfile = profile;
            m_storedKey = StoredKey{};
            m_keychainNote = tr("Removed from the OS keychain.");
        } else {
            m_keychainNote = warning(tr("Not removed: %1.").arg(k.message.toHtmlEscaped()));
        }
        lookUpKeychain();
        emit keyStateChanged();
    });
}

void JudgeDialog::updateKeyState()
{
    const QString env = m_keyEnv->text().trimmed();
    const KeySources sources = keySources();
    const bool envSet = sources.fromVariable, inKeychain = sources.inKeychain, local = sources.local;
    const bool known = m_storedProfile == profileId();
    const QString name = env.isEmpty() ? tr("no variable") : env.toHtmlEscaped();
    QString text;
    if (envSet) {
        text = success(tr("✓ from %1").arg(name)) + tr(" (the variable comes before the keychain)");
    } else if (m_keychainBusy) {
        text = tr("%1 is not set; asking the OS keychain…").arg(name);
    } else if (inKeychain) {
        text = success(tr("✓ from the OS keychain")) + tr(" (%1 is not set)").arg(name);
    } else {
        QString where = tr("%1 is not set").arg(name);
        if (known && m_storedKey.state == StoredKey::State::Unavailable)
            where += tr(", and %1").arg(m_storedKey.message.toHtmlEscaped());
        else if (known)
            where += tr(", and the OS keychain holds no key for this profile");
        text = local ? tr("No key: %1 (a local server usually needs none).").arg(where)
                     : warning(tr("No key: %1; the server will refuse the requests.").arg(where));
    }
    if (!m_keychainNote.isEmpty())
        text += QStringLiteral(" ") + m_keychainNote;
    m_keyState->setText(text);
    // A word-wrapped label in a form row is not given its wrapped height when the dialog is at
    // its minimum size: ask for the lines it takes at the narrowest the row gets (the dialog's
    // minimum width less the form's label column), so the warning is never cut through.
    const int width = std::max(200, m_keyState->width() > 0 ? m_keyState->width() : 480);
    m_keyState->setMinimumHeight(m_keyState->heightForWidth(std::min(width, 520)));
    m_storeKey->setEnabled(!m_keychainBusy);
    m_forgetKey->setEnabled(!m_keychainBusy && inKeychain);
    updateStart();
}

QString JudgeDialog::keyStateText() const { return m_keyState->text(); }

QString JudgeDialog::progressText() const { return m_progressLine->text(); }
QString JudgeDialog::failureLog() const { return m_log->toPlainText(); }

void JudgeDialog::closeEvent(QCloseEvent *event)
{
    if (isRunning()) {
        event->ignore();
        m_progressLine->setText(tr("Cancel the run before closing: what was judged is saved either way."));
        return;
    }
    QDialog::closeEvent(event);
}

void JudgeDialog::reject()
{
    if (isRunning()) {
        m_progressLine->setText(tr("Cancel the run before closing: what was judged is saved either way."));
        return;
    }
    QDialog::reject();
}

} // namespace concord::ui
