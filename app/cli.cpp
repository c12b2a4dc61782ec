#include "cli.h"

#include "agreementcommand.h"
#include "args.h"
#include "goldexport.h"
#include "judgecommand.h"
#include "outputfile.h"
#include "project.h"
#include "reportcommand.h"
#include "screenshotcommand.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>

#ifndef CONCORD_VERSION
#define CONCORD_VERSION "0.0.0"
#endif

namespace concord::app {

namespace {

using storage::Project;

constexpr std::size_t kMaxPrintedDiagnostics = 50;

struct Command
{
    std::string name;
    std::string synopsis;
    std::string help;
    std::function<int(const std::vector<std::string> &)> run;
};

int fail(const std::string &message, int code = 1)
{
    std::cerr << "concord: " << message << '\n';
    return code;
}

int exitCodeFor(const model::Error &e) { return e.code == model::Error::Code::InvalidInput ? 2 : 1; }

/// Splits arguments into positionals and options; options take a value unless listed as flags.
struct Args
{
    std::vector<std::string> positional;
    std::map<std::string, std::string> options;
    std::string error;
};

Args parseArgs(const std::vector<std::string> &given, const std::vector<std::string> &valued,
               const std::vector<std::string> &flags)
{
    Args out;
    std::vector<std::string> args = given;
    const std::vector<std::string> names = takeNamesAfterDoubleDash(args);
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        if (a.size() > 1 && a[0] == '-') {
            std::string name = a, value;
            const auto eq = a.find('=');
            if (eq != std::string::npos) {
                name = a.substr(0, eq);
                value = a.substr(eq + 1);
            }
            if (std::find(flags.begin(), flags.end(), name) != flags.end()) {
                if (eq != std::string::npos) {
                    out.error = name + " takes no value";
                    return out;
                }
                out.options[name] = "1";
            } else if (std::find(valued.begin(), valued.end(), name) != valued.end()) {
                if (out.options.count(name)) {
                    out.error = name + " is given twice";
                    return out;
                }
                if (value.empty()) {
                    if (i + 1 >= args.size()) {
                        out.error = name + " needs a value";
                        return out;
                    }
                    value = args[++i];
                }
                out.options[name] = value;
            } else {
                out.error = "unknown option " + name;
                return out;
            }
        } else {
            out.positional.push_back(a);
        }
    }
    out.positional.insert(out.positional.end(), names.begin(), names.end());
    return out;
}

int cmdNew(const std::vector<std::string> &args)
{
    Args a = parseArgs(args, {}, {});
    if (!a.error.empty() || a.positional.size() != 1)
        return fail(a.error.empty() ? "new takes one argument: PROJECT.concord" : a.error, 2);
    auto project = Project::create(a.positional[0]);
    if (!project)
        return fail(project.error().message, exitCodeFor(project.error()));
    std::cout << "created " << a.positional[0] << '\n';
    return 0;
}

/// Once ignore() is called, Ctrl-C no longer stops the process, until this is destroyed.
class IgnoreInterrupts
{
public:
    IgnoreInterrupts() = default;
    ~IgnoreInterrupts()
    {
        if (m_ignoring)
            sigaction(SIGINT, &m_before, nullptr);
    }
    IgnoreInterrupts(const IgnoreInterrupts &) = delete;
    IgnoreInterrupts &operator=(const IgnoreInterrupts &) = delete;

