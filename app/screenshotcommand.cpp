#include "screenshotcommand.h"

#include "agreementview.h"
#include "annotateview.h"
#include "args.h"
#include "englishplurals.h"
#include "judgedialog.h"
#include "mainwindow.h"
#include "outputfile.h"
#include "preferences.h"
#include "reviewview.h"
#include "sqliteconnection.h"
#include "wiring.h"

#include <QApplication>
#include <QBuffer>
#include <QDoubleSpinBox>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLineEdit>
#include <QPalette>
#include <QPixmap>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdlib>
#include <iostream>
#include <set>

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

/// A dark theme as a desktop would give it (window, base and button greys with light text), to
/// check that every region reads on a dark palette too.
QPalette darkPalette()
{
    QPalette p;
    const QColor text(0xe4, 0xe4, 0xe0), dim(0x80, 0x80, 0x7c);
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2d));
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, QColor(0x1f, 0x1f, 0x21));
    p.setColor(QPalette::AlternateBase, QColor(0x27, 0x27, 0x2a));
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3a, 0x3d));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, dim);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x36, 0x36, 0x39));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Light, QColor(0x4a, 0x4a, 0x4e));
    p.setColor(QPalette::Midlight, QColor(0x3d, 0x3d, 0x41));
    p.setColor(QPalette::Mid, QColor(0x25, 0x25, 0x27));
    p.setColor(QPalette::Dark, QColor(0x18, 0x18, 0x1a));
    p.setColor(QPalette::Shadow, QColor(0x0c, 0x0c, 0x0c));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xa6, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xb3, 0x8c, 0xff));
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, dim);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x45, 0x45, 0x48));
    return p;
}

/// Encodes `picture` and writes it to `file` as exports are written (never half a file; a full
/// disk is reported); a message on failure.
std::string writePicture(const QImage &picture, const char *format, const std::string &file)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!picture.save(&buffer, format))
        return file + ": the picture could not be encoded as " + format;
    return model::writeOutputFile(file, std::string_view(bytes.constData(), std::size_t(bytes.size())));
}

} // namespace

int runScreenshotCommand(const std::vector<std::string> &given)
{
    std::string project, out, item, view = "annotate", size = "1600x1000", annotator, palette = "light";
    bool sizeGiven = false; // the Judge dialog keeps its own size unless --size says otherwise
    std::vector<std::string> args = given;
    const std::vector<std::string> names = takeNamesAfterDoubleDash(args);
    if (names.size() > 1)
        return fail("screenshot takes one project", 2);
    if (!names.empty())
        project = names.front();
    std::set<std::string> givenOptions; // each once: a second --view would silently win
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        auto value = [&](std::string &target) {
            if (i + 1 >= args.size())
                return false;
            target = args[++i];
            return true;
        };
        if (a.starts_with("-") && !givenOptions.insert(a == "-o" ? "--out" : a).second)
            return fail(a + " is given twice", 2);
        bool ok = true;
        if (a == "--out" || a == "-o")
            ok = value(out);
        else if (a == "--item")
            ok = value(item);
        else if (a == "--view")
            ok = value(view);
        else if (a == "--size") {
            ok = value(size);
            sizeGiven = true;
        } else if (a == "--annotator")
            ok = value(annotator);
        else if (a == "--palette")
            ok = value(palette);
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
    if (const std::string refused = model::refusedOutput(out, project); !refused.empty())
        return fail(refused, 2);
    // The format follows the extension of the name: .jpg or .jpeg is JPEG; .png, no extension,
    // or something that is not a file (/dev/stdout, a pipe) is PNG; another extension is refused
    // rather than given data of the wrong kind.
    const std::string suffix = QFileInfo(QString::fromStdString(out)).suffix().toLower().toStdString();
    const bool notAFile = model::isStream(out);
    const char *format = suffix == "jpg" || suffix == "jpeg"             ? "JPEG"
                         : suffix == "png" || suffix.empty() || notAFile ? "PNG"
                                                                         : nullptr;
    if (!format)
        return fail("--out must name a .png (or .jpg) file, not \"" + out + "\"", 2);
    int width = 0, height = 0;
    char rest = 0;
    if (std::sscanf(size.c_str(), "%dx%d%c", &width, &height, &rest) != 2 || width < 400 || height < 300 ||
        width > 8000 || height > 8000)
        return fail("--size must be WIDTHxHEIGHT, from 400x300 to 8000x8000, e.g. 1600x1000", 2);
    if (palette != "light" && palette != "dark")
        return fail("--palette must be light or dark", 2);
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
    ui::installEnglishPlurals();
    QApplication::setApplicationName(QStringLiteral("Concord"));
    // One style and palette whatever the machine's theme, so pictures compare; before any widget.
    if (QStyle *fusion = QStyleFactory::create(QStringLiteral("Fusion"))) {
        QApplication::setStyle(fusion);
        QApplication::setPalette(palette == "dark" ? darkPalette() : fusion->standardPalette());
    }

    storage::SqliteOpener opener;
    auto connection = opener.open(project);
    if (!connection)
        return fail(connection.error().message, 1);
    if (!annotator.empty())
        if (auto raters = (*connection)->raters())
            for (const model::Rater &r : *raters)
                if (r.id == annotator && r.kind != model::RaterKind::Human)
                    return fail("--annotator takes a human rater; \"" + annotator + "\" is a " +
                                    std::string(model::toString(r.kind)) + " rater, who does not annotate",
                                2);
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
            if (wantedView == ui::MainWindow::View::Review && !item.empty() &&
                !window.reviewView()->showItem(QString::fromStdString(item)))
                return fail("item \"" + item + "\" has no disagreement listed in the review view", 2);
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
        if (sizeGiven)
            dialog->resize(width, height); // the dialog at the size asked for (never below its minimum)
        dialog->modelEdit()->setText(QStringLiteral("gpt-4o-mini"));
        dialog->promptPriceBox()->setValue(0.15);
        dialog->outputPriceBox()->setValue(0.60);
        wait.exec();
        for (int i = 0; i < 3; ++i)
            QApplication::processEvents();
        const QImage picture = dialog->grab().toImage();
        if (const std::string failed = writePicture(picture, format, out); !failed.empty())
            return fail(failed, 1);
        (notAFile ? std::cerr : std::cout)
            << "wrote " << out << " (" << picture.width() << "x" << picture.height() << ", judge dialog)\n";
        return 0;
    }
    const QImage picture = window.grab().toImage();
    if (const std::string failed = writePicture(picture, format, out); !failed.empty())
        return fail(failed, 1);
    (notAFile ? std::cerr : std::cout)
        << "wrote " << out << " (" << picture.width() << "x" << picture.height() << ", " << view
        << (item.empty() ? std::string() : ", item " + item) << ", annotator " << rater.id << ", " << palette
        << " palette)\n";
    return 0;
}

} // namespace concord::app
