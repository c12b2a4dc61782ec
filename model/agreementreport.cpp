#include "agreementreport.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <set>
#include <utility>

namespace concord::model {

namespace {

/// A rater's labels on one facet: (unit, category index), sorted by unit, one per unit.
using UnitLabels = std::vector<std::pair<std::uint32_t, int>>;

constexpr std::array<std::string_view, 5> kEvidenceBuckets = {"[0,0.25)", "[0.25,0.5)", "[0.5,0.75)",
                                                              "[0.75,1]", "none"};
constexpr std::string_view kBootstrapOff = "off (0 resamples requested)";

Error invalidInput(std::string message)
{
    return makeError(Error::Code::InvalidInput, std::move(message));
}

std::size_t facetIndex(Facet f)
{
    return static_cast<std::size_t>(std::find(kFacets.begin(), kFacets.end(), f) - kFacets.begin());
}

/// The size of each facet's vocabulary, looked up once: LabelSet::add runs a million times.
int categoryCount(Facet f)
{
    static const std::array<int, kFacets.size()> counts = [] {
        std::array<int, kFacets.size()> out{};
        for (std::size_t i = 0; i < kFacets.size(); ++i)
            out[i] = static_cast<int>(valuesOf(kFacets[i]).size());
        return out;
    }();
    return counts[facetIndex(f)];
}

/// Items are units of per-item facets; answer (item, slot) is unit 2·item + slot of per-answer ones.
std::uint32_t unitOf(const CurrentLabel &l)
{
    if (!isPerAnswer(l.facet))
        return l.item;
    return 2 * l.item + (l.slot == Slot::B ? 1u : 0u);
}

/// Notes of several statistics, merged so that one reason is said once: "kappa, AC1: why".
class Notes
{
public:
    void add(std::string_view statistic, const std::string &why)
    {
        if (why.empty())
            return;
        for (auto &[reason, statistics] : m_entries) {
            if (reason == why) {
                statistics.emplace_back(statistic);
                return;
            }
        }
        m_entries.push_back({why, {std::string(statistic)}});
    }
    std::string str() const
    {
        std::string out;
        for (const auto &[reason, statistics] : m_entries) {
            if (!out.empty())
                out += "; ";
            for (std::size_t i = 0; i < statistics.size(); ++i)
                out += (i ? ", " : "") + statistics[i];
            out += ": " + reason;
        }
        return out;
    }

private:
    std::vector<std::pair<std::string, std::vector<std::string>>> m_entries;
};

/// The two raters' labels on the units both labelled, as parallel vectors.
void align(const UnitLabels &x, const UnitLabels &y, std::vector<int> &a, std::vector<int> &b)
{
    a.clear();
    b.clear();
    auto i = x.begin();
    auto j = y.begin();
    while (i != x.end() && j != y.end()) {
        if (i->first < j->first) {
            ++i;
        } else if (j->first < i->first) {
            ++j;
        } else {
            a.push_back(i->second);
            b.push_back(j->second);
            ++i;
            ++j;
        }
    }
}

AgreementWithoutTies agreementWithoutTies(const std::vector<int> &a, const std::vector<int> &b)
{
    const auto values = valuesOf(Facet::Preference);
    const int tie =
        static_cast<int>(std::find(values.begin(), values.end(), toString(Choice::Tie)) - values.begin());
    // The two remaining categories, A and B, renumbered 0 and 1.
    auto withoutTie = [tie](int v) { return v < tie ? v : v - 1; };
    std::vector<int> a2, b2;
    for (std::size_t u = 0; u < a.size(); ++u) {
        if (a[u] != tie && b[u] != tie) {
            a2.push_back(withoutTie(a[u]));
            b2.push_back(withoutTie(b[u]));
        }
    }
    AgreementWithoutTies w;
    const int k = static_cast<int>(values.size()) - 1;
    w.agreement = percentAgreement(a2, b2, k);
    w.kappa = cohenKappa(a2, b2, k);
    if (a2.empty())
        w.note = "no unit where neither rater said tie";
    else
        w.note = w.kappa.note;
    return w;
}

PairAgreement comparePair(std::string raterA, std::string raterB, Comparison comparison, Facet facet,
                          const std::vector<int> &a, const std::vector<int> &b,
                          const AgreementOptions &options)
{
    PairAgreement p;
    p.raterA = std::move(raterA);
    p.raterB = std::move(raterB);
    p.comparison = comparison;
    const int k = categoryCount(facet);
    p.confusion = confusion(a, b, k);
    p.agreement = percentAgreement(p.confusion);
    p.kappa = cohenKappa(p.confusion);
    p.ac1 = gwetAc1(p.confusion);
    p.pabak = pabak(p.confusion);
    Notes notes;
    notes.add("percent agreement", p.agreement.note);
    notes.add("kappa", p.kappa.note);
    if (options.bootstrapResamples > 0) {
        p.bootstrap = bootstrapKappaCi(
            a, b, k,
            BootstrapOptions{.resamples = options.bootstrapResamples, .seed = options.seed, .level = 0.95});
        notes.add("bootstrap CI", p.bootstrap->note);
    }
    notes.add("AC1", p.ac1.note);
    notes.add("PABAK", p.pabak.note);
    if (facet == Facet::Preference) {
        p.withoutTies = agreementWithoutTies(a, b);
        notes.add("without ties", p.withoutTies->note);
    }
    p.note = notes.str();
    return p;
}

/// The human majority per unit: the category more than half of the humans who labelled the unit
/// chose, or kMissing when no category has a strict majority. Sorted by unit.
UnitLabels humanMajority(const std::vector<const UnitLabels *> &humans, int k)
{
    UnitLabels all;
    for (const UnitLabels *h : humans)
        all.insert(all.end(), h->begin(), h->end());
    std::sort(all.begin(), all.end());
    UnitLabels majority;
    std::vector<int> counts(static_cast<std::size_t>(k));
    for (std::size_t i = 0; i < all.size();) {
        std::size_t end = i;
        std::fill(counts.begin(), counts.end(), 0);
        while (end < all.size() && all[end].first == all[i].first)
            ++counts[static_cast<std::size_t>(all[end++].second)];
        const int total = static_cast<int>(end - i);
        int winner = kMissing;
        for (int c = 0; c < k; ++c)
            if (2 * counts[static_cast<std::size_t>(c)] > total)
                winner = c;
        majority.emplace_back(all[i].first, winner);
        i = end;
    }
    return majority;
}

MultiRaterAgreement multiRater(const std::vector<std::string> &ids,
                               const std::vector<const UnitLabels *> &humans, int k)
{
    MultiRaterAgreement m;
    m.raters = ids;
    if (humans.size() < 2) {
        m.note = "fewer than two human raters labelled this facet";
        m.fleiss.note = m.note;
        m.alpha.note = m.note;
        return m;
    }
    std::vector<std::uint32_t> units;
    for (const UnitLabels *h : humans)
        for (const auto &[unit, value] : *h)
            units.push_back(unit);
    std::sort(units.begin(), units.end());
    units.erase(std::unique(units.begin(), units.end()), units.end());
    LabelMatrix ratings(humans.size(), std::vector<int>(units.size(), kMissing));
    for (std::size_t r = 0; r < humans.size(); ++r) {
        auto column = units.begin();
        for (const auto &[unit, value] : *humans[r]) {
            column = std::lower_bound(column, units.end(), unit);
            ratings[r][static_cast<std::size_t>(column - units.begin())] = value;
        }
    }
    m.fleiss = fleissKappa(ratings, k);
    m.alpha = krippendorffAlphaNominal(ratings, k);
    Notes notes;
    notes.add("Fleiss' kappa", m.fleiss.note);
    notes.add("Krippendorff's alpha", m.alpha.note);
    m.note = notes.str();
    return m;
}

Headline headline(const PairAgreement &majority, const std::vector<PairAgreement> &pairs)
{
    Headline h;
    h.judge = majority.raterB;
    h.kappa = majority.kappa.kappa;
    h.ciLow = majority.kappa.ciLow;
    h.ciHigh = majority.kappa.ciHigh;
    struct Mean
    {
        double kappa = 0, low = 0, high = 0;
        int pairs = 0;
    } humans, judge;
    for (const PairAgreement &p : pairs) {
        Mean *mean = p.comparison == Comparison::HumanHuman                                  ? &humans
                     : p.comparison == Comparison::JudgeHuman && p.raterA == majority.raterB ? &judge
                                                                                             : nullptr;
        if (!mean || !p.kappa.kappa)
            continue;
        mean->kappa += *p.kappa.kappa;
        mean->low += *p.kappa.ciLow;
        mean->high += *p.kappa.ciHigh;
        ++mean->pairs;
    }
    Notes notes;
    h.humanPairs = humans.pairs;
    if (humans.pairs > 0) {
        h.humanKappaMean = humans.kappa / humans.pairs;
        h.humanCiLow = humans.low / humans.pairs;
        h.humanCiHigh = humans.high / humans.pairs;
    } else {
        notes.add("human kappa", "no pair of human raters has a defined kappa");
    }
    h.judgeHumanPairs = judge.pairs;
    if (judge.pairs > 0) {
        h.judgeHumanKappaMean = judge.kappa / judge.pairs;
        h.judgeHumanCiLow = judge.low / judge.pairs;
        h.judgeHumanCiHigh = judge.high / judge.pairs;
    } else {
        notes.add("judge-human kappa", "no pair of this judge and a human has a defined kappa");
    }
    notes.add("judge kappa", majority.kappa.note);
    if (h.kappa && h.humanKappaMean) {
        if (*h.humanKappaMean > *h.ciHigh)
            h.reading = Reading::Less;
        else if (*h.humanKappaMean < *h.ciLow)
            h.reading = Reading::More;
        else
            h.reading = Reading::AboutAsWell;
    } else {
        notes.add("reading", "cannot compare without both kappas");
    }
    h.note = notes.str();
    return h;
}

int kindRank(RaterKind k)
{
    switch (k) {
    case RaterKind::Human:
        return 0;
    case RaterKind::Judge:
        return 1;
    case RaterKind::Gold:
        return 2;
    }
    return 3;
}

FacetAgreement measureFacet(const LabelSet &set, Facet facet, const std::vector<std::uint32_t> &labelIndices,
                            const AgreementOptions &options)
{
    FacetAgreement f;
    f.facet = facet;
    const int k = categoryCount(facet);
    const auto &raters = set.raters();
    const auto &labels = set.labels();

    std::vector<UnitLabels> byRater(raters.size());
    for (std::uint32_t i : labelIndices) {
        const CurrentLabel &l = labels[i];
        byRater[l.rater].emplace_back(unitOf(l), l.value);
    }
    std::vector<std::uint32_t> units;
    for (UnitLabels &v : byRater) {
        // Stable, so that of two labels on one unit the one added last survives the compaction.
        std::stable_sort(v.begin(), v.end(), [](const auto &x, const auto &y) { return x.first < y.first; });
        std::size_t out = 0;
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (i + 1 < v.size() && v[i + 1].first == v[i].first)
                continue;
            v[out++] = v[i];
        }
        v.resize(out);
        for (const auto &[unit, value] : v)
            units.push_back(unit);
    }
    std::sort(units.begin(), units.end());
    f.units = std::unique(units.begin(), units.end()) - units.begin();

