#include "mainwindow.h"

#include "agreementview.h"
#include "annotateview.h"
#include "annotatordialog.h"
#include "documentview.h"
#include "htmlreport.h"
#include "judgedialog.h"
#include "labelsaver.h"
#include "labelsession.h"
#include "models/itemqueuemodel.h"
#include "outputfile.h"
#include "preferences.h"
#include "projecttask.h"
#include "reviewview.h"
#include "shortcutsdialog.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPrintDialog>
#include <QPrinter>
#include <QProgressDialog>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>
#include <QUndoStack>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <QtConcurrent>

#include <algorithm>
#include <set>

namespace concord::ui {

namespace {

constexpr int kCloseWaitMs = 5000;
constexpr int kConsensusDelayMs = 1500;
constexpr int kMaxShownProblems = 50;
const char *const kGoldRater = "gold";

bool isJsonl(const QString &path) { return path.endsWith(QLatin1String(".jsonl"), Qt::CaseInsensitive); }

QStringList jsonlFiles(const QMimeData *mime)
{
    QStringList files;
    if (!mime->hasUrls())
        return files;
    for (const QUrl &url : mime->urls())
        if (url.isLocalFile() && isJsonl(url.toLocalFile()))
            files.append(url.toLocalFile());
    return files;
}

} // namespace

MainWindow::MainWindow(WorkspaceServices services, Preferences &preferences, QWidget *parent)
    : QMainWindow(parent), m_services(std::move(services)), m_preferences(preferences)
{
    setObjectName(QStringLiteral("concordMainWindow"));
    setAcceptDrops(true);
    m_undo = new QUndoStack(this);
    m_views = new QStackedWidget(this);
    m_annotate = new AnnotateView(*m_undo, m_views);
    m_views->addWidget(m_annotate);
    setCentralWidget(m_views);

    m_annotate->setReadingPointSize(m_preferences.get(settings::kReadingPointSize));
    m_annotate->comparison()->setCriteriaShown(m_preferences.get(settings::kCriteriaShown));
    m_annotate->comparison()->setReferenceShown(m_preferences.get(settings::kReferenceShown));
    if (const QByteArray splitter = m_preferences.get(settings::kWorkspaceSplitter); !splitter.isEmpty())
        m_annotate->splitter()->restoreState(splitter);

    buildMenus();
    buildStatusBar();

    connect(m_annotate, &AnnotateView::progressChanged, this, &MainWindow::updateProgress);
    // Undo from another view changes a label: show it where it was made.
    connect(m_undo, &QUndoStack::indexChanged, this, [this] {
        if (currentView() != View::Annotate)
            showView(View::Annotate);
    });
    connect(m_annotate, &AnnotateView::messageRaised, this,
            [this](const QString &message) { statusBar()->showMessage(message, 6000); });
    connect(m_annotate, &AnnotateView::criteriaShownChanged, this, [this](bool shown) {
        m_preferences.set(settings::kCriteriaShown, shown);
        const QSignalBlocker block(m_criteriaAction);
        m_criteriaAction->setChecked(shown);
    });
    connect(m_annotate, &AnnotateView::referenceShownChanged, this,
            [this](bool shown) { m_preferences.set(settings::kReferenceShown, shown); });
    connect(m_annotate->document(), &DocumentView::pointSizeChanged, this,
            [this](int points) { m_preferences.set(settings::kReadingPointSize, points); });

    m_consensusDelay = new QTimer(this);
    m_consensusDelay->setSingleShot(true);
    m_consensusDelay->setInterval(kConsensusDelayMs);
    connect(m_consensusDelay, &QTimer::timeout, this, &MainWindow::refreshConsensus);
    connect(&m_consensus, &QFutureWatcherBase::finished, this, [this] {
        const auto result = m_consensus.result();
        if (result && m_session)
            m_annotate->setConsensus(*result);
        if (m_consensusAgain) {
            m_consensusAgain = false;
            refreshConsensus();
        }
    });
    connect(qApp, &QGuiApplication::applicationStateChanged, this, [this](Qt::ApplicationState state) {
        if (m_session)
            m_session->setTiming(state == Qt::ApplicationActive);
        if (state == Qt::ApplicationActive)
            checkForOutsideChanges(); // a `concord import` in a terminal, say
    });

    if (const QByteArray geometry = m_preferences.get(settings::kWindowGeometry); !geometry.isEmpty())
        restoreGeometry(geometry);
    else
        resize(1500, 900);
    m_annotator.id = m_preferences.get(settings::kAnnotatorId).toStdString();
    if (const QString name = m_preferences.get(settings::kAnnotatorName); !name.isEmpty())
        m_annotator.name = name.toStdString();
    updateTitle();
    updateProgress();
    setSaveState(QString(), QString());
}

MainWindow::~MainWindow()
{
    if (m_task)
        m_task->cancel();
    m_consensus.waitForFinished();
    closeProject();
}

QAction *MainWindow::addShortcutAction(QMenu *menu, const QString &group, const QString &text,
                                       const QList<QKeySequence> &keys, const std::function<void()> &slot,
                                       bool annotateOnly)
{
    auto *action = new QAction(text, this);
    action->setShortcuts(keys);
    action->setProperty("group", group);
    connect(action, &QAction::triggered, this, slot);
    if (menu)
        menu->addAction(action);
    else
        addAction(action);
    m_shortcutActions.append(action);
    if (annotateOnly)
        m_annotateActions.append(action);
    return action;
}

void MainWindow::buildMenus()
{
    AnnotateView *a = m_annotate;
    const QString gVerdict = tr("Overall verdict"), gCriteria = tr("Criteria (optional)"),
                  gAnswer = tr("The focused answer (the one with ●)"), gItems = tr("Items"),
                  gDocument = tr("Document"), gEdit = tr("Undo"), gViews = tr("Views"), gHelp = tr("Help");

    // File
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New Project…"), QKeySequence::New, this, &MainWindow::newProject);
    file->addAction(tr("&Open Project…"), QKeySequence::Open, this, &MainWindow::openProjectDialog);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    m_projectActions.append(
        file->addAction(tr("&Import JSONL…"), QKeySequence(tr("Ctrl+I")), this, &MainWindow::importDialog));
    m_projectActions.append(file->addAction(tr("&Export JSONL…"), QKeySequence(tr("Ctrl+Shift+E")), this,
                                            &MainWindow::exportDialog));
    if (m_services.gatherReport) {
        m_projectActions.append(file->addAction(tr("Export &Report…"), QKeySequence(tr("Ctrl+Shift+R")), this,
                                                &MainWindow::exportReportDialog));
        m_projectActions.append(
            file->addAction(tr("&Print Report…"), QKeySequence::Print, this, &MainWindow::printReportDialog));
    }
    file->addSeparator();
    m_projectActions.append(file->addAction(tr("Switch &Annotator…"), this, &MainWindow::switchAnnotator));
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    // Edit: undo, find, and every labelling act.
    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *undo = m_undo->createUndoAction(this, tr("&Undo"));
    undo->setShortcuts({QKeySequence(tr("Ctrl+Z"))});
    undo->setProperty("group", gEdit);
    QAction *redo = m_undo->createRedoAction(this, tr("&Redo"));
    redo->setShortcuts({QKeySequence(tr("Ctrl+Shift+Z")), QKeySequence(tr("Ctrl+Y"))});
    redo->setProperty("group", gEdit);
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    addShortcutAction(
        edit, gDocument, tr("&Find in Document…"), {QKeySequence::Find}, [a] { a->document()->openFind(); },
        true);
    addShortcutAction(
        edit, gDocument, tr("Find &Next"), {QKeySequence(Qt::Key_F3)}, [a] { a->document()->findNext(); },
        true);
    addShortcutAction(
        edit, gDocument, tr("Find &Previous"), {QKeySequence(Qt::SHIFT | Qt::Key_F3)},
        [a] { a->document()->findPrevious(); }, true);
    edit->addSeparator();

    QMenu *verdict = edit->addMenu(tr("Overall &Verdict"));
    addShortcutAction(
        verdict, gVerdict, tr("Left answer is better"), {QKeySequence(Qt::Key_1), QKeySequence(Qt::Key_Left)},
        [a] { a->choosePreference(Verdict::Left); }, true);
    addShortcutAction(
        verdict, gVerdict, tr("About the same (tie)"), {QKeySequence(Qt::Key_2), QKeySequence(Qt::Key_Down)},
        [a] { a->choosePreference(Verdict::Tie); }, true);
    addShortcutAction(
        verdict, gVerdict, tr("Right answer is better"),
        {QKeySequence(Qt::Key_3), QKeySequence(Qt::Key_Right)}, [a] { a->choosePreference(Verdict::Right); },
        true);

    QMenu *criteria = edit->addMenu(tr("&Criteria"));
    const QString criterionNames[] = {tr("Relevance"), tr("Comprehensiveness"), tr("Conciseness")};
    const QString verdictNames[] = {tr("left is better"), tr("about the same"), tr("right is better")};
    for (int c = 0; c < 3; ++c)
        for (int v = 0; v < 3; ++v)
            addShortcutAction(
                criteria, gCriteria, tr("%1: %2").arg(criterionNames[c], verdictNames[v]),
                {QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + 3 * c + v))},
                [a, c, v] { a->chooseCriterion(c, Verdict(v)); }, true);

    QMenu *answer = edit->addMenu(tr("&Answer"));
    addShortcutAction(
        answer, gAnswer, tr("Switch between the left and right answer"),
        {QKeySequence(Qt::Key_Tab), QKeySequence(Qt::Key_Backtab)},
        [a] {
            // In a text field Tab leaves the field instead (a note is saved on leaving).
            if (qobject_cast<QLineEdit *>(QApplication::focusWidget()))
                a->document()->editor()->setFocus(Qt::TabFocusReason);
            else
                a->switchAnswer();
        },
        true);
    addShortcutAction(
        answer, gAnswer, tr("Faithful"), {QKeySequence(Qt::Key_F)}, [a] { a->chooseFaithful(true); }, true);
    addShortcutAction(
        answer, gAnswer, tr("Unfaithful"), {QKeySequence(Qt::Key_U)}, [a] { a->chooseFaithful(false); },
        true);
    addShortcutAction(
        answer, gAnswer, tr("Gives an answer (again: answered ⇄ hallucinated)"), {QKeySequence(Qt::Key_G)},
        [a] { a->chooseResponse(false); }, true);
    addShortcutAction(
        answer, gAnswer, tr("Declines (again: declined correctly ⇄ wrongly)"), {QKeySequence(Qt::Key_D)},
        [a] { a->chooseResponse(true); }, true);
    addShortcutAction(
        answer, gAnswer, tr("Mark the selected passage as evidence"), {QKeySequence(Qt::Key_E)},
        [a] { a->markEvidence(false); }, true);
    addShortcutAction(
        answer, gAnswer, tr("Mark as evidence, with a note…"), {QKeySequence(Qt::SHIFT | Qt::Key_E)},
        [a] { a->markEvidence(true); }, true);
    addShortcutAction(
        answer, gAnswer, tr("Remove the newest evidence"), {QKeySequence(Qt::Key_X)},
        [a] { a->removeLastEvidence(); }, true);
    addShortcutAction(
        edit, gItems, tr("Write a &Note"), {QKeySequence(tr("Ctrl+M"))}, [a] { a->focusNote(); }, true);

    // View
    QMenu *view = menuBar()->addMenu(tr("&View"));
    auto *views = new QActionGroup(this);
    const QString viewNames[] = {tr("&Annotate"), tr("A&greement"), tr("&Review")};
    for (int v = 0; v < 3; ++v) {
        m_viewActions[v] = addShortcutAction(
            view, gViews, viewNames[v], {QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + v))},
            [this, v] { showView(View(v)); }, false);
        m_viewActions[v]->setCheckable(true);
        views->addAction(m_viewActions[v]);
    }
    m_viewActions[0]->setChecked(true);
    view->addSeparator();
    addShortcutAction(
        view, gItems, tr("&Next Item"), {QKeySequence(Qt::Key_J), QKeySequence(Qt::Key_PageDown)},
        [a] { a->nextItem(); }, true);
    addShortcutAction(
        view, gItems, tr("&Previous Item"), {QKeySequence(Qt::Key_K), QKeySequence(Qt::Key_PageUp)},
        [a] { a->previousItem(); }, true);
    addShortcutAction(
        view, gItems, tr("Next &Unlabelled Item"), {QKeySequence(Qt::Key_N)}, [a] { a->nextUnlabelled(); },
        true);
    view->addSeparator();
    m_criteriaAction = addShortcutAction(
        view, gCriteria, tr("Show the &Criteria"), {QKeySequence(Qt::Key_C)}, [a] { a->toggleCriteria(); },
        true);
    m_criteriaAction->setCheckable(true);
    m_criteriaAction->setChecked(m_annotate->comparison()->criteriaShown());
    addShortcutAction(
        view, gDocument, tr("Scroll the Document Down"), {QKeySequence(Qt::Key_Space)},
        [a] { a->document()->page(+1); }, true);
    addShortcutAction(
        view, gDocument, tr("Scroll the Document Up"), {QKeySequence(Qt::SHIFT | Qt::Key_Space)},
        [a] { a->document()->page(-1); }, true);
    addShortcutAction(
        view, gDocument, tr("&Go to Where the Evidence Sits"), {QKeySequence(Qt::Key_P)},
        [a] { a->goToEvidencePosition(); }, true);
    addShortcutAction(
        view, gDocument, tr("Zoom &In"), {QKeySequence(QKeySequence::ZoomIn), QKeySequence(tr("Ctrl+="))},
        [this] { zoom(+1); }, true);
    addShortcutAction(
        view, gDocument, tr("Zoom &Out"), {QKeySequence(QKeySequence::ZoomOut)}, [this] { zoom(-1); }, true);
    addShortcutAction(
        view, gDocument, tr("&Actual Size"), {QKeySequence(tr("Ctrl+0"))}, [this] { zoom(0); }, true);
    view->addSeparator();
    m_blindAction = view->addAction(tr("&Blind Annotation (project setting)"));
    m_blindAction->setCheckable(true);
    m_blindAction->setChecked(true);
    m_blindAction->setToolTip(tr("Hide system names and show the answers in a per-annotator random order"));
    connect(m_blindAction, &QAction::triggered, this, &MainWindow::setBlind);
    m_projectActions.append(m_blindAction);

    // Judge
    if (m_services.judge.estimate && m_services.judge.run) {
        QMenu *judge = menuBar()->addMenu(tr("&Judge"));
        m_projectActions.append(judge->addAction(tr("&Run LLM Judge…"), QKeySequence(tr("Ctrl+Shift+J")),
                                                 this, &MainWindow::openJudgeDialog));
    }

    // Help
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    m_shortcutActions.append(undo);
    m_shortcutActions.append(redo);
    addShortcutAction(
        help, gHelp, tr("&Keyboard Shortcuts"), {QKeySequence(Qt::Key_F1), QKeySequence(Qt::Key_Question)},
        [this] {
            ShortcutsDialog dialog(m_shortcutActions, this);
            dialog.exec();
        },
        false);
    help->addAction(tr("&About Concord"), this, [this] {
        QMessageBox::about(
            this, tr("About Concord"),
            tr("<h3>Concord %1</h3><p>Side-by-side evaluation of two answers to a question about a "
               "long document, and agreement between human and LLM-judge labels.</p>"
               "<p>Every label is kept: the project file holds the full history.</p>")
                .arg(QApplication::applicationVersion()));
    });

    // The cheat sheet reads in the order a session goes: verdicts first, housekeeping last.
    const QStringList order = {gVerdict, gAnswer, gCriteria, gItems, gDocument, gEdit, gViews, gHelp};
    std::stable_sort(m_shortcutActions.begin(), m_shortcutActions.end(), [&](QAction *l, QAction *r) {
        return order.indexOf(l->property("group").toString()) <
               order.indexOf(r->property("group").toString());
    });
    updateRecentMenu();
    for (QAction *action : m_projectActions)
        action->setEnabled(false);
}

