// The annotation workspace driven as a user drives it: keys into the real main window, wired to
// the project file as the app wires it; then the rows in the file are checked (values in canonical
// A/B terms, the order shown, timestamps, identities, withdrawals for undone verdicts).
#include "workspace_test.h"
#include "workspace_fixtures.h"

#include "annotateview.h"
#include "annotatordialog.h"
#include "comparisonview.h"
#include "documentview.h"
#include "htmlreport.h"
#include "labelling.h"
#include "labelquery.h"
#include "labelsession.h"
#include "mainwindow.h"
#include "models/evidencelistmodel.h"
#include "models/itemqueuemodel.h"
#include "positionruler.h"
#include "preferences.h"
#include "project.h"
#include "reviewview.h"
#include "shortcutsdialog.h"
#include "sqliteconnection.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTextBlock>
#include <QTimer>

#include <QUndoStack>
#include <QUrl>
#include <set>

#include <sqlite3.h>

#include <sstream>

using namespace concord;

namespace {

/// The main window as app/main.cpp builds it, with settings of its own.
/// The app's opener, except that the paths in `readOnly` cannot be opened for writing, as on a
/// read-only disk (which a test run as root, as CI runs, cannot be given).
class TestOpener final : public model::ProjectOpener
{
public:
    std::set<std::string> readOnly;

    model::Result<std::unique_ptr<model::ProjectConnection>> open(const std::string &path) override
    {
        if (readOnly.count(path))
            return model::Error{model::Error::Code::ReadOnly, path + ": the folder is read-only"};
        return m_real.open(path);
    }
    model::Result<std::unique_ptr<model::ProjectConnection>> create(const std::string &path) override
    {
        return m_real.create(path);
    }
    model::Status copy(const std::string &from, const std::string &to) override
    {
        return m_real.copy(from, to);
    }

private:
    storage::SqliteOpener m_real;
};

struct Workspace
{
    explicit Workspace(const QString &settingsFile)
        : settings(settingsFile, QSettings::IniFormat), preferences(settings)
    {
        ui::WorkspaceServices services;
        services.opener = &opener;
        services.readLabels = storage::readCurrentLabelsAt;
        // The report as the app makes it, short of what only app/ reads (raters' configurations).
        services.gatherReport = [](const std::string &path) -> model::Result<ui::ReportInput> {
            auto project = storage::Project::open(path);
            if (!project)
                return project.error();
            auto labels = storage::readCurrentLabels(**project);
            if (!labels)
                return labels.error();
            ui::ReportInput input;
            input.projectName = QFileInfo(QString::fromStdString(path)).fileName();
            input.overall = model::measureAgreement(*labels);
            for (const model::RaterRef &r : labels->raters()) {
                model::Rater rater;
                rater.id = r.id;
                rater.kind = r.kind;
                input.raters.push_back(rater);
            }
            for (const model::CurrentLabel &l : labels->labels())
                ++input.currentLabels[labels->raters()[l.rater].id];
            return input;
        };
        window = std::make_unique<ui::MainWindow>(services, preferences);
        window->setInteractive(false);
    }
    ~Workspace() { window.reset(); }

    ui::AnnotateView *view() const { return window->annotateView(); }

    QSettings settings;
    ui::Preferences preferences;
    TestOpener opener;
    std::unique_ptr<ui::MainWindow> window;
};

using Row = QVariantMap;

/// Runs a query on the project file with a connection of its own.
QList<Row> rows(const QString &path, const QString &sql)
{
    QList<Row> out;
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
        qFatal("cannot open %s", qPrintable(path));
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.toUtf8().constData(), -1, &stmt, nullptr) != SQLITE_OK)
        qFatal("bad query %s: %s", qPrintable(sql), sqlite3_errmsg(db));
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        Row row;
        for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
            const QString name = QString::fromUtf8(sqlite3_column_name(stmt, c));
            switch (sqlite3_column_type(stmt, c)) {
            case SQLITE_NULL:
                row.insert(name, QVariant());
                break;
            case SQLITE_INTEGER:
                row.insert(name, qint64(sqlite3_column_int64(stmt, c)));
                break;
            case SQLITE_FLOAT:
                row.insert(name, sqlite3_column_double(stmt, c));
                break;
            case SQLITE_BLOB:
                row.insert(name, QByteArray(static_cast<const char *>(sqlite3_column_blob(stmt, c)),
                                            sqlite3_column_bytes(stmt, c)));
                break;
            default:
                row.insert(name,
                           QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, c))));
            }
        }
        out.append(row);
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return out;
}

/// The labels rows of a rater, oldest first.
QList<Row> labelsOf(const QString &path, const QString &rater)
{
    return rows(path,
                QStringLiteral("SELECT l.*, i.ext_id AS item FROM labels l JOIN items i ON i.id = l.item_id "
                               "JOIN raters r ON r.id = l.rater_id WHERE r.ext_id = '%1' ORDER BY l.id")
                    .arg(rater));
}

model::Rater human(const char *id, const char *name)
{
    model::Rater r;
    r.id = id;
    r.name = name;
    return r;
}

/// A key as the user presses it: to whatever has the keyboard focus.
void press(Workspace &w, Qt::Key key, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    QWidget *target = QApplication::focusWidget() ? QApplication::focusWidget() : w.window.get();
    QTest::keyClick(target, key, modifiers);
}

/// Which slot ("A"/"B") the rater sees on the left and right of an item.
QString leftSlot(const char *rater, const char *item)
{
    return QString::fromLatin1(model::blindOrder(rater, item)).left(1);
}
QString rightSlot(const char *rater, const char *item)
{
    return QString::fromLatin1(model::blindOrder(rater, item)).mid(1);
}

QString column(const char *facet, const QString &slot)
{
    return QString::fromLatin1(facet) + u'_' + slot.toLower();
}

/// Selects a passage of the document view by its text, as a mouse drag would.
void selectPassage(ui::DocumentView *view, const QString &passage)
{
    QPlainTextEdit *editor = view->editor();
    const QString text = editor->document()->toPlainText();
    const int at = int(text.indexOf(passage));
    QVERIFY2(at >= 0, qPrintable(passage));
    QTextCursor cursor(editor->document());
    cursor.setPosition(at);
    cursor.setPosition(at + int(passage.size()), QTextCursor::KeepAnchor);
    editor->setTextCursor(cursor);
}

/// With CONCORD_SCREENSHOT_DIR set, saves a picture of the window (to look at, not to compare).
void picture(Workspace &w, const char *name)
{
    const QByteArray dir = qgetenv("CONCORD_SCREENSHOT_DIR");
    for (int i = 0; i < 3; ++i)
        QApplication::processEvents(); // pending layouts first
    if (!dir.isEmpty())
        QVERIFY(w.window->grab().save(QString::fromLocal8Bit(dir) + u'/' + QLatin1String(name) +
                                      QStringLiteral(".png")));
}

/// Code-point offset of `passage` in the stored document text (what the file must hold).
std::int64_t codePointsBefore(const QByteArray &utf8, const QByteArray &passage)
{
    const qsizetype at = utf8.indexOf(passage);
    if (at < 0)
        qFatal("passage not in the fixture");
    return QString::fromUtf8(utf8.left(at)).toUcs4().size();
}

} // namespace

void WorkspaceTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void WorkspaceTest::init()
{
    static int n = 0;
    m_project = m_dir.filePath(QStringLiteral("workspace-%1.concord").arg(++n));
    auto project = storage::Project::create(m_project.toStdString());
    QVERIFY(project.ok());
    std::vector<model::Diagnostic> diagnostics;
    const QByteArray content = fixtures::smallProject();
    auto summary = (*project)->importContent(
        "small.jsonl", std::string_view(content.constData(), content.size()), diagnostics);
    if (!summary)
        QFAIL((diagnostics.empty() ? summary.error().message : diagnostics[0].toString()).c_str());
}

namespace {

std::unique_ptr<Workspace> openWorkspace(QTemporaryDir &dir, const QString &project,
                                         const model::Rater &rater, QSize size = {1600, 1000})
{
    static int n = 0;
    auto w = std::make_unique<Workspace>(dir.filePath(QStringLiteral("settings-%1.ini").arg(++n)));
    w->window->setAnnotator(rater);
    if (!w->window->openProject(project))
        qFatal("open failed: %s", qPrintable(w->window->lastError()));
    w->window->resize(size);
    w->window->show();
    if (!QTest::qWaitForWindowActive(w->window.get()))
        qWarning("the window did not become active");
    w->view()->document()->editor()->setFocus();
    return w;
}

} // namespace