    std::vector<std::uint32_t> order;
    for (std::uint32_t r = 0; r < raters.size(); ++r)
        if (!byRater[r].empty())
            order.push_back(r);
    std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
        const int kx = kindRank(raters[x].kind), ky = kindRank(raters[y].kind);
        return kx != ky ? kx < ky : raters[x].id < raters[y].id;
    });
    std::vector<std::uint32_t> humans, judges, golds;
    for (std::uint32_t r : order)
        (raters[r].kind == RaterKind::Human   ? humans
         : raters[r].kind == RaterKind::Judge ? judges
                                              : golds)
            .push_back(r);

    std::vector<int> a, b;
    auto compare = [&](std::uint32_t x, std::uint32_t y, Comparison c) {
        align(byRater[x], byRater[y], a, b);
        if (!a.empty())
            f.pairs.push_back(comparePair(raters[x].id, raters[y].id, c, facet, a, b, options));
    };
    for (std::size_t i = 0; i < humans.size(); ++i)
        for (std::size_t j = i + 1; j < humans.size(); ++j)
            compare(humans[i], humans[j], Comparison::HumanHuman);
    for (std::uint32_t judge : judges)
        for (std::uint32_t human : humans)
            compare(judge, human, Comparison::JudgeHuman);

    std::vector<const UnitLabels *> humanLabels;
    std::vector<std::string> humanIds;
    for (std::uint32_t h : humans) {
        humanLabels.push_back(&byRater[h]);
        humanIds.push_back(raters[h].id);
    }
    const UnitLabels majority = humanMajority(humanLabels, k);
    for (std::uint32_t judge : judges) {
        std::vector<int> withMajority, byJudge;
        align(majority, byRater[judge], withMajority, byJudge);
        if (withMajority.empty())
            continue;
        std::vector<int> ma, jb;
        for (std::size_t u = 0; u < withMajority.size(); ++u) {
            if (withMajority[u] == kMissing)
                continue;
            ma.push_back(withMajority[u]);
            jb.push_back(byJudge[u]);
        }
        PairAgreement p = comparePair(std::string(kMajority), raters[judge].id, Comparison::JudgeMajority,
                                      facet, ma, jb, options);
        p.noMajority = static_cast<std::int64_t>(withMajority.size() - ma.size());
        f.pairs.push_back(std::move(p));
    }
    for (std::uint32_t gold : golds) {
        for (std::uint32_t r : humans)
            compare(r, gold, Comparison::RaterGold);
        for (std::uint32_t r : judges)
            compare(r, gold, Comparison::RaterGold);
    }

    f.multi = multiRater(humanIds, humanLabels, k);
    for (const PairAgreement &p : f.pairs)
        if (p.comparison == Comparison::JudgeMajority)
            f.headlines.push_back(headline(p, f.pairs));
    return f;
}

