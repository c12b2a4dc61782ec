#pragma once
/// @file judgedialog.h
/// Judge → Run Judge…: runs an LLM judge over the open project. The user picks a server profile
/// (OpenAI, Anthropic, llama-server, Ollama, vLLM, LM Studio), the model and what to judge; the
/// dialog estimates calls, tokens and cost before anything is sent, then shows a progress bar with
/// an ETA, can cancel (what was judged stays saved; the next run continues), and lists every
/// failure with its reason. "Edit Templates…" makes new prompt-template versions, and "Only the
/// gold set" restricts the run to adjudicated items: an edited judge is one click from
/// `concord compare` against gold.
///
/// The API key is read from the environment variable the profile names; it is never stored.

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
class QTimer;

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

    /// The run the dialog would start now, from its fields (the key is read from the environment).
    model::JudgeRunOptions options() const;
    /// Replaces the prompt templates (each the newest of its step), as Edit Templates… does.
    void setTemplates(std::vector<model::PromptTemplate> templates);
    const std::vector<model::PromptTemplate> &templates() const { return m_templates; }

    /// Starts the run (as the Start button does); false when the fields are not complete.
    bool start();
    /// Asks a running run to stop once what has arrived is saved.
    void cancelRun();
    bool isRunning() const { return m_run.isRunning(); }
    /// The estimate's one-paragraph text, the progress line and the failure log, as shown.
    QString estimateText() const;
    QString progressText() const;
    QString failureLog() const;
    QProgressBar *progressBar() const { return m_progress; }

    QLineEdit *modelEdit() const { return m_model; }
    QComboBox *profileBox() const { return m_profile; }
    QLineEdit *baseUrlEdit() const { return m_baseUrl; }
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
    void savePrices();

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
    QDoubleSpinBox *m_promptPrice = nullptr;
    QDoubleSpinBox *m_outputPrice = nullptr;
    QLabel *m_estimate = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_progressLine = nullptr;
    QPlainTextEdit *m_log = nullptr;
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
};

} // namespace concord::ui
