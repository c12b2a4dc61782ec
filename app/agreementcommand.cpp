#include "agreementcommand.h"

#include "agreementreport.h"
#include "args.h"
#include "calibration.h"
#include "judgestore.h"
#include "labelquery.h"
#include "project.h"

#include <charconv>
#include <iostream>
#include <optional>
#include <set>
#include <variant>

namespace concord::app {

namespace {

int fail(const std::string &message, int code)
{
    std::cerr << "concord: " << message << '\n';
    return code;
}

template <typename T> std::optional<T> parseNumber(const std::string &s)
{
    T value{};
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size())
        return std::nullopt;
    return value;
}

std::string facetNames()
{
    std::string out;
    for (model::Facet f : model::kFacets)
        out += (out.empty() ? "" : ", ") + std::string(model::toString(f));
    return out;
}

struct AgreementArgs
{
    std::string project;
    bool json = false;
    model::AgreementOptions options;
};

/// The parsed arguments, or the one-line message saying what is wrong with them.
std::variant<AgreementArgs, std::string> parse(const std::vector<std::string> &given)
{
    AgreementArgs out;
    std::vector<std::string> args = given;
    std::vector<std::string> positional = takeNamesAfterDoubleDash(args);
    std::set<std::string> seen; // each option once: a second --facet would silently win
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string name = args[i], value;
        if (name.size() < 2 || name[0] != '-') {
            positional.push_back(name);
            continue;
        }
        const bool inlineValue = name.find('=') != std::string::npos;
        if (inlineValue) {
            value = name.substr(name.find('=') + 1);
            name = name.substr(0, name.find('='));
        }
        if (name == "--json") {
            if (inlineValue)
                return "--json takes no value";
            out.json = true;
            continue;
        }
        if (name != "--facet" && name != "--by" && name != "--bootstrap" && name != "--seed")
            return "unknown option " + name + " (see concord agreement --help)";
        if (name != "--judge" && !seen.insert(name).second)
            return name + " is given twice";
        if (!inlineValue) {
            if (i + 1 >= args.size())
                return name + " needs a value";
            value = args[++i];
        }
        if (name == "--facet") {
            const auto facet = model::parseFacet(value);
            if (!facet)
                return "unknown facet \"" + value + "\" (one of: " + facetNames() + ")";
            out.options.facets = {*facet};
        } else if (name == "--by") {
            const auto grouping = model::parseGrouping(value);
            if (!grouping)
                return "cannot group by \"" + value + "\" (one of: question_type, evidence_bucket, system)";
            out.options.groupBy = grouping;
        } else if (name == "--bootstrap") {
            const auto n = parseNumber<int>(value);
            if (!n || *n < 0 || *n > 1000000)
                return "--bootstrap takes a number of resamples from 0 (off) to 1000000, not \"" + value +
                       "\"";
            out.options.bootstrapResamples = *n;
        } else {
            const auto seed = parseNumber<std::uint64_t>(value);
            if (!seed)
                return "--seed takes a non-negative whole number, not \"" + value + "\"";
            out.options.seed = *seed;
        }
    }
    if (positional.size() != 1)
        return "agreement takes one project (see concord agreement --help)";
    out.project = positional.front();
    return out;
}

} // namespace

int runAgreementCommand(const std::vector<std::string> &args)
{
    auto parsed = parse(args);
    if (const auto *problem = std::get_if<std::string>(&parsed))
        return fail(*problem, 2);
    const AgreementArgs &a = std::get<AgreementArgs>(parsed);

    auto project = storage::Project::openForReading(a.project);
    if (!project)
        return fail(project.error().message,
                    project.error().code == model::Error::Code::InvalidInput ? 2 : 1);
    // The report's own input, not a LabelSet: no per-label records, no item attributes beyond the
    // grouping's (docs/performance.md, "Agreement report").
    auto input = storage::readAgreementInput(**project, a.options.facets, a.options.groupBy);
    if (!input)
        return fail(input.error().message, 1);
    model::AgreementReport report = model::measureAgreement(*input, a.options);
    for (const model::RaterRef &r : input->raters) {
        if (r.kind != model::RaterKind::Judge)
            continue;
        auto consistency = storage::positionConsistency(**project, r.id);
        if (!consistency)
            return fail(consistency.error().message, 1);
        if (*consistency)
            report.positionConsistency[r.id] = **consistency;
    }
    std::cout << (a.json ? model::toJson(report) : model::toText(report));
    std::cout.flush();
    return std::cout ? 0 : fail("cannot write the report to standard output", 1);
}