/// Where a group sorts in the report: vocabulary order first, then by name.
std::pair<std::size_t, std::string> groupSortKey(const std::string &value, Grouping g)
{
    if (g == Grouping::QuestionType) {
        const auto t = parseQuestionType(value);
        return {t ? static_cast<std::size_t>(*t) : kQuestionTypes.size(), value};
    }
    if (g == Grouping::EvidenceBucket)
        return {static_cast<std::size_t>(std::find(kEvidenceBuckets.begin(), kEvidenceBuckets.end(), value) -
                                         kEvidenceBuckets.begin()),
                value};
    return {0, value};
}

// ---- rendering ----------------------------------------------------------------------------------

using Json = nlohmann::ordered_json;

Json number(const std::optional<double> &v)
{
    return v ? Json(*v) : Json(nullptr);
}

Json interval(const std::optional<double> &low, const std::optional<double> &high)
{
    return low && high ? Json::array({*low, *high}) : Json(nullptr);
}

void putStatistics(Json &j, const PairAgreement &p, Facet facet)
{
    j["n"] = p.confusion.n;
    if (p.comparison == Comparison::JudgeMajority)
        j["no_majority"] = p.noMajority;
    j["percent_agreement"] = number(p.agreement.po);
    j["kappa"] = number(p.kappa.kappa);
    j["kappa_se"] = number(p.kappa.se);
    j["kappa_ci95"] = interval(p.kappa.ciLow, p.kappa.ciHigh);
    j["kappa_ci95_bootstrap"] =
        p.bootstrap ? interval(p.bootstrap->ciLow, p.bootstrap->ciHigh) : Json(nullptr);
    j["gwet_ac1"] = number(p.ac1.ac1);
    j["pabak"] = number(p.pabak.pabak);
    Json labels = Json::array();
    for (std::string_view v : valuesOf(facet))
        labels.push_back(v);
    Json matrix = Json::array();
    const int k = p.confusion.k;
    for (int i = 0; i < k; ++i) {
        Json row = Json::array();
        for (int c = 0; c < k; ++c)
            row.push_back(p.confusion.at(i, c));
        matrix.push_back(std::move(row));
    }
    j["confusion"] = Json{{"labels", std::move(labels)}, {"matrix", std::move(matrix)}};
    if (p.withoutTies) {
        const AgreementWithoutTies &w = *p.withoutTies;
        Json wt{{"n", w.agreement.n},
                {"percent_agreement", number(w.agreement.po)},
                {"kappa", number(w.kappa.kappa)},
                {"kappa_ci95", interval(w.kappa.ciLow, w.kappa.ciHigh)}};
        if (!w.note.empty())
            wt["note"] = w.note;
        j["without_ties"] = std::move(wt);
    }
    std::string note = p.note;
    if (!p.bootstrap)
        note += std::string(note.empty() ? "" : "; ") + "bootstrap CI: " + std::string(kBootstrapOff);
    if (!note.empty())
        j["note"] = note;
}