void MainWindow::buildStatusBar()
{
    auto make = [this](const QString &name) {
        auto *label = new QLabel(this);
        label->setObjectName(name);
        label->setContentsMargins(8, 0, 8, 0);
        statusBar()->addPermanentWidget(label);
        return label;
    };
    m_statusProject = make(QStringLiteral("statusProject"));
    m_statusAnnotator = make(QStringLiteral("statusAnnotator"));
    m_statusProgress = make(QStringLiteral("statusProgress"));
    m_statusSave = make(QStringLiteral("statusSave"));
    m_statusSave->setMinimumWidth(
        m_statusSave->fontMetrics().horizontalAdvance(tr("⚠ Not saved — retrying")) + 24);
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = m_preferences.get(settings::kRecentProjects);
    for (const QString &path : recent) {
        QAction *action =
            m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] { openProject(path); });
        action->setToolTip(path);
        action->setStatusTip(path);
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::updateTitle()
{
    const QString name = m_path.isEmpty() ? QString() : QFileInfo(m_path).fileName();
    setWindowTitle(name.isEmpty() ? tr("Concord") : tr("%1 — Concord").arg(name));
    m_statusProject->setText(name.isEmpty() ? tr("No project") : name);
    m_statusProject->setToolTip(m_path);
    QString who =
        m_annotator.name ? QString::fromStdString(*m_annotator.name) : QString::fromStdString(m_annotator.id);
    m_statusAnnotator->setText(who.isEmpty()
                                   ? tr("No annotator")
                                   : tr("Annotator: %1%2").arg(who, m_blind ? tr(" · blind") : QString()));
    m_statusAnnotator->setToolTip(
        tr("Labels are stored under rater “%1”. File ▸ Switch Annotator… to change.")
            .arg(QString::fromStdString(m_annotator.id)));
}