void WorkspaceTest::labelsSeveralItemsByKeyboardOnly()
{
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"));
    QCOMPARE(w->view()->currentItem(), QStringLiteral("q1"));
    QCOMPARE(w->window->saveState(), QStringLiteral("No changes yet"));

    // q1: left is better; left faithful and answers; right unfaithful and declines.
    for (Qt::Key k : {Qt::Key_1, Qt::Key_F, Qt::Key_G, Qt::Key_Tab, Qt::Key_U, Qt::Key_D})
        press(*w, k);
    // q2 by J: right is better (by arrow), both faithful and answering.
    press(*w, Qt::Key_J);
    QCOMPARE(w->view()->currentItem(), QStringLiteral("q2"));
    QVERIFY(w->view()->activeSide() == ui::Side::Left);
    for (Qt::Key k : {Qt::Key_Right, Qt::Key_F, Qt::Key_G, Qt::Key_Tab, Qt::Key_F, Qt::Key_G})
        press(*w, k);
    // N: the next item not done, q3; a tie by the down arrow only.
    press(*w, Qt::Key_N);
    QCOMPARE(w->view()->currentItem(), QStringLiteral("q3"));
    press(*w, Qt::Key_Down);
    QVERIFY(w->window->waitUntilSaved(10000));
    QCOMPARE(w->window->saveState(), QStringLiteral("✓ Saved"));

    const QList<Row> labels = labelsOf(m_project, QStringLiteral("test-rater"));
    QCOMPARE(labels.size(), 11);
    const QRegularExpression timestamp(QStringLiteral(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$)"));
    for (const Row &r : labels) {
        const QByteArray item = r["item"].toString().toLatin1();
        QCOMPARE(r["shown_order"].toString(),
                 QString::fromLatin1(model::blindOrder("test-rater", item.constData())));
        QVERIFY2(timestamp.match(r["created_at"].toString()).hasMatch(),
                 qPrintable(r["created_at"].toString()));
        QCOMPARE(r["key"].toByteArray().size(), 16);
        QVERIFY(r["import_id"].isNull());
        QVERIFY(r["time_spent_s"].toDouble() >= 0.0);
        QCOMPARE(r["cleared"].toLongLong(), 0);
    }
    // One act per row, translated from screen sides to the item's A and B.
    auto value = [&](int row, const QString &col) { return labels[row][col].toString(); };
    QCOMPARE(value(0, QStringLiteral("preference")), leftSlot("test-rater", "q1"));
    QCOMPARE(value(1, column("faithful", leftSlot("test-rater", "q1"))), QStringLiteral("faithful"));
    QCOMPARE(value(2, column("no_info", leftSlot("test-rater", "q1"))), QStringLiteral("answered"));
    QCOMPARE(value(3, column("faithful", rightSlot("test-rater", "q1"))), QStringLiteral("unfaithful"));
    QCOMPARE(value(4, column("no_info", rightSlot("test-rater", "q1"))), QStringLiteral("declined_wrongly"));
    QCOMPARE(value(5, QStringLiteral("preference")), rightSlot("test-rater", "q2"));
    QCOMPARE(value(10, QStringLiteral("preference")), QStringLiteral("tie"));
    QCOMPARE(labels[10]["item"].toString(), QStringLiteral("q3"));
    // The rater is stored as a human with the name given.
    const QList<Row> rater =
        rows(m_project, QStringLiteral("SELECT kind, name FROM raters WHERE ext_id = 'test-rater'"));
    QCOMPARE(rater.size(), 1);
    QCOMPARE(rater[0]["kind"].toString(), QStringLiteral("human"));
    QCOMPARE(rater[0]["name"].toString(), QStringLiteral("Test Rater"));

    // The queue and the status bar agree with the file.
    ui::ItemQueueModel *queue = w->view()->queueModel();
    QVERIFY(queue->status(queue->rowOf(QStringLiteral("q1"))) == model::LabelStatus::Done);
    QVERIFY(queue->status(queue->rowOf(QStringLiteral("q2"))) == model::LabelStatus::Done);
    QVERIFY(queue->status(queue->rowOf(QStringLiteral("q3"))) == model::LabelStatus::Partial);
    QVERIFY(queue->status(queue->rowOf(QStringLiteral("q4"))) == model::LabelStatus::Unlabelled);
    QCOMPARE(w->view()->doneCount(), 2);
    auto project = storage::SqliteOpener().open(m_project.toStdString());
    auto progress = (*project)->progress("test-rater");
    QVERIFY(progress.ok());
    QCOMPARE(progress->size(), std::size_t(3));
    QVERIFY(progress->at(0).status == model::LabelStatus::Done);
    QVERIFY(progress->at(2).status == model::LabelStatus::Partial);

    // q4 has no answer in the document: G suggests hallucinated, and G again answered.
    press(*w, Qt::Key_N);
    QCOMPARE(w->view()->currentItem(), QStringLiteral("q4"));
    press(*w, Qt::Key_G);
    ui::AnswerPanel *left = w->view()->comparison()->panel(ui::Side::Left);
    QVERIFY(left->outcomeButton(model::Outcome::Hallucinated)->isChecked());
    press(*w, Qt::Key_G);
    QVERIFY(left->outcomeButton(model::Outcome::Answered)->isChecked());
    press(*w, Qt::Key_D);
    QVERIFY(left->outcomeButton(model::Outcome::DeclinedCorrectly)->isChecked());
    QVERIFY(w->window->waitUntilSaved(10000));
    const auto q4 = (*project)->currentLabel("test-rater", "q4");
    QVERIFY(q4->outcome[leftSlot("test-rater", "q4") == QLatin1String("A") ? 0 : 1] ==
            model::Outcome::DeclinedCorrectly);
    picture(*w, "workspace-q4-declined");
}

void WorkspaceTest::undoAndRedoAreSavedAsRevisions()
{
    auto w = openWorkspace(m_dir, m_project, human("undo-rater", "Undo Rater"));
    QCOMPARE(w->view()->currentItem(), QStringLiteral("q1"));
    const QString left = leftSlot("undo-rater", "q1"), right = rightSlot("undo-rater", "q1");
    press(*w, Qt::Key_1);
    press(*w, Qt::Key_3);
    press(*w, Qt::Key_Z, Qt::ControlModifier); // back to left
    QVERIFY(w->view()->comparison()->preferenceButton(ui::Verdict::Left)->isChecked());
    press(*w, Qt::Key_Z, Qt::ControlModifier); // back to nothing: withdrawn
    for (ui::Verdict v : {ui::Verdict::Left, ui::Verdict::Tie, ui::Verdict::Right})
        QVERIFY(!w->view()->comparison()->preferenceButton(v)->isChecked());
    QVERIFY(w->view()->queueModel()->status(0) == model::LabelStatus::Unlabelled);
    press(*w, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier); // redo: left again
    QVERIFY(w->view()->comparison()->preferenceButton(ui::Verdict::Left)->isChecked());
    QVERIFY(w->window->waitUntilSaved(10000));

    const QList<Row> labels = labelsOf(m_project, QStringLiteral("undo-rater"));
    QCOMPARE(labels.size(), 5); // every act and every undo is a revision; none is removed
    const QStringList expected = {left, right, left, QString(), left};
    for (int i = 0; i < 5; ++i)
        QCOMPARE(labels[i]["preference"].toString(), expected[i]);
    QCOMPARE(labels[3]["cleared"].toLongLong(), 1); // bit 0: the preference column
    QVERIFY(labels[3]["preference"].isNull());

    // The file says what the screen says, also after withdrawing.
    press(*w, Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(w->window->waitUntilSaved(10000));
    auto project = storage::SqliteOpener().open(m_project.toStdString());
    QVERIFY(!(*project)->currentLabel("undo-rater", "q1")->preference.has_value());
    auto opened = storage::Project::open(m_project.toStdString());
    const auto info = (*opened)->info();
    QVERIFY(info.ok());
    std::int64_t undoRaterPreferences = 0;
    for (const auto &[facet, n] : info->labelsByFacet)
        if (facet == "preference")
            undoRaterPreferences = n;
    QCOMPARE(undoRaterPreferences, std::int64_t(1)); // alice's only
    press(*w, Qt::Key_Y, Qt::ControlModifier);
    QVERIFY(w->window->waitUntilSaved(10000));
    QCOMPARE(std::string(model::toString(*(*project)->currentLabel("undo-rater", "q1")->preference)),
             left.toStdString());
}

void WorkspaceTest::undoOnAnotherItemShowsThatItem()
{
    auto w = openWorkspace(m_dir, m_project, human("undo-rater", "Undo Rater"));
    press(*w, Qt::Key_2);
    press(*w, Qt::Key_J);
    QCOMPARE(w->view()->currentItem(), QStringLiteral("q2"));
    QCOMPARE(w->window->undoStack()->undoText(), QStringLiteral("Set preference"));
    press(*w, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(w->view()->currentItem(), QStringLiteral("q1"));
    QVERIFY(w->window->waitUntilSaved(10000));
    QCOMPARE(labelsOf(m_project, QStringLiteral("undo-rater")).size(), 2);
}

void WorkspaceTest::criteriaByKeyboard()
{
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"));
    ui::ComparisonView *comparison = w->view()->comparison();
    QVERIFY(!comparison->criteriaShown());
    QVERIFY2(comparison->criteriaToggleText().contains("(optional)"),
             qPrintable(comparison->criteriaToggleText()));
    press(*w, Qt::Key_1, Qt::AltModifier); // relevance: left better; the row opens
    QVERIFY(comparison->criteriaShown());
    QVERIFY(comparison->criterionButton(0, ui::Verdict::Left)->isChecked());
    press(*w, Qt::Key_9, Qt::AltModifier); // conciseness: right better
    press(*w, Qt::Key_5, Qt::AltModifier); // comprehensiveness: the same
    picture(*w, "workspace-criteria");
    press(*w, Qt::Key_C);
    QVERIFY(!comparison->criteriaShown());
    // Folded away, the row still says the item has criteria set.
    QVERIFY2(comparison->criteriaToggleText().startsWith("▸ Criteria (3 of 3 set)"),
             qPrintable(comparison->criteriaToggleText()));
    QVERIFY(!w->preferences.get(ui::settings::kCriteriaShown));
    QVERIFY(w->window->waitUntilSaved(10000));
    const QList<Row> labels = labelsOf(m_project, QStringLiteral("test-rater"));
    QCOMPARE(labels.size(), 3);
    QCOMPARE(labels[0]["relevance"].toString(), leftSlot("test-rater", "q1"));
    QCOMPARE(labels[1]["conciseness"].toString(), rightSlot("test-rater", "q1"));
    QCOMPARE(labels[2]["comprehensiveness"].toString(), QStringLiteral("tie"));
    QVERIFY(w->view()->queueModel()->status(0) == model::LabelStatus::Partial);
}

void WorkspaceTest::switchingAnnotatorsKeepsLabelsApart()
{
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"));
    press(*w, Qt::Key_1);
    QVERIFY(w->window->undoStack()->canUndo());
    w->window->setAnnotator(human("second", "Second Rater"));
    QVERIFY(!w->window->undoStack()->canUndo()); // the first annotator's acts are not the second's to undo
    QCOMPARE(w->preferences.get(ui::settings::kAnnotatorId), QStringLiteral("second"));
    QCOMPARE(w->view()->currentItem(), QStringLiteral("q1"));
    for (ui::Verdict v : {ui::Verdict::Left, ui::Verdict::Tie, ui::Verdict::Right})
        QVERIFY(!w->view()->comparison()->preferenceButton(v)->isChecked()); // the second has not labelled q1
    press(*w, Qt::Key_1);
    QVERIFY(w->window->waitUntilSaved(10000));

    // Both pressed "left is better", but they were shown q1 in different orders.
    QVERIFY(model::blindOrder("test-rater", "q1") != model::blindOrder("second", "q1"));
    const QList<Row> first = labelsOf(m_project, QStringLiteral("test-rater"));
    const QList<Row> second = labelsOf(m_project, QStringLiteral("second"));
    QCOMPARE(first.size(), 1);
    QCOMPARE(second.size(), 1);
    QCOMPARE(first[0]["preference"].toString(), leftSlot("test-rater", "q1"));
    QCOMPARE(first[0]["shown_order"].toString(), QStringLiteral("BA"));
    QCOMPARE(second[0]["preference"].toString(), leftSlot("second", "q1"));
    QCOMPARE(second[0]["shown_order"].toString(), QStringLiteral("AB"));
}

void WorkspaceTest::evidenceIsMarkedInCodePoints()
{
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"));
    ui::DocumentView *document = w->view()->document();
    const QByteArray text = fixtures::documentText();
    const QByteArray rent = "rent of \xC2\xA3"
                            "1,200 per month";

    // E on the left answer (B, as test-rater sees q1): the passage after an emoji and a CRLF.
    selectPassage(document, QString::fromUtf8(rent));
    press(*w, Qt::Key_E);
    // Shift+E on the right answer asks for a note.
    press(*w, Qt::Key_Tab);
    selectPassage(document, QStringLiteral("five years from 1 May 2024"));
    QTimer::singleShot(0, this, [] {
        auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        dialog->setTextValue(QStringLiteral("the term, not the rent"));
        dialog->accept();
    });
    press(*w, Qt::Key_E, Qt::ShiftModifier);
    QVERIFY(w->window->waitUntilSaved(10000));
    w->window->activateWindow(); // the dialog took the focus
    QVERIFY(QTest::qWaitForWindowActive(w->window.get()));

    auto project = storage::SqliteOpener().open(m_project.toStdString());
    auto label = (*project)->currentLabel("test-rater", "q1");
    QCOMPARE(label->evidence.size(), std::size_t(2));
    const model::EvidenceSpan &a = label->evidence[0];
    QVERIFY(a.answer == model::Slot::B); // test-rater sees B on the left of q1
    QCOMPARE(a.start, codePointsBefore(text, rent));
    QCOMPARE(a.end - a.start, std::int64_t(QString::fromUtf8(rent).toUcs4().size()));
    QVERIFY(!a.note);
    // The stored offsets name the passage in the stored text, counted in code points.
    const QList<uint> all = QString::fromUtf8(text).toUcs4();
    QCOMPARE(
        QString::fromUcs4(reinterpret_cast<const char32_t *>(all.mid(a.start, a.end - a.start).constData()),
                          a.end - a.start),
        QString::fromUtf8(rent));
    const model::EvidenceSpan &b = label->evidence[1];
    QVERIFY(b.answer == model::Slot::A);
    QCOMPARE(b.start, codePointsBefore(text, "five years from 1 May 2024"));
    QCOMPARE(b.note.value_or(""), std::string("the term, not the rent"));

    // Highlighted, listed, and on the ruler.
    QCOMPARE(document->ruler()->spans().size(), std::size_t(2));
    QCOMPARE(w->view()->comparison()->panel(ui::Side::Left)->evidence()->rowCount(), 1);
    QCOMPARE(w->view()->comparison()->panel(ui::Side::Right)->evidence()->rowCount(), 1);
    QVERIFY(!document->editor()->extraSelections().isEmpty());
    QCOMPARE(document->excerpt(a.start, a.end), QString::fromUtf8(rent));
    QCOMPARE(document->ruler()->evidencePosition(), 0.2);
    picture(*w, "workspace-evidence");

    // X removes the focused (right) answer's newest mark; undo brings it back.
    press(*w, Qt::Key_X);
    QCOMPARE(w->view()->comparison()->panel(ui::Side::Right)->evidence()->rowCount(), 0);
    press(*w, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(w->view()->comparison()->panel(ui::Side::Right)->evidence()->rowCount(), 1);
    press(*w, Qt::Key_X);
    QVERIFY(w->window->waitUntilSaved(10000));
    const QList<Row> labels = labelsOf(m_project, QStringLiteral("test-rater"));
    QCOMPARE(labels.size(), 5);
    for (const Row &r : labels)
        QCOMPARE(r["has_evidence"].toLongLong(), 1); // each act replaces the whole list
    const QList<Row> last = rows(m_project, QStringLiteral("SELECT e.* FROM evidence e WHERE e.label_id = %1")
                                                .arg(labels.last()["id"].toLongLong()));
    QCOMPARE(last.size(), 1);
    QCOMPARE(last[0]["slot"].toString(), QStringLiteral("B"));

    // Nothing selected: E explains instead of marking.
    document->editor()->moveCursor(QTextCursor::Start);
    QSignalSpy message(w->view(), &ui::AnnotateView::messageRaised);
    press(*w, Qt::Key_E);
    QCOMPARE(message.count(), 1);
    QVERIFY(message.first().first().toString().contains(QStringLiteral("Select a passage")));
}

void WorkspaceTest::noteIsSavedOnEnter()
{
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"));
    press(*w, Qt::Key_M, Qt::ControlModifier);
    QLineEdit *note = w->view()->comparison()->noteField();
    QVERIFY(note->hasFocus());
    QTest::keyClicks(note, QStringLiteral("Both cite 1, 2 and 3 - unclear"));
    QTest::keyClick(note, Qt::Key_Return);
    QVERIFY(!note->hasFocus()); // the keys belong to the workspace again
    press(*w, Qt::Key_J);
    QVERIFY(w->window->waitUntilSaved(10000));
    const QList<Row> labels = labelsOf(m_project, QStringLiteral("test-rater"));
    QCOMPARE(labels.size(), 1); // typing digits in the note set no verdict
    QCOMPARE(labels[0]["note"].toString(), QStringLiteral("Both cite 1, 2 and 3 - unclear"));
    QVERIFY(w->view()->queueModel()->status(0) == model::LabelStatus::Partial);
}

void WorkspaceTest::noteBeingTypedStaysWithItsItem()
{
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"));
    const QString first = w->view()->currentItem();
    press(*w, Qt::Key_M, Qt::ControlModifier);
    QLineEdit *note = w->view()->comparison()->noteField();
    QVERIFY(note->hasFocus());
    QTest::keyClicks(note, QStringLiteral("only about the first item"));
    // Page Down is a window shortcut: it moves on while the note field still has the focus.
    QTest::keyClick(note, Qt::Key_PageDown);
    const QString second = w->view()->currentItem();
    QVERIFY(second != first);
    QCOMPARE(note->text(), QString());     // the second item has no note
    QTest::keyClick(note, Qt::Key_Return); // nothing typed here: nothing to save
    QVERIFY(w->window->waitUntilSaved(10000));
    const QList<Row> labels = labelsOf(m_project, QStringLiteral("test-rater"));
    QCOMPARE(labels.size(), 1);
    QCOMPARE(labels[0]["note"].toString(), QStringLiteral("only about the first item"));
    QCOMPARE(
        rows(m_project,
             QStringLiteral("SELECT ext_id FROM items WHERE id = %1").arg(labels[0]["item_id"].toLongLong()))
            .value(0)["ext_id"]
            .toString(),
        first);
    // Back on the first item, its note is shown.
    press(*w, Qt::Key_K);
    QCOMPARE(w->view()->currentItem(), first);
    QCOMPARE(note->text(), QStringLiteral("only about the first item"));
}

void WorkspaceTest::evidenceListGivesTheKeysBack()
{
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"));
    ui::DocumentView *document = w->view()->document();
    ui::AnswerPanel *left = w->view()->comparison()->panel(ui::Side::Left);
    QListView *list = left->evidenceList();
    auto markAndFocus = [&] {
        selectPassage(document, QStringLiteral("five years from 1 May 2024"));
        press(*w, Qt::Key_E);
        QVERIFY(QTest::qWaitFor([&] { return list->isVisible() && list->model()->rowCount() == 1; }));
        list->setFocus(Qt::MouseFocusReason);
        list->setCurrentIndex(list->model()->index(0, 0));
        QVERIFY(list->hasFocus());
    };
    // Esc in the list: the keys go back to the workspace (↓ is a tie again, not the next row).
    markAndFocus();
    QTest::keyClick(list, Qt::Key_Escape);
    QVERIFY(document->editor()->hasFocus());
    // Removing the last evidence hides the list: the keys go back too, not to the note field,
    // where 1 and F would be typed as a note.
    markAndFocus();
    QTest::keyClick(list, Qt::Key_Delete);
    QVERIFY(!list->isVisible());
    QVERIFY(!w->view()->comparison()->noteField()->hasFocus());
    QVERIFY(document->editor()->hasFocus());
    press(*w, Qt::Key_1);
    QVERIFY(w->window->waitUntilSaved(10000));
    const QList<Row> labels = labelsOf(m_project, QStringLiteral("test-rater"));
    QVERIFY(!labels.isEmpty());
    QVERIFY(!labels.last()["preference"].isNull());
    for (const Row &r : labels)
        QVERIFY(r["note"].isNull() || r["note"].toString().isEmpty());
}

void WorkspaceTest::criteriaKeyShowsTheCriteriaAsTheMenuDoes()
{
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"));
    QAction *show = nullptr;
    for (QAction *a : w->window->findChildren<QAction *>())
        if (a->text().contains(QStringLiteral("Show the &Criteria")))
            show = a;
    QVERIFY(show && !show->isChecked());
    press(*w, Qt::Key_1, Qt::AltModifier); // relevance: left better, opening the criteria
    QVERIFY(w->view()->comparison()->criteriaShown());
    QVERIFY(show->isChecked());
    QVERIFY(w->preferences.get(ui::settings::kCriteriaShown));
}

void WorkspaceTest::activeAnswersButtonsAreScrolledIntoView()
{
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"), {1024, 640});
    ui::ComparisonView *comparison = w->view()->comparison();
    QVERIFY(QTest::qWaitFor([&] { return !comparison->answersSideBySide(); }));
    QWidget *viewport = comparison->scrollArea()->viewport();
    auto inView = [&](QWidget *widget) {
        const QRect r(widget->mapTo(viewport, QPoint(0, 0)), widget->size());
        return viewport->rect().contains(r);
    };
    // Answers long enough that the right one's buttons start below the visible area.
    const QString longAnswer = QStringLiteral("A sentence of a long answer that goes on. ").repeated(30);
    for (ui::Side side : {ui::Side::Left, ui::Side::Right})
        comparison->panel(side)->setAnswer(QString(), longAnswer);
    ui::AnswerPanel *right = comparison->panel(ui::Side::Right);
    QVERIFY(QTest::qWaitFor([&] { return !inView(right->faithfulButton(true)); }));
    press(*w, Qt::Key_Tab); // the right answer, stacked below the left one
    QVERIFY(QTest::qWaitFor([&] { return inView(right->faithfulButton(true)); }));
    press(*w, Qt::Key_Tab); // and back
    QVERIFY(QTest::qWaitFor([&] { return inView(comparison->panel(ui::Side::Left)->faithfulButton(true)); }));
    // Scrolled away (to read the question, say), F brings what it changes back into view.
    comparison->scrollArea()->verticalScrollBar()->setValue(
        comparison->scrollArea()->verticalScrollBar()->maximum());
    QVERIFY(
        QTest::qWaitFor([&] { return !inView(comparison->panel(ui::Side::Left)->faithfulButton(true)); }));
    press(*w, Qt::Key_F);
    QVERIFY(QTest::qWaitFor([&] { return inView(comparison->panel(ui::Side::Left)->faithfulButton(true)); }));
}

void WorkspaceTest::exportAndReimportAddsNothing()
{
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"));
    press(*w, Qt::Key_1);
    press(*w, Qt::Key_Z, Qt::ControlModifier); // a withdrawal
    press(*w, Qt::Key_3);
    press(*w, Qt::Key_F);
    QVERIFY(w->window->waitUntilSaved(10000));

    auto project = storage::Project::open(m_project.toStdString());
    std::ostringstream out;
    QVERIFY((*project)->exportJsonl(out).ok());
    const std::string exported = out.str();
    QVERIFY(exported.find("\"preference\":null") != std::string::npos);
    std::vector<model::Diagnostic> diagnostics;
    auto summary = (*project)->importContent("export.jsonl", exported, diagnostics);
    QVERIFY(summary.ok());
    QCOMPARE(summary->labelsAdded, std::int64_t(0));
    QCOMPARE(summary->labelsUnchanged, std::int64_t(5)); // alice's and the four made here

    // Into a new project the same file gives the same current labels, withdrawal included.
    const QString copy =
        m_dir.filePath(QStringLiteral("copy-%1.concord").arg(QFileInfo(m_project).baseName()));
    auto other = storage::Project::create(copy.toStdString());
    QVERIFY((*other)->importContent("export.jsonl", exported, diagnostics).ok());
    auto a = storage::SqliteOpener().open(m_project.toStdString());
    auto b = storage::SqliteOpener().open(copy.toStdString());
    QVERIFY(*(*a)->currentLabel("test-rater", "q1") == *(*b)->currentLabel("test-rater", "q1"));
}

void WorkspaceTest::unblindedProjectShowsSystemsInOrderAB()
{
    {
        auto project = storage::SqliteOpener().open(m_project.toStdString());
        QVERIFY((*project)->setSetting("blind", "false").ok());
    }
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"));
    QVERIFY(!w->window->session()->blind());
    QVERIFY(w->view()->slotOn(ui::Side::Left) == model::Slot::A);
    QCOMPARE(w->view()
                 ->comparison()
                 ->panel(ui::Side::Left)
                 ->findChild<QLabel *>(QStringLiteral("answerCaption"))
                 ->text(),
             QStringLiteral("careful-v1 · answer A"));
    press(*w, Qt::Key_1);
    QVERIFY(w->window->waitUntilSaved(10000));
    const QList<Row> labels = labelsOf(m_project, QStringLiteral("test-rater"));
    QCOMPARE(labels[0]["preference"].toString(), QStringLiteral("A"));
    QCOMPARE(labels[0]["shown_order"].toString(), QStringLiteral("AB"));
    QVERIFY(w->window->findChild<QLabel *>(QStringLiteral("statusAnnotator"))
                ->text()
                .indexOf(QStringLiteral("blind")) < 0);
}

void WorkspaceTest::queueShowsOtherRatersAndFilters()
{
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"));
    ui::ItemQueueModel *queue = w->view()->queueModel();
    // alice labelled q1: once the consensus arrives, q1 shows one other rater.
    QVERIFY(QTest::qWaitFor(
        [&] { return queue->index(0, 0).data(ui::ItemQueueModel::OtherRatersRole).toInt() == 1; }));
    QCOMPARE(queue->index(1, 0).data(ui::ItemQueueModel::OtherRatersRole).toInt(), 0);

    // Disagreeing with alice on q1 marks it, once test-rater's label is complete (blind).
    press(*w, Qt::Key_1); // test-rater's left on q1 is B; alice said A
    for (Qt::Key k : {Qt::Key_F, Qt::Key_G, Qt::Key_Tab, Qt::Key_F, Qt::Key_G})
        press(*w, k);
    QVERIFY(w->window->waitUntilSaved(10000));
    QVERIFY(QTest::qWaitFor(
        [&] { return queue->index(0, 0).data(ui::ItemQueueModel::DisagreementRole).toBool(); }, 10000));
    QCOMPARE(queue->index(0, ui::ItemQueueModel::Others).data().toString(), QStringLiteral("≠ 1"));

    // "To do" hides done items but never the one on screen.
    ui::ItemQueueFilterModel *filter = w->view()->queueFilter();
    filter->setScope(ui::ItemQueueFilterModel::Scope::NotDone);
    QCOMPARE(filter->rowCount(), 4); // q1 is done but pinned
    press(*w, Qt::Key_J);
    QCOMPARE(filter->rowCount(), 3);
    filter->setScope(ui::ItemQueueFilterModel::Scope::All);
    filter->setQuestionType(QStringLiteral("no_info"));
    QCOMPARE(filter->rowCount(), 2); // q4, and q2 on screen
    filter->setQuestionType(QString());
    filter->setSystemPair(QStringLiteral("careful-v1 vs quick-v0"));
    QCOMPARE(filter->rowCount(), 4);
    // Blind: the pair filter does not name the systems.
    auto *pairs = w->view()->findChildren<QComboBox *>().at(2);
    QCOMPARE(pairs->itemText(1), QStringLiteral("System pair 1 of 1"));
    QCOMPARE(pairs->itemData(1).toString(), QStringLiteral("careful-v1 vs quick-v0"));
    // K and PgUp go back; PgDn forward.
    press(*w, Qt::Key_K);
    QCOMPARE(w->view()->currentItem(), QStringLiteral("q1"));
    press(*w, Qt::Key_PageDown);
    QCOMPARE(w->view()->currentItem(), QStringLiteral("q2"));
    press(*w, Qt::Key_PageUp);
    QCOMPARE(w->view()->currentItem(), QStringLiteral("q1"));
    // Clicking a row shows its item.
    QTableView *table = w->view()->queue();
    const QRect q3 = table->visualRect(filter->index(2, 0));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, q3.center());
    QCOMPARE(w->view()->currentItem(), QStringLiteral("q3"));
}

void WorkspaceTest::findHighlightsAndCountsMatches()
{
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"));
    ui::DocumentView *document = w->view()->document();
    press(*w, Qt::Key_F, Qt::ControlModifier);
    QVERIFY(document->findField()->hasFocus());
    QTest::keyClicks(document->findField(), QStringLiteral("the"));
    const int expected =
        int(QString::fromUtf8(fixtures::documentText()).count(QStringLiteral("the"), Qt::CaseInsensitive));
    QCOMPARE(expected, 2);
    QVERIFY(QTest::qWaitFor([&] { return document->matchCount() == expected; }));
    QCOMPARE(document->findStatus(), QStringLiteral("1 of 2"));
    QTest::keyClick(document->findField(), Qt::Key_Return);
    QCOMPARE(document->findStatus(), QStringLiteral("2 of 2"));
    QTest::keyClick(document->findField(), Qt::Key_Return);
    QCOMPARE(document->findStatus(), QStringLiteral("1 of 2")); // wraps
    QTest::keyClick(document->findField(), Qt::Key_Return, Qt::ShiftModifier);
    QCOMPARE(document->findStatus(), QStringLiteral("2 of 2"));
    QCOMPARE(document->ruler()->spans().size(), std::size_t(0));
    QVERIFY(document->editor()->extraSelections().size() >= 2);
    picture(*w, "workspace-find");
    // The current match is selected: E marks it.
    press(*w, Qt::Key_Escape);
    QVERIFY(!document->findField()->isVisible());
    press(*w, Qt::Key_E);
    QVERIFY(w->window->waitUntilSaved(10000));
    QCOMPARE(labelsOf(m_project, QStringLiteral("test-rater")).size(), 1);
    document->findNow(QStringLiteral("no such words"));
    QCOMPARE(document->findStatus(), QStringLiteral("No matches"));
}

void WorkspaceTest::zoomChangesTheReadingFont()
{
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"));
    ui::DocumentView *document = w->view()->document();
    const int before = document->pointSize();
    press(*w, Qt::Key_Equal, Qt::ControlModifier);
    press(*w, Qt::Key_Plus, Qt::ControlModifier);
    QCOMPARE(document->pointSize(), before + 2);
    QCOMPARE(document->editor()->document()->defaultFont().pointSize(), before + 2);
    QCOMPARE(w->preferences.get(ui::settings::kReadingPointSize), before + 2);
    press(*w, Qt::Key_Minus, Qt::ControlModifier);
    QCOMPARE(document->pointSize(), before + 1);
    press(*w, Qt::Key_0, Qt::ControlModifier);
    QCOMPARE(document->pointSize(), ui::settings::kReadingPointSize.defaultValue);
}

void WorkspaceTest::narrowWindowStacksTheAnswers()
{
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"), {1700, 1000});
    ui::ComparisonView *comparison = w->view()->comparison();
    QVERIFY(QTest::qWaitFor([&] { return comparison->answersSideBySide(); }));
    QVERIFY(comparison->panel(ui::Side::Left)->title().startsWith(QStringLiteral("◀ Left answer")));
    w->window->resize(1000, 900);
    QVERIFY(QTest::qWaitFor([&] { return !comparison->answersSideBySide(); }));
    // One above the other, the titles say which is which: the keys still call them left and right.
    QVERIFY(comparison->panel(ui::Side::Left)->title().startsWith(QStringLiteral("▲ Left answer (top)")));
    QVERIFY(
        comparison->panel(ui::Side::Right)->title().startsWith(QStringLiteral("▼ Right answer (bottom)")));
    QVERIFY(comparison->panel(ui::Side::Left)->geometry().bottom() <
            comparison->panel(ui::Side::Right)->geometry().top());
    QVERIFY(comparison->preferenceButton(ui::Verdict::Left)->text().startsWith(QStringLiteral("▲")));
    QVERIFY(comparison->preferenceButton(ui::Verdict::Right)->text().startsWith(QStringLiteral("▼")));
    picture(*w, "workspace-narrow");
    w->window->resize(1700, 1000);
    QVERIFY(QTest::qWaitFor([&] { return comparison->answersSideBySide(); }));
    QVERIFY(comparison->panel(ui::Side::Right)->title().startsWith(QStringLiteral("Right answer ▶")));
    // The splitter remembers its state.
    w->window->close();
    QVERIFY(!w->preferences.get(ui::settings::kWorkspaceSplitter).isEmpty());
}

void WorkspaceTest::windowFitsALaptopScreen()
{
    // Every view built (Agreement, Review): none may make the window wider than 1024 px.
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"), {1024, 700});
    press(*w, Qt::Key_2, Qt::ControlModifier);
    press(*w, Qt::Key_3, Qt::ControlModifier);
    press(*w, Qt::Key_1, Qt::ControlModifier);
    QVERIFY2(w->window->minimumSizeHint().width() <= 1024,
             qPrintable(QString::number(w->window->minimumSizeHint().width())));
    QVERIFY2(w->window->width() <= 1024, qPrintable(QString::number(w->window->width())));
}

void WorkspaceTest::verdictStaysInViewInSmallWindows_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<bool>("sideBySide");
    QTest::newRow("1280x720") << QSize(1280, 720) << true;
    QTest::newRow("1100x800") << QSize(1100, 800) << false;
    QTest::newRow("1000x600") << QSize(1000, 600) << false;
}

void WorkspaceTest::verdictStaysInViewInSmallWindows()
{
    QFETCH(QSize, size);
    QFETCH(bool, sideBySide);
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"), size);
    ui::ComparisonView *comparison = w->view()->comparison();
    QVERIFY(QTest::qWaitFor([&] { return comparison->answersSideBySide() == sideBySide; }));
    picture(*w, qPrintable(QStringLiteral("workspace-%1x%2").arg(size.width()).arg(size.height())));
    // Pinned outside the scrolling answers, and wholly inside the window.
    for (ui::Verdict v : {ui::Verdict::Left, ui::Verdict::Tie, ui::Verdict::Right}) {
        QPushButton *button = comparison->preferenceButton(v);
        QVERIFY(button->isVisible());
        QVERIFY(!comparison->scrollArea()->isAncestorOf(button));
        const QRect onWindow(button->mapTo(w->window.get(), QPoint(0, 0)), button->size());
        QVERIFY2(w->window->rect().contains(onWindow), qPrintable(QStringLiteral("%1,%2 %3x%4")
                                                                      .arg(onWindow.x())
                                                                      .arg(onWindow.y())
                                                                      .arg(onWindow.width())
                                                                      .arg(onWindow.height())));
        QCOMPARE(button->visibleRegion().boundingRect(), button->rect());
    }
    QVERIFY(comparison->noteField()->isVisible());
    if (!sideBySide)
        return;
    // Side by side, long answers scroll in their boxes: each answer's label rows stay in view.
    const QString longAnswer = QStringLiteral("A sentence of a long answer that goes on. ").repeated(60);
    for (ui::Side side : {ui::Side::Left, ui::Side::Right})
        comparison->panel(side)->setAnswer(QString(), longAnswer);
    QVERIFY(QTest::qWaitFor([&] {
        QPushButton *b = comparison->panel(ui::Side::Right)->outcomeButton(model::Outcome::DeclinedWrongly);
        return b->visibleRegion().boundingRect() == b->rect();
    }));
}

void WorkspaceTest::hintUnderTheAnswersIsWhole()
{
    // Whatever the answers' length, the part above the verdict bar scrolls only when the window
    // has no room left for it: the hint under the answers, which wraps onto one more line when
    // the scroll bar takes its width, was kept half out of view by that very scroll bar.
    auto w = openWorkspace(m_dir, m_project, human("hint-rater", "Hint Rater"), {1366, 768});
    ui::ComparisonView *comparison = w->view()->comparison();
    QVERIFY(QTest::qWaitFor([&] { return comparison->answersSideBySide(); }));
    QVERIFY2(!comparison->hint().isEmpty(),
             "the first item shows a hint for a rater who has not labelled it");
    auto *hint = comparison->findChild<QLabel *>(QStringLiteral("hint"));
    QVERIFY(hint);
    QScrollBar *bar = comparison->scrollArea()->verticalScrollBar();
    int checked = 0;
    for (int words = 10; words <= 90; words += 2) {
        const QString text = QStringLiteral("word ").repeated(words);
        for (ui::Side side : {ui::Side::Left, ui::Side::Right})
            comparison->panel(side)->setAnswer(QString(), text);
        QTest::qWait(20);
        const QWidget *note = comparison->noteField();
        const int spare = comparison->height() - note->mapTo(comparison, QPoint(0, note->height())).y();
        if (spare < 40)
            continue; // the window is full: scrolling is right
        ++checked;
        QVERIFY2(bar->maximum() == 0,
                 qPrintable(QStringLiteral("%1 words: scrolls by %2 with %3 px free below")
                                .arg(words)
                                .arg(bar->maximum())
                                .arg(spare)));
        QCOMPARE(hint->visibleRegion().boundingRect(), hint->rect());
    }
    QVERIFY(checked > 5);
}

void WorkspaceTest::panelsHaveNoEmptyBand()
{
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"));
    ui::ComparisonView *comparison = w->view()->comparison();
    QVERIFY(QTest::qWaitFor([&] { return comparison->answersSideBySide(); }));
    for (ui::Side side : {ui::Side::Left, ui::Side::Right}) {
        ui::AnswerPanel *panel = comparison->panel(side);
        // What follows the last row of outcomes is the evidence line, one layout gap below.
        const QRect outcomes = panel->outcomeButton(model::Outcome::DeclinedWrongly)->geometry();
        QLabel *evidence = nullptr;
        for (QLabel *l : panel->findChildren<QLabel *>())
            if (l->isVisible() && l->geometry().top() > outcomes.bottom() &&
                (!evidence || l->geometry().top() < evidence->geometry().top()))
                evidence = l;
        QVERIFY(evidence);
        QVERIFY2(evidence->geometry().top() - outcomes.bottom() <= 16,
                 qPrintable(QString::number(evidence->geometry().top() - outcomes.bottom())));
    }
    // Tab moves the focus mark without moving any button.
    const QPoint before = comparison->panel(ui::Side::Right)->faithfulButton(true)->pos();
    press(*w, Qt::Key_Tab);
    QCOMPARE(comparison->panel(ui::Side::Right)->faithfulButton(true)->pos(), before);
    // One line explains the outline, under both answers, until both outcomes are chosen.
    QVERIFY(comparison->hint().contains(QStringLiteral("Amber dashed outlines")));
    for (Qt::Key k : {Qt::Key_G, Qt::Key_Tab, Qt::Key_G})
        press(*w, k);
    QCOMPARE(comparison->hint(), QString());
}

void WorkspaceTest::suggestedOutcomeIsClearlyMarked()
{
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"));
    ui::AnswerPanel *panel = w->view()->comparison()->panel(ui::Side::Left);
    QPushButton *suggested = panel->outcomeButton(model::Outcome::Answered); // q1 is answerable
    QPushButton *plain = panel->outcomeButton(model::Outcome::Hallucinated);
    QVERIFY(suggested->property("suggested").toBool());
    QVERIFY(!plain->property("suggested").toBool());
    const QColor outline = ui::AnswerPanel::suggestionColor(QApplication::palette());
    auto outlined = [&](QPushButton *b) {
        const QImage image = b->grab().toImage();
        int n = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x) {
                const QColor c = image.pixelColor(x, y);
                n += std::abs(c.red() - outline.red()) + std::abs(c.green() - outline.green()) +
                         std::abs(c.blue() - outline.blue()) <
                     40;
            }
        return n;
    };
    // A thick outline: dozens of pixels in the suggestion's colour, none on a plain button.
    QVERIFY2(outlined(suggested) > 60, qPrintable(QString::number(outlined(suggested))));
    QCOMPARE(outlined(plain), 0);
    QPushButton *declines = panel->outcomeButton(model::Outcome::DeclinedWrongly);
    QVERIFY(declines->property("suggested").toBool());
    // Chosen, it is filled like any choice; and once an outcome is chosen no button is outlined
    // (an outline left on another button read as a warning about the choice).
    press(*w, Qt::Key_G);
    QVERIFY(suggested->isChecked());
    QVERIFY(outlined(suggested) < 10);
    QVERIFY(!declines->property("suggested").toBool());
    QCOMPARE(outlined(declines), 0);
}

void WorkspaceTest::rulerDrawsTheMarkerWholeAtTheTop()
{
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"));
    ui::PositionRuler *ruler = w->view()->document()->ruler();
    for (double at : {0.0, 1.0, 0.5}) {
        ruler->setEvidencePosition(at);
        const QRectF marker = ruler->evidenceMarkerRect();
        QVERIFY(!marker.isEmpty());
        QVERIFY2(QRectF(ruler->rect()).contains(marker), qPrintable(QString::number(at)));
    }
    ruler->setEvidencePosition(-1);
    QVERIFY(ruler->evidenceMarkerRect().isEmpty());
}

void WorkspaceTest::arrowKeysMoveInTheFocusedListOrFilter()
{
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"));
    QCOMPARE(w->view()->currentItem(), QStringLiteral("q1"));
    // A click in the queue: ↓ and ↑ move in the list, and record nothing.
    QTableView *table = w->view()->queue();
    ui::ItemQueueFilterModel *filter = w->view()->queueFilter();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(filter->index(0, 0)).center());
    QVERIFY(table->hasFocus());
    press(*w, Qt::Key_Down);
    QCOMPARE(w->view()->currentItem(), QStringLiteral("q2"));
    press(*w, Qt::Key_Down);
    QCOMPARE(w->view()->currentItem(), QStringLiteral("q3"));
    press(*w, Qt::Key_Up);
    QCOMPARE(w->view()->currentItem(), QStringLiteral("q2"));
    QCOMPARE(w->view()->comparison()->preferenceButton(ui::Verdict::Tie)->isChecked(), false);
    // Esc gives the keys back: ↓ is a tie again.
    press(*w, Qt::Key_Escape);
    QVERIFY(!table->hasFocus());
    press(*w, Qt::Key_Down);
    QVERIFY(w->view()->comparison()->preferenceButton(ui::Verdict::Tie)->isChecked());
    QVERIFY(w->window->waitUntilSaved(10000));
    QCOMPARE(labelsOf(m_project, QStringLiteral("test-rater")).size(), 1);

    // A filter with the focus (as after a click): ↓ picks the next entry.
    auto *scope = w->view()->findChildren<QComboBox *>().at(0);
    scope->setFocus(Qt::MouseFocusReason);
    QVERIFY(scope->hasFocus());
    const int index = scope->currentIndex();
    press(*w, Qt::Key_Down);
    QCOMPARE(scope->currentIndex(), index + 1);
    press(*w, Qt::Key_Up);
    QCOMPARE(scope->currentIndex(), index);
    // Left and right stay verdicts there.
    press(*w, Qt::Key_Left);
    QVERIFY(w->view()->comparison()->preferenceButton(ui::Verdict::Left)->isChecked());
    // Typing a note: ↓ does not record a tie.
    press(*w, Qt::Key_M, Qt::ControlModifier);
    QVERIFY(w->view()->comparison()->noteField()->hasFocus());
    press(*w, Qt::Key_Down);
    QVERIFY(!w->view()->comparison()->preferenceButton(ui::Verdict::Tie)->isChecked());
    QVERIFY(w->window->waitUntilSaved(10000));
    QCOMPARE(labelsOf(m_project, QStringLiteral("test-rater")).size(), 2);
}