Json facetJson(const FacetAgreement &f)
{
    Json j;
    j["facet"] = toString(f.facet);
    j["unit"] = isPerAnswer(f.facet) ? "answer" : "item";
    j["units"] = f.units;
    j["categories"] = Json::array();
    for (std::string_view v : valuesOf(f.facet))
        j["categories"].push_back(v);
    Json pairs = Json::array();
    Json majority = Json::array();
    for (const PairAgreement &p : f.pairs) {
        Json pj;
        pj["rater_a"] = p.raterA;
        pj["rater_b"] = p.raterB;
        pj["comparison"] = toString(p.comparison);
        putStatistics(pj, p, f.facet);
        pairs.push_back(std::move(pj));
        if (p.comparison == Comparison::JudgeMajority) {
            Json mj;
            mj["rater"] = p.raterB;
            putStatistics(mj, p, f.facet);
            majority.push_back(std::move(mj));
        }
    }
    j["pairs"] = std::move(pairs);
    Json multi;
    multi["raters"] = f.multi.raters;
    multi["n"] = f.multi.fleiss.units;
    multi["units_dropped"] = f.multi.fleiss.unitsDropped;
    multi["fleiss_kappa"] = number(f.multi.fleiss.kappa);
    multi["krippendorff_alpha"] = number(f.multi.alpha.alpha);
    multi["alpha_units"] = f.multi.alpha.units;
    if (!f.multi.note.empty())
        multi["note"] = f.multi.note;
    j["multi"] = std::move(multi);
    j["majority"] = std::move(majority);
    Json headlines = Json::array();
    for (const Headline &h : f.headlines) {
        Json hj;
        hj["judge"] = h.judge;
        hj["kappa"] = number(h.kappa);
        hj["kappa_ci95"] = interval(h.ciLow, h.ciHigh);
        hj["human_kappa_mean"] = number(h.humanKappaMean);
        hj["human_kappa_ci95"] = interval(h.humanCiLow, h.humanCiHigh);
        hj["human_pairs"] = h.humanPairs;
        hj["judge_human_kappa_mean"] = number(h.judgeHumanKappaMean);
        hj["judge_human_ci95"] = interval(h.judgeHumanCiLow, h.judgeHumanCiHigh);
        hj["judge_human_pairs"] = h.judgeHumanPairs;
        hj["reading"] = h.reading ? Json(toString(*h.reading)) : Json(nullptr);
        if (!h.note.empty())
            hj["note"] = h.note;
        headlines.push_back(std::move(hj));
    }
    j["headline"] = std::move(headlines);
    return j;
}

