#pragma once
/// @file mainwindow.h
/// The Concord main window: the annotation workspace (and the agreement and review views), the
/// menus and every keyboard shortcut, the status bar (project, annotator, progress, save state),
/// opening, creating, importing into and exporting projects, and who the annotator is.
/// The project file reaches it only through model's interfaces, handed in by app/.

#include "agreementreport.h"
#include "judgerun.h"
#include "labelstore.h"

#include "htmlreport.h"
#include <QFutureWatcher>

#include <QMainWindow>
#include <QPointer>

#include <atomic>
#include <functional>
#include <memory>

class QActionGroup;
class QLabel;
class QMenu;
class QProgressDialog;
class QStackedWidget;
class QTimer;
class QUndoStack;

namespace concord::ui {

class AgreementView;
class AnnotateView;
class JudgeDialog;
class LabelSaver;
class LabelSession;
class Preferences;
class ProjectTask;
class ReviewView;

/// What the window needs from outside ui/: app/ builds it from storage/.
struct WorkspaceServices
{
    /// Opens connections to project files; must outlive the window.
    model::ProjectOpener *opener = nullptr;
    /// Reads every current label of the project at a path, on a connection of its own (called on
    /// worker threads). Without it the agreement and review views are not offered.
    std::function<model::Result<model::LabelSet>(const std::string &path)> readLabels;
    /// What the calibration report of the project at a path says (agreement, raters, judges), read
    /// and computed on a worker thread with a connection of its own; the window draws the charts
    /// and the HTML (renderHtmlReport) on the GUI thread. Without it File → Export Report… is not
    /// offered.
    std::function<model::Result<ReportInput>(const std::string &path)> gatherReport;
    /// The LLM judge (Judge → Run Judge…); both run on worker threads with connections of their own.
    struct Judge
    {
        /// What a run would take, before anything is sent.
        std::function<model::Result<model::JudgeEstimate>(const std::string &path,
                                                          const model::JudgeRunOptions &)>
            estimate;
        /// Runs it: progress is reported on the worker thread; `cancel` stops it.
        std::function<model::Result<model::JudgeRunSummary>(
            const std::string &path, const model::JudgeRunOptions &,
            const std::function<void(const model::JudgeProgress &)> &progress,
            const std::atomic<bool> *cancel)>
            run;
        /// The prompt templates stored in the project (every version a judge ran with).
        std::function<model::Result<std::vector<model::PromptTemplate>>(const std::string &path)> templates;
        /// Every judge run of the project, newest first (Judge → Run Judge…, tab Runs).
        std::function<model::Result<std::vector<model::JudgeRunRecord>>(const std::string &path)> runs;
        /// Every current label, as readLabels above (worker thread): for the calibration loop's
        /// comparison of two judges against gold. Without it the dialog offers no comparison.
        std::function<model::Result<model::LabelSet>(const std::string &path)> readLabels;
    } judge;
};

class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    enum class View { Annotate, Agreement, Review };

