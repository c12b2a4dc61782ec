#include "calibration.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <random>

namespace concord::model {

namespace {

/// A unit key: item index, and the answer for per-answer facets (−1 for per-item facets).
using UnitKey = std::pair<std::uint32_t, int>;

/// Uniform integer on [0, bound) by rejection sampling, the same on every platform (unlike
/// std::uniform_int_distribution, whose mapping is implementation-defined).
std::uint64_t uniformBelow(std::mt19937_64 &gen, std::uint64_t bound)
{
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    std::uint64_t u;
    do
        u = gen();
    while (u >= limit);
    return u % bound;
}

/// Hyndman & Fan (1996) type 7 quantile (numpy's default) of sorted, non-empty `xs`.
double quantile(const std::vector<double> &xs, double p)
{
    const double h = (double(xs.size()) - 1.0) * p;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, xs.size() - 1);
    return xs[lo] + (h - double(lo)) * (xs[hi] - xs[lo]);
}

UnitRef unitRef(const LabelSet &labels, const UnitKey &key)
{
    UnitRef u{labels.items()[key.first].id, std::nullopt};
    if (key.second >= 0)
        u.slot = key.second == 0 ? Slot::A : Slot::B;
    return u;
}

std::optional<std::uint32_t> judgeIndex(const LabelSet &labels, const std::string &id)
{
    for (std::uint32_t r = 0; r < labels.raters().size(); ++r)
        if (labels.raters()[r].id == id && labels.raters()[r].kind == RaterKind::Judge)
            return r;
    return std::nullopt;
}

JudgeComparison compareFacet(const LabelSet &labels, std::uint32_t judge1, std::uint32_t judge2, Facet facet,
                             const CalibrationOptions &options)
{
    JudgeComparison c;
    c.facet = facet;
    const int k = static_cast<int>(valuesOf(facet).size());
    std::map<UnitKey, int> first, second;
    std::map<UnitKey, std::map<std::uint32_t, int>>
        humans;                                 // majority: each human's label (the last given counts)
    std::map<UnitKey, std::optional<int>> gold; // gold: nullopt when gold raters differ
    for (const CurrentLabel &l : labels.labels()) {
        if (l.facet != facet)
            continue;
        const UnitKey key{l.item, l.slot ? (*l.slot == Slot::A ? 0 : 1) : -1};
        const RaterKind kind = labels.raters()[l.rater].kind;
        if (l.rater == judge1)
            first[key] = l.value;
        else if (l.rater == judge2)
            second[key] = l.value;
        else if (kind == RaterKind::Human)
            humans[key][l.rater] = l.value;
        else if (kind == RaterKind::Gold) {
            auto [it, added] = gold.emplace(key, l.value);
            if (!added && it->second != std::optional<int>(l.value))
                it->second = std::nullopt;
        }
    }
    auto reference = [&](const UnitKey &key) -> std::optional<int> {
        if (options.reference == Reference::Gold) {
            auto it = gold.find(key);
            return it == gold.end() ? std::nullopt : it->second;
        }
        auto it = humans.find(key);
        if (it == humans.end())
            return std::nullopt;
        std::vector<int> counts(static_cast<std::size_t>(k), 0);
        for (const auto &[rater, v] : it->second)
            ++counts[static_cast<std::size_t>(v)];
        for (int v = 0; v < k; ++v)
            if (2 * counts[static_cast<std::size_t>(v)] > int(it->second.size()))
                return v;
        return std::nullopt;
    };

    std::vector<int> ref, a, b;
    for (const auto &[key, v1] : first) {
        auto other = second.find(key);
        if (other == second.end())
            continue;
        const std::optional<int> r = reference(key);
        if (!r) {
            ++c.noReference;
            continue;
        }
        ref.push_back(*r);
        a.push_back(v1);
        b.push_back(other->second);
        if (v1 != *r && other->second == *r)
            c.nowAgree.push_back(unitRef(labels, key));
        else if (v1 == *r && other->second != *r)
            c.nowDisagree.push_back(unitRef(labels, key));
    }
    c.n = static_cast<std::int64_t>(ref.size());
    c.kappa1 = cohenKappa(a, ref, k);
    c.kappa2 = cohenKappa(b, ref, k);
    if (c.kappa1.kappa && c.kappa2.kappa)
        c.difference = *c.kappa2.kappa - *c.kappa1.kappa;
    else if (c.n == 0 && c.noReference > 0) {
        // The judges did label these units: what is missing is the reference.
        c.note = "no unit both judges labelled has a " +
                 std::string(options.reference == Reference::Gold ? "gold label" : "human majority") + " (" +
                 std::to_string(c.noReference) + " without one)";
        return c;
    } else {
        c.note =
            "difference: a kappa is undefined (" + (c.kappa1.kappa ? c.kappa2.note : c.kappa1.note) + ")";
        return c;
    }
    if (options.bootstrapResamples <= 0 || c.n < 2)
        return c;

    // Paired bootstrap: the same resampled units for both judges, so the CI reflects the
    // difference, not two independent uncertainties (Efron & Tibshirani 1993, ch. 6).
    std::mt19937_64 gen(options.seed);
    std::vector<double> differences;
    differences.reserve(static_cast<std::size_t>(options.bootstrapResamples));
    std::vector<std::int64_t> cells1(static_cast<std::size_t>(k * k)), cells2(cells1.size());
    for (int s = 0; s < options.bootstrapResamples; ++s) {
        std::fill(cells1.begin(), cells1.end(), 0);
        std::fill(cells2.begin(), cells2.end(), 0);
        for (std::int64_t i = 0; i < c.n; ++i) {
            const auto u = static_cast<std::size_t>(uniformBelow(gen, static_cast<std::uint64_t>(c.n)));
            ++cells1[static_cast<std::size_t>(a[u] * k + ref[u])];
            ++cells2[static_cast<std::size_t>(b[u] * k + ref[u])];
        }
        const CohenKappa k1 = cohenKappa(ConfusionMatrix::fromCounts(k, cells1));
        const CohenKappa k2 = cohenKappa(ConfusionMatrix::fromCounts(k, cells2));
        if (!k1.kappa || !k2.kappa) {
            ++c.skipped;
            continue;
        }
        differences.push_back(*k2.kappa - *k1.kappa);
    }
    c.resamples = options.bootstrapResamples;
    if (differences.size() >= 2) {
        std::sort(differences.begin(), differences.end());
        c.differenceCiLow = quantile(differences, 0.025);
        c.differenceCiHigh = quantile(differences, 0.975);
    }
    if (c.skipped > 0)
        c.note = std::to_string(c.skipped) + " of " + std::to_string(c.resamples) +
                 " resamples had an undefined kappa and were skipped";
    return c;
}

nlohmann::ordered_json number(const std::optional<double> &v)
{
    return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json units(const std::vector<UnitRef> &us)
{
    auto out = nlohmann::ordered_json::array();
    for (const UnitRef &u : us) {
        nlohmann::ordered_json j;
        j["item"] = u.itemId;
        if (u.slot)
            j["answer"] = std::string(toString(*u.slot));
        out.push_back(std::move(j));
    }
    return out;
}

std::string fixed(const std::optional<double> &v)
{
    if (!v)
        return "n/a";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", *v);
    return buf;
}

} // namespace

std::string_view toString(Reference r) { return r == Reference::Gold ? "gold" : "majority"; }

std::optional<Reference> parseReference(std::string_view s)
{
    if (s == "gold")
        return Reference::Gold;
    if (s == "majority")
        return Reference::Majority;
    return std::nullopt;
}

Result<std::vector<JudgeComparison>> compareJudges(const LabelSet &labels, const std::string &judge1,
                                                   const std::string &judge2,
                                                   const CalibrationOptions &options)
{
    const auto j1 = judgeIndex(labels, judge1);
    const auto j2 = judgeIndex(labels, judge2);
    for (const auto &[index, id] : {std::pair{j1, judge1}, std::pair{j2, judge2}})
        if (!index)
            return Error{Error::Code::InvalidInput, "\"" + id + "\" is not a judge rater of this project"};
    if (*j1 == *j2)
        return Error{Error::Code::InvalidInput, "give two different judges"};
    std::vector<JudgeComparison> out;
    for (Facet f : options.facets)
        out.push_back(compareFacet(labels, *j1, *j2, f, options));
    return out;
}

std::string toJson(const std::vector<JudgeComparison> &comparisons, const std::string &judge1,
                   const std::string &judge2, Reference reference)
{
    nlohmann::ordered_json j;
    j["judge_1"] = judge1;
    j["judge_2"] = judge2;
    j["against"] = std::string(toString(reference));
    auto facets = nlohmann::ordered_json::array();
    for (const JudgeComparison &c : comparisons) {
        nlohmann::ordered_json f;
        f["facet"] = std::string(toString(c.facet));
        f["n"] = c.n;
        f["no_reference"] = c.noReference;
        f["kappa_1"] = number(c.kappa1.kappa);
        f["kappa_1_ci95"] = {number(c.kappa1.ciLow), number(c.kappa1.ciHigh)};
        f["kappa_2"] = number(c.kappa2.kappa);
        f["kappa_2_ci95"] = {number(c.kappa2.ciLow), number(c.kappa2.ciHigh)};
        f["difference"] = number(c.difference);
        f["difference_ci95_bootstrap"] = {number(c.differenceCiLow), number(c.differenceCiHigh)};
        f["bootstrap_resamples"] = c.resamples;
        f["now_agree"] = units(c.nowAgree);
        f["now_disagree"] = units(c.nowDisagree);
        if (!c.note.empty())
            f["note"] = c.note;
        facets.push_back(std::move(f));
    }
    j["facets"] = std::move(facets);
    return j.dump();
}

std::string toText(const std::vector<JudgeComparison> &comparisons, const std::string &judge1,
                   const std::string &judge2, Reference reference)
{
    std::string out = "judge 1: " + judge1 + "\njudge 2: " + judge2 + "\nagainst: " +
                      (reference == Reference::Gold ? "the gold labels" : "the human majority") + "\n\n";
    char line[256];
    std::snprintf(line, sizeof line, "  %-26s %5s %6s  %-20s %-20s %-22s %s\n", "facet", "n", "no ref",
                  "kappa 1 [95% CI]", "kappa 2 [95% CI]", "2 - 1 [bootstrap CI]", "flipped (+agree/-agree)");
    out += line;
    for (const JudgeComparison &c : comparisons) {
        const std::string k1 =
            fixed(c.kappa1.kappa) + " [" + fixed(c.kappa1.ciLow) + ", " + fixed(c.kappa1.ciHigh) + "]";
        const std::string k2 =
            fixed(c.kappa2.kappa) + " [" + fixed(c.kappa2.ciLow) + ", " + fixed(c.kappa2.ciHigh) + "]";
        const std::string d =
            fixed(c.difference) + " [" + fixed(c.differenceCiLow) + ", " + fixed(c.differenceCiHigh) + "]";
        std::snprintf(line, sizeof line, "  %-26s %5lld %6lld  %-20s %-20s %-22s +%zu/-%zu\n",
                      std::string(toString(c.facet)).c_str(), static_cast<long long>(c.n),
                      static_cast<long long>(c.noReference), k1.c_str(), k2.c_str(), d.c_str(),
                      c.nowAgree.size(), c.nowDisagree.size());
        out += line;
        if (!c.note.empty())
            out += "      note: " + c.note + "\n";
    }
    return out;
}

} // namespace concord::model
