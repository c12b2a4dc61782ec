#include "screenshotcommand.h"

#include "agreementview.h"
#include "annotateview.h"
#include "judgedialog.h"
#include "mainwindow.h"
#include "preferences.h"
#include "sqliteconnection.h"
#include "wiring.h"

#include <QApplication>
#include <QDoubleSpinBox>
#include <QEventLoop>
#include <QFile>
#include <QLineEdit>
#include <QPixmap>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdlib>
#include <iostream>

namespace concord::app {

namespace {

int fail(const std::string &message, int code)
{
    std::cerr << "concord: " << message << '\n';
    return code;
}

/// The annotator shown: the one asked for, else the project's first human rater (so the picture
/// shows real labels), else a preview rater that is never written.
model::Rater annotatorFor(model::ProjectConnection &connection, const std::string &wanted)
{
    model::Rater chosen;
    chosen.kind = model::RaterKind::Human;
    auto raters = connection.raters();
    if (raters)
        for (const model::Rater &r : *raters)
            if (r.kind == model::RaterKind::Human && (wanted.empty() || r.id == wanted)) {
                chosen = r;
                break;
            }
    if (chosen.id.empty()) {
        chosen.id = wanted.empty() ? "preview" : wanted;
        chosen.name = wanted.empty() ? std::optional<std::string>("Preview") : std::nullopt;
    }
    return chosen;
}

} // namespace

int runScreenshotCommand(const std::vector<std::string> &args)
{
    std::string project, out, item, view = "annotate", size = "1600x1000", annotator;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        auto value = [&](std::string &target) {
            if (i + 1 >= args.size())
                return false;
            target = args[++i];
            return true;
        };
        bool ok = true;
        if (a == "--out" || a == "-o")
            ok = value(out);
        else if (a == "--item")
            ok = value(item);
        else if (a == "--view")
            ok = value(view);
        else if (a == "--size")
            ok = value(size);
        else if (a == "--annotator")
            ok = value(annotator);
        else if (a.starts_with("-"))
            return fail("unknown option " + a + " (see concord screenshot --help)", 2);
        else if (project.empty())
            project = a;
        else
            return fail("screenshot takes one project", 2);
        if (!ok)
            return fail(a + " needs a value", 2);
    }
    if (project.empty() || out.empty())
        return fail("screenshot needs a project and --out FILE.png (see concord screenshot --help)", 2);
    int width = 0, height = 0;
    if (std::sscanf(size.c_str(), "%dx%d", &width, &height) != 2 || width < 400 || height < 300 ||
        width > 8000 || height > 8000)
        return fail("--size must be WIDTHxHEIGHT, at least 400x300, e.g. 1600x1000", 2);
    ui::MainWindow::View wantedView = ui::MainWindow::View::Annotate;
    const bool judgeDialog = view == "judge";
    if (judgeDialog || view == "annotate")
        wantedView = ui::MainWindow::View::Annotate;
    else if (view == "agreement")
        wantedView = ui::MainWindow::View::Agreement;
    else if (view == "review")
        wantedView = ui::MainWindow::View::Review;
    else
        return fail("--view must be annotate, agreement, review or judge", 2);

    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QTemporaryDir scratch; // settings of this run only, and a runtime directory Qt asks for
    if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR") && scratch.isValid())
        qputenv("XDG_RUNTIME_DIR", QFile::encodeName(scratch.path()));
    int argc = 1;
    char name[] = "concord";
    char *argv[] = {name, nullptr};
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Concord"));

    storage::SqliteOpener opener;
    auto connection = opener.open(project);
    if (!connection)
        return fail(connection.error().message, 1);
    const model::Rater rater = annotatorFor(**connection, annotator);
    connection->reset();

    // The user's own settings (window layout, annotator) would make pictures differ between machines.
    QSettings settings(scratch.filePath(QStringLiteral("screenshot.ini")), QSettings::IniFormat);
    ui::Preferences preferences(settings);
    ui::MainWindow window(workspaceServices(opener), preferences);
    window.setInteractive(false);
    window.setAnnotator(rater);
    if (!window.openProject(QString::fromStdString(project)))
        return fail(window.lastError().toStdString(), 1);
    window.resize(width, height);
    window.show();
    QApplication::processEvents();
    if (!item.empty() && !window.annotateView()->showItem(QString::fromStdString(item)))
        return fail("no item \"" + item + "\" in " + project, 2);
    if (wantedView != ui::MainWindow::View::Annotate) {
        if (!window.hasView(wantedView)) {
            std::cerr << "concord: note: the " << view
                      << " view is not available in this build; showing annotate\n";
        } else {
            window.showView(wantedView);
            if (wantedView == ui::MainWindow::View::Agreement)
                window.agreementView()->refreshAndWait();
        }
    }
    for (int i = 0; i < 3; ++i)
        QApplication::processEvents();
    if (judgeDialog) {
        // The Judge dialog over the window, with a model named so that the estimate shows.
        window.openJudgeDialog();
        ui::JudgeDialog *dialog = window.judgeDialog();
        if (!dialog)
            return fail("the judge is not available in this build", 1);
        QEventLoop wait;
        QObject::connect(dialog, &ui::JudgeDialog::estimated, &wait, &QEventLoop::quit);
        QTimer::singleShot(20000, &wait, &QEventLoop::quit);
        dialog->modelEdit()->setText(QStringLiteral("gpt-4o-mini"));
        dialog->promptPriceBox()->setValue(0.15);
        dialog->outputPriceBox()->setValue(0.60);
        wait.exec();
        for (int i = 0; i < 3; ++i)
            QApplication::processEvents();
        const QImage picture = dialog->grab().toImage();
        if (!picture.save(QString::fromStdString(out)))
            return fail(out + ": cannot write the PNG here", 1);
        std::cout << "wrote " << out << " (" << picture.width() << "x" << picture.height() << ", judge dialog)\n";
        return 0;
    }
    const QPixmap picture = window.grab();
    if (!picture.save(QString::fromStdString(out), "PNG"))
        return fail(out + ": cannot write the picture here", 1);
    std::cout << "wrote " << out << " (" << picture.width() << "x" << picture.height() << ", " << view
              << (item.empty() ? std::string() : ", item " + item) << ", annotator " << rater.id << ")\n";
    return 0;
}

} // namespace concord::app
