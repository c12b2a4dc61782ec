// Writes a synthetic JSONL v1 file for the benchmarks: D documents of about S bytes, I items spread
// over them, and L label lines; label line l is by rater (l / I) mod R on item l mod I, so with
// L = R·I every rater labels every item once. Deterministic.
// Usage: concord_bench_generate OUT.jsonl [documents=500] [doc_bytes=100000] [items=50000] [labels=200000]
//            [--humans N (3)] [--judges N (1)] [--facets LIST] [--agreement P]
// --facets: which facets label lines carry, a comma-separated subset of preference, criteria,
//   faithful, no_info, evidence (default: all). --agreement P: each value copies the item's (or
//   answer's) "true" value with probability P and is drawn uniformly otherwise, so that raters
//   agree beyond chance; without it every value is independent (kappa near 0).
// Without options the output is byte for byte what it was before the options existed.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace {

const char *kWords[] = {"lease",   "tenant", "landlord",  "rent",       "premises", "clause",     "notice",
                        "break",   "repair", "covenant",  "schedule",   "deposit",  "arrears",    "term",
                        "service", "charge", "insurance", "assignment", "review",   "inspection", "the",
                        "of",      "and",    "to",        "in",         "shall",    "be",         "any",
                        "by",      "within", "days",      "payment",    "agreed",   "written",    "party"};
const char *kTypes[] = {"fact_recall",    "definition", "summarization",
                        "interpretation", "inference",  "no_info"};
const char *kChoices[] = {"A", "B", "tie"};
const char *kOutcomes[] = {"answered", "declined_wrongly", "hallucinated", "declined_correctly"};

std::string sentence(std::mt19937_64 &rng, int words)
{
    std::string s;
    for (int i = 0; i < words; ++i) {
        if (i)
            s += ' ';
        s += kWords[rng() % std::size(kWords)];
    }
    s += '.';
    s[0] = char(s[0] - 32);
    return s;
}

