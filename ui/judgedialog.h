#pragma once
/// @file judgedialog.h
/// Judge → Run Judge…: runs an LLM judge over the open project. The user picks a server profile
/// (OpenAI, Anthropic, llama-server, Ollama, vLLM, LM Studio), the model and what to judge; the
/// dialog estimates calls, tokens and cost before anything is sent, then shows a progress bar with
/// an ETA, can cancel (what was judged stays saved; the next run continues), and lists every
/// failure with its reason. "Edit Templates…" makes new prompt-template versions, and "Only the
/// gold set" restricts the run to adjudicated items. "Edit Template, Re-run on Gold…" is the
/// calibration loop in one action: new template versions, both the previous and the new judge on
/// the gold set (what is judged already is skipped), then the comparison `concord compare
/// --against gold` prints (model/calibration.h), shown in the dialog.
///
/// The API key is read from the environment variable the profile names, or else from the OS
/// keychain, where the dialog can store one per profile (ui/judgekeys.h); it is never written to
/// the project or the settings.

#include "calibration.h"
#include "judgekeys.h"
#include "mainwindow.h"

#include <QDialog>
#include <QElapsedTimer>
#include <QFutureWatcher>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTextBrowser;
class QTimer;
class QTreeWidget;

namespace concord::ui {

class Preferences;

class JudgeDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JudgeDialog)

public:
    /// `services` must hold estimate and run; `goldItems` are the ids of items with a gold label.
    JudgeDialog(QString projectPath, WorkspaceServices::Judge services, std::vector<std::string> goldItems,
                Preferences &preferences, QWidget *parent = nullptr);
    ~JudgeDialog() override;

    /// An item adjudicated while the dialog is open joins the gold set ("Only the gold set",
    /// "Re-run on Gold…"); a run already started keeps the items it started with.
    void addGoldItem(const std::string &itemId);

    /// The run the dialog would start now, from its fields (the key from the environment variable
    /// when it is set, else the one read from the keychain).
    model::JudgeRunOptions options() const;
    /// Replaces the prompt templates (each the newest of its step), as Edit Templates… does.
    void setTemplates(std::vector<model::PromptTemplate> templates);
    const std::vector<model::PromptTemplate> &templates() const { return m_templates; }

    /// Starts the run (as the Start button does); false when the fields are not complete.
    bool start();
    /// Asks a running run to stop once what has arrived is saved.
    void cancelRun();
    /// The calibration loop with `edited` templates (as the template editor returns them, each the
    /// newest of its step): on the gold set, the judge as configured now is run (usually nothing
    /// is left to do), then the judge with `edited`; then both are compared against gold
    /// (calibrated()). False when there is no gold set, nothing was edited, or a run is going.
    bool calibrate(std::vector<model::PromptTemplate> edited);
    bool isCalibrating() const { return m_calibration.has_value(); }
    /// The last comparison shown, as text (the panel's plain text), and as numbers.
    QString calibrationText() const;
    const std::vector<model::JudgeComparison> &calibration() const { return m_comparison; }

    /// Stores `key` in the OS keychain for the current profile; keyStateChanged() tells the result.
    void storeKeyInKeychain(const QString &key);
    /// Removes the current profile's key from the OS keychain.
    void forgetKeychainKey();
    /// The line beside the key's variable: where the key comes from, or why there is none.
    QString keyStateText() const;
    bool keychainBusy() const { return m_keychainBusy; }
    bool isRunning() const { return m_run.isRunning(); }
    /// The estimate's one-paragraph text, the progress line and the failure log, as shown.
    QString estimateText() const;
    /// `html` in red (a warning) or green (a success), in a shade readable on this dialog's
    /// palette, light or dark.
    QString warning(const QString &html) const;
    QString success(const QString &html) const;
    QString progressText() const;
    QString failureLog() const;
    /// The Runs tab: the project's judge runs, newest first, as shown.
    QTreeWidget *runsView() const { return m_runs; }
    /// Whether the runs are being read (the Runs tab shows them when this turns false).
    bool runsLoading() const { return m_runsWatcher.isRunning(); }
    QProgressBar *progressBar() const { return m_progress; }

    QLineEdit *modelEdit() const { return m_model; }
    QComboBox *profileBox() const { return m_profile; }
    QLineEdit *baseUrlEdit() const { return m_baseUrl; }
    QLineEdit *keyEnvEdit() const { return m_keyEnv; }
    QCheckBox *goldOnlyBox() const { return m_goldOnly; }
    QDoubleSpinBox *promptPriceBox() const { return m_promptPrice; }
    QDoubleSpinBox *outputPriceBox() const { return m_outputPrice; }

signals:
    /// A fresh estimate is shown.
    void estimated();
    /// A run ended (finished, stopped or cancelled) and its labels are in the project.
    void runFinished(const model::JudgeRunSummary &summary);
    /// A run could not start or the project failed under it.
    void runFailed(const QString &message);
    /// The calibration loop's comparison (or why there is none) is shown.
    void calibrated();
    /// A keychain read, store or forget ended; keyStateText() says how.
    void keyStateChanged();