void WorkspaceTest::blindAnnotatorSeesDisagreementOnlyAfterLabelling()
{
    {
        auto project = storage::Project::open(m_project.toStdString());
        QVERIFY(project.ok());
        std::vector<model::Diagnostic> diagnostics;
        const QByteArray content = fixtures::disagreeingRater();
        QVERIFY((*project)->importContent("bob.jsonl", std::string_view(content.constData(), content.size()),
                                          diagnostics));
    }
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"));
    ui::ItemQueueModel *queue = w->view()->queueModel();
    const int q1 = queue->rowOf(QStringLiteral("q1"));
    QVERIFY(QTest::qWaitFor(
        [&] { return queue->index(q1, 0).data(ui::ItemQueueModel::OtherRatersRole).toInt() == 2; }));
    // alice and bob disagree on q1, but test-rater has not labelled it: no marker yet.
    QCOMPARE(queue->index(q1, ui::ItemQueueModel::Others).data().toString(), QStringLiteral("2"));
    QVERIFY(!queue->index(q1, 0).data(ui::ItemQueueModel::DisagreementRole).toBool());
    ui::ItemQueueFilterModel *filter = w->view()->queueFilter();
    filter->setPinnedItem({});
    filter->setScope(ui::ItemQueueFilterModel::Scope::Disagreement);
    QCOMPARE(filter->rowCount(), 0);
    filter->setScope(ui::ItemQueueFilterModel::Scope::All);
    // Unblinded (View ▸ Blind Annotation off), others' disagreement shows before labelling.
    QAction *blind = nullptr;
    for (QAction *a : w->window->findChildren<QAction *>())
        if (a->text().contains(QStringLiteral("Blind Annotation")))
            blind = a;
    QVERIFY(blind && blind->isChecked());
    blind->trigger();
    QVERIFY(!queue->blind());
    QCOMPARE(queue->index(q1, ui::ItemQueueModel::Others).data().toString(), QStringLiteral("≠ 2"));
    blind->trigger();
    QVERIFY(queue->blind());
    QCOMPARE(queue->index(q1, ui::ItemQueueModel::Others).data().toString(), QStringLiteral("2"));
    // Blind again: a partial label of q1 (a faithfulness key, even the preference) does not show
    // it; once test-rater has finished labelling q1, it shows.
    press(*w, Qt::Key_F);
    press(*w, Qt::Key_2);
    QCOMPARE(queue->index(q1, ui::ItemQueueModel::Others).data().toString(), QStringLiteral("2"));
    for (Qt::Key k : {Qt::Key_G, Qt::Key_Tab, Qt::Key_F, Qt::Key_G})
        press(*w, k);
    QCOMPARE(queue->index(q1, ui::ItemQueueModel::Others).data().toString(), QStringLiteral("≠ 2"));
    QVERIFY(w->window->waitUntilSaved(10000));
    QVERIFY(QTest::qWaitFor([&] {
        return queue->index(q1, ui::ItemQueueModel::Others).data().toString() == QStringLiteral("≠ 2") &&
               queue->index(q1, 0).data(ui::ItemQueueModel::DisagreementRole).toBool();
    }));
}