namespace {

struct CompareArgs
{
    std::string project;
    std::vector<std::string> judges;
    bool json = false;
    model::CalibrationOptions options;
};

std::variant<CompareArgs, std::string> parseCompare(const std::vector<std::string> &given)
{
    CompareArgs out;
    std::vector<std::string> args = given;
    std::vector<std::string> positional = takeNamesAfterDoubleDash(args);
    std::set<std::string> seen; // each option once: a second --facet would silently win
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string name = args[i], value;
        if (name.size() < 2 || name[0] != '-') {
            positional.push_back(name);
            continue;
        }
        const bool inlineValue = name.find('=') != std::string::npos;
        if (inlineValue) {
            value = name.substr(name.find('=') + 1);
            name = name.substr(0, name.find('='));
        }
        if (name == "--json" && !inlineValue) {
            out.json = true;
            continue;
        }
        if (name != "--judge" && name != "--against" && name != "--facet" && name != "--bootstrap" &&
            name != "--seed")
            return "unknown option " + name + " (see concord compare --help)";
        if (name != "--judge" && !seen.insert(name).second)
            return name + " is given twice";
        if (!inlineValue) {
            if (i + 1 >= args.size())
                return name + " needs a value";
            value = args[++i];
        }
        if (name == "--judge") {
            out.judges.push_back(value);
        } else if (name == "--against") {
            const auto reference = model::parseReference(value);
            if (!reference)
                return "--against takes gold or majority, not \"" + value + "\"";
            out.options.reference = *reference;
        } else if (name == "--facet") {
            const auto facet = model::parseFacet(value);
            if (!facet)
                return "unknown facet \"" + value + "\" (one of: " + facetNames() + ")";
            out.options.facets = {*facet};
        } else if (name == "--bootstrap") {
            const auto n = parseNumber<int>(value);
            if (!n || *n < 0 || *n > 1000000)
                return "--bootstrap takes a number of resamples from 0 (off) to 1000000, not \"" + value +
                       "\"";
            out.options.bootstrapResamples = *n;
        } else {
            const auto seed = parseNumber<std::uint64_t>(value);
            if (!seed)
                return "--seed takes a non-negative whole number, not \"" + value + "\"";
            out.options.seed = *seed;
        }
    }
    if (positional.size() != 1)
        return "compare takes one project (see concord compare --help)";
    if (out.judges.size() != 2)
        return "compare needs exactly two --judge RATER options";
    out.project = positional.front();
    return out;
}

} // namespace

int runCompareCommand(const std::vector<std::string> &args)
{
    auto parsed = parseCompare(args);
    if (const auto *problem = std::get_if<std::string>(&parsed))
        return fail(*problem, 2);
    const CompareArgs &a = std::get<CompareArgs>(parsed);
    auto project = storage::Project::openForReading(a.project);
    if (!project)
        return fail(project.error().message,
                    project.error().code == model::Error::Code::InvalidInput ? 2 : 1);
    auto labels = storage::readCurrentLabels(**project, a.options.facets);
    if (!labels)
        return fail(labels.error().message, 1);
    auto comparisons = model::compareJudges(*labels, a.judges[0], a.judges[1], a.options);
    if (!comparisons)
        return fail(comparisons.error().message, 2);
    std::cout << (a.json ? model::toJson(*comparisons, a.judges[0], a.judges[1], a.options.reference) + "\n"
                         : model::toText(*comparisons, a.judges[0], a.judges[1], a.options.reference));
    std::cout.flush();
    return std::cout ? 0 : fail("cannot write to standard output", 1);
}

} // namespace concord::app