    void ignore()
    {
        if (m_ignoring)
            return;
        struct sigaction action = {};
        action.sa_handler = SIG_IGN;
        sigemptyset(&action.sa_mask);
        m_ignoring = sigaction(SIGINT, &action, &m_before) == 0;
    }

private:
    struct sigaction m_before = {};
    bool m_ignoring = false;
};

int cmdImport(const std::vector<std::string> &args)
{
    Args a = parseArgs(args, {}, {});
    if (!a.error.empty() || a.positional.size() < 2)
        return fail(a.error.empty() ? "import needs a project and at least one JSONL file" : a.error, 2);
    // Once the import is committed (progress 1), a Ctrl-C no longer stops the process: what is
    // left is tidying up, closing the project (a checkpoint of its WAL) and the summary line, and
    // a stop there would look like an import that did not happen. Declared before the project, so
    // that it lasts until the project is closed.
    IgnoreInterrupts interrupts;
    auto project = Project::open(a.positional[0]);
    if (!project)
        return fail(project.error().message, exitCodeFor(project.error()));
    std::vector<std::string> files(a.positional.begin() + 1, a.positional.end());
    std::vector<model::Diagnostic> diagnostics;
    auto committed = [&interrupts](double done) {
        if (done >= 1.0)
            interrupts.ignore();
    };
    // The process ends right after: the imported content is left to the exit to reclaim.
    auto summary = (*project)->importFiles(files, diagnostics, Project::ImportMemory::LeaveToExit, committed);
    if (!diagnostics.empty()) {
        for (std::size_t i = 0; i < diagnostics.size() && i < kMaxPrintedDiagnostics; ++i)
            std::cerr << diagnostics[i].toString() << '\n';
        // Reading stops collecting at kMaxDiagnostics: there may be more than were collected.
        if (diagnostics.size() > kMaxPrintedDiagnostics)
            std::cerr << "… and " << (diagnostics.size() >= model::kMaxDiagnostics ? "at least " : "")
                      << (diagnostics.size() - kMaxPrintedDiagnostics) << " more problems\n";
        std::cerr << "concord: nothing was imported; " << a.positional[0] << " is unchanged\n";
        return 2;
    }
    if (!summary)
        return fail(summary.error().message, exitCodeFor(summary.error()));
    std::cout << summary->toString() << std::endl; // flushed while Ctrl-C is still ignored
    return 0;
}

int cmdExport(const std::vector<std::string> &args)
{
    Args a = parseArgs(args, {"-o", "--output"}, {"--gold"});
    if (!a.error.empty() || a.positional.size() != 1)
        return fail(a.error.empty() ? "export takes one project" : a.error, 2);
    auto project = Project::openForReading(a.positional[0]);
    if (!project)
        return fail(project.error().message, exitCodeFor(project.error()));
    const bool gold = a.options.count("--gold") > 0;
    auto write = [&](std::ostream &out) {
        return gold ? storage::exportGold(**project, out) : (*project)->exportJsonl(out);
    };
    if (a.options.count("-o") && a.options.count("--output"))
        return fail("-o and --output name the same thing; give one", 2);
    const bool named = a.options.count("-o") || a.options.count("--output");
    std::string output = a.options.count("-o") ? a.options["-o"] : a.options["--output"];
    if (named && output.empty())
        return fail("-o needs a file name (or - for standard output)", 2);
    if (output.empty() || output == "-") {
        auto status = write(std::cout);
        if (!status && !std::cout)
            return fail("cannot write the export to standard output (closed, or a full disk?)");
        return status ? 0 : fail(status.error().message);
    }
    if (const std::string refused = model::refusedOutput(output, a.positional[0]); !refused.empty())
        return fail(refused, 2);
    if (const std::string failed = model::writeOutputFile(output, write); !failed.empty())
        return fail(failed);
    return 0;
}

int cmdInfo(const std::vector<std::string> &args)
{
    Args a = parseArgs(args, {}, {"--json"});
    if (!a.error.empty() || a.positional.size() != 1)
        return fail(a.error.empty() ? "info takes one project" : a.error, 2);
    auto project = Project::openForReading(a.positional[0]);
    if (!project)
        return fail(project.error().message, exitCodeFor(project.error()));
    auto info = (*project)->info();
    if (!info)
        return fail(info.error().message, exitCodeFor(info.error()));
    if (a.options.count("--json")) {
        nlohmann::ordered_json j;
        j["documents"] = info->documents;
        j["items"] = info->items;
        j["answers"] = info->answers;
        j["raters"] = info->raters;
        j["labels"] = info->labels;
        nlohmann::ordered_json byFacet = nlohmann::ordered_json::object();
        for (const auto &[facet, n] : info->labelsByFacet)
            byFacet[facet] = n;
        j["labels_by_facet"] = byFacet;
        j["label_revisions"] = info->revisions;
        std::cout << j.dump() << '\n';
    } else {
        std::cout << a.positional[0] << '\n'
                  << "  documents  " << info->documents << '\n'
                  << "  items      " << info->items << '\n'
                  << "  answers    " << info->answers << '\n'
                  << "  raters     " << info->raters << '\n'
                  << "  labels     " << info->labels << " current (" << info->revisions
                  << " revisions in history)\n";
        for (const auto &[facet, n] : info->labelsByFacet)
            std::cout << "    " << facet << std::string(facet.size() < 28 ? 28 - facet.size() : 1, ' ') << n
                      << '\n';
    }
    // A script reading the counts must not take a failed write (a full disk) for success.
    std::cout.flush();
    if (!std::cout)
        return fail("cannot write to standard output");
    return 0;
}

const std::vector<Command> &commands()
{
    static const std::vector<Command> list = {
        {"new", "new PROJECT.concord", "Create an empty project file.", cmdNew},
        {"import", "import PROJECT.concord FILE.jsonl...",
         "Import JSONL v1 files (docs/format.md). All files are imported together or not at all:\n"
         "any problem is reported as FILE:LINE: field: message (up to 50) and nothing is written\n"
         "(exit status 2). Importing the same file again changes nothing. Ctrl-C or a kill before\n"
         "the import is committed leaves the project as it was; once it is committed, Ctrl-C no\n"
         "longer stops it and the summary line follows.",
         cmdImport},
        {"export", "export PROJECT.concord [--gold] [-o FILE]",
         "Write the whole project as JSONL v1, label history included, to FILE or standard output.\n"
         "With --gold, write only the golden set: the items that have gold (adjudicated) labels, their\n"
         "documents, and one label line per gold rater and item with its current values.",
         cmdExport},
        {"info", "info PROJECT.concord [--json]",
         "Count documents, items, answers, raters and current labels (the newest revision per\n"
         "rater, item and facet; older revisions are history and are not counted).",
         cmdInfo},
        {"judge", kJudgeSynopsis, kJudgeHelp, runJudgeCommand},
        {"agreement",
         "agreement PROJECT.concord [--json] [--facet NAME] [--by GROUPING] [--bootstrap N] [--seed S]",
         "How well raters agree, per facet, on their current labels (docs/agreement.md): for every two\n"
         "raters who share a unit, n, percent agreement, Cohen's kappa with its 95% CI and a bootstrap CI,\n"
         "Gwet's AC1, PABAK and the confusion matrix; Fleiss' kappa and Krippendorff's alpha across the\n"
         "humans; each judge against the human majority, beside how well humans agree with each other.\n\n"
         "  --json          the report as JSON instead of a table\n"
         "  --facet NAME    only preference, criteria.relevance, criteria.comprehensiveness,\n"
         "                  criteria.conciseness, faithful or no_info\n"
         "  --by GROUPING   also report each group of items separately: question_type,\n"
         "                  evidence_bucket or system (the pair of systems that answered)\n"
         "  --bootstrap N   bootstrap resamples (default 1000; 0 turns the bootstrap CI off)\n"
         "  --seed S        the bootstrap's random seed (the same seed gives the same report)",
         runAgreementCommand},
        {"compare",
         "compare PROJECT.concord --judge RATER_1 --judge RATER_2 [--against gold|majority] [--json]",
         "Compare two judge configurations (for example one model with prompt v1 and v2) against the\n"
         "same reference on the units all of them labelled: kappa of each with its 95% CI, the\n"
         "difference with a paired bootstrap CI, and the units that flipped from agree to disagree\n"
         "and back. --against gold (default) uses the adjudicated gold labels; majority, the human\n"
         "majority. Also --facet NAME, --bootstrap N (default 1000, 0 = off), --seed S.",
         runCompareCommand},
        {"report", "report PROJECT.concord -o REPORT.html [--pdf REPORT.pdf] [--bootstrap N] [--seed S]",
         "Write the calibration report: a self-contained HTML file (charts embedded) with the headline\n"
         "per facet and judge, every comparison's kappa with its CIs, AC1 and PABAK, kappa by question\n"
         "type and by evidence position, the judge configurations and how many labels each rater gave.\n"
         "-o - writes the HTML to standard output. --pdf also prints it to a PDF; the two files are\n"
         "written both or neither. Neither replaces the project or any other SQLite file.",
         runReportCommand},
        {"screenshot",
         "screenshot PROJECT.concord --out FILE.png [--item ID] [--view annotate|agreement|review|judge] "
         "[--size WxH] "
         "[--palette light|dark]",
         "Render the main window offscreen to a PNG, as the app shows it: the annotation workspace on\n"
         "the annotator's first unfinished item (or --item ID), or the agreement or review view.\n"
         "Nothing is written to the project.\n\n"
         "  --out FILE.png  where to write the picture\n"
         "  --item ID       show this item\n"
         "  --view NAME     annotate (default), agreement, review, or judge (the Judge dialog)\n"
         "  --size WxH      window size in pixels (default 1600x1000)\n"
         "  --annotator ID  show this rater's labels (default: the project's first human rater)\n"
         "  --palette NAME  light (default) or dark: the colours of a light or a dark desktop theme",
         runScreenshotCommand},
    };
    return list;
}

std::string commandHelp(const Command &c) { return "Usage: concord " + c.synopsis + "\n\n" + c.help + "\n"; }

/// Escapes text for roff: backslashes, and a leading dot or quote that roff would read as a request.
std::string roff(const std::string &text)
{
    std::string out;
    bool lineStart = true;
    for (char c : text) {
        if (lineStart && (c == '.' || c == '\''))
            out += "\\&";
        if (c == '\\')
            out += "\\e";
        else if (c == '-')
            out += "\\-";
        else
            out += c;
        lineStart = c == '\n';
    }
    return out;
}

/// The man page concord(1), generated from the same text as --help.
std::string manPage()
{
    std::string out =
        ".TH CONCORD 1 \"\" \"Concord " CONCORD_VERSION "\" \"User Commands\"\n"
        ".SH NAME\nconcord \\- compare answers about long documents and measure rater agreement\n"
        ".SH SYNOPSIS\n.B concord\n[\\fIPROJECT.concord\\fR]\n.br\n.B concord\n"
        "\\fICOMMAND\\fR [\\fIARGS\\fR...]\n.SH DESCRIPTION\n"
        "Concord shows a source document beside two candidate answers to a question about it. "
        "Annotators choose the better answer, mark faithfulness and no\\-info outcomes and tie "
        "verdicts to evidence; an LLM judge labels the same items; Concord measures how well "
        "they agree. Without a command it opens the app, on PROJECT or on the bundled demo "
        "project.\n.SH COMMANDS\n";
    for (const Command &c : commands()) {
        out += ".TP\n.B concord " + roff(c.synopsis) + "\n" + roff(c.help) + "\n";
    }
    out +=
        ".SH OPTIONS\n.TP\n.BR \\-h \", \" \\-\\-help\nShow help; also \\fBconcord COMMAND \\-\\-help\\fR.\n"
        ".TP\n.BR \\-v \", \" \\-\\-version\nShow the version.\n"
        ".SH EXIT STATUS\n0 on success, 1 when an operation failed (a missing, locked or damaged project), "
        "2 for bad input or usage (nothing was written).\n"
        ".SH FILES\n.TP\n.I *.concord\nA project: one SQLite file holding documents, items, answers, "
        "raters and the full label history.\n"
        ".SH SEE ALSO\nThe JSONL v1 format and the agreement statistics are described in the documentation "
        "shipped with Concord (docs/format.md, docs/agreement.md).\n";
    return out;
}

} // namespace