void MainWindow::updateProgress()
{
    if (m_path.isEmpty()) {
        m_statusProgress->clear();
        return;
    }
    m_statusProgress->setText(tr("%1 of %2 done").arg(m_annotate->doneCount()).arg(m_annotate->itemCount()));
}

void MainWindow::setSaveState(const QString &text, const QString &color, const QString &tooltip)
{
    m_statusSave->setText(text);
    // The colours are named for a light status bar; on a dark one they are lightened, hue kept.
    const QColor shown =
        color.isEmpty() ? QColor() : shade::readableOn(QColor(color), palette().color(QPalette::Window));
    m_statusSave->setStyleSheet(
        color.isEmpty() ? QString() : QStringLiteral("color: %1; font-weight: 600;").arg(shown.name()));
    m_statusSave->setToolTip(tooltip);
}

QString MainWindow::saveState() const { return m_statusSave->text(); }

void MainWindow::problem(const QString &message, bool dialog)
{
    m_lastError = message;
    statusBar()->showMessage(message, 15000);
    if (dialog && m_interactive)
        QMessageBox::warning(this, tr("Concord"), message);
}

bool MainWindow::ensureAnnotator(model::LabelStore &store)
{
    auto raters = store.raters();
    std::vector<model::Rater> known = raters ? *raters : std::vector<model::Rater>{};
    if (!m_annotator.id.empty()) {
        // The remembered annotator may be a judge's id in this project: ask again then.
        const auto same = std::find_if(known.begin(), known.end(),
                                       [&](const model::Rater &r) { return r.id == m_annotator.id; });
        if (same == known.end() || same->kind == model::RaterKind::Human)
            return true;
    }
    if (!m_interactive) {
        m_annotator = {};
        m_annotator.id = "preview";
        m_annotator.name = "Preview";
        return true;
    }
    AnnotatorDialog dialog(known, m_annotator, this);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    m_annotator = dialog.annotator();
    m_preferences.set(settings::kAnnotatorId, QString::fromStdString(m_annotator.id));
    m_preferences.set(settings::kAnnotatorName,
                      QString::fromStdString(m_annotator.name.value_or(m_annotator.id)));
    return true;
}

