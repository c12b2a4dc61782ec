// Concord: wires the project file, the workspace and the CLI. Nothing else lives here.
#include "cli.h"
#include "englishplurals.h"
#include "mainwindow.h"
#include "preferences.h"
#include "project.h"
#include "wiring.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>

#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace {

bool hasDisplay()
{
#if defined(Q_OS_LINUX)
    return std::getenv("DISPLAY") || std::getenv("WAYLAND_DISPLAY") || std::getenv("QT_QPA_PLATFORM");
#else
    return true;
#endif
}

/// The bundled demo project, created in the user's data directory on first use.
QString demoProjectPath(QString *error)
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    const QString path = dir + QStringLiteral("/demo.concord");
    if (QFileInfo::exists(path))
        return path;
    QFile demo(QStringLiteral(":/demo/demo.jsonl"));
    if (!demo.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("the demo project is missing from this build");
        return {};
    }
    const QByteArray content = demo.readAll();
    // Build next to the target and rename, so a crash never leaves a half-made demo behind.
    const QString partial = dir + QStringLiteral("/demo-partial.concord");
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(partial + QLatin1String(suffix));
    {
        auto project = concord::storage::Project::create(partial.toStdString());
        if (!project) {
            *error = QString::fromStdString(project.error().message);
            return {};
        }
        std::vector<concord::model::Diagnostic> diagnostics;
        auto summary = (*project)->importContent(
            "demo.jsonl", std::string_view(content.constData(), content.size()), diagnostics);
        if (!summary) {
            *error = QString::fromStdString(diagnostics.empty() ? summary.error().message
                                                                : diagnostics.front().toString());
            return {};
        }
    }
    if (!QFile::rename(partial, path)) {
        *error = QStringLiteral("cannot write %1").arg(path);
        return {};
    }
    return path;
}

} // namespace

int main(int argc, char **argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    if (auto code = concord::app::runCli(args))
        return *code;

    if (!hasDisplay()) {
        std::cerr << "concord: no display to open the app on; run it inside a desktop session, or as "
                     "`xvfb-run -a concord`, or use the command line (concord --help)\n";
        return 1;
    }

    QApplication app(argc, argv);
    concord::ui::installEnglishPlurals();
    QApplication::setApplicationName(QStringLiteral("Concord"));
    QApplication::setOrganizationName(QStringLiteral("Concord"));
    QApplication::setApplicationVersion(QStringLiteral(CONCORD_VERSION));

    QString path;
    if (!args.empty()) {
        path = QString::fromStdString(args.front());
    } else {
        QString error;
        path = demoProjectPath(&error);
        if (path.isEmpty()) {
            QMessageBox::critical(nullptr, QStringLiteral("Concord"), error);
            return 1;
        }
    }
    QSettings settings;
    concord::ui::Preferences preferences(settings);
    concord::storage::SqliteOpener opener;
    concord::ui::MainWindow window(concord::app::workspaceServices(opener), preferences);
    window.show();
    window.openProject(path); // on failure the window explains why and stays open
    return app.exec();
}