Json facetsJson(const std::vector<FacetAgreement> &facets)
{
    Json out = Json::array();
    for (const FacetAgreement &f : facets)
        out.push_back(facetJson(f));
    return out;
}

/// Width of UTF-8 text in code points: rater ids may be any Unicode.
std::size_t displayWidth(std::string_view s)
{
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string fixed(const std::optional<double> &v, int decimals = 2)
{
    if (!v)
        return "n/a";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, *v + 0.0);
    std::string s = buffer;
    if (s.starts_with("-") && s.find_first_not_of("-0.") == std::string::npos)
        s.erase(0, 1); // "-0.00" reads as a sign that is not there
    return s;
}

std::string percent(const std::optional<double> &v)
{
    return v ? fixed(*v * 100, 1) + "%" : "n/a";
}

std::string bracket(const std::optional<double> &low, const std::optional<double> &high)
{
    return low && high ? "[" + fixed(low) + ", " + fixed(high) + "]" : "n/a";
}

/// Rows of cells laid out in columns; `align` says per column 'l'eft or 'r'ight (default right).
std::string table(const std::vector<std::vector<std::string>> &rows, std::string_view align,
                  const std::string &indent)
{
    std::vector<std::size_t> widths;
    for (const auto &row : rows) {
        widths.resize(std::max(widths.size(), row.size()), 0);
        for (std::size_t c = 0; c < row.size(); ++c)
            widths[c] = std::max(widths[c], displayWidth(row[c]));
    }
    std::string out;
    for (const auto &row : rows) {
        std::string line = indent;
        for (std::size_t c = 0; c < row.size(); ++c) {
            const std::string pad(widths[c] - displayWidth(row[c]), ' ');
            if (c)
                line += "  ";
            line += c < align.size() && align[c] == 'l' ? row[c] + pad : pad + row[c];
        }
        while (line.ends_with(' '))
            line.pop_back();
        out += line + "\n";
    }
    return out;
}