void WorkspaceTest::droppedFileIsImported()
{
    const QString file = m_dir.filePath(QStringLiteral("more.jsonl"));
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(fixtures::moreItems());
    }
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"));
    press(*w, Qt::Key_2); // labelling goes on while the file comes in
    QSignalSpy finished(w->window.get(), &ui::MainWindow::importFinished);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(file)});
    QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(w->window.get(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(w->window.get(), &drop);
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.first().first().toBool(), true);
    QCOMPARE(w->view()->itemCount(), 6);
    QCOMPARE(w->view()->currentItem(), QStringLiteral("q1")); // still where the annotator was
    QVERIFY(w->window->waitUntilSaved(10000));
    QCOMPARE(labelsOf(m_project, QStringLiteral("test-rater")).size(), 1);
}

// An import that brings this annotator's labels: the screen and undo follow the file, not what
// the session read before it.
void WorkspaceTest::importOfTheAnnotatorsLabelsIsShown()
{
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"));
    press(*w, Qt::Key_2); // tie on q1
    QVERIFY(w->window->waitUntilSaved(10000));
    const QString file = m_dir.filePath(QStringLiteral("mine.jsonl"));
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            R"({"kind":"label","item":"q1","rater":"test-rater","preference":"B","created_at":"2026-12-01T10:00:00Z"})"
            "\n");
    }
    QSignalSpy finished(w->window.get(), &ui::MainWindow::importFinished);
    w->window->importFiles({file});
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.first().first().toBool(), true);
    QCOMPARE(w->view()->currentItem(), QStringLiteral("q1"));
    ui::ComparisonView *comparison = w->view()->comparison();
    // B, on whichever side this annotator sees it.
    const ui::Verdict b = w->view()->leftIsA() ? ui::Verdict::Right : ui::Verdict::Left;
    QVERIFY(comparison->preferenceButton(b)->isChecked());
    QVERIFY(!comparison->preferenceButton(ui::Verdict::Tie)->isChecked());
    QVERIFY(!w->window->undoStack()->canUndo()); // undo would restore what the file no longer says
    press(*w, Qt::Key_2);                        // tie again: a change now, so saved
    QVERIFY(w->window->waitUntilSaved(10000));
    const QList<Row> labels = labelsOf(m_project, QStringLiteral("test-rater"));
    QCOMPARE(labels.size(), 3);
    QCOMPARE(labels.last()["preference"].toString(), QStringLiteral("tie"));
}

