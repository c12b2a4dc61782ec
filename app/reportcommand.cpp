#include "reportcommand.h"

#include "args.h"
#include "englishplurals.h"
#include "htmlreport.h"
#include "judgestore.h"
#include "labelquery.h"
#include "outputfile.h"
#include "project.h"
#include "sqlite.h"

#include <QApplication>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <charconv>
#include <cstdlib>
#include <iostream>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

namespace concord::app {

namespace {

constexpr std::uint64_t kMaxBootstrap = 1000000;

int fail(const std::string &message, int code)
{
    std::cerr << "concord: " << message << '\n';
    return code;
}

std::string_view bytesOf(const QByteArray &bytes) { return {bytes.constData(), std::size_t(bytes.size())}; }

/// Writes `bytes` to `file` as exports are written (model::writeOutputFile); a message on failure.
std::string writeBytes(const std::string &file, const QByteArray &bytes)
{
    return model::writeOutputFile(file, bytesOf(bytes));
}

/// Raters with their configurations and, per rater, the number of label revisions in history.
void readRaters(storage::Project &project, ui::ReportInput &input)
{
    storage::Statement raters(project.database(), "SELECT r.ext_id, r.kind, r.name, r.config, "
                                                  "(SELECT count(*) FROM labels l WHERE l.rater_id = r.id) "
                                                  "FROM raters r ORDER BY r.kind, r.ext_id");
    while (raters.step()) {
        model::Rater r;
        r.id = raters.text(0);
        r.kind = model::parseRaterKind(raters.textView(1)).value_or(model::RaterKind::Human);
        r.name = raters.optionalText(2);
        r.configJson = raters.optionalText(3);
        input.revisions[r.id] = raters.int64(4);
        input.raters.push_back(std::move(r));
    }
    // The prompt templates the judges ran with, as they were then (a template is stored once per
    // text, so an edited template shows beside the one it replaced).
    storage::Statement templates(project.database(),
                                 "SELECT step, version, substr(sha256, 1, 8), text FROM judge_templates "
                                 "ORDER BY step, version, added_at");
    while (templates.step())
        input.templates.emplace(templates.text(0) + ".v" + std::to_string(templates.int64(1)) + " (" +
                                    templates.text(2) + ")",
                                templates.text(3));
}

} // namespace

model::Result<ui::ReportInput> gatherProjectReport(const std::string &projectPath,
                                                   const model::AgreementOptions &options)
{
    auto project = storage::Project::openForReading(projectPath);
    if (!project)
        return project.error();
    auto labels = storage::readCurrentLabels(**project);
    if (!labels)
        return labels.error();

    ui::ReportInput input;
    input.projectName = QFileInfo(QString::fromStdString(projectPath)).fileName();
    input.generatedAt = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
    input.overall = model::measureAgreement(*labels, options);
    model::AgreementOptions grouped = options;
    grouped.bootstrapResamples = 0;
    grouped.facets = {model::Facet::Preference};
    grouped.groupBy = model::Grouping::QuestionType;
    input.byType = model::measureAgreement(*labels, grouped);
    grouped.groupBy = model::Grouping::EvidenceBucket;
    input.byBucket = model::measureAgreement(*labels, grouped);
    for (const model::CurrentLabel &l : labels->labels())
        ++input.currentLabels[labels->raters()[l.rater].id];
    try {
        readRaters(**project, input);
    } catch (const storage::SqliteError &e) {
        return storage::sqliteFailure(projectPath, e.code(), e.what());
    }
    for (const model::Rater &r : input.raters) {
        if (r.kind != model::RaterKind::Judge)
            continue;
        auto consistency = storage::positionConsistency(**project, r.id);
        if (!consistency)
            return consistency.error();
        if (*consistency && (*consistency)->items > 0)
            input.positionConsistency[r.id] = (*consistency)->rate();
    }

    return input;
}

model::Result<QString> renderProjectReport(const std::string &projectPath,
                                           const model::AgreementOptions &options)
{
    auto input = gatherProjectReport(projectPath, options);
    if (!input)
        return input.error();
    return ui::renderHtmlReport(*input);
}

int runReportCommand(const std::vector<std::string> &given)
{
    std::string projectPath, output, pdf;
    model::AgreementOptions options;
    std::vector<std::string> args = given;
    const std::vector<std::string> names = takeNamesAfterDoubleDash(args);
    if (names.size() > 1)
        return fail("report takes one project (see concord report --help)", 2);
    if (!names.empty())
        projectPath = names.front();
    std::set<std::string> givenOptions; // each once: a second --bootstrap would silently win
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        auto value = [&](std::string &into) {
            if (i + 1 >= args.size())
                return false;
            into = args[++i];
            return true;
        };
        const bool option = a.size() > 1 && a[0] == '-';
        const std::string canonical = a == "--output" ? "-o" : a;
        if (option && !givenOptions.insert(canonical).second)
            return fail(a + " is given twice", 2);
        std::string number;
        if (a == "-o" || a == "--output") {
            if (!value(output) || output.empty())
                return fail(a + " needs a file name (or - for standard output)", 2);
        } else if (a == "--pdf") {
            if (!value(pdf) || pdf.empty())
                return fail("--pdf needs a file name", 2);
        } else if (a == "--bootstrap" || a == "--seed") {
            if (!value(number))
                return fail(a + " needs a value", 2);
            std::uint64_t n = 0;
            const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
            if (ec != std::errc() || end != number.data() + number.size())
                return fail(a + " takes a non-negative whole number, not \"" + number + "\"", 2);
            if (a == "--bootstrap" && n > kMaxBootstrap)
                return fail("--bootstrap takes a number of resamples from 0 (off) to " +
                                std::to_string(kMaxBootstrap) + ", not \"" + number + "\"",
                            2);
            if (a == "--bootstrap")
                options.bootstrapResamples = int(n);
            else
                options.seed = n;
        } else if (option) {
            return fail("unknown option " + a + " (see concord report --help)", 2);
        } else if (projectPath.empty()) {
            projectPath = a;
        } else {
            return fail("report takes one project (see concord report --help)", 2);
        }
    }
    if (projectPath.empty() || output.empty())
        return fail("report needs a project and -o FILE.html (see concord report --help)", 2);
    if (pdf == "-")
        return fail("--pdf needs a file name: a PDF is not written to standard output", 2);
    for (const std::string &file : {output, pdf}) {
        if (file.empty() || file == "-")
            continue;
        if (const std::string refused = model::refusedOutput(file, projectPath); !refused.empty())
            return fail(refused, 2);
    }
    if (!pdf.empty() && output != "-" && model::sameFile(output, pdf))
        return fail("-o and --pdf name the same file (" + pdf + "); give each its own", 2);