std::string facetText(const FacetAgreement &f, bool bootstrap)
{
    std::string out = std::string(toString(f.facet)) + " (one unit per " +
                      (isPerAnswer(f.facet) ? "answer" : "item") + ", " + std::to_string(f.units) +
                      " labelled)\n";
    if (f.pairs.empty()) {
        out += "  no two raters share a unit\n";
    } else {
        std::vector<std::vector<std::string>> rows;
        std::vector<std::string> header = {"rater a", "rater b", "n", "agree", "kappa [95% CI]"};
        if (bootstrap)
            header.push_back("bootstrap CI");
        header.insert(header.end(), {"AC1", "PABAK"});
        rows.push_back(header);
        for (const PairAgreement &p : f.pairs) {
            std::vector<std::string> row = {
                p.raterA, p.raterB, std::to_string(p.confusion.n), percent(p.agreement.po),
                fixed(p.kappa.kappa) + " " + bracket(p.kappa.ciLow, p.kappa.ciHigh)};
            if (!p.kappa.kappa)
                row.back() = "n/a";
            if (bootstrap)
                row.push_back(p.bootstrap ? bracket(p.bootstrap->ciLow, p.bootstrap->ciHigh) : "n/a");
            row.insert(row.end(), {fixed(p.ac1.ac1), fixed(p.pabak.pabak)});
            rows.push_back(std::move(row));
        }
        out += table(rows, "ll", "  ");
    }
    bool anyWithoutTies = false;
    for (const PairAgreement &p : f.pairs) {
        if (!p.withoutTies)
            continue;
        if (!anyWithoutTies)
            out += "  without ties (units where neither rater said tie):\n";
        anyWithoutTies = true;
        const AgreementWithoutTies &w = *p.withoutTies;
        out += "    " + p.raterA + " / " + p.raterB + ": n " + std::to_string(w.agreement.n) + ", agree " +
               percent(w.agreement.po) + ", kappa " + fixed(w.kappa.kappa) + "\n";
    }
    for (const PairAgreement &p : f.pairs)
        if (p.comparison == Comparison::JudgeMajority && p.noMajority > 0)
            out += "  " + p.raterB + ": " + std::to_string(p.noMajority) +
                   (p.noMajority == 1 ? " shared unit without a human majority was left out\n"
                                      : " shared units without a human majority were left out\n");
    if (f.multi.raters.size() >= 2) {
        out += "  all humans (";
        for (std::size_t i = 0; i < f.multi.raters.size(); ++i)
            out += (i ? ", " : "") + f.multi.raters[i];
        out += "): Fleiss kappa " + fixed(f.multi.fleiss.kappa) + " on " +
               std::to_string(f.multi.fleiss.units) + " units labelled by all; Krippendorff alpha " +
               fixed(f.multi.alpha.alpha) + " on " + std::to_string(f.multi.alpha.units) + " units\n";
    }
    for (const Headline &h : f.headlines) {
        auto pairs = [](int n) { return std::to_string(n) + (n == 1 ? " pair" : " pairs"); };
        out += "  headline for " + h.judge + ":\n";
        out += table({{"vs the human majority", "kappa " + fixed(h.kappa), bracket(h.ciLow, h.ciHigh), ""},
                      {"humans with each other", "mean kappa " + fixed(h.humanKappaMean),
                       bracket(h.humanCiLow, h.humanCiHigh), "over " + pairs(h.humanPairs)},
                      {"judge with each human", "mean kappa " + fixed(h.judgeHumanKappaMean),
                       bracket(h.judgeHumanCiLow, h.judgeHumanCiHigh), "over " + pairs(h.judgeHumanPairs)}},
                     "lrll", "    ");
        out +=
            "    -> " + (h.reading ? std::string(toString(*h.reading)) : "cannot compare: " + h.note) + "\n";
    }
    bool anyNote = false;
    auto note = [&](const std::string &who, const std::string &what) {
        if (what.empty())
            return;
        if (!anyNote)
            out += "  notes:\n";
        anyNote = true;
        out += "    " + who + ": " + what + "\n";
    };
    for (const PairAgreement &p : f.pairs)
        note(p.raterA + " / " + p.raterB, p.note);
    note("all humans", f.multi.note);
    return out;
}

std::string facetsText(const std::vector<FacetAgreement> &facets, bool bootstrap)
{
    std::string out;
    for (const FacetAgreement &f : facets) {
        out += '\n';
        out += facetText(f, bootstrap);
    }
    return out;
}

} // namespace

Result<std::uint32_t> LabelSet::addRater(std::string_view id, RaterKind kind)
{
    if (auto it = m_raterIndex.find(id); it != m_raterIndex.end()) {
        if (m_raters[it->second].kind != kind)
            return invalidInput("rater \"" + std::string(id) + "\" is a " +
                                std::string(toString(m_raters[it->second].kind)) + ", not a " +
                                std::string(toString(kind)));
        return it->second;
    }
    const auto index = static_cast<std::uint32_t>(m_raters.size());
    m_raters.push_back({std::string(id), kind});
    m_raterIndex.emplace(std::string(id), index);
    return index;
}

Result<std::uint32_t> LabelSet::addItem(ItemAttributes item)
{
    if (m_itemIndex.count(item.id))
        return invalidInput("item \"" + item.id + "\" was added twice");
    // Answers are numbered 2·item + slot in 32 bits.
    if (m_items.size() >= std::numeric_limits<std::uint32_t>::max() / 2)
        return invalidInput("too many items");
    const auto index = static_cast<std::uint32_t>(m_items.size());
    m_itemIndex.emplace(item.id, index);
    m_items.push_back(std::move(item));
    return index;
}