// `concord import` in a terminal while the window is open: when the app is active again, the
// screen shows what the file now holds.
void WorkspaceTest::outsideImportIsShownWhenTheAppIsActiveAgain()
{
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"));
    press(*w, Qt::Key_2); // tie on q1
    QVERIFY(w->window->waitUntilSaved(10000));
    w->window->checkForOutsideChanges(); // only its own revision: nothing to do
    QVERIFY(w->window->undoStack()->canUndo());
    {
        auto project = storage::Project::open(m_project.toStdString());
        QVERIFY(project);
        std::vector<model::Diagnostic> problems;
        QVERIFY((*project)->importContent(
            "outside.jsonl",
            R"({"kind":"label","item":"q1","rater":"test-rater","preference":"B","created_at":"2026-12-01T10:00:00Z"})"
            "\n",
            problems));
    }
    ui::ComparisonView *comparison = w->view()->comparison();
    QVERIFY(comparison->preferenceButton(ui::Verdict::Tie)->isChecked()); // not seen yet
    w->window->checkForOutsideChanges();
    const ui::Verdict b = w->view()->leftIsA() ? ui::Verdict::Right : ui::Verdict::Left;
    QVERIFY(comparison->preferenceButton(b)->isChecked());
    QVERIFY(!w->window->undoStack()->canUndo());
    press(*w, Qt::Key_2); // tie again
    QVERIFY(w->window->waitUntilSaved(10000));
    w->window->checkForOutsideChanges(); // its own revision again: the undo history stays
    QVERIFY(w->window->undoStack()->canUndo());
    QCOMPARE(labelsOf(m_project, QStringLiteral("test-rater")).size(), 3);
}