bool MainWindow::mayCloseProject(const QString &question)
{
    if (!m_saver || m_saver->waitUntilIdle(kCloseWaitMs))
        return true;
    const QString unsaved = tr("%n label change(s) could not be saved yet:\n%1", nullptr, m_saver->pending())
                                .arg(m_saver->lastError());
    if (!m_interactive) {
        // Nobody to ask: keep the project, and its labels, open.
        problem(tr("%1\nThe project stays open until they are saved.").arg(unsaved), false);
        return false;
    }
    return QMessageBox::warning(this, tr("Labels not saved"), tr("%1\n\n%2").arg(unsaved, question),
                                QMessageBox::Discard | QMessageBox::Cancel,
                                QMessageBox::Cancel) == QMessageBox::Discard;
}

bool MainWindow::openProject(const QString &path)
{
    // A label the screen showed must not be dropped without asking (the file may be locked by
    // a long import elsewhere while the saver retries).
    return mayCloseProject(tr("Open the other project anyway and lose them?")) && replaceProject(path);
}

bool MainWindow::replaceProject(const QString &path)
{
    closeProject();
    m_lastError.clear();
    if (!m_services.opener) {
        problem(tr("This build cannot open projects"));
        return false;
    }
    auto read = m_services.opener->open(path.toStdString());
    if (!read) {
        if (read.error().code == model::Error::Code::ReadOnly && m_interactive)
            return openACopy(path, QString::fromStdString(read.error().message));
        problem(QString::fromStdString(read.error().message));
        return false;
    }
    auto write = m_services.opener->open(path.toStdString());
    if (!write) {
        problem(QString::fromStdString(write.error().message));
        return false;
    }
    auto blind = (*read)->setting(std::string(model::kSettingBlind));
    m_blind = !(blind && *blind && **blind == "false");
    if (!ensureAnnotator(**read)) {
        m_annotate->clearProject(tr("Choose who is labelling to open a project (File ▸ Open)."));
        return false;
    }
    auto items = (*read)->itemSummaries();
    if (!items) {
        problem(QString::fromStdString(items.error().message));
        return false;
    }
    auto progress = (*read)->progress(m_annotator.id);
    if (!progress)
        problem(QString::fromStdString(progress.error().message), false);

    m_path = path;
    m_connection = std::move(*read);
    m_saver = std::make_unique<LabelSaver>(std::move(*write));
    connect(m_saver.get(), &LabelSaver::revisionSaved, this, [this] {
        if (m_knownRevisions >= 0)
            ++m_knownRevisions;
        if (m_saver->isIdle()) {
            if (m_knownRevisions < 0)
                rememberRevisions();
            setSaveState(tr("✓ Saved"), QStringLiteral("#1e7b34"),
                         tr("Every label is committed to the project file"));
            if (m_reloadWhenSaved)
                reloadQueue();
            emit allSaved();
        }
        m_consensusDelay->start();
        if (m_agreement && currentView() == View::Agreement)
            m_agreement->refresh();
    });
    connect(m_saver.get(), &LabelSaver::saveFailed, this, [this](const QString &message) {
        setSaveState(
            tr("⚠ Not saved — retrying"), QStringLiteral("#b03a2e"),
            tr("%1\nYour labels are kept and saved as soon as the project file accepts them.").arg(message));
        statusBar()->showMessage(tr("Could not save yet: %1").arg(message), 10000);
    });
    m_session = std::make_unique<LabelSession>(*m_connection, *m_saver, m_annotator, m_blind);
    connect(m_session.get(), &LabelSession::labelChanged, this, [this] {
        if (!m_saver->isIdle() && m_saver->lastError().isEmpty())
            setSaveState(tr("Saving…"), QStringLiteral("#6b6b64"));
    });
    m_annotate->setProject(*m_connection, *m_session, *items,
                           progress ? *progress : std::vector<model::ItemProgress>{});
    {
        const QSignalBlocker block(m_blindAction);
        m_blindAction->setChecked(m_blind);
    }
    for (QAction *action : m_projectActions)
        action->setEnabled(true);
    m_preferences.addRecentProject(QFileInfo(path).absoluteFilePath());
    updateRecentMenu();
    updateTitle();
    updateProgress();
    setSaveState(tr("No changes yet"), QStringLiteral("#6b6b64"));
    refreshConsensus();
    rememberRevisions();
    emit projectOpened(path);
    return true;
}

void MainWindow::closeProject()
{
    if (m_saver && !m_saver->waitUntilIdle(kCloseWaitMs))
        problem(
            tr("%n label(s) could not be saved: %1", nullptr, m_saver->pending()).arg(m_saver->lastError()),
            false);
    m_reloadWhenSaved = false;
    m_knownRevisions = -1;
    m_consensusDelay->stop();
    m_consensus.waitForFinished();
    m_undo->clear();
    showView(View::Annotate);
    if (m_agreement) {
        m_views->removeWidget(m_agreement);
        delete m_agreement;
        m_agreement = nullptr;
    }
    if (m_review) {
        m_views->removeWidget(m_review);
        delete m_review;
        m_review = nullptr;
    }
    m_annotate->clearProject(
        tr("No project is open. Use File ▸ Open, or drop a .jsonl file here to start one."));
    m_session.reset();
    m_saver.reset();
    m_connection.reset();
    m_path.clear();
    for (QAction *action : m_projectActions)
        action->setEnabled(false);
    updateTitle();
    updateProgress();
    setSaveState(QString(), QString());
}

void MainWindow::setAnnotator(const model::Rater &annotator)
{
    m_annotator = annotator;
    m_annotator.kind = model::RaterKind::Human;
    m_preferences.set(settings::kAnnotatorId, QString::fromStdString(m_annotator.id));
    m_preferences.set(settings::kAnnotatorName,
                      QString::fromStdString(m_annotator.name.value_or(m_annotator.id)));
    if (m_connection)
        startSession();
    updateTitle();
}

