// Writes a synthetic JSONL v1 file for the import benchmark: D documents of about S bytes,
// I items spread over them, and L label lines from four raters. Deterministic for a seed.
// Usage: concord_bench_generate OUT.jsonl [documents=500] [doc_bytes=100000] [items=50000] [labels=200000]
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

namespace {

const char *kWords[] = {"lease",   "tenant",   "landlord", "rent",      "premises", "clause",   "notice",
                        "break",   "repair",   "covenant", "schedule",  "deposit",  "arrears",  "term",
                        "service", "charge",   "insurance", "assignment", "review", "inspection", "the",
                        "of",      "and",      "to",       "in",        "shall",    "be",       "any",
                        "by",      "within",   "days",     "payment",   "agreed",   "written",  "party"};
const char *kTypes[] = {"fact_recall", "definition", "summarization", "interpretation", "inference", "no_info"};
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

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::cerr << "usage: " << argv[0] << " OUT.jsonl [documents] [doc_bytes] [items] [labels]\n";
        return 2;
    }
    const long documents = argc > 2 ? std::atol(argv[2]) : 500;
    const long docBytes = argc > 3 ? std::atol(argv[3]) : 100000;
    const long items = argc > 4 ? std::atol(argv[4]) : 50000;
    const long labels = argc > 5 ? std::atol(argv[5]) : 200000;
    std::ofstream out(argv[1], std::ios::binary);
    std::mt19937_64 rng(20261128);
    std::vector<long> docLength(std::size_t(documents), 0);
    for (const char *r : {"alice", "bob", "carol"})
        out << R"({"kind":"rater","id":")" << r << R"(","rater_kind":"human"})" << '\n';
    out << R"({"kind":"rater","id":"judge:bench:0001","rater_kind":"judge","config":{"model":"bench"}})" << '\n';
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
        out << R"(,"reference_answer":")" << sentence(rng, 12) << '"' << R"(,"answers":{"A":{"system":"control","text":")"
            << sentence(rng, 40) << R"("},"B":{"system":"prompt-v2","text":")" << sentence(rng, 40) << R"("}}})"
            << '\n';
    }
    const char *raters[] = {"alice", "bob", "carol", "judge:bench:0001"};
    for (long l = 0; l < labels; ++l) {
        const long item = l % items;
        const char *rater = raters[(l / items) % 4];
        out << R"({"kind":"label","item":"q-)" << item << R"(","rater":")" << rater << R"(","preference":")"
            << kChoices[rng() % 3] << '"';
        if (rng() % 5 == 0)
            out << R"(,"criteria":{"relevance":")" << kChoices[rng() % 3] << R"(","comprehensiveness":")"
                << kChoices[rng() % 3] << R"(","conciseness":")" << kChoices[rng() % 3] << R"("})";
        out << R"(,"faithful":{"A":)" << (rng() % 4 ? "true" : "false") << R"(,"B":)"
            << (rng() % 3 ? "true" : "false") << R"(},"no_info":{"A":")" << kOutcomes[rng() % 2] << R"(","B":")"
            << kOutcomes[rng() % 2] << '"' << '}';
        if (rng() % 10 == 0) {
            // Offsets stay within the first 1,000 code points, inside every document.
            const long start = long(rng() % 900);
            out << R"(,"evidence":[{"answer":"A","start":)" << start << R"(,"end":)" << start + 50 << "}]";
        }
        out << R"(,"created_at":"2026-11-)" << (10 + l % 18) << "T" << (10 + l % 9) << ":" << (10 + l % 50)
            << R"(:00Z","time_spent_s":)" << (30 + rng() % 200) << "}\n";
    }
    return out ? 0 : 1;
}