// A file large enough to be imported part by part: the window reports how far it is, in
// percent, rising to 100.
void WorkspaceTest::largeImportShowsItsProgress()
{
    const QString file = m_dir.filePath(QStringLiteral("large.jsonl"));
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"kind":"document","id":"big-doc","text":"A long lease. The rent is due monthly."})"
                "\n");
        for (int i = 0; i < 20000; ++i)
            f.write(
                QStringLiteral(
                    R"({"kind":"item","id":"big-%1","document":"big-doc","question":"What does clause %1 of the lease say about the rent and its review?","question_type":"fact_recall","answers":{"A":{"system":"a","text":"Clause %1 says the rent is due monthly, in advance, by bank transfer."},"B":{"system":"b","text":"It does not say."}}})"
                    "\n")
                    .arg(i)
                    .toUtf8());
    }
    QVERIFY(QFileInfo(file).size() > 4 * 1024 * 1024);
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"));
    QSignalSpy progressed(w->window.get(), &ui::MainWindow::importProgressed);
    QSignalSpy finished(w->window.get(), &ui::MainWindow::importFinished);
    w->window->importFiles({file});
    QVERIFY(finished.wait(30000));
    QVERIFY2(finished.first().first().toBool(), qPrintable(finished.first().last().toString()));
    QVERIFY2(progressed.size() >= 3, qPrintable(QString::number(progressed.size())));
    int last = -1;
    for (const QList<QVariant> &signal : progressed) {
        QVERIFY(signal.first().toInt() > last);
        last = signal.first().toInt();
    }
    QCOMPARE(last, 100);
    QCOMPARE(w->view()->itemCount(), 20004);
}