void MainWindow::startSession()
{
    m_undo->clear(); // the commands speak for the previous annotator
    auto progress = m_connection->progress(m_annotator.id);
    if (!progress)
        problem(QString::fromStdString(progress.error().message), false);
    auto session = std::make_unique<LabelSession>(*m_connection, *m_saver, m_annotator, m_blind);
    connect(session.get(), &LabelSession::labelChanged, this, [this] {
        if (!m_saver->isIdle() && m_saver->lastError().isEmpty())
            setSaveState(tr("Saving…"), QStringLiteral("#6b6b64"));
    });
    m_annotate->setSession(*session, progress ? *progress : std::vector<model::ItemProgress>{});
    m_session = std::move(session);
    updateProgress();
    refreshConsensus();
    rememberRevisions(); // unknown while the previous annotator's revisions are still being saved
}

void MainWindow::reloadQueue()
{
    if (!m_connection || !m_session)
        return;
    // The import may have brought labels of this annotator: what the session keeps, and what
    // undo would restore, may no longer be what the file holds. Read the labels again once the
    // revisions still being saved are in the file (they are newer than the import's).
    if (!m_saver->isIdle()) {
        m_reloadWhenSaved = true;
        return;
    }
    m_reloadWhenSaved = false;
    m_session->forgetLabels();
    m_undo->clear();
    const QString current = m_annotate->currentItem();
    auto items = m_connection->itemSummaries();
    auto progress = m_connection->progress(m_annotator.id);
    if (!items || !progress) {
        problem(QString::fromStdString(!items ? items.error().message : progress.error().message));
        return;
    }
    m_annotate->setProject(*m_connection, *m_session, *items, *progress);
    if (!current.isEmpty())
        m_annotate->showItem(current);
    rememberRevisions();
    updateProgress();
    refreshConsensus();
}

void MainWindow::rememberRevisions()
{
    m_knownRevisions = -1;
    if (!m_connection || !m_saver || !m_saver->isIdle())
        return;
    if (auto count = m_connection->revisionCount(m_annotator.id))
        m_knownRevisions = *count;
}

void MainWindow::checkForOutsideChanges()
{
    if (!m_connection || !m_session || !m_saver || !m_saver->isIdle() || m_knownRevisions < 0)
        return;
    auto count = m_connection->revisionCount(m_annotator.id);
    if (!count || *count == m_knownRevisions)
        return;
    reloadQueue();
    if (m_agreement)
        m_agreement->refresh();
    statusBar()->showMessage(
        tr("Another program changed your labels in this project: they are shown as the file now has them"),
        15000);
}

void MainWindow::refreshConsensus()
{
    if (m_path.isEmpty() || !m_services.opener)
        return;
    if (m_consensus.isRunning()) {
        m_consensusAgain = true;
        return;
    }
    model::ProjectOpener *opener = m_services.opener;
    const std::string path = m_path.toStdString();
    m_consensus.setFuture(
        QtConcurrent::run([opener, path]() -> model::Result<std::vector<model::ItemConsensus>> {
            auto connection = opener->open(path);
            if (!connection)
                return connection.error();
            return (*connection)->consensus();
        }));
}

void MainWindow::buildOtherViews()
{
    // Built when first shown: computing agreement reads every label, which opening need not wait for.
    if (!m_services.readLabels || !m_connection || m_agreement)
        return;
    const std::string path = m_path.toStdString();
    auto readLabels = m_services.readLabels;
    m_agreement = new AgreementView([readLabels, path] { return readLabels(path); }, m_views);
    m_views->addWidget(m_agreement);
    connect(m_agreement, &AgreementView::itemActivated, this, [this](const QString &item) {
        showView(View::Annotate);
        m_annotate->showItem(item);
    });

    ReviewView::Sources sources;
    model::ProjectConnection *c = m_connection.get();
    sources.labels = [readLabels, path] { return readLabels(path); };
    sources.item = [c](const std::string &id) { return c->item(id); };
    sources.label = [c](const std::string &rater, const std::string &item) {
        return c->currentLabel(rater, item);
    };
    sources.document = [c](const std::string &id) { return c->document(id); };
    sources.rationale = [c](const std::string &rater, const std::string &item) {
        return c->judgeRationale(rater, item);
    };
    sources.decisionNote = [c](const std::string &rater, const std::string &item, model::Facet facet,
                               std::optional<model::Slot> slot) {
        return c->decisionNote(rater, item, facet, slot);
    };
    sources.save = [c](const model::LabelRevision &revision) {
        model::Rater gold;
        gold.id = revision.raterId;
        gold.kind = model::RaterKind::Gold;
        if (auto ensured = c->ensureRater(gold); !ensured)
            return model::Status(ensured.error());
        return c->saveRevision(revision);
    };
    m_review = new ReviewView(std::move(sources), kGoldRater, m_views);
    m_review->setBlind(m_blind);
    m_review->withholdBox()->setChecked(m_preferences.get(settings::kReviewWithholdUnfinished));
    connect(m_review->withholdBox(), &QCheckBox::toggled, this,
            [this](bool on) { m_preferences.set(settings::kReviewWithholdUnfinished, on); });
    m_views->addWidget(m_review);
    connect(m_review, &ReviewView::itemActivated, this, [this](const QString &item) {
        showView(View::Annotate);
        m_annotate->showItem(item);
    });
    connect(m_review, &ReviewView::adjudicated, this, [this](const QString &itemId) {
        m_consensusDelay->start();
        if (m_judge)
            m_judge->addGoldItem(itemId.toStdString()); // the open dialog's gold set grows with it
    });
}

bool MainWindow::hasView(View view) const
{
    switch (view) {
    case View::Annotate:
        return true;
    case View::Agreement:
    case View::Review:
        return m_services.readLabels && m_connection;
    }
    return false;
}

MainWindow::View MainWindow::currentView() const
{
    QWidget *current = m_views->currentWidget();
    if (current && current == m_agreement)
        return View::Agreement;
    if (current && current == m_review)
        return View::Review;
    return View::Annotate;
}