Status LabelSet::add(const CurrentLabel &label)
{
    if (label.rater >= m_raters.size())
        return invalidInput("rater index " + std::to_string(label.rater) + " is out of range");
    if (label.item >= m_items.size())
        return invalidInput("item index " + std::to_string(label.item) + " is out of range");
    if (label.value >= categoryCount(label.facet))
        return invalidInput("value index " + std::to_string(label.value) + " is out of range for " +
                            std::string(toString(label.facet)));
    if (label.slot.has_value() != isPerAnswer(label.facet))
        return invalidInput(std::string(toString(label.facet)) +
                            (isPerAnswer(label.facet) ? " is labelled per answer and needs a slot"
                                                      : " is labelled per item and takes no slot"));
    m_labels.push_back(label);
    return Ok{};
}

Status LabelSet::add(std::string_view raterId, RaterKind kind, std::string_view itemId, Facet facet,
                     std::optional<Slot> slot, std::string_view value)
{
    const auto item = m_itemIndex.find(itemId);
    if (item == m_itemIndex.end())
        return invalidInput("unknown item \"" + std::string(itemId) + "\"");
    const auto values = valuesOf(facet);
    const auto v = std::find(values.begin(), values.end(), value);
    if (v == values.end())
        return invalidInput("\"" + std::string(value) + "\" is not a value of " +
                            std::string(toString(facet)));
    auto rater = addRater(raterId, kind);
    if (!rater)
        return rater.error();
    return add(
        CurrentLabel{*rater, item->second, facet, slot, static_cast<std::uint8_t>(v - values.begin())});
}

std::string_view toString(Grouping g)
{
    switch (g) {
    case Grouping::QuestionType:
        return "question_type";
    case Grouping::EvidenceBucket:
        return "evidence_bucket";
    case Grouping::System:
        return "system";
    }
    return {};
}

std::optional<Grouping> parseGrouping(std::string_view s)
{
    for (Grouping g : {Grouping::QuestionType, Grouping::EvidenceBucket, Grouping::System})
        if (toString(g) == s)
            return g;
    return std::nullopt;
}

std::string evidenceBucket(std::optional<double> position)
{
    if (!position)
        return std::string(kEvidenceBuckets[4]);
    const double p = *position;
    return std::string(p < 0.25   ? kEvidenceBuckets[0]
                       : p < 0.5  ? kEvidenceBuckets[1]
                       : p < 0.75 ? kEvidenceBuckets[2]
                                  : kEvidenceBuckets[3]);
}

std::string groupOf(const ItemAttributes &item, Grouping g)
{
    switch (g) {
    case Grouping::QuestionType:
        return std::string(toString(item.questionType));
    case Grouping::EvidenceBucket:
        return evidenceBucket(item.evidencePosition);
    case Grouping::System:
        return item.systems[0] + " vs " + item.systems[1];
    }
    return {};
}

std::string_view toString(Comparison c)
{
    switch (c) {
    case Comparison::HumanHuman:
        return "human_human";
    case Comparison::JudgeHuman:
        return "judge_human";
    case Comparison::JudgeMajority:
        return "judge_majority";
    case Comparison::RaterGold:
        return "rater_gold";
    }
    return {};
}

std::string_view toString(Reading r)
{
    switch (r) {
    case Reading::AboutAsWell:
        return "judge agrees with humans about as well as humans agree with each other";
    case Reading::Less:
        return "judge agrees with humans less than humans agree with each other";
    case Reading::More:
        return "judge agrees with humans more than humans agree with each other";
    }
    return {};
}