void WorkspaceTest::importErrorsAreListedLikeTheCli()
{
    const QString file = m_dir.filePath(QStringLiteral("broken.jsonl"));
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(fixtures::brokenImport());
    }
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"));
    QSignalSpy finished(w->window.get(), &ui::MainWindow::importFinished);
    w->window->importFiles({file});
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.first().first().toBool(), false);
    const QString problems = finished.first().last().toString();
    QVERIFY2(problems.contains(file + QStringLiteral(":2: question_type: ")), qPrintable(problems));
    QVERIFY2(problems.contains(file + QStringLiteral(":3: preference: ")), qPrintable(problems));
    QCOMPARE(w->view()->itemCount(), 4); // nothing was imported
    QCOMPARE(rows(m_project, QStringLiteral("SELECT count(*) AS n FROM items"))[0]["n"].toLongLong(), 4);
}

void WorkspaceTest::exportWritesWhatIsOnScreen()
{
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"));
    press(*w, Qt::Key_3);
    const QString target =
        m_dir.filePath(QStringLiteral("export-%1.jsonl").arg(QFileInfo(m_project).baseName()));
    QSignalSpy finished(w->window.get(), &ui::MainWindow::exportFinished);
    w->window->exportProject(target); // waits for the label above first
    QVERIFY(finished.wait(20000));
    QVERIFY2(finished.first().first().toBool(), qPrintable(finished.first().last().toString()));
    QFile file(target);
    QVERIFY(file.open(QIODevice::ReadOnly));
    auto project = storage::Project::open(m_project.toStdString());
    std::ostringstream expected;
    QVERIFY((*project)->exportJsonl(expected).ok());
    QCOMPARE(file.readAll().toStdString(), expected.str());
    QVERIFY(expected.str().find("\"rater\":\"test-rater\"") != std::string::npos);
    for (const QString &name : QDir(m_dir.path()).entryList(QDir::Files))
        QVERIFY2(!name.contains(QStringLiteral(".part")), qPrintable(name));
    // Exporting over the project itself is refused, not done (it would destroy the project).
    QTest::qWait(300); // the finished export's task is deleted on the next turns of the event loop
    finished.clear();
    w->window->exportProject(m_project);
    QVERIFY(finished.count() == 1 || finished.wait(20000));
    QVERIFY(!finished.first().first().toBool());
    QVERIFY2(w->window->lastError().contains(QStringLiteral("is the project file itself")),
             qPrintable(w->window->lastError()));
    QVERIFY(storage::Project::open(m_project.toStdString()));
}

void WorkspaceTest::reportIsExportedAsHtmlAndPdf()
{
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"));
    QAction *menu = nullptr;
    for (QAction *a : w->window->findChildren<QAction *>())
        if (a->text() == QStringLiteral("Export &Report…"))
            menu = a;
    QVERIFY(menu && menu->isEnabled());
    press(*w, Qt::Key_J); // q2, which alice has not labelled
    press(*w, Qt::Key_3);
    const QString html =
        m_dir.filePath(QStringLiteral("report-%1.html").arg(QFileInfo(m_project).baseName()));
    QVERIFY2(w->window->exportReport(html), qPrintable(w->window->lastError()));
    QFile file(html);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString page = QString::fromUtf8(file.readAll());
    // The label just made is in it: the report waits for what is on screen to be saved.
    QVERIFY2(page.contains(QStringLiteral(
                 "<td class=l>test-rater</td><td class=l>human</td><td class=l></td><td>1</td>")),
             qPrintable(page.mid(page.indexOf(QStringLiteral("test-rater")) - 200, 400)));
    const QString pdf = m_dir.filePath(QStringLiteral("report-%1.pdf").arg(QFileInfo(m_project).baseName()));
    QVERIFY(w->window->exportReport(pdf));
    QFile printed(pdf);
    QVERIFY(printed.open(QIODevice::ReadOnly));
    QVERIFY(printed.read(5) == "%PDF-");
    QVERIFY(printed.size() > 1000);
    // A folder that cannot be written: a clear message, and no file.
    QVERIFY(!w->window->exportReport(QStringLiteral("/nonexistent-folder/report.html")));
    QVERIFY2(w->window->lastError().contains(QStringLiteral("/nonexistent-folder/report.html")),
             qPrintable(w->window->lastError()));
}

