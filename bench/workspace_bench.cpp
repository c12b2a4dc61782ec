// Workspace benchmark, run offscreen by scripts/bench (bench/bench-6-workspace.sh), never by ctest.
// Builds a project of 50,000 items (six documents of 5 MB, the rest small) with 200,000 labels by
// other raters and 10,000 by the annotator, then times in one process, through the real window:
//   - opening the project until the queue is filled (target < 1 s), against the bare queries;
//   - showing an item whose 5 MB document is new (target < 250 ms) and one whose document was shown
//     before (target < 50 ms), each against a raw QPlainTextEdit::setPlainText of the same text;
//   - find on a 5 MB document, and a label act until "Saved".
// Usage: concord_bench_workspace [RUNS]
#include "annotateview.h"
#include "documentview.h"
#include "labelquery.h"
#include "mainwindow.h"
#include "preferences.h"
#include "project.h"
#include "sqliteconnection.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QPlainTextEdit>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

using namespace concord;

namespace {

constexpr int kItems = 50000;
constexpr int kBigDocuments = 6;
constexpr std::size_t kBigBytes = 5u * 1000u * 1000u;
constexpr int kSmallDocuments = 200;
constexpr int kOtherLabels = 200000;
constexpr int kOwnLabels = 10000;

const char *const kWords[] = {"lease",   "tenant", "landlord", "rent",     "premises", "clause",
                              "notice",  "break",  "repair",   "covenant", "schedule", "deposit",
                              "arrears", "term",   "the",      "of",       "and",      "to",
                              "shall",   "be",     "within",   "days",     "payment",  "agreed",
                              "written", "party",  "§4.2",     "café",     "€1,200",   "Zürich"};

std::string text(std::mt19937_64 &rng, std::size_t bytes)
{
    std::string out;
    out.reserve(bytes + 200);
    int words = 0;
    while (out.size() < bytes) {
        out += kWords[rng() % std::size(kWords)];
        if (++words % 90 == 0)
            out += rng() % 50 == 0 ? " 😀.\n\n" : ".\n\n";
        else
            out += ' ';
    }
    return out;
}

std::string quoted(const std::string &s)
{
    std::string out = "\"";
    for (char c : s) {
        if (c == '\n')
            out += "\\n";
        else if (c == '"')
            out += "\\\"";
        else
            out += c;
    }
    return out + "\"";
}

/// The project's JSONL: documents, items (item i on a big document when i % 1000 < 6), labels.
std::string projectJsonl()
{
    std::mt19937_64 rng(20261128);
    std::string out;
    for (int d = 0; d < kBigDocuments; ++d)
        out += R"({"kind":"document","id":"big-)" + std::to_string(d) + R"(","title":"Big document )" +
               std::to_string(d) + R"(","text":)" + quoted(text(rng, kBigBytes)) + "}\n";
    for (int d = 0; d < kSmallDocuments; ++d)
        out += R"({"kind":"document","id":"small-)" + std::to_string(d) + R"(","text":)" +
               quoted(text(rng, 20000)) + "}\n";
    const char *types[] = {"fact_recall",    "definition", "summarization",
                           "interpretation", "inference",  "no_info"};
    for (int i = 0; i < kItems; ++i) {
        const std::string document = i % 1000 < kBigDocuments
                                         ? "big-" + std::to_string(i % 1000)
                                         : "small-" + std::to_string(i % kSmallDocuments);
        out += R"({"kind":"item","id":"q-)" + std::to_string(i) + R"(","document":")" + document +
               R"(","question":"What does clause )" + std::to_string(i) + R"( say?","question_type":")" +
               types[i % 6] + R"(","evidence_position":0.5,"answers":{"A":{"system":"sys-)" +
               std::to_string(i % 3) + R"(","text":"It says the rent is due."},"B":{"system":"sys-)" +
               std::to_string(i % 3 + 1) + R"(","text":"It says nothing of the kind."}}})" + "\n";
    }
    const char *choices[] = {"A", "B", "tie"};
    for (int l = 0; l < kOtherLabels; ++l)
        out += R"({"kind":"label","item":"q-)" + std::to_string(rng() % kItems) + R"(","rater":"rater-)" +
               std::to_string(l % 4) + R"(","preference":")" + choices[rng() % 3] +
               R"(","faithful":{"A":true,"B":false}})" + "\n";
    for (int l = 0; l < kOwnLabels; ++l)
        out +=
            R"({"kind":"label","item":"q-)" + std::to_string(l * 5) +
            R"(","rater":"bench","preference":"A","faithful":{"A":true,"B":true},"no_info":{"A":"answered","B":"answered"}})" +
            "\n";
    return out;
}

double ms(const QElapsedTimer &t) { return double(t.nsecsElapsed()) / 1e6; }

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

/// Paints the widget now, so a timing includes what the user waits for.
void paint(QWidget *w)
{
    w->repaint();
    QApplication::processEvents();
}

