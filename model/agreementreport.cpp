#include "agreementreport.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <unordered_map>
#include <utility>

namespace concord::model {

namespace {

/// The value of a unit in FacetTable::majority that no human labelled.
constexpr std::int8_t kNoHumanLabel = -2;

constexpr std::array<std::string_view, 5> kEvidenceBuckets = {"[0,0.25)", "[0.25,0.5)", "[0.5,0.75)",
                                                              "[0.75,1]", "none"};
constexpr std::string_view kBootstrapOff = "off (0 resamples requested)";

Error invalidInput(std::string message) { return makeError(Error::Code::InvalidInput, std::move(message)); }

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

using Columns = std::vector<std::vector<std::int8_t>>;

/// One facet of an AgreementInput: its columns by rater (a rater past the end, or with an empty
/// column, has no label on it).
struct FacetTable
{
    Facet facet = Facet::Preference;
    int k = 0;
    std::size_t units = 0; ///< items, or 2 × items for per-answer facets
    const Columns &columns;

    const std::vector<std::int8_t> *column(std::size_t rater) const
    {
        return rater < columns.size() && !columns[rater].empty() ? &columns[rater] : nullptr;
    }
};

FacetTable tableOf(const AgreementInput &in, Facet facet)
{
    return {facet, categoryCount(facet), in.items * (isPerAnswer(facet) ? 2 : 1),
            in.columns[facetIndex(facet)]};
}

/// The columns restricted to the units of the items with `group[item] == g`; a rater left without
/// a label has an empty column.
Columns restrictTo(const FacetTable &all, const std::vector<std::uint32_t> &group, std::uint32_t g)
{
    Columns out(all.columns.size());
    const std::size_t perItem = isPerAnswer(all.facet) ? 2 : 1;
    for (std::size_t r = 0; r < all.columns.size(); ++r) {
        const std::vector<std::int8_t> *in = all.column(r);
        if (!in)
            continue;
        std::vector<std::int8_t> column(all.units, kMissing);
        bool any = false;
        for (std::size_t u = 0; u < all.units; ++u) {
            if (group[u / perItem] == g && (*in)[u] != kMissing) {
                column[u] = (*in)[u];
                any = true;
            }
        }
        if (any)
            out[r] = std::move(column);
    }
    return out;
}

/// The confusion matrix of two columns over the units both labelled.
ConfusionMatrix crossTabulate(const std::vector<std::int8_t> &a, const std::vector<std::int8_t> &b, int k)
{
    // Cell k·k collects the units where a label is missing, so the loop has no branch.
    const auto kk = static_cast<std::size_t>(k);
    std::vector<std::int64_t> cells(kk * kk + 1, 0);
    const std::size_t outside = kk * kk;
    for (std::size_t u = 0; u < a.size(); ++u) {
        const int x = a[u], y = b[u];
        const bool both = (x >= 0) & (y >= 0);
        ++cells[both ? static_cast<std::size_t>(x) * kk + static_cast<std::size_t>(y) : outside];
    }
    cells.pop_back();
    return ConfusionMatrix::fromCounts(k, std::move(cells));
}

AgreementWithoutTies agreementWithoutTies(const ConfusionMatrix &m)
{
    // The units where neither rater said tie are the table without tie's row and column; A and
    // B keep their order.
    const auto values = valuesOf(Facet::Preference);
    const int tie =
        static_cast<int>(std::find(values.begin(), values.end(), toString(Choice::Tie)) - values.begin());
    std::vector<std::int64_t> cells;
    for (int i = 0; i < m.k; ++i)
        for (int j = 0; j < m.k; ++j)
            if (i != tie && j != tie)
                cells.push_back(m.at(i, j));
    const auto withoutTies = ConfusionMatrix::fromCounts(m.k - 1, std::move(cells));
    AgreementWithoutTies w;
    w.agreement = percentAgreement(withoutTies);
    w.kappa = cohenKappa(withoutTies);
    if (withoutTies.n == 0)
        w.note = "no unit where neither rater said tie";
    else
        w.note = w.kappa.note;
    return w;
}

PairAgreement comparePair(std::string raterA, std::string raterB, Comparison comparison, Facet facet,
                          ConfusionMatrix confusion, const AgreementOptions &options)
{
    PairAgreement p;
    p.raterA = std::move(raterA);
    p.raterB = std::move(raterB);
    p.comparison = comparison;
    p.confusion = std::move(confusion);
    p.agreement = percentAgreement(p.confusion);
    p.kappa = cohenKappa(p.confusion);
    p.ac1 = gwetAc1(p.confusion);
    p.pabak = pabak(p.confusion);
    Notes notes;
    notes.add("percent agreement", p.agreement.note);
    notes.add("kappa", p.kappa.note);
    if (options.bootstrapResamples > 0) {
        p.bootstrap = bootstrapKappaCi(
            p.confusion,
            BootstrapOptions{.resamples = options.bootstrapResamples, .seed = options.seed, .level = 0.95});
        notes.add("bootstrap CI", p.bootstrap->note);
    }
    notes.add("AC1", p.ac1.note);
    notes.add("PABAK", p.pabak.note);
    if (facet == Facet::Preference) {
        p.withoutTies = agreementWithoutTies(p.confusion);
        notes.add("without ties", p.withoutTies->note);
    }
    p.note = notes.str();
    return p;
}

/// The human majority per unit: the category more than half of the humans who labelled the unit
/// chose; kMissing when humans labelled it but no category has a strict majority; kNoHumanLabel
/// when no human labelled it.
std::vector<std::int8_t> humanMajority(const FacetTable &t, const std::vector<std::uint32_t> &humans)
{
    std::vector<std::int8_t> majority(t.units, kNoHumanLabel);
    std::vector<const std::int8_t *> columns;
    for (std::uint32_t h : humans)
        if (const auto *column = t.column(h))
            columns.push_back(column->data());
    // In blocks of units, category by category: count the humans labelling each unit and each
    // category's votes, then the category with more than half of them wins (at most one can).
    constexpr std::size_t kBlock = 4096;
    std::array<std::int32_t, kBlock> total{}, votes{};
    for (std::size_t begin = 0; begin < t.units; begin += kBlock) {
        const std::size_t n = std::min(kBlock, t.units - begin);
        std::fill_n(total.begin(), n, 0);
        for (const std::int8_t *column : columns)
            for (std::size_t i = 0; i < n; ++i)
                total[i] += column[begin + i] != kMissing;
        for (std::size_t i = 0; i < n; ++i)
            if (total[i] > 0)
                majority[begin + i] = kMissing;
        for (int c = 0; c < t.k; ++c) {
            std::fill_n(votes.begin(), n, 0);
            for (const std::int8_t *column : columns)
                for (std::size_t i = 0; i < n; ++i)
                    votes[i] += column[begin + i] == c;
            for (std::size_t i = 0; i < n; ++i)
                if (2 * votes[i] > total[i])
                    majority[begin + i] = static_cast<std::int8_t>(c);
        }
    }
    return majority;
}

MultiRaterAgreement multiRater(const std::vector<std::string> &ids, const FacetTable &t,
                               const std::vector<std::uint32_t> &humans)
{
    MultiRaterAgreement m;
    m.raters = ids;
    if (humans.size() < 2) {
        m.note = "fewer than two human raters labelled this facet";
        m.fleiss.note = m.note;
        m.alpha.note = m.note;
        return m;
    }
    // The units some human labelled, in unit order.
    std::vector<std::uint8_t> labelled(t.units, 0);
    for (std::uint32_t h : humans) {
        const std::int8_t *column = t.column(h)->data();
        for (std::size_t u = 0; u < t.units; ++u)
            labelled[u] |= static_cast<std::uint8_t>(column[u] != kMissing);
    }
    const auto count = static_cast<std::size_t>(std::count(labelled.begin(), labelled.end(), 1));
    CompactLabelMatrix ratings(humans.size());
    for (std::size_t r = 0; r < humans.size(); ++r) {
        const std::vector<std::int8_t> &column = *t.column(humans[r]);
        ratings[r].reserve(count);
        for (std::size_t u = 0; u < t.units; ++u)
            if (labelled[u])
                ratings[r].push_back(column[u]);
    }
    m.fleiss = fleissKappa(ratings, t.k);
    m.alpha = krippendorffAlphaNominal(ratings, t.k);
    Notes notes;
    notes.add("Fleiss' kappa", m.fleiss.note);
    notes.add("Krippendorff's alpha", m.alpha.note);
    m.note = notes.str();
    return m;
}

/// The headline's intervals, from one bootstrap that resamples units with every rater's labels on
/// them together (Efron & Tibshirani 1993, ch. 13, percentile intervals; the same units feed
/// every statistic, so their differences keep the pairing): each unit is grouped by its pattern
/// (the judge's value, then each human's), and a resample is drawn as pattern counts,
/// Multinomial(n, patterns/n), as bootstrapKappaCi draws its table. Per resample: the mean of the
/// human–human kappas that are defined in it, the mean of the judge–human kappas, the judge's
/// kappa with the majority of the humans who labelled a unit, and that kappa minus the human mean.
struct JointIntervals
{
    std::optional<double> humanLow, humanHigh;
    std::optional<double> judgeHumanLow, judgeHumanHigh;
    std::optional<double> differenceLow, differenceHigh;
    std::string note; ///< why an interval is missing
};

/// Cohen's kappa of a k×k table, no SE: (po − pe) / (1 − pe); undefined when pe = 1, i.e. both
/// margins sit in one category (decided on counts, as cohenKappa does).
std::optional<double> kappaOfCells(const std::int64_t *cells, int k)
{
    std::int64_t n = 0, diagonal = 0;
    std::array<std::int64_t, 8> rows{}, cols{};
    for (int i = 0; i < k; ++i)
        for (int j = 0; j < k; ++j) {
            const std::int64_t c = cells[i * k + j];
            n += c;
            rows[static_cast<std::size_t>(i)] += c;
            cols[static_cast<std::size_t>(j)] += c;
            if (i == j)
                diagonal += c;
        }
    if (n == 0)
        return std::nullopt;
    double pe = 0;
    const auto nd = static_cast<double>(n);
    for (std::size_t i = 0; i < static_cast<std::size_t>(k); ++i) {
        if (rows[i] == n && cols[i] == n)
            return std::nullopt;
        pe += static_cast<double>(rows[i]) / nd * (static_cast<double>(cols[i]) / nd);
    }
    return (static_cast<double>(diagonal) / nd - pe) / (1 - pe);
}

JointIntervals jointIntervals(const FacetTable &t, std::uint32_t judge,
                              const std::vector<std::uint32_t> &humans, const AgreementOptions &options)
{
    JointIntervals out;
    if (options.bootstrapResamples <= 0) {
        out.note = "bootstrap " + std::string(kBootstrapOff);
        return out;
    }
    if (t.k > 8) {
        out.note = "too many categories for the joint bootstrap";
        return out;
    }
    std::vector<const std::int8_t *> columns{t.column(judge)->data()};
    for (std::uint32_t h : humans)
        columns.push_back(t.column(h)->data());
    const auto raters = columns.size();
    const auto base = static_cast<std::uint64_t>(t.k + 1);
    std::uint64_t capacity = 1;
    for (std::size_t r = 0; r < raters; ++r) {
        if (capacity > std::numeric_limits<std::uint64_t>::max() / base) {
            out.note = "too many raters for the joint bootstrap";
            return out;
        }
        capacity *= base;
    }
    // Patterns in order of first appearance, each as its raters' values (kMissing included).
    std::unordered_map<std::uint64_t, std::uint32_t> index;
    std::vector<std::int8_t> patterns;
    std::vector<std::int64_t> counts;
    for (std::size_t u = 0; u < t.units; ++u) {
        std::uint64_t key = 0;
        bool any = false;
        for (const std::int8_t *column : columns) {
            any |= column[u] != kMissing;
            key = key * base + static_cast<std::uint64_t>(column[u] + 1);
        }
        if (!any)
            continue;
        const auto [it, added] = index.try_emplace(key, static_cast<std::uint32_t>(counts.size()));
        if (added) {
            counts.push_back(0);
            for (const std::int8_t *column : columns)
                patterns.push_back(column[u]);
        }
        ++counts[it->second];
    }
    const std::size_t p = counts.size();
    const std::size_t pairs = humans.size() * (humans.size() - 1) / 2 + humans.size() + 1;
    if (static_cast<double>(p) * static_cast<double>(pairs) * options.bootstrapResamples > 4e9) {
        out.note = "too many distinct label patterns for the joint bootstrap (" + std::to_string(p) + ")";
        return out;
    }
    const std::int64_t n = std::accumulate(counts.begin(), counts.end(), std::int64_t{0});
    const auto kk = static_cast<std::size_t>(t.k) * static_cast<std::size_t>(t.k);
    UnitResampler resampler(options.seed);
    std::vector<std::int64_t> drawn;
    std::vector<std::int64_t> cells(kk);
    std::vector<double> humanMeans, judgeHumanMeans, differences;
    auto kappaOf = [&](auto &&valueA, auto &&valueB) {
        std::fill(cells.begin(), cells.end(), 0);
        for (std::size_t q = 0; q < p; ++q) {
            const int a = valueA(q), b = valueB(q);
            if (a >= 0 && b >= 0 && drawn[q] > 0)
                cells[static_cast<std::size_t>(a * t.k + b)] += drawn[q];
        }
        return kappaOfCells(cells.data(), t.k);
    };
    auto rater = [&](std::size_t r) {
        return [&, r](std::size_t q) { return int(patterns[q * raters + r]); };
    };
    for (int b = 0; b < options.bootstrapResamples; ++b) {
        resampler.resample(counts, n, drawn);
        double sum = 0;
        int defined = 0;
        for (std::size_t i = 1; i < raters; ++i)
            for (std::size_t j = i + 1; j < raters; ++j)
                if (const auto kappa = kappaOf(rater(i), rater(j))) {
                    sum += *kappa;
                    ++defined;
                }
        const bool hasHumanMean = defined > 0;
        const double humanMean = hasHumanMean ? sum / defined : 0.0;
        sum = 0;
        defined = 0;
        for (std::size_t i = 1; i < raters; ++i)
            if (const auto kappa = kappaOf(rater(0), rater(i))) {
                sum += *kappa;
                ++defined;
            }
        if (hasHumanMean)
            humanMeans.push_back(humanMean);
        if (defined)
            judgeHumanMeans.push_back(sum / defined);
        if (defined && hasHumanMean)
            differences.push_back(sum / defined - humanMean);
    }
    Notes notes;
    auto interval = [&](std::vector<double> &xs, std::optional<double> &low, std::optional<double> &high,
                        std::string_view what) {
        if (xs.size() < 2) {
            notes.add(what, "fewer than two resamples had it defined");
            return;
        }
        std::sort(xs.begin(), xs.end());
        low = quantileType7(xs, 0.025);
        high = quantileType7(xs, 0.975);
    };
    interval(humanMeans, out.humanLow, out.humanHigh, "human kappa CI");
    interval(judgeHumanMeans, out.judgeHumanLow, out.judgeHumanHigh, "judge-human kappa CI");
    interval(differences, out.differenceLow, out.differenceHigh, "difference CI");
    out.note = notes.str();
    return out;
}

Headline headline(const PairAgreement &majority, const std::vector<PairAgreement> &pairs,
                  const JointIntervals &joint)
{
    Headline h;
    h.judge = majority.raterB;
    h.kappa = majority.kappa.kappa;
    h.ciLow = majority.kappa.ciLow;
    h.ciHigh = majority.kappa.ciHigh;
    struct Mean
    {
        double kappa = 0;
        int pairs = 0;
    } humans, judge;
    for (const PairAgreement &p : pairs) {
        Mean *mean = p.comparison == Comparison::HumanHuman                                  ? &humans
                     : p.comparison == Comparison::JudgeHuman && p.raterA == majority.raterB ? &judge
                                                                                             : nullptr;
        if (!mean || !p.kappa.kappa)
            continue;
        mean->kappa += *p.kappa.kappa;
        ++mean->pairs;
    }
    Notes notes;
    h.humanPairs = humans.pairs;
    if (humans.pairs > 0) {
        h.humanKappaMean = humans.kappa / humans.pairs;
        h.humanCiLow = joint.humanLow;
        h.humanCiHigh = joint.humanHigh;
    } else {
        notes.add("human kappa", "no pair of human raters has a defined kappa");
    }
    h.judgeHumanPairs = judge.pairs;
    if (judge.pairs > 0) {
        h.judgeHumanKappaMean = judge.kappa / judge.pairs;
        h.judgeHumanCiLow = joint.judgeHumanLow;
        h.judgeHumanCiHigh = joint.judgeHumanHigh;
    } else {
        notes.add("judge-human kappa", "no pair of this judge and a human has a defined kappa");
    }
    notes.add("judge kappa", majority.kappa.note);
    // Like with like: the judge with each human against humans with each other. The majority
    // kappa is not the measure: the majority exists only where humans agree, on the easier units.
    if (h.judgeHumanKappaMean && h.humanKappaMean) {
        h.difference = *h.judgeHumanKappaMean - *h.humanKappaMean;
        h.differenceCiLow = joint.differenceLow;
        h.differenceCiHigh = joint.differenceHigh;
    }
    if (h.humanKappaMean)
        notes.add("joint bootstrap", joint.note);
    if (h.differenceCiLow && h.differenceCiHigh) {
        h.reading = *h.differenceCiHigh < 0  ? Reading::Less
                    : *h.differenceCiLow > 0 ? Reading::More
                                             : Reading::AboutAsWell;
    } else if (h.difference) {
        notes.add("reading", "needs the difference's bootstrap CI, which is off or undefined");
    } else {
        notes.add("reading", "cannot compare without both mean kappas");
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

FacetAgreement measureFacet(const std::vector<RaterRef> &raters, const FacetTable &t,
                            const AgreementOptions &options)
{
    FacetAgreement f;
    f.facet = t.facet;

    std::vector<std::uint32_t> order;
    for (std::uint32_t r = 0; r < raters.size(); ++r)
        if (t.column(r))
            order.push_back(r);
    std::vector<std::uint8_t> labelled(t.units, 0);
    for (std::uint32_t r : order) {
        const std::int8_t *column = t.column(r)->data();
        for (std::size_t u = 0; u < t.units; ++u)
            labelled[u] |= static_cast<std::uint8_t>(column[u] != kMissing);
    }
    f.units = std::count(labelled.begin(), labelled.end(), 1);

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

    auto compare = [&](std::uint32_t x, std::uint32_t y, Comparison c) {
        ConfusionMatrix m = crossTabulate(*t.column(x), *t.column(y), t.k);
        if (m.n > 0)
            f.pairs.push_back(comparePair(raters[x].id, raters[y].id, c, t.facet, std::move(m), options));
    };
    for (std::size_t i = 0; i < humans.size(); ++i)
        for (std::size_t j = i + 1; j < humans.size(); ++j)
            compare(humans[i], humans[j], Comparison::HumanHuman);
    for (std::uint32_t judge : judges)
        for (std::uint32_t human : humans)
            compare(judge, human, Comparison::JudgeHuman);

    std::vector<std::string> humanIds;
    for (std::uint32_t h : humans)
        humanIds.push_back(raters[h].id);
    if (!judges.empty()) {
        const std::vector<std::int8_t> majority = humanMajority(t, humans);
        const auto kk = static_cast<std::size_t>(t.k);
        for (std::uint32_t judge : judges) {
            // Shared units: those the judge and some human labelled; without a majority, counted.
            std::vector<std::int64_t> cells(kk * kk, 0);
            std::int64_t shared = 0, noMajority = 0;
            const std::vector<std::int8_t> &column = *t.column(judge);
            for (std::size_t u = 0; u < t.units; ++u) {
                if (column[u] == kMissing || majority[u] == kNoHumanLabel)
                    continue;
                ++shared;
                if (majority[u] == kMissing)
                    ++noMajority;
                else
                    ++cells[static_cast<std::size_t>(majority[u]) * kk + static_cast<std::size_t>(column[u])];
            }
            if (shared == 0)
                continue;
            PairAgreement p =
                comparePair(std::string(kMajority), raters[judge].id, Comparison::JudgeMajority, t.facet,
                            ConfusionMatrix::fromCounts(t.k, std::move(cells)), options);
            p.noMajority = noMajority;
            f.pairs.push_back(std::move(p));
        }
    }
    for (std::uint32_t gold : golds) {
        for (std::uint32_t r : humans)
            compare(r, gold, Comparison::RaterGold);
        for (std::uint32_t r : judges)
            compare(r, gold, Comparison::RaterGold);
    }

    f.multi = multiRater(humanIds, t, humans);
    for (const PairAgreement &p : f.pairs) {
        if (p.comparison != Comparison::JudgeMajority)
            continue;
        const auto judge = std::find_if(judges.begin(), judges.end(),
                                        [&](std::uint32_t j) { return raters[j].id == p.raterB; });
        f.headlines.push_back(headline(p, f.pairs, jointIntervals(t, *judge, humans, options)));
    }
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

Json number(const std::optional<double> &v) { return v ? Json(*v) : Json(nullptr); }

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
        hj["kappa_difference"] = number(h.difference);
        hj["kappa_difference_ci95"] = interval(h.differenceCiLow, h.differenceCiHigh);
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

std::string percent(const std::optional<double> &v) { return v ? fixed(*v * 100, 1) + "%" : "n/a"; }

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
                       bracket(h.judgeHumanCiLow, h.judgeHumanCiHigh), "over " + pairs(h.judgeHumanPairs)},
                      {"judge minus humans", "difference " + fixed(h.difference),
                       bracket(h.differenceCiLow, h.differenceCiHigh), "judge-human mean - human mean"}},
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

Result<std::uint32_t> LabelSet::addRater(std::string_view id, RaterKind kind, std::string_view name)
{
    if (auto it = m_raterIndex.find(id); it != m_raterIndex.end()) {
        if (m_raters[it->second].kind != kind)
            return invalidInput("rater \"" + std::string(id) + "\" is a " +
                                std::string(toString(m_raters[it->second].kind)) + ", not a " +
                                std::string(toString(kind)));
        return it->second;
    }
    const auto index = static_cast<std::uint32_t>(m_raters.size());
    m_raters.push_back({std::string(id), kind, std::string(name)});
    m_raterIndex.emplace(std::string(id), index);
    return index;
}

void LabelSet::rehashItems(std::size_t capacity)
{
    std::size_t size = 16;
    while (size < 2 * capacity)
        size *= 2;
    if (size <= m_itemSlots.size())
        return;
    m_itemSlots.assign(size, 0);
    const std::size_t mask = size - 1;
    for (std::size_t i = 0; i < m_items.size(); ++i) {
        std::size_t slot = std::hash<std::string_view>{}(m_items[i].id) & mask;
        while (m_itemSlots[slot] != 0)
            slot = (slot + 1) & mask;
        m_itemSlots[slot] = static_cast<std::uint32_t>(i + 1);
    }
}

void LabelSet::reserveItems(std::size_t items)
{
    m_items.reserve(items);
    rehashItems(items);
}

std::optional<std::uint32_t> LabelSet::findItem(std::string_view id) const
{
    if (m_itemSlots.empty())
        return std::nullopt;
    const std::size_t mask = m_itemSlots.size() - 1;
    for (std::size_t slot = std::hash<std::string_view>{}(id)&mask; m_itemSlots[slot] != 0;
         slot = (slot + 1) & mask) {
        if (m_items[m_itemSlots[slot] - 1].id == id)
            return m_itemSlots[slot] - 1;
    }
    return std::nullopt;
}

Result<std::uint32_t> LabelSet::addItem(ItemAttributes item)
{
    // Answers are numbered 2·item + slot in 32 bits.
    if (m_items.size() >= std::numeric_limits<std::uint32_t>::max() / 2)
        return invalidInput("too many items");
    rehashItems(m_items.size() + 1);
    const std::size_t mask = m_itemSlots.size() - 1;
    std::size_t slot = std::hash<std::string_view>{}(item.id) & mask;
    for (; m_itemSlots[slot] != 0; slot = (slot + 1) & mask) {
        if (m_items[m_itemSlots[slot] - 1].id == item.id)
            return invalidInput("item \"" + item.id + "\" was added twice");
    }
    const auto index = static_cast<std::uint32_t>(m_items.size());
    m_itemSlots[slot] = index + 1;
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
    const auto item = findItem(itemId);
    if (!item)
        return invalidInput("unknown item \"" + std::string(itemId) + "\"");
    const auto values = valuesOf(facet);
    const auto v = std::find(values.begin(), values.end(), value);
    if (v == values.end())
        return invalidInput("\"" + std::string(value) + "\" is not a value of " +
                            std::string(toString(facet)));
    auto rater = addRater(raterId, kind);
    if (!rater)
        return rater.error();
    return add(CurrentLabel{*rater, *item, facet, slot, static_cast<std::uint8_t>(v - values.begin())});
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

AgreementInput agreementInput(const LabelSet &set, const std::vector<Facet> &facets,
                              std::optional<Grouping> grouping)
{
    AgreementInput in;
    in.raters = set.raters();
    in.items = set.items().size();
    std::array<bool, kFacets.size()> wanted{};
    for (Facet f : facets) {
        wanted[facetIndex(f)] = true;
        in.columns[facetIndex(f)].resize(in.raters.size());
    }
    // Of two labels of a rater on one unit the one added last counts, as LabelSet documents.
    for (const CurrentLabel &l : set.labels()) {
        const std::size_t f = facetIndex(l.facet);
        if (!wanted[f])
            continue;
        std::vector<std::int8_t> &column = in.columns[f][l.rater];
        if (column.empty())
            column.assign(in.items * (isPerAnswer(l.facet) ? 2 : 1), kMissing);
        column[unitOf(l)] = static_cast<std::int8_t>(l.value);
    }
    in.grouping = grouping;
    if (grouping) {
        std::map<std::string, std::uint32_t, std::less<>> index;
        in.itemGroup.reserve(in.items);
        for (const ItemAttributes &item : set.items()) {
            std::string name = groupOf(item, *grouping);
            auto it = index.find(name);
            if (it == index.end()) {
                it = index.emplace(name, static_cast<std::uint32_t>(in.groups.size())).first;
                in.groups.push_back(std::move(name));
            }
            in.itemGroup.push_back(it->second);
        }
    }
    return in;
}

AgreementReport measureAgreement(const AgreementInput &in, const AgreementOptions &options)
{
    AgreementReport report;
    report.groupBy = in.grouping;
    report.bootstrapResamples = std::max(options.bootstrapResamples, 0);
    report.seed = options.seed;
    for (Facet f : options.facets)
        report.facets.push_back(measureFacet(in.raters, tableOf(in, f), options));
    if (!in.grouping)
        return report;

    // A group is listed when at least one of its items has a label on a requested facet, in the
    // order of its sort key.
    std::vector<bool> labelled(in.groups.size(), false);
    for (Facet f : options.facets) {
        const FacetTable t = tableOf(in, f);
        const std::size_t perItem = isPerAnswer(f) ? 2 : 1;
        for (std::size_t r = 0; r < t.columns.size(); ++r)
            if (const auto *column = t.column(r))
                for (std::size_t u = 0; u < t.units; ++u)
                    if ((*column)[u] != kMissing)
                        labelled[in.itemGroup[u / perItem]] = true;
    }
    std::set<std::pair<std::pair<std::size_t, std::string>, std::uint32_t>> groups;
    for (std::uint32_t g = 0; g < in.groups.size(); ++g)
        if (labelled[g])
            groups.insert({groupSortKey(in.groups[g], *in.grouping), g});
    for (const auto &[key, g] : groups) {
        GroupAgreement group;
        group.value = in.groups[g];
        for (Facet f : options.facets) {
            const FacetTable all = tableOf(in, f);
            const Columns columns = restrictTo(all, in.itemGroup, g);
            group.facets.push_back(measureFacet(in.raters, {f, all.k, all.units, columns}, options));
        }
        report.groups.push_back(std::move(group));
    }
    return report;
}

AgreementReport measureAgreement(const LabelSet &set, const AgreementOptions &options)
{
    return measureAgreement(agreementInput(set, options.facets, options.groupBy), options);
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
    if (!report.positionConsistency.empty()) {
        Json consistency = Json::object();
        for (const auto &[judge, c] : report.positionConsistency)
            consistency[judge] = Json{{"items", c.items}, {"consistent", c.consistent}, {"rate", c.rate()}};
        j["position_consistency"] = std::move(consistency);
    }
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
    if (!report.positionConsistency.empty()) {
        out += "\nJudge position consistency (same preference with the answers swapped):\n";
        for (const auto &[judge, c] : report.positionConsistency) {
            char line[96];
            std::snprintf(line, sizeof line, ": %.1f%% of %lld items (%lld consistent)\n", 100.0 * c.rate(),
                          static_cast<long long>(c.items), static_cast<long long>(c.consistent));
            out += "  " + judge + line;
        }
    }
    return out;
}

// The memory a project's labels take: 12 bytes each.
static_assert(sizeof(CurrentLabel) == 12);

std::vector<UnitRef> unitsInCell(const LabelSet &labels, Facet facet, const PairAgreement &pair, int row,
                                 int column)
{
    const AgreementInput in = agreementInput(labels, {facet});
    const FacetTable t = tableOf(in, facet);
    const auto &raters = labels.raters();
    auto columnOf = [&](std::string_view id) -> const std::vector<std::int8_t> * {
        for (std::uint32_t r = 0; r < raters.size(); ++r)
            if (raters[r].id == id)
                return t.column(r);
        return nullptr;
    };
    std::vector<std::int8_t> majority;
    const std::vector<std::int8_t> *a = nullptr;
    const std::string_view raterA = pair.raterA, raterB = pair.raterB;
    if (pair.comparison == Comparison::JudgeMajority) {
        std::vector<std::uint32_t> humans;
        for (std::uint32_t r = 0; r < raters.size(); ++r)
            if (raters[r].kind == RaterKind::Human)
                humans.push_back(r);
        majority = humanMajority(t, humans);
        a = &majority;
    } else {
        a = columnOf(raterA);
    }
    const std::vector<std::int8_t> *b = columnOf(raterB);
    std::vector<UnitRef> out;
    if (!a || !b || row < 0 || row >= t.k || column < 0 || column >= t.k)
        return out;
    for (std::size_t u = 0; u < t.units; ++u) {
        if ((*a)[u] != row || (*b)[u] != column)
            continue;
        if (isPerAnswer(facet))
            out.push_back({labels.items()[u / 2].id, u % 2 ? Slot::B : Slot::A});
        else
            out.push_back({labels.items()[u].id, std::nullopt});
    }
    return out;
}

} // namespace concord::model