void WorkspaceTest::lockedProjectIsRetriedUntilSaved()
{
    auto w = openWorkspace(m_dir, m_project, human("test-rater", "Test Rater"));
    // Another program holds the write lock longer than the saver waits for it.
    sqlite3 *other = nullptr;
    QCOMPARE(sqlite3_open(m_project.toUtf8().constData(), &other), SQLITE_OK);
    QCOMPARE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    press(*w, Qt::Key_1);
    QCOMPARE(w->window->saveState(), QStringLiteral("Saving…"));
    QVERIFY(
        QTest::qWaitFor([&] { return w->window->saveState().contains(QStringLiteral("Not saved")); }, 20000));
    picture(*w, "workspace-not-saved");
    QCOMPARE(w->view()->comparison()->preferenceButton(ui::Verdict::Left)->isChecked(),
             true);       // still on screen
    press(*w, Qt::Key_F); // queued behind it, in order
    // Opening another project now would drop them: refused (nobody to ask here), and said.
    const QString elsewhere = m_dir.filePath(QStringLiteral("elsewhere.concord"));
    QVERIFY(storage::Project::create(elsewhere.toStdString()));
    QVERIFY(!w->window->openProject(elsewhere));
    QVERIFY2(w->window->lastError().contains(QStringLiteral("could not be saved yet")),
             qPrintable(w->window->lastError()));
    QCOMPARE(w->view()->currentItem(), QStringLiteral("q1")); // still open, still labelling
    QCOMPARE(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(other);
    QVERIFY(QTest::qWaitFor([&] { return w->window->saveState() == QStringLiteral("✓ Saved"); }, 20000));
    const QList<Row> labels = labelsOf(m_project, QStringLiteral("test-rater"));
    QCOMPARE(labels.size(), 2);
    QVERIFY(!labels[0]["preference"].isNull());
    QVERIFY(labels[0]["faithful_a"].isNull() && labels[0]["faithful_b"].isNull());
}

void WorkspaceTest::firstLaunchWithoutAnnotatorDoesNotWrite()
{
    Workspace w(m_dir.filePath(QStringLiteral("first-launch.ini")));
    QVERIFY(w.window->openProject(m_project));
    QCOMPARE(w.window->annotator().id, std::string("preview"));
    QCOMPARE(rows(m_project, QStringLiteral("SELECT count(*) AS n FROM raters"))[0]["n"].toLongLong(),
             1); // alice
    QVERIFY(!w.window->openProject(m_dir.filePath(QStringLiteral("missing.concord"))));
    w.window->resize(1200, 800);
    w.window->show();
    picture(w, "workspace-no-project");
    QVERIFY(w.window->lastError().contains(QStringLiteral("no such project file")));
}

void WorkspaceTest::readOnlyProjectIsOpenedAsACopy()
{
    Workspace w(m_dir.filePath(QStringLiteral("read-only.ini")));
    w.opener.readOnly.insert(m_project.toStdString());
    const auto labelRows = [](const QString &project) {
        return rows(project, QStringLiteral("SELECT count(*) AS n FROM labels"))[0]["n"].toLongLong();
    };
    const qint64 before = labelRows(m_project);
    QVERIFY(before > 0);

    // Without a user to ask, the reason is given and nothing is opened.
    QVERIFY(!w.window->openProject(m_project));
    QVERIFY2(w.window->lastError().contains(QStringLiteral("read-only")), qPrintable(w.window->lastError()));

    w.window->setAnnotator(human("second", "Second Rater")); // not asked for in the copy
    w.window->setInteractive(true);
    w.window->show();
    const QString copy = m_dir.filePath(QStringLiteral("working copy.concord"));
    QString asked;
    bool chose = false;
    // Cancel first: nothing opened, nothing written.
    QTimer::singleShot(0, this, [&] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QVERIFY(box);
        asked = box->text() + box->informativeText();
        if (const QByteArray dir = qgetenv("CONCORD_SCREENSHOT_DIR"); !dir.isEmpty())
            box->grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/read-only-project.png"));
        box->button(QMessageBox::Cancel)->click();
    });
    QVERIFY(!w.window->openProject(m_project));
    QVERIFY2(asked.contains(QStringLiteral("the folder is read-only")), qPrintable(asked));
    QVERIFY(!QFileInfo::exists(copy));

    QTimer::singleShot(0, this, [&] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QVERIFY(box);
        QAbstractButton *save = nullptr;
        for (QAbstractButton *b : box->buttons())
            if (b->text().startsWith(QStringLiteral("Save a Copy")))
                save = b;
        QVERIFY(save);
        QTimer::singleShot(0, this, [&] {
            auto *dialog = qobject_cast<QFileDialog *>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            QVERIFY(dialog->selectedFiles().value(0).endsWith(QStringLiteral(" (copy).concord")));
            chose = true;
            dialog->selectFile(copy.chopped(int(qstrlen(".concord")))); // the extension is added
            QMetaObject::invokeMethod(dialog, "accept");
        });
        save->click();
    });
    QVERIFY2(w.window->openProject(m_project), qPrintable(w.window->lastError()));
    QVERIFY(chose);
    QCOMPARE(w.window->projectPath(), copy);
    QCOMPARE(labelRows(copy), before);
    QCOMPARE(labelRows(m_project), before);
    QCOMPARE(QDir(m_dir.path()).entryList({QStringLiteral("*.partial-*")}), QStringList());

    // A copy never replaces a file: the name is taken now.
    auto again = w.opener.copy(m_project.toStdString(), copy.toStdString());
    QVERIFY(!again);
    QVERIFY(QString::fromStdString(again.error().message).contains(QStringLiteral("already exists")));
    w.window->setInteractive(false);
}

void WorkspaceTest::firstLaunchAsksWhoIsLabelling()
{
    Workspace w(m_dir.filePath(QStringLiteral("ask.ini")));
    w.window->setInteractive(true);
    w.window->show();
    bool asked = false;
    QTimer::singleShot(0, this, [&] {
        auto *dialog = qobject_cast<ui::AnnotatorDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        asked = true;
        auto *name = dialog->findChild<QComboBox *>();
        QCOMPARE(name->count(), 1); // alice, the project's only human
        name->setCurrentText(QStringLiteral("Nina Ortiz"));
        if (const QByteArray dir = qgetenv("CONCORD_SCREENSHOT_DIR"); !dir.isEmpty())
            dialog->grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/annotator-dialog.png"));
        dialog->accept();
    });
    QVERIFY(w.window->openProject(m_project));
    QVERIFY(asked);
    QCOMPARE(w.window->annotator().id, std::string("nina-ortiz"));
    QCOMPARE(w.preferences.get(ui::settings::kAnnotatorName), QStringLiteral("Nina Ortiz"));

    // File > Switch Annotator: alice, who exists.
    QAction *switchAction = nullptr;
    for (QAction *a : w.window->findChildren<QAction *>())
        if (a->text().contains(QStringLiteral("Switch &Annotator")))
            switchAction = a;
    QVERIFY(switchAction);
    QTimer::singleShot(0, this, [] {
        auto *dialog = qobject_cast<ui::AnnotatorDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        // Her name as the list shows it, typed in another case: alice, not a new rater.
        dialog->findChild<QComboBox *>()->setCurrentText(QStringLiteral("alice moreau"));
        dialog->accept();
    });
    switchAction->trigger();
    QCOMPARE(w.window->annotator().id, std::string("alice"));
    QVERIFY(w.view()->queueModel()->status(0) == model::LabelStatus::Done); // alice labelled all of q1
    w.window->setInteractive(false);
}

void WorkspaceTest::cheatSheetListsEveryShortcut()
{
    Workspace w(m_dir.filePath(QStringLiteral("sheet.ini")));
    const QString sheet = ui::ShortcutsDialog::sheet(w.window->shortcutActions());
    for (const char *text : {"Left answer is better", "Faithful", "Mark the selected passage as evidence",
                             "Next Unlabelled Item", "Relevance: left is better", "Undo", "Find in Document",
                             "Gold faithfulness: faithful, unfaithful", "Next / previous disagreement"})
        QVERIFY2(sheet.contains(QLatin1String(text)), text);
    for (const char *key :
         {">&nbsp;1&nbsp;<", ">&nbsp;Left&nbsp;<", ">&nbsp;Alt+1&nbsp;<", ">&nbsp;Tab&nbsp;<",
          ">&nbsp;Shift+Tab&nbsp;<", ">&nbsp;PgDown&nbsp;<", ">&nbsp;Ctrl+Z&nbsp;<", ">&nbsp;Shift+E&nbsp;<"})
        QVERIFY2(sheet.contains(QLatin1String(key)), key);
    // F1 opens it.
    w.window->show();
    QVERIFY(QTest::qWaitForWindowActive(w.window.get()));
    bool shown = false;
    QTimer::singleShot(0, this, [&] {
        auto *dialog = qobject_cast<ui::ShortcutsDialog *>(QApplication::activeModalWidget());
        shown = dialog != nullptr;
        if (const QByteArray dir = qgetenv("CONCORD_SCREENSHOT_DIR"); dialog && !dir.isEmpty())
            dialog->grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/shortcuts-dialog.png"));
        if (dialog)
            dialog->reject();
    });
    QTest::keyClick(w.window.get(), Qt::Key_F1);
    QVERIFY(shown);
}

// Blind annotation: Review holds back the items the annotator has not finished — the judge's and
// the others' labels there would sway theirs — until a lead unticks it.
void WorkspaceTest::reviewHoldsBackWhatTheAnnotatorHasNotFinished()
{
    const QString demo = m_dir.filePath(QStringLiteral("review-blind.concord"));
    {
        auto project = storage::Project::create(demo.toStdString());
        QVERIFY(project.ok());
        std::vector<model::Diagnostic> diagnostics;
        QVERIFY((*project)->importFiles({CONCORD_SOURCE_DIR "/resources/demo/demo.jsonl"}, diagnostics).ok());
    }
    // Carol has labelled nothing yet: every disagreement is on an item she has still to label.
    auto w = openWorkspace(m_dir, demo, human("carol", "Carol"));
    QVERIFY(w->window->showView(ui::MainWindow::View::Review));
    ui::ReviewView *review = w->window->reviewView();
    QVERIFY(review->withholdBox()->isVisibleTo(w->window.get()));
    QCOMPARE(review->visibleUnits(), 0);
    QVERIFY(review->withholdBox()->isChecked());
    QString counted; // the count line, which says how many it holds back and for whom
    for (const QLabel *label : review->findChildren<QLabel *>())
        if (label->text().contains(QStringLiteral(" hidden until Carol finishes those items")))
            counted = label->text();
    QVERIFY(!counted.isEmpty());
    // The lead unticks it: all of them.
    review->withholdBox()->setChecked(false);
    const int all = review->visibleUnits();
    QVERIFY(all > 50);
    // Every disagreement was on an item Carol has not finished: all of them were counted.
    QVERIFY2(counted.startsWith(QStringLiteral("0 of %1 disagreements · %1 hidden").arg(all)),
             qPrintable(counted));
    // The lead's choice is kept in the settings, for the next window.
    QVERIFY(!w->preferences.get(ui::settings::kReviewWithholdUnfinished));
    w.reset();

    // Alice has finished every item: nothing to hold back, and no box to untick.
    auto alice = openWorkspace(m_dir, demo, human("alice", "Alice Moreau"));
    QVERIFY(alice->window->showView(ui::MainWindow::View::Review));
    QVERIFY(!alice->window->reviewView()->withholdBox()->isVisibleTo(alice->window.get()));
    QCOMPARE(alice->window->reviewView()->visibleUnits(), all);
}

QTEST_MAIN(WorkspaceTest)