void row(const char *what, double value, const char *unit, const char *note)
{
    std::printf("  %-44s %9.1f %-3s %s\n", what, value, unit, note);
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
    QTemporaryDir dir;
    const std::string path = (dir.path() + QStringLiteral("/bench.concord")).toStdString();

    QElapsedTimer t;
    t.start();
    {
        const std::string jsonl = projectJsonl();
        auto project = storage::Project::create(path);
        std::vector<model::Diagnostic> diagnostics;
        auto summary = (*project)->importContent("bench.jsonl", jsonl, diagnostics);
        if (!summary) {
            std::fprintf(stderr, "import failed: %s\n",
                         diagnostics.empty() ? summary.error().message.c_str()
                                             : diagnostics[0].toString().c_str());
            return 1;
        }
    }
    std::printf(
        "workspace benchmark: %d items, %d documents of %.0f MB, %d + %d labels (built in %.1f s), %d runs\n",
        kItems, kBigDocuments, kBigBytes / 1e6, kOtherLabels, kOwnLabels, ms(t) / 1000, runs);

    storage::SqliteOpener opener;
    ui::WorkspaceServices services;
    services.opener = &opener;
    services.readLabels = [](const std::string &p) -> model::Result<model::LabelSet> {
        auto project = storage::Project::open(p);
        if (!project)
            return project.error();
        return storage::readCurrentLabels(**project);
    };
    model::Rater rater;
    rater.id = "bench";

    // Opening: window until the queue is filled and painted, against the two bare queries.
    std::vector<double> open, queries;
    for (int r = 0; r < runs; ++r) {
        t.restart();
        {
            auto connection = opener.open(path);
            auto items = (*connection)->itemSummaries();
            auto progress = (*connection)->progress("bench");
            if (!items || !progress || items->size() != std::size_t(kItems))
                return 1;
        }
        queries.push_back(ms(t));
        QSettings settings(dir.filePath(QStringLiteral("open-%1.ini").arg(r)), QSettings::IniFormat);
        ui::Preferences preferences(settings);
        t.restart();
        ui::MainWindow window(services, preferences);
        window.setInteractive(false);
        window.setAnnotator(rater);
        if (!window.openProject(QString::fromStdString(path)))
            return 1;
        window.resize(1600, 1000);
        window.show();
        paint(&window);
        if (window.annotateView()->itemCount() != kItems)
            return 1;
        open.push_back(ms(t));
    }

    // Switching documents, through the window, against raw setPlainText of the same 5 MB text.
    QSettings settings(dir.filePath(QStringLiteral("switch.ini")), QSettings::IniFormat);
    ui::Preferences preferences(settings);
    ui::MainWindow window(services, preferences);
    window.setInteractive(false);
    window.setAnnotator(rater);
    window.openProject(QString::fromStdString(path));
    window.resize(1600, 1000);
    window.show();
    paint(&window);
    ui::AnnotateView *view = window.annotateView();
    QWidget *documentViewport = view->document()->editor()->viewport();
    std::vector<double> fresh, cached, reference, smallSwitch;
    for (int r = 0; r < runs; ++r) {
        // Items q-(1000r + d) sit on big-d; seven documents cycle through a cache of four, so each
        // big document is new again when its turn comes.
        for (int d = 0; d < kBigDocuments; ++d) {
            t.restart();
            view->showItem(QStringLiteral("q-%1").arg(1000 * (r + 1) + d));
            paint(documentViewport);
            fresh.push_back(ms(t));
        }
        for (int d = kBigDocuments - 1; d >= kBigDocuments - 3; --d) { // the last three shown are kept
            t.restart();
            view->showItem(QStringLiteral("q-%1").arg(1000 * (r + 10) + d));
            paint(documentViewport);
            cached.push_back(ms(t));
        }
        t.restart();
        view->showItem(QStringLiteral("q-%1").arg(1000 * (r + 20) + 500)); // a 20 KB document
        paint(documentViewport);
        smallSwitch.push_back(ms(t));

        auto connection = opener.open(path);
        const QString big = QString::fromStdString((*connection)->document("big-0")->text);
        QPlainTextEdit raw;
        raw.resize(600, 900);
        raw.show();
        t.restart();
        raw.setPlainText(big);
        paint(raw.viewport());
        reference.push_back(ms(t));
    }

    // Find on a 5 MB document, and one label act until it is committed.
    view->showItem(QStringLiteral("q-0"));
    paint(documentViewport);
    std::vector<double> find, save;
    for (int r = 0; r < runs; ++r) {
        t.restart();
        view->document()->findNow(r % 2 ? QStringLiteral("covenant") : QStringLiteral("tenant"));
        paint(documentViewport);
        find.push_back(ms(t));
        t.restart();
        view->choosePreference(r % 2 ? ui::Verdict::Left : ui::Verdict::Right);
        window.waitUntilSaved(10000);
        save.push_back(ms(t));
    }

    const double ref = median(reference);
    std::printf("\n  %-44s %9s     %s\n", "measure (median)", "time", "target / reference");
    row("open project, queue filled and painted", median(open), "ms", "target < 1000 ms");
    row("  of which the two queries alone", median(queries), "ms", "item summaries + the annotator's status");
    row("show item, 5 MB document new", median(fresh), "ms", "target < 250 ms");
    row("show item, 5 MB document shown before", median(cached), "ms", "target < 50 ms");
    row("show item, 20 KB document", median(smallSwitch), "ms", "");
    row("reference: raw setPlainText(5 MB) + paint", ref, "ms", "QPlainTextEdit, same process");
    std::printf("  %-44s %9.2f x   new / raw setPlainText\n", "ratio", median(fresh) / ref);
    std::printf("  %-44s %9.3f x   shown before / raw setPlainText\n", "ratio", median(cached) / ref);
    row("find in 5 MB (every match, count, highlight)", median(find), "ms", "");
    row("label act until \"Saved\" (commit returned)", median(save), "ms", "synchronous=FULL, worker thread");
    const bool ok = median(open) < 1000 && median(fresh) < 250 && median(cached) < 50;
    std::printf("\n%s\n", ok ? "all targets met" : "TARGET MISSED");
    return ok ? 0 : 1;
}