AgreementReport measureAgreement(const LabelSet &set, const AgreementOptions &options)
{
    AgreementReport report;
    report.groupBy = options.groupBy;
    report.bootstrapResamples = std::max(options.bootstrapResamples, 0);
    report.seed = options.seed;

    std::array<std::vector<std::uint32_t>, kFacets.size()> byFacet;
    std::array<bool, kFacets.size()> wanted{};
    for (Facet f : options.facets)
        wanted[facetIndex(f)] = true;
    const auto &labels = set.labels();
    for (std::uint32_t i = 0; i < labels.size(); ++i)
        if (wanted[facetIndex(labels[i].facet)])
            byFacet[facetIndex(labels[i].facet)].push_back(i);

    for (Facet f : options.facets)
        report.facets.push_back(measureFacet(set, f, byFacet[facetIndex(f)], options));
    if (!options.groupBy)
        return report;

    // Group index of each item; groups ordered by their sort key.
    const Grouping g = *options.groupBy;
    std::vector<std::string> itemGroup(set.items().size());
    std::vector<bool> labelled(set.items().size(), false);
    for (Facet f : options.facets)
        for (std::uint32_t i : byFacet[facetIndex(f)])
            labelled[labels[i].item] = true;
    std::set<std::pair<std::size_t, std::string>> groups;
    for (std::size_t i = 0; i < itemGroup.size(); ++i) {
        itemGroup[i] = groupOf(set.items()[i], g);
        if (labelled[i])
            groups.insert(groupSortKey(itemGroup[i], g));
    }
    for (const auto &[rank, value] : groups) {
        GroupAgreement group;
        group.value = value;
        for (Facet f : options.facets) {
            std::vector<std::uint32_t> inGroup;
            for (std::uint32_t i : byFacet[facetIndex(f)])
                if (itemGroup[labels[i].item] == value)
                    inGroup.push_back(i);
            group.facets.push_back(measureFacet(set, f, inGroup, options));
        }
        report.groups.push_back(std::move(group));
    }
    return report;
}

std::string toJson(const AgreementReport &report)
{
    Json j;
    j["facets"] = facetsJson(report.facets);
    if (report.groupBy) {
        j["group_by"] = toString(*report.groupBy);
        Json groups = Json::object();
        for (const GroupAgreement &g : report.groups)
            groups[g.value] = Json{{"facets", facetsJson(g.facets)}};
        j["groups"] = std::move(groups);
    }
    j["bootstrap"] = Json{{"resamples", report.bootstrapResamples}, {"seed", report.seed}, {"level", 0.95}};
    return j.dump() + "\n";
}

std::string toText(const AgreementReport &report)
{
    std::string out = "Agreement on current labels; kappa is Cohen's, with its asymptotic 95% CI";
    if (report.bootstrapResamples > 0)
        out += "; bootstrap CI from " + std::to_string(report.bootstrapResamples) + " resamples, seed " +
               std::to_string(report.seed);
    else
        out += "; bootstrap CI off";
    out += ".\n";
    const bool bootstrap = report.bootstrapResamples > 0;
    out += facetsText(report.facets, bootstrap);
    for (const GroupAgreement &g : report.groups) {
        out += "\n== " + std::string(toString(*report.groupBy)) + " " + g.value + " ==\n";
        out += facetsText(g.facets, bootstrap);
    }
    return out;
}

std::vector<UnitRef> unitsInCell(const LabelSet &labels, Facet facet, std::string_view raterA,
                                 std::string_view raterB, int row, int column)
{
    const auto &raters = labels.raters();
    auto current = [&](auto &&keep) {
        UnitLabels out;
        for (const CurrentLabel &l : labels.labels())
            if (l.facet == facet && keep(l.rater))
                out.emplace_back(unitOf(l), l.value);
        // Stable, so that of two labels on one unit the one added last wins, as in the report.
        std::stable_sort(out.begin(), out.end(), [](const auto &x, const auto &y) { return x.first < y.first; });
        UnitLabels unique;
        for (std::size_t i = 0; i < out.size(); ++i)
            if (i + 1 == out.size() || out[i + 1].first != out[i].first)
                unique.push_back(out[i]);
        return unique;
    };
    auto ofRater = [&](std::string_view id) {
        return current([&](std::uint32_t r) { return raters[r].id == id; });
    };
    UnitLabels a;
    if (raterA == kMajority) {
        std::vector<UnitLabels> humans;
        for (std::uint32_t r = 0; r < raters.size(); ++r)
            if (raters[r].kind == RaterKind::Human)
                humans.push_back(current([&](std::uint32_t x) { return x == r; }));
        std::vector<const UnitLabels *> pointers;
        for (const UnitLabels &h : humans)
            pointers.push_back(&h);
        a = humanMajority(pointers, categoryCount(facet));
    } else {
        a = ofRater(raterA);
    }
    const UnitLabels b = ofRater(raterB);
    std::vector<UnitRef> out;
    auto i = a.begin();
    auto j = b.begin();
    while (i != a.end() && j != b.end()) {
        if (i->first < j->first) {
            ++i;
        } else if (j->first < i->first) {
            ++j;
        } else {
            if (i->second == row && j->second == column) {
                const std::uint32_t unit = i->first;
                if (isPerAnswer(facet))
                    out.push_back({labels.items()[unit / 2].id, unit % 2 ? Slot::B : Slot::A});
                else
                    out.push_back({labels.items()[unit].id, std::nullopt});
            }
            ++i;
            ++j;
        }
    }
    return out;
}

} // namespace concord::model