protected:
    void closeEvent(QCloseEvent *event) override;
    void reject() override;

private:
    void applyProfile();
    void scheduleEstimate();
    void estimateNow();
    void showProgress(const model::JudgeProgress &progress);
    void runEnded();
    void editTemplates();
    void updateTemplateLabel();
    void setRunning(bool running);
    /// The gold set's size in "Only the gold set", and what needs it enabled (only when `idle`).
    void showGoldSet(bool idle);
    void savePrices();
    bool startRun(const model::JudgeRunOptions &options);
    void editAndCalibrate();
    void calibrationRunEnded(const model::JudgeRunSummary &summary);
    void showComparison();
    QString calibrationStep() const;
    QString compareCommand() const;
    void appendFailure(const model::JudgeFailure &failure);
    /// Reads the project's runs on a worker thread; the Runs tab shows them when they arrive.
    void loadRuns();
    void showRuns();
    QString profileId() const;
    /// Asks the keychain for the current profile's key when its variable is unset.
    void lookUpKeychain();
    void updateKeyState();
    /// Where a key can come from now: the environment variable, the keychain; and whether the
    /// server is a local one (http://), which usually needs none.
    struct KeySources
    {
        bool fromVariable = false, inKeychain = false, local = false;
    };
    KeySources keySources() const;
    /// Whether the run would go to a hosted (https) server with no key from the variable or the
    /// keychain; it would refuse every request.
    bool keyMissing() const;
    /// Start is enabled when the fields are complete and a hosted server has its key.
    void updateStart();
    std::vector<int> newestVersions() const;
    /// Every template version this dialog knows: built in, stored in the project, in use.
    std::vector<model::PromptTemplate> knownVersions() const;

    QString m_path;
    WorkspaceServices::Judge m_services;
    std::vector<std::string> m_goldItems;
    Preferences &m_preferences;
    std::vector<model::PromptTemplate> m_templates;
    std::vector<model::PromptTemplate> m_builtin;

    QComboBox *m_profile = nullptr;
    QLineEdit *m_baseUrl = nullptr;
    QLineEdit *m_model = nullptr;
    QLineEdit *m_keyEnv = nullptr;
    QLabel *m_keyState = nullptr;
    QCheckBox *m_tasks[3] = {nullptr, nullptr, nullptr};
    QCheckBox *m_goldOnly = nullptr;
    QSpinBox *m_limit = nullptr;
    QSpinBox *m_concurrency = nullptr;
    QSpinBox *m_maxContext = nullptr;
    QLabel *m_templateLabel = nullptr;
    QPushButton *m_editTemplates = nullptr;
    QPushButton *m_calibrate = nullptr;
    QPushButton *m_storeKey = nullptr;
    QPushButton *m_forgetKey = nullptr;
    QDoubleSpinBox *m_promptPrice = nullptr;
    QDoubleSpinBox *m_outputPrice = nullptr;
    QLabel *m_estimate = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_progressLine = nullptr;
    QPlainTextEdit *m_log = nullptr;
    QTabWidget *m_results = nullptr;
    QTextBrowser *m_comparisonView = nullptr;
    QTreeWidget *m_runs = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_close = nullptr;
    QList<QWidget *> m_fields;

    QTimer *m_estimateDelay = nullptr;
    QFutureWatcher<model::Result<model::JudgeEstimate>> m_estimateWatcher;
    bool m_estimateAgain = false;
    std::optional<model::JudgeEstimate> m_lastEstimate;

    QFutureWatcher<model::Result<model::JudgeRunSummary>> m_run;
    std::shared_ptr<std::atomic<bool>> m_cancelFlag;
    QElapsedTimer m_elapsed;
    std::int64_t m_judgedAtStart = 0;
    int m_shownFailures = 0;            ///< lines in the failure log
    std::size_t m_runFailuresShown = 0; ///< of this run's failures, how many came with its progress

    /// The calibration loop under way: the judge before the edit, then the new one.
    struct Calibration
    {
        model::JudgeRunOptions previous, next;
        std::string previousRater, nextRater;
        QString change; ///< "preference v1 → v2": the steps whose template was edited
        int stage = 1;  ///< 1: the previous judge runs, 2: the edited one, 3: comparing
    };
    std::optional<Calibration> m_calibration;
    QFutureWatcher<model::Result<std::vector<model::JudgeComparison>>> m_compareWatcher;
    QFutureWatcher<model::Result<std::vector<model::JudgeRunRecord>>> m_runsWatcher;
    std::vector<model::JudgeComparison> m_comparison;
    Calibration m_compared; ///< what m_comparison compares

    /// The key read from the keychain for m_storedProfile; only in memory.
    StoredKey m_storedKey;
    QString m_storedProfile;
    bool m_keychainBusy = false;
    QString m_keychainNote; ///< the last store or forget, for the key line
};

} // namespace concord::ui