/// An item's "true" value for `what`: a fixed function of (item, what), independent of the label
/// stream, so that all raters of an item see the same truth. splitmix64's finaliser (Steele, Lea &
/// Flood 2014).
std::uint64_t truth(long item, int what)
{
    std::uint64_t z = std::uint64_t(item) * 16 + std::uint64_t(what) + 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

struct Options
{
    long humans = 3;
    long judges = 1;
    bool preference = true, criteria = true, faithful = true, noInfo = true, evidence = true;
    double agreement = -1; ///< < 0: independent values
};

/// False when `list` names an unknown facet.
bool parseFacets(Options &o, std::string_view list)
{
    o.preference = o.criteria = o.faithful = o.noInfo = o.evidence = false;
    while (!list.empty()) {
        const auto comma = list.find(',');
        const std::string_view f = list.substr(0, comma);
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
        if (f == "preference")
            o.preference = true;
        else if (f == "criteria")
            o.criteria = true;
        else if (f == "faithful")
            o.faithful = true;
        else if (f == "no_info")
            o.noInfo = true;
        else if (f == "evidence")
            o.evidence = true;
        else
            return false;
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    const char *usage = " OUT.jsonl [documents] [doc_bytes] [items] [labels] [--humans N] [--judges N]"
                        " [--facets LIST] [--agreement P]\n";
    std::vector<std::string_view> positional;
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (!arg.starts_with("--")) {
            positional.push_back(arg);
            continue;
        }
        if (i + 1 >= argc) {
            std::cerr << arg << " needs a value\n";
            return 2;
        }
        const char *value = argv[++i];
        if (arg == "--humans")
            o.humans = std::atol(value);
        else if (arg == "--judges")
            o.judges = std::atol(value);
        else if (arg == "--agreement")
            o.agreement = std::atof(value);
        else if (arg != "--facets" || !parseFacets(o, value)) {
            std::cerr << "usage: " << argv[0] << usage;
            return 2;
        }
    }
    if (positional.empty() || o.humans < 0 || o.judges < 0 || o.humans + o.judges < 1) {
        std::cerr << "usage: " << argv[0] << usage;
        return 2;
    }
    auto number = [&](std::size_t i, long fallback) {
        return positional.size() > i ? std::atol(std::string(positional[i]).c_str()) : fallback;
    };
    const long documents = number(1, 500);
    const long docBytes = number(2, 100000);
    const long items = number(3, 50000);
    const long labels = number(4, 200000);
    std::ofstream out{std::string(positional[0]), std::ios::binary};
    std::mt19937_64 rng(20261128);
    std::vector<long> docLength(std::size_t(documents), 0);
    std::vector<std::string> raters;
    const char *firstHumans[] = {"alice", "bob", "carol"};
    for (long h = 0; h < o.humans; ++h) {
        raters.push_back(h < 3 ? firstHumans[h] : "human-" + std::to_string(h + 1));
        out << R"({"kind":"rater","id":")" << raters.back() << R"(","rater_kind":"human"})" << '\n';
    }
    for (long j = 0; j < o.judges; ++j) {
        char id[32];
        std::snprintf(id, sizeof id, "judge:bench:%04ld", j + 1);
        raters.emplace_back(id);
        out << R"({"kind":"rater","id":")" << id << R"(","rater_kind":"judge","config":{"model":"bench)"
            << (j ? std::to_string(j + 1) : "") << R"("}})" << '\n';
    }
    for (long d = 0; d < documents; ++d) {
        std::string text;
        text.reserve(std::size_t(docBytes) + 200);
        while (long(text.size()) < docBytes) {
            text += sentence(rng, 8 + int(rng() % 20));
            text += (rng() % 6 == 0) ? "\\n\\n" : " ";
        }
        docLength[std::size_t(d)] = long(text.size()); // ASCII, with \n escapes counting 2 bytes each
        out << R"({"kind":"document","id":"doc-)" << d << R"(","title":"Synthetic document )" << d
            << R"(","text":")" << text << R"("})" << '\n';
    }
    for (long i = 0; i < items; ++i) {
        const char *type = kTypes[rng() % 6];
        const bool answerable = std::string(type) != "no_info";
        out << R"({"kind":"item","id":"q-)" << i << R"(","document":"doc-)" << (i % documents)
            << R"(","question":")" << sentence(rng, 10) << R"(","question_type":")" << type << '"'
            << R"(,"answerable":)" << (answerable ? "true" : "false");
        if (answerable)
            out << R"(,"evidence_position":)" << double(rng() % 1000) / 1000.0;
        out << R"(,"reference_answer":")" << sentence(rng, 12) << '"'
            << R"(,"answers":{"A":{"system":"control","text":")" << sentence(rng, 40)
            << R"("},"B":{"system":"prompt-v2","text":")" << sentence(rng, 40) << R"("}}})" << '\n';
    }
    // A value in [0, n) for the label's facet `what` on `item`: uniform, or with --agreement the
    // item's true value with probability P. Without --agreement it draws exactly once, as always.
    const auto threshold = static_cast<std::uint64_t>(o.agreement * 1000000.0);
    auto draw = [&](long item, int what, std::uint64_t n) -> std::uint64_t {
        if (o.agreement >= 0 && rng() % 1000000 < threshold)
            return truth(item, what) % n;
        return rng() % n;
    };
    for (long l = 0; l < labels; ++l) {
        const long item = l % items;
        const std::string &rater = raters[std::size_t((l / items) % long(raters.size()))];
        out << R"({"kind":"label","item":"q-)" << item << R"(","rater":")" << rater << '"';
        if (o.preference)
            out << R"(,"preference":")" << kChoices[draw(item, 0, 3)] << '"';
        if (o.criteria && rng() % 5 == 0)
            out << R"(,"criteria":{"relevance":")" << kChoices[draw(item, 1, 3)]
                << R"(","comprehensiveness":")" << kChoices[draw(item, 2, 3)] << R"(","conciseness":")"
                << kChoices[draw(item, 3, 3)] << R"("})";
        if (o.faithful)
            out << R"(,"faithful":{"A":)" << (draw(item, 4, 4) ? "true" : "false") << R"(,"B":)"
                << (draw(item, 5, 3) ? "true" : "false") << '}';
        if (o.noInfo)
            out << R"(,"no_info":{"A":")" << kOutcomes[draw(item, 6, 2)] << R"(","B":")"
                << kOutcomes[draw(item, 7, 2)] << '"' << '}';
        if (o.evidence && rng() % 10 == 0) {
            // Offsets stay within the first 1,000 code points, inside every document.
            const long start = long(rng() % 900);
            out << R"(,"evidence":[{"answer":"A","start":)" << start << R"(,"end":)" << start + 50 << "}]";
        }
        out << R"(,"created_at":"2026-11-)" << (10 + l % 18) << "T" << (10 + l % 9) << ":" << (10 + l % 50)
            << R"(:00Z","time_spent_s":)" << (30 + rng() % 200) << "}\n";
    }
    return out ? 0 : 1;
}