bool MainWindow::showView(View view)
{
    if (!hasView(view)) {
        statusBar()->showMessage(tr("Open a project to see agreement and review"), 5000);
        m_viewActions[int(currentView())]->setChecked(true);
        return false;
    }
    if (view != View::Annotate)
        buildOtherViews();
    switch (view) {
    case View::Annotate:
        m_views->setCurrentWidget(m_annotate);
        break;
    case View::Agreement:
        m_views->setCurrentWidget(m_agreement);
        m_agreement->refresh();
        break;
    case View::Review:
        m_views->setCurrentWidget(m_review);
        withholdUnfinished();
        m_review->reload();
        break;
    }
    // Labelling keys belong to the annotation view; the other views have keys of their own.
    for (QAction *action : m_annotateActions)
        action->setEnabled(view == View::Annotate);
    m_viewActions[int(view)]->setChecked(true);
    return true;
}

bool MainWindow::waitUntilSaved(int timeoutMs) { return !m_saver || m_saver->waitUntilIdle(timeoutMs); }

void MainWindow::newProject()
{
    if (!mayCloseProject(tr("Start a new project anyway and lose them?")))
        return;
    const QString path = QFileDialog::getSaveFileName(this, tr("New Project"), QDir::homePath(),
                                                      tr("Concord projects (*.concord)"));
    if (path.isEmpty())
        return;
    const QString file = path.endsWith(QLatin1String(".concord")) ? path : path + QStringLiteral(".concord");
    auto created = m_services.opener->create(file.toStdString());
    if (!created) {
        problem(QString::fromStdString(created.error().message));
        return;
    }
    created->reset();
    replaceProject(file); // the question was asked above
}

bool MainWindow::openACopy(const QString &path, const QString &why)
{
    m_lastError = why;
    QMessageBox ask(QMessageBox::Warning, tr("Project Cannot Be Changed Here"),
                    tr("Concord cannot save labels in %1 where it is.").arg(QFileInfo(path).fileName()),
                    QMessageBox::Cancel, this);
    ask.setInformativeText(
        tr("%1\n\nSave a copy in a folder you can write to and work in the copy: it holds everything "
           "in the project, label history included. The original stays as it is.")
            .arg(why));
    QPushButton *copy = ask.addButton(tr("Save a Copy…"), QMessageBox::AcceptRole);
    ask.setDefaultButton(copy);
    ask.exec();
    if (ask.clickedButton() != copy)
        return false;
    const QString suggested =
        QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
            .filePath(QFileInfo(path).completeBaseName() + tr(" (copy)") + QStringLiteral(".concord"));
    // Not over an existing file (the copy refuses one): no "replace it?" question to mislead.
    QString target = QFileDialog::getSaveFileName(this, tr("Save a Copy of the Project"), suggested,
                                                  tr("Concord projects (*.concord)"), nullptr,
                                                  QFileDialog::DontConfirmOverwrite);
    if (target.isEmpty())
        return false;
    if (!target.endsWith(QLatin1String(".concord")))
        target += QStringLiteral(".concord");
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const model::Status copied = m_services.opener->copy(path.toStdString(), target.toStdString());
    QApplication::restoreOverrideCursor();
    if (!copied) {
        problem(QString::fromStdString(copied.error().message));
        return false;
    }
    statusBar()->showMessage(tr("Working in a copy: %1 (the original is unchanged)").arg(target), 15000);
    return replaceProject(target);
}

void MainWindow::openProjectDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Project"), QDir::homePath(),
                                                      tr("Concord projects (*.concord)"));
    if (!path.isEmpty())
        openProject(path);
}

void MainWindow::importDialog()
{
    const QStringList files =
        QFileDialog::getOpenFileNames(this, tr("Import JSONL"), QFileInfo(m_path).absolutePath(),
                                      tr("JSONL files (*.jsonl);;All files (*)"));
    if (!files.isEmpty())
        importFiles(files);
}

void MainWindow::importFiles(const QStringList &paths)
{
    if (m_task) {
        problem(tr("Another import or export is still running"));
        return;
    }
    if (m_path.isEmpty()) {
        if (!m_interactive) {
            problem(tr("Open or create a project before importing"));
            emit importFinished(false, m_lastError);
            return;
        }
        const QFileInfo first(paths.value(0));
        const QString suggested =
            first.absolutePath() + QDir::separator() + first.completeBaseName() + QStringLiteral(".concord");
        const QString path = QFileDialog::getSaveFileName(this, tr("New Project for the Imported Files"),
                                                          suggested, tr("Concord projects (*.concord)"));
        if (path.isEmpty())
            return;
        auto created = m_services.opener->create(path.toStdString());
        if (!created) {
            problem(QString::fromStdString(created.error().message));
            return;
        }
        created->reset();
        if (!openProject(path))
            return;
    }
    std::vector<std::string> files;
    for (const QString &p : paths)
        files.push_back(p.toStdString());
    auto *task = new ProjectTask(
        *m_services.opener, m_path,
        [files](model::ProjectConnection &connection, QStringList &problems,
                const ProjectTask::Progress &progress) -> model::Result<QString> {
            std::vector<model::Diagnostic> diagnostics;
            auto summary = connection.importFiles(files, diagnostics, progress);
            for (std::size_t i = 0; i < diagnostics.size() && i < std::size_t(kMaxShownProblems); ++i)
                problems.append(QString::fromStdString(diagnostics[i].toString()));
            // Reading stops collecting at kMaxDiagnostics: there may be more than were collected.
            if (diagnostics.size() >= model::kMaxDiagnostics)
                problems.append(tr("… and at least %1 more problems")
                                    .arg(diagnostics.size() - std::size_t(kMaxShownProblems)));
            else if (diagnostics.size() > std::size_t(kMaxShownProblems))
                problems.append(
                    tr("… and %1 more problems").arg(diagnostics.size() - std::size_t(kMaxShownProblems)));
            if (!summary)
                return summary.error();
            return QString::fromStdString(*summary);
        },
        this);
    m_task = task;
    const QString names =
        paths.size() == 1 ? QFileInfo(paths.front()).fileName() : tr("%n files", nullptr, int(paths.size()));
    if (m_interactive) {
        m_taskProgress = new QProgressDialog(tr("Importing %1…").arg(names), tr("Cancel"), 0, 0, this);
        m_taskProgress->setWindowModality(Qt::WindowModal);
        m_taskProgress->setMinimumDuration(0);
        m_taskProgress->setAutoClose(false);
        m_taskProgress->setAutoReset(false); // 100% stays until the import has finished
        connect(m_taskProgress, &QProgressDialog::canceled, task, &ProjectTask::cancel);
        m_taskProgress->show();
    }
    statusBar()->showMessage(tr("Importing %1…").arg(names));
    // A busy bar until the import says how far it is, then a percentage.
    connect(task, &ProjectTask::progressed, this, [this, task, names](int percent) {
        if (m_taskProgress) {
            m_taskProgress->setMaximum(100);
            m_taskProgress->setValue(percent);
            // 100% comes once the import is committed: nothing is left to cancel (closing the
            // dialog's window cancels too, so the connection goes, not only the button).
            if (percent >= 100) {
                m_taskProgress->setLabelText(tr("Imported %1; finishing…").arg(names));
                m_taskProgress->setCancelButton(nullptr);
                disconnect(m_taskProgress, &QProgressDialog::canceled, task, &ProjectTask::cancel);
            }
        }
        statusBar()->showMessage(tr("Importing %1… %2%").arg(names).arg(percent));
        emit importProgressed(percent);
    });
    auto finish = [this, task] {
        if (m_taskProgress)
            m_taskProgress->deleteLater();
        task->deleteLater();
    };
    connect(task, &ProjectTask::finished, this, [this, finish](const QString &summary) {
        finish();
        statusBar()->showMessage(tr("Imported: %1").arg(summary), 15000);
        reloadQueue();
        if (m_agreement)
            m_agreement->refresh();
        emit importFinished(true, summary);
    });
    connect(
        task, &ProjectTask::failed, this,
        [this, finish, task, names](const QString &message, const QStringList &problems) {
            const bool cancelled = task->wasCancelled();
            finish();
            if (cancelled) {
                statusBar()->showMessage(tr("Import cancelled; the project is unchanged"), 10000);
            } else if (!problems.isEmpty()) {
                m_lastError = problems.join(u'\n');
                statusBar()->showMessage(
                    tr("Nothing was imported: %n problem(s) in %1", nullptr, int(problems.size())).arg(names),
                    15000);
                if (m_interactive)
                    showDiagnostics(tr("Nothing was imported"),
                                    tr("%1 has problems; nothing was imported and the project is unchanged. "
                                       "Fix these lines and import again:")
                                        .arg(names),
                                    problems);
            } else {
                problem(message);
            }
            emit importFinished(false, problems.isEmpty() ? message : problems.join(u'\n'));
        });
    task->start();
}