std::string usage()
{
    std::string out = "Usage: concord [PROJECT.concord]\n"
                      "       concord COMMAND [ARGS...]\n\n"
                      "Concord compares two answers to a question about a long document, side by side,\n"
                      "and measures how well human and LLM-judge labels agree.\n\n"
                      "Without a command, opens the app (on PROJECT, or on the bundled demo project).\n\n"
                      "Commands:\n";
    for (const Command &c : commands())
        out += "  " + c.synopsis + "\n";
    out += "\nOptions:\n  -h, --help     show help (also: concord COMMAND --help)\n"
           "  -v, --version  show the version\n";
    return out;
}

std::optional<int> runCli(const std::vector<std::string> &args)
{
    if (args.empty())
        return std::nullopt;
    const std::string &first = args[0];
    if (first == "-h" || first == "--help" || first == "help") {
        if (args.size() > 1)
            for (const Command &c : commands())
                if (c.name == args[1]) {
                    std::cout << commandHelp(c);
                    return 0;
                }
        std::cout << usage();
        return 0;
    }
    if (first == "--man") {
        std::cout << manPage();
        return 0;
    }
    if (first == "-v" || first == "--version") {
        std::cout << "concord " << CONCORD_VERSION << '\n';
        return 0;
    }
    for (const Command &c : commands()) {
        if (c.name != first)
            continue;
        std::vector<std::string> rest(args.begin() + 1, args.end());
        model::removeTemporaryOnInterrupt(); // Ctrl-C while writing -o FILE leaves no .part file
        for (const std::string &a : rest) {
            if (a == "--")
                break; // what follows are names ("concord export P -o -- --help" is not help)
            if (a == "-h" || a == "--help") {
                std::cout << commandHelp(c);
                return 0;
            }
        }
        return c.run(rest);
    }
    if (first.starts_with("-"))
        return fail("unknown option " + first + " (see concord --help)", 2);
    if (args.size() == 1 && std::filesystem::path(first).extension() == ".concord")
        return std::nullopt; // open this project in the GUI
    return fail("unknown command \"" + first + "\" (see concord --help)", 2);
}

} // namespace concord::app