    /// `preferences` must outlive the window.
    MainWindow(WorkspaceServices services, Preferences &preferences, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Without interaction the window never opens a dialog: problems go to the status bar (and
    /// lastError()), and a missing annotator is not asked for. For tests and screenshots.
    void setInteractive(bool interactive) { m_interactive = interactive; }
    /// Opens a project (closing the current one once its labels are saved). False on failure, with
    /// the reason in lastError().
    bool openProject(const QString &path);
    void closeProject();
    /// True when the open project's labels are all saved (waiting a moment for the saver), or
    /// the user agrees to lose those that are not (`question` asks it); false keeps it open.
    /// Without a user to ask (not interactive) it refuses, with a problem().
    bool mayCloseProject(const QString &question);
    /// Closes the open project and opens `path`, once mayCloseProject() said yes. A project that
    /// cannot be written where it is (a read-only folder or disk) is offered as a copy instead.
    bool replaceProject(const QString &path);
    /// Labels from now on are stored under `annotator` (a human rater; created with its first label).
    void setAnnotator(const model::Rater &annotator);
    const model::Rater &annotator() const { return m_annotator; }
    /// Imports JSONL files into the open project off the GUI thread; the queue reloads afterwards.
    void importFiles(const QStringList &paths);
    /// When another program changed the annotator's labels in the file (seen when the app
    /// becomes active again), reads them again so the screen shows what the file holds.
    void checkForOutsideChanges();
    /// Writes the open project as JSONL v1 to `target` off the GUI thread, once every label on
    /// screen is saved (through a temporary file: an interrupted export leaves no half file).
    void exportProject(const QString &target);
    /// Writes the calibration report of the open project: PDF when `target` ends in .pdf, else
    /// self-contained HTML. False on failure, with the reason in lastError().
    bool exportReport(const QString &target);
    /// The report's HTML: gathered on a worker thread behind a busy dialog, drawn here.
    model::Result<QString> reportHtml();
    /// Judge → Run LLM Judge…: the judge dialog for the open project (one at a time).
    void openJudgeDialog();
    JudgeDialog *judgeDialog() const;
    bool showView(View view);
    View currentView() const;
    bool hasView(View view) const;
    /// Waits until every label shown is committed; false after `timeoutMs`.
    bool waitUntilSaved(int timeoutMs);

    AnnotateView *annotateView() const { return m_annotate; }
    AgreementView *agreementView() const { return m_agreement; }
    ReviewView *reviewView() const { return m_review; }
    QUndoStack *undoStack() const { return m_undo; }
    LabelSession *session() const { return m_session.get(); }
    QString projectPath() const { return m_path; }
    QString lastError() const { return m_lastError; }
    /// The save state as the status bar shows it ("Saved", "Saving…", "Not saved: …").
    QString saveState() const;
    /// Every action with a shortcut, in cheat-sheet order.
    QList<QAction *> shortcutActions() const { return m_shortcutActions; }

signals:
    /// Every revision made so far is committed to the project file.
    void allSaved();
    /// How far the import started by importFiles() is, in percent (as its dialog shows it).
    void importProgressed(int percent);
    /// The import started by importFiles() ended (ok: it added its content).
    void importFinished(bool ok, const QString &message);
    /// The export started by exportProject() ended; `message` is the file written or the error.
    void exportFinished(bool ok, const QString &message);
    void projectOpened(const QString &path);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void buildMenus();
    QAction *addShortcutAction(QMenu *menu, const QString &group, const QString &text,
                               const QList<QKeySequence> &keys, const std::function<void()> &slot,
                               bool annotateOnly);
    void buildStatusBar();
    void updateRecentMenu();
    void updateTitle();
    void updateProgress();
    void setSaveState(const QString &text, const QString &color, const QString &tooltip = {});
    void problem(const QString &message, bool dialog = true);
    bool ensureAnnotator(model::LabelStore &store);
    void startSession();
    void reloadQueue();
    void refreshConsensus();
    void buildOtherViews();
    void newProject();
    /// Offers to save a copy of the read-only project `path` (`why` says what stops writing it)
    /// and opens the copy; false when the user declines or the copy fails.
    bool openACopy(const QString &path, const QString &why);
    void openProjectDialog();
    void importDialog();
    void exportDialog();
    void exportReportDialog();
    void printReportDialog();
    void switchAnnotator();
    void setBlind(bool blind);
    /// Gives Review the items the annotator has not finished (blind projects), to hold back.
    void withholdUnfinished();
    void zoom(int delta);
    void showDiagnostics(const QString &title, const QString &message, const QStringList &problems);

    WorkspaceServices m_services;
    Preferences &m_preferences;
    bool m_interactive = true;
    bool m_reloadWhenSaved = false; ///< an import finished while revisions were still being saved
    /// The annotator's label rows in the file as this window knows them (read, plus saved since);
    /// -1 unknown. Another count in the file means another program wrote them.
    std::int64_t m_knownRevisions = -1;
    void rememberRevisions();
    QString m_lastError;

    QString m_path;
    std::unique_ptr<model::ProjectConnection> m_connection; ///< GUI-thread reads (and gold writes)
    std::unique_ptr<LabelSaver> m_saver;
    std::unique_ptr<LabelSession> m_session;
    model::Rater m_annotator;
    bool m_blind = true;

    QUndoStack *m_undo = nullptr;
    QStackedWidget *m_views = nullptr;
    AnnotateView *m_annotate = nullptr;
    AgreementView *m_agreement = nullptr;
    ReviewView *m_review = nullptr;
    QWidget *m_placeholder = nullptr;

    QList<QAction *> m_shortcutActions;
    QList<QAction *> m_annotateActions;
    QList<QAction *> m_projectActions;
    QAction *m_viewActions[3] = {nullptr, nullptr, nullptr};
    QAction *m_blindAction = nullptr;
    QAction *m_criteriaAction = nullptr;
    QMenu *m_recentMenu = nullptr;

    QLabel *m_statusProject = nullptr;
    QLabel *m_statusAnnotator = nullptr;
    QLabel *m_statusProgress = nullptr;
    QLabel *m_statusSave = nullptr;

    QPointer<ProjectTask> m_task;
    QPointer<JudgeDialog> m_judge;
    QPointer<QProgressDialog> m_taskProgress;
    QFutureWatcher<model::Result<std::vector<model::ItemConsensus>>> m_consensus;
    QTimer *m_consensusDelay = nullptr;
    bool m_consensusAgain = false;
};

} // namespace concord::ui