void MainWindow::showDiagnostics(const QString &title, const QString &message, const QStringList &problems)
{
    QDialog dialog(this);
    dialog.setWindowTitle(title);
    auto *layout = new QVBoxLayout(&dialog);
    auto *intro = new QLabel(message, &dialog);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *list = new QPlainTextEdit(&dialog);
    list->setReadOnly(true);
    list->setLineWrapMode(QPlainTextEdit::NoWrap);
    list->setFont(QFont(QStringLiteral("DejaVu Sans Mono")));
    list->setPlainText(problems.join(u'\n'));
    layout->addWidget(list, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    layout->addWidget(buttons);
    dialog.resize(820, 420);
    dialog.exec();
}

void MainWindow::exportReportDialog()
{
    if (m_path.isEmpty() || !m_services.gatherReport)
        return;
    const QFileInfo project(m_path);
    QString filter;
    const QString target =
        QFileDialog::getSaveFileName(this, tr("Export Calibration Report"),
                                     project.absolutePath() + QDir::separator() + project.completeBaseName() +
                                         QStringLiteral("-report.html"),
                                     tr("HTML report (*.html);;PDF document (*.pdf)"), &filter);
    if (!target.isEmpty())
        exportReport(target);
}

void MainWindow::printReportDialog()
{
    if (m_path.isEmpty() || !m_services.gatherReport)
        return;
    QPrinter printer(QPrinter::HighResolution);
    QPrintDialog dialog(&printer, this);
    dialog.setWindowTitle(tr("Print Calibration Report"));
    if (dialog.exec() != QDialog::Accepted)
        return;
    waitUntilSaved(kCloseWaitMs);
    auto html = reportHtml();
    if (html)
        printReport(*html, printer);
    else
        problem(tr("The report could not be made: %1").arg(QString::fromStdString(html.error().message)));
}

model::Result<QString> MainWindow::reportHtml()
{
    QFutureWatcher<model::Result<ReportInput>> watcher;
    QProgressDialog busy(tr("Computing agreement for the report…"), QString(), 0, 0, this);
    busy.setWindowModality(Qt::WindowModal);
    busy.setMinimumDuration(300);
    QEventLoop loop;
    connect(&watcher, &QFutureWatcherBase::finished, &loop, &QEventLoop::quit);
    watcher.setFuture(QtConcurrent::run(
        [gather = m_services.gatherReport, path = m_path.toStdString()] { return gather(path); }));
    if (!watcher.isFinished())
        loop.exec();
    busy.reset();
    auto input = watcher.result();
    if (!input)
        return input.error();
    QApplication::setOverrideCursor(Qt::WaitCursor);
    QString html = renderHtmlReport(*input); // draws charts: widgets, GUI thread
    QApplication::restoreOverrideCursor();
    return html;
}

bool MainWindow::exportReport(const QString &target)
{
    if (m_path.isEmpty() || !m_services.gatherReport) {
        problem(tr("Open a project to export its report"));
        return false;
    }
    waitUntilSaved(kCloseWaitMs); // report what is on screen
    auto html = reportHtml();
    if (!html) {
        problem(tr("The report could not be made: %1").arg(QString::fromStdString(html.error().message)));
        return false;
    }
    const bool pdf = target.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive);
    const QByteArray bytes = pdf ? renderPdf(*html) : html->toUtf8();
    // As the command line writes it: never over the project or another one, never half a file.
    const std::string file = QFile::encodeName(target).toStdString();
    std::string failed = model::refusedOutput(file, m_path.toStdString());
    if (failed.empty())
        failed = model::writeOutputFile(file, std::string_view(bytes.constData(), std::size_t(bytes.size())));
    if (!failed.empty()) {
        problem(tr("The report cannot be written: %1").arg(QString::fromStdString(failed)));
        return false;
    }
    statusBar()->showMessage(tr("Report written to %1").arg(QDir::toNativeSeparators(target)), 8000);
    return true;
}

JudgeDialog *MainWindow::judgeDialog() const { return m_judge.data(); }