    // Charts are drawn with widgets; without a display, the offscreen platform draws them.
    if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY") && !std::getenv("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QTemporaryDir runtime; // Qt warns on stderr when the runtime directory is missing (headless CI)
    if (!std::getenv("XDG_RUNTIME_DIR") && runtime.isValid())
        qputenv("XDG_RUNTIME_DIR", QFile::encodeName(runtime.path()));
    int argc = 1;
    char name[] = "concord";
    char *argv[] = {name, nullptr};
    QApplication app(argc, argv);
    ui::installEnglishPlurals();

    auto html = renderProjectReport(projectPath, options);
    if (!html)
        return fail(html.error().message, html.error().code == model::Error::Code::InvalidInput ? 2 : 1);
    const QByteArray page = html->toUtf8();
    // Both made before either is written: a PDF that cannot be made leaves the HTML as it was.
    const QByteArray printed = pdf.empty() ? QByteArray() : ui::renderPdf(*html);
    if (!pdf.empty() && !printed.startsWith("%PDF-"))
        return fail(pdf + ": the PDF could not be made; nothing was written", 1);
    if (output == "-") {
        std::cout.write(page.constData(), page.size());
        std::cout.flush();
        if (!std::cout)
            return fail("cannot write the report to standard output", 1);
        if (!pdf.empty())
            if (const std::string failed = writeBytes(pdf, printed); !failed.empty())
                return fail(failed, 1);
    } else {
        // Both or neither: a PDF that cannot be written (a full disk) leaves the HTML as it was.
        std::vector<std::pair<std::string, std::string_view>> files{{output, bytesOf(page)}};
        if (!pdf.empty())
            files.emplace_back(pdf, bytesOf(printed));
        if (const std::string failed = model::writeOutputFiles(files); !failed.empty())
            return fail(failed, 1);
    }
    // What was written; on standard error when the HTML itself went to a stream such as standard
    // output, so that a script reading it gets only the HTML.
    if (output == "-") {
        if (!pdf.empty())
            std::cerr << "concord: wrote " << pdf << '\n';
    } else if (model::isStream(output)) {
        std::cerr << "concord: wrote " << output << (pdf.empty() ? "" : " and " + pdf) << '\n';
    } else {
        std::cout << "wrote " << output << (pdf.empty() ? "" : " and " + pdf) << '\n';
    }
    return 0;
}

} // namespace concord::app