void MainWindow::openJudgeDialog()
{
    if (m_path.isEmpty() || !m_services.judge.run)
        return;
    // The gold set: items the lead has adjudicated.
    std::vector<std::string> gold;
    if (m_services.readLabels)
        if (auto labels = m_services.readLabels(m_path.toStdString())) {
            std::set<std::uint32_t> items;
            for (const model::CurrentLabel &l : labels->labels())
                if (labels->raters()[l.rater].kind == model::RaterKind::Gold)
                    items.insert(l.item);
            for (std::uint32_t i : items)
                gold.push_back(labels->items()[i].id);
        }
    if (!m_judge) {
        m_judge = new JudgeDialog(m_path, m_services.judge, std::move(gold), m_preferences, this);
        m_judge->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_judge, &JudgeDialog::runFinished, this, [this] {
            if (m_agreement)
                m_agreement->refresh();
            if (m_review)
                m_review->reload();
            m_consensusDelay->start();
        });
    }
    m_judge->show();
    m_judge->raise();
    m_judge->activateWindow();
}

void MainWindow::exportDialog()
{
    if (m_path.isEmpty() || m_task)
        return;
    const QFileInfo project(m_path);
    const QString target = QFileDialog::getSaveFileName(
        this, tr("Export JSONL"),
        project.absolutePath() + QDir::separator() + project.completeBaseName() + QStringLiteral(".jsonl"),
        tr("JSONL files (*.jsonl)"));
    if (!target.isEmpty())
        exportProject(target);
}

void MainWindow::exportProject(const QString &target)
{
    if (m_path.isEmpty() || m_task) {
        problem(m_path.isEmpty() ? tr("Open a project to export it")
                                 : tr("Another import or export is still running"));
        emit exportFinished(false, m_lastError);
        return;
    }
    waitUntilSaved(kCloseWaitMs); // export what is on screen
    const std::string file = target.toStdString();
    if (const std::string refused = model::refusedOutput(file, m_path.toStdString()); !refused.empty()) {
        problem(QString::fromStdString(refused));
        emit exportFinished(false, m_lastError);
        return;
    }
    auto *task = new ProjectTask(
        *m_services.opener, m_path,
        [file](model::ProjectConnection &connection, QStringList &,
               const ProjectTask::Progress &) -> model::Result<QString> {
            // As the command line writes it (docs/format.md): a temporary file of its own renamed
            // over the target, a link or device kept.
            if (const std::string failed = model::writeOutputFile(
                    file, [&](std::ostream &out) { return connection.exportJsonl(out); });
                !failed.empty())
                return model::Error{model::Error::Code::Io, failed};
            return QString::fromStdString(file);
        },
        this);
    m_task = task;
    if (m_interactive) {
        m_taskProgress = new QProgressDialog(tr("Exporting to %1…").arg(QFileInfo(target).fileName()),
                                             tr("Cancel"), 0, 0, this);
        m_taskProgress->setWindowModality(Qt::WindowModal);
        m_taskProgress->setMinimumDuration(0);
        connect(m_taskProgress, &QProgressDialog::canceled, task, &ProjectTask::cancel);
    }
    auto finish = [this, task] {
        if (m_taskProgress)
            m_taskProgress->deleteLater();
        task->deleteLater();
    };
    connect(task, &ProjectTask::finished, this, [this, finish](const QString &written) {
        finish();
        statusBar()->showMessage(tr("Exported to %1").arg(written), 10000);
        emit exportFinished(true, written);
    });
    connect(task, &ProjectTask::failed, this, [this, finish](const QString &message, const QStringList &) {
        finish();
        problem(message);
        emit exportFinished(false, message);
    });
    task->start();
}

void MainWindow::switchAnnotator()
{
    if (!m_connection)
        return;
    auto raters = m_connection->raters();
    AnnotatorDialog dialog(raters ? *raters : std::vector<model::Rater>{}, m_annotator, this);
    if (dialog.exec() == QDialog::Accepted)
        setAnnotator(dialog.annotator());
}

void MainWindow::withholdUnfinished()
{
    if (!m_review)
        return;
    // Blind annotation: what others said about an item the annotator still has to label would
    // sway their label, so Review holds those items back (a lead can show them).
    QSet<QString> unfinished;
    if (m_blind && m_annotate)
        if (const ItemQueueModel *queue = m_annotate->queueModel())
            for (int row = 0; row < queue->rowCount(); ++row)
                if (queue->status(row) != model::LabelStatus::Done)
                    unfinished.insert(queue->itemId(row));
    const QString who =
        m_annotator.name ? QString::fromStdString(*m_annotator.name) : QString::fromStdString(m_annotator.id);
    m_review->setWithheld(std::move(unfinished), who);
}

void MainWindow::setBlind(bool blind)
{
    if (!m_connection)
        return;
    if (m_interactive && !blind &&
        QMessageBox::question(
            this, tr("Turn blinding off?"),
            tr("Every annotator of this project will see the system names, with answer A always "
               "on the left. Labels made so far keep the order they were made in.")) != QMessageBox::Yes) {
        const QSignalBlocker block(m_blindAction);
        m_blindAction->setChecked(true);
        return;
    }
    if (auto saved = m_connection->setSetting(std::string(model::kSettingBlind), blind ? "true" : "false");
        !saved) {
        problem(QString::fromStdString(saved.error().message));
        return;
    }
    m_blind = blind;
    if (m_review)
        m_review->setBlind(blind);
    startSession();
    withholdUnfinished();
    updateTitle();
}

void MainWindow::zoom(int delta)
{
    const int size =
        delta == 0 ? settings::kReadingPointSize.defaultValue : m_annotate->document()->pointSize() + delta;
    m_annotate->setReadingPointSize(size);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_judge && m_judge->isRunning()) {
        if (m_interactive &&
            QMessageBox::question(
                this, tr("Judge run in progress"),
                tr("A judge run is in progress. Stop it and quit?\n\nWhat was judged is saved; "
                   "replies already requested are waited for (up to 20 s) and kept, and the "
                   "next run continues from there."),
                QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) != QMessageBox::Yes) {
            event->ignore();
            return;
        }
        m_judge->cancelRun();
        QApplication::setOverrideCursor(Qt::WaitCursor);
        while (m_judge && m_judge->isRunning())
            QApplication::processEvents(QEventLoop::AllEvents, 50);
        QApplication::restoreOverrideCursor();
    }
    m_preferences.set(settings::kWindowGeometry, saveGeometry());
    m_preferences.set(settings::kWorkspaceSplitter, m_annotate->splitter()->saveState());
    if (m_interactive && !mayCloseProject(tr("Quit anyway and lose them?"))) {
        event->ignore();
        return;
    }
    m_preferences.sync();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!jsonlFiles(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QStringList files = jsonlFiles(event->mimeData());
    if (files.isEmpty())
        return;
    event->acceptProposedAction();
    // After the drop returns: the import may ask for a project file name.
    QTimer::singleShot(0, this, [this, files] { importFiles(files); });
}

} // namespace concord::ui
