#include "agreement.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <random>

namespace concord::model {

namespace {

constexpr std::string_view kNoPairs = "no unit labelled by both raters";
constexpr std::string_view kOneCategory = "both raters used one category only";

std::string invalid(std::string_view why)
{
    return "invalid input: " + std::string(why);
}

std::string checkK(int k)
{
    if (k < 1 || k > kMaxCategories)
        return invalid("the number of categories k = " + std::to_string(k) + " is outside [1, " +
                       std::to_string(kMaxCategories) + "]");
    return {};
}

/// Empty when every entry of `labels` is kMissing or in [0, k).
std::string checkLabels(const std::vector<int> &labels, int k, std::string_view who)
{
    for (std::size_t u = 0; u < labels.size(); ++u) {
        if (labels[u] < kMissing || labels[u] >= k)
            return invalid(std::string(who) + " has label index " + std::to_string(labels[u]) + " at unit " +
                           std::to_string(u) + ", outside [-1, " + std::to_string(k) + ")");
    }
    return {};
}

std::string checkMatrix(const LabelMatrix &ratings, int k)
{
    if (auto why = checkK(k); !why.empty())
        return why;
    for (std::size_t r = 0; r < ratings.size(); ++r) {
        if (ratings[r].size() != ratings.front().size())
            return invalid("rater " + std::to_string(r) + " has " + std::to_string(ratings[r].size()) +
                           " units, rater 0 has " + std::to_string(ratings.front().size()));
        if (auto why = checkLabels(ratings[r], k, "rater " + std::to_string(r)); !why.empty())
            return why;
    }
    return {};
}

/// Empty when `m` is a well-formed k×k matrix whose n is the sum of its cells.
std::string checkConfusion(const ConfusionMatrix &m)
{
    if (!m.note.empty())
        return m.note;
    if (auto why = checkK(m.k); !why.empty())
        return why;
    const auto k = static_cast<std::size_t>(m.k);
    if (m.cells.size() != k * k)
        return invalid("a confusion matrix for k = " + std::to_string(m.k) + " needs " +
                       std::to_string(k * k) + " cells, not " + std::to_string(m.cells.size()));
    std::int64_t sum = 0;
    for (const auto c : m.cells) {
        if (c < 0)
            return invalid("a confusion matrix holds the negative count " + std::to_string(c));
        sum += c;
    }
    if (sum != m.n)
        return invalid("a confusion matrix's n = " + std::to_string(m.n) + " is not the sum of its cells, " +
                       std::to_string(sum));
    return {};
}

/// True when both raters put all n > 0 units in one and the same category, the only way pe = 1.
/// Decided on integers, so it does not hinge on how 1 − pe rounds.
bool oneCategoryOnly(const std::vector<std::int64_t> &cells, int k, std::int64_t n)
{
    for (int q = 0; q < k; ++q) {
        if (cells[static_cast<std::size_t>(q) * static_cast<std::size_t>(k) + static_cast<std::size_t>(q)] ==
            n)
            return true;
    }
    return false;
}

struct KappaParts
{
    double po = 0;
    double pe = 0;
    double kappa = 0;
    double var = 0;
    double var0 = 0;
};

/// Cohen's kappa and its variances for a valid k×k table with n > 0 and pe < 1.
/// Mirrors statsmodels 0.13 `stats/inter_rater.py`, `cohens_kappa` (simple kappa branch), term for
/// term, so results agree to rounding: the variance is Fleiss, Cohen & Everitt (1969), as in
/// Fleiss, Levin & Paik, "Statistical Methods for Rates and Proportions" (3rd ed.), eq. 18.15;
/// the variance under H0 is their eq. 18.11.
KappaParts kappaParts(const std::vector<std::int64_t> &cells, int k, std::int64_t n, bool withVariance)
{
    const auto kk = static_cast<std::size_t>(k);
    const auto nobs = static_cast<double>(n);
    std::vector<double> freqRow(kk, 0.0);
    std::vector<double> freqCol(kk, 0.0);
    std::int64_t agree = 0;
    for (std::size_t i = 0; i < kk; ++i) {
        std::int64_t row = 0;
        std::int64_t col = 0;
        for (std::size_t j = 0; j < kk; ++j) {
            row += cells[i * kk + j];
            col += cells[j * kk + i];
        }
        freqRow[i] = static_cast<double>(row) / nobs;
        freqCol[i] = static_cast<double>(col) / nobs;
        agree += cells[i * kk + i];
    }
    KappaParts p;
    for (std::size_t i = 0; i < kk; ++i)
        p.pe += freqCol[i] * freqRow[i];
    p.po = static_cast<double>(agree) / nobs;
    p.kappa = (p.po - p.pe) / (1 - p.pe);
    if (!withVariance)
        return p;

    const double oneMinusKappa = 1 - p.kappa;
    double termA = 0;
    double termB = 0;
    for (std::size_t i = 0; i < kk; ++i) {
        const double probsDiag = static_cast<double>(cells[i * kk + i]) / nobs;
        const double t = 1 - (freqRow[i] + freqCol[i]) * oneMinusKappa;
        termA += probsDiag * t * t;
        for (std::size_t j = 0; j < kk; ++j) {
            if (i == j)
                continue;
            const double s = freqCol[i] + freqRow[j];
            termB += static_cast<double>(cells[i * kk + j]) / nobs * s * s;
        }
    }
    termB *= oneMinusKappa * oneMinusKappa;
    const double c = p.kappa - p.pe * oneMinusKappa;
    const double termC = c * c;
    const double denom = (1 - p.pe) * (1 - p.pe);
    p.var = (termA + termB - termC) / denom / nobs;

    double cross = 0;
    for (std::size_t i = 0; i < kk; ++i)
        cross += freqCol[i] * freqRow[i] * (freqCol[i] + freqRow[i]);
    p.var0 = (p.pe + p.pe * p.pe - cross) / (denom * nobs);
    return p;
}

/// Both variances are non-negative in exact arithmetic; a negative value is rounding (it happens
/// at perfect agreement, where the true variance is 0). sqrt of it would be NaN.
double seFromVariance(double var)
{
    return std::sqrt(std::max(var, 0.0));
}

/// An integer uniform on [0, bound), bound > 0, by rejection: drawing u uniform on [0, 2^64) and
/// rejecting u < 2^64 mod bound leaves a range that is a whole multiple of bound, so u % bound is
/// exactly uniform. Unlike std::uniform_int_distribution, the mapping is ours and so the same on
/// every standard library.
std::uint64_t uniformBelow(std::mt19937_64 &gen, std::uint64_t bound)
{
    const std::uint64_t threshold = (0 - bound) % bound; // 2^64 mod bound, in unsigned arithmetic
    for (;;) {
        const std::uint64_t u = gen();
        if (u >= threshold)
            return u % bound;
    }
}

/// Hyndman & Fan (1996) type 7 quantile of sorted, non-empty `xs`, p in [0, 1].
double quantileType7(const std::vector<double> &xs, double p)
{
    const double h = (static_cast<double>(xs.size()) - 1) * p;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, xs.size() - 1);
    return xs[lo] + (h - static_cast<double>(lo)) * (xs[hi] - xs[lo]);
}

FleissKappa fleissFromValidCounts(const std::vector<std::vector<std::int64_t>> &table, std::int64_t m,
                                  std::size_t k)
{
    // statsmodels 0.13 `stats/inter_rater.py`, `fleiss_kappa(method='fleiss')`, itself Fleiss
    // (1971) eqs. 2-9: p_j = column share, P_i = (Σ_j n_ij² − m) / (m(m − 1)), P̄ = mean P_i,
    // P̄e = Σ p_j², kappa = (P̄ − P̄e) / (1 − P̄e).
    FleissKappa r;
    r.units = static_cast<std::int64_t>(table.size());
    r.raters = static_cast<int>(m);
    if (table.empty()) {
        r.note = "no unit labelled by every rater";
        return r;
    }
    const std::int64_t total = r.units * m;
    std::vector<std::int64_t> colSum(k, 0);
    double pRatSum = 0;
    const auto md = static_cast<double>(m);
    for (const auto &row : table) {
        std::int64_t squares = 0;
        for (std::size_t j = 0; j < k; ++j) {
            colSum[j] += row[j];
            squares += row[j] * row[j];
        }
        pRatSum += static_cast<double>(squares - m) / (md * (md - 1.0));
    }
    const double pMean = pRatSum / static_cast<double>(r.units);
    double pe = 0;
    for (std::size_t j = 0; j < k; ++j) {
        const double pCat = static_cast<double>(colSum[j]) / static_cast<double>(total);
        pe += pCat * pCat;
    }
    const bool single = std::any_of(colSum.begin(), colSum.end(), [&](auto c) { return c == total; });
    r.pBar = pMean;
    if (single) {
        r.pe = 1.0;
        r.note = "every rating is in one category";
        return r;
    }
    r.pe = pe;
    r.kappa = (pMean - pe) / (1 - pe);
    return r;
}

} // namespace

Result<std::vector<int>> encodeLabels(const std::vector<std::optional<std::string>> &values,
                                      std::span<const std::string_view> categories)
{
    std::vector<int> out;
    out.reserve(values.size());
    for (std::size_t u = 0; u < values.size(); ++u) {
        if (!values[u]) {
            out.push_back(kMissing);
            continue;
        }
        const auto it = std::find(categories.begin(), categories.end(), std::string_view(*values[u]));
        if (it == categories.end()) {
            std::string allowed;
            for (const auto c : categories)
                allowed += (allowed.empty() ? "" : ", ") + std::string(c);
            return makeError(Error::Code::InvalidInput, "unknown label \"" + *values[u] + "\" at unit " +
                                                            std::to_string(u) + "; allowed: " + allowed);
        }
        out.push_back(static_cast<int>(it - categories.begin()));
    }
    return out;
}

ConfusionMatrix ConfusionMatrix::fromCounts(int k, std::vector<std::int64_t> cells)
{
    ConfusionMatrix m;
    m.k = k;
    m.cells = std::move(cells);
    for (const auto c : m.cells)
        m.n += c;
    m.note = checkConfusion(m);
    if (!m.note.empty()) {
        m.cells.clear();
        m.n = 0;
    }
    return m;
}

std::int64_t ConfusionMatrix::at(int i, int j) const
{
    return cells[static_cast<std::size_t>(i) * static_cast<std::size_t>(k) + static_cast<std::size_t>(j)];
}

std::int64_t ConfusionMatrix::rowTotal(int i) const
{
    std::int64_t s = 0;
    for (int j = 0; j < k; ++j)
        s += at(i, j);
    return s;
}

std::int64_t ConfusionMatrix::colTotal(int j) const
{
    std::int64_t s = 0;
    for (int i = 0; i < k; ++i)
        s += at(i, j);
    return s;
}

std::int64_t ConfusionMatrix::agreements() const
{
    std::int64_t s = 0;
    for (int i = 0; i < k; ++i)
        s += at(i, i);
    return s;
}

ConfusionMatrix confusion(const std::vector<int> &a, const std::vector<int> &b, int k)
{
    ConfusionMatrix m;
    m.k = k;
    m.note = checkK(k);
    if (m.note.empty() && a.size() != b.size())
        m.note = invalid("rater a has " + std::to_string(a.size()) + " units, rater b has " +
                         std::to_string(b.size()));
    if (m.note.empty())
        m.note = checkLabels(a, k, "rater a");
    if (m.note.empty())
        m.note = checkLabels(b, k, "rater b");
    if (!m.note.empty())
        return m;

    const auto kk = static_cast<std::size_t>(k);
    m.cells.assign(kk * kk, 0);
    for (std::size_t u = 0; u < a.size(); ++u) {
        if (a[u] == kMissing || b[u] == kMissing) {
            ++m.missing;
            continue;
        }
        ++m.cells[static_cast<std::size_t>(a[u]) * kk + static_cast<std::size_t>(b[u])];
        ++m.n;
    }
    return m;
}

PercentAgreement percentAgreement(const ConfusionMatrix &m)
{
    PercentAgreement r;
    r.note = checkConfusion(m);
    if (!r.note.empty())
        return r;
    r.n = m.n;
    if (m.n == 0) {
        r.note = kNoPairs;
        return r;
    }
    r.agreements = m.agreements();
    r.po = static_cast<double>(r.agreements) / static_cast<double>(m.n);
    return r;
}

PercentAgreement percentAgreement(const std::vector<int> &a, const std::vector<int> &b, int k)
{
    return percentAgreement(confusion(a, b, k));
}

CohenKappa cohenKappa(const ConfusionMatrix &m)
{
    CohenKappa r;
    r.note = checkConfusion(m);
    if (!r.note.empty())
        return r;
    r.n = m.n;
    if (m.n == 0) {
        r.note = kNoPairs;
        return r;
    }
    if (oneCategoryOnly(m.cells, m.k, m.n)) {
        r.po = 1.0;
        r.pe = 1.0;
        r.note = kOneCategory;
        return r;
    }
    const auto p = kappaParts(m.cells, m.k, m.n, true);
    r.po = p.po;
    r.pe = p.pe;
    r.kappa = p.kappa;
    r.se = seFromVariance(p.var);
    r.se0 = seFromVariance(p.var0);
    r.ciLow = p.kappa - kZ975 * *r.se;
    r.ciHigh = p.kappa + kZ975 * *r.se;
    return r;
}

CohenKappa cohenKappa(const std::vector<int> &a, const std::vector<int> &b, int k)
{
    return cohenKappa(confusion(a, b, k));
}

GwetAc1 gwetAc1(const ConfusionMatrix &m)
{
    // Gwet (2008), "Computing inter-rater reliability and its variance in the presence of high
    // agreement", Br J Math Stat Psychol 61:29-48, eqs. 4-5 (two raters, Q categories).
    GwetAc1 r;
    r.note = checkConfusion(m);
    if (!r.note.empty())
        return r;
    r.n = m.n;
    if (m.n == 0) {
        r.note = kNoPairs;
        return r;
    }
    const auto nd = static_cast<double>(m.n);
    r.po = static_cast<double>(m.agreements()) / nd;
    if (m.k < 2) {
        r.note = "AC1 needs at least two categories";
        return r;
    }
    double sum = 0;
    for (int q = 0; q < m.k; ++q) {
        const double pi =
            (static_cast<double>(m.rowTotal(q)) / nd + static_cast<double>(m.colTotal(q)) / nd) / 2;
        sum += pi * (1 - pi);
    }
    const double pe = sum / (m.k - 1);
    r.pe = pe;
    r.ac1 = (*r.po - pe) / (1 - pe);
    return r;
}

GwetAc1 gwetAc1(const std::vector<int> &a, const std::vector<int> &b, int k)
{
    return gwetAc1(confusion(a, b, k));
}

Pabak pabak(const ConfusionMatrix &m)
{
    // Byrt, Bishop & Carlin (1993), "Bias, prevalence and kappa", J Clin Epidemiol 46:423-429:
    // PABAK = 2po − 1 for two categories; with k categories chance is 1/k, giving (k·po − 1)/(k − 1).
    Pabak r;
    r.note = checkConfusion(m);
    if (!r.note.empty())
        return r;
    r.n = m.n;
    if (m.n == 0) {
        r.note = kNoPairs;
        return r;
    }
    r.po = static_cast<double>(m.agreements()) / static_cast<double>(m.n);
    if (m.k < 2) {
        r.note = "PABAK needs at least two categories";
        return r;
    }
    r.pabak = (m.k * *r.po - 1) / (m.k - 1);
    return r;
}

Pabak pabak(const std::vector<int> &a, const std::vector<int> &b, int k)
{
    return pabak(confusion(a, b, k));
}

BootstrapCi bootstrapKappaCi(const std::vector<int> &a, const std::vector<int> &b, int k,
                             const BootstrapOptions &options)
{
    BootstrapCi r;
    const auto m = confusion(a, b, k);
    if (!m.note.empty()) {
        r.note = m.note;
        return r;
    }
    if (options.resamples < 1) {
        r.note = invalid("resamples = " + std::to_string(options.resamples) + " is not positive");
        return r;
    }
    if (!(options.level > 0 && options.level < 1)) {
        r.note = invalid("level = " + std::to_string(options.level) + " is outside (0, 1)");
        return r;
    }
    r.n = m.n;
    r.resamples = options.resamples;
    if (m.n == 0) {
        r.note = kNoPairs;
        return r;
    }
    if (oneCategoryOnly(m.cells, k, m.n)) {
        r.note = kOneCategory;
        return r;
    }

    // Each resample needs only its k×k table, so the units are kept as cell indices.
    const auto kk = static_cast<std::size_t>(k);
    std::vector<std::size_t> units;
    units.reserve(static_cast<std::size_t>(m.n));
    for (std::size_t u = 0; u < a.size(); ++u) {
        if (a[u] != kMissing && b[u] != kMissing)
            units.push_back(static_cast<std::size_t>(a[u]) * kk + static_cast<std::size_t>(b[u]));
    }

    std::mt19937_64 gen(options.seed);
    std::vector<double> kappas;
    kappas.reserve(static_cast<std::size_t>(options.resamples));
    std::vector<std::int64_t> cells(kk * kk);
    const auto bound = static_cast<std::uint64_t>(units.size());
    for (int s = 0; s < options.resamples; ++s) {
        std::fill(cells.begin(), cells.end(), 0);
        for (std::size_t i = 0; i < units.size(); ++i)
            ++cells[units[static_cast<std::size_t>(uniformBelow(gen, bound))]];
        if (oneCategoryOnly(cells, k, m.n)) {
            ++r.skipped;
            continue;
        }
        kappas.push_back(kappaParts(cells, k, m.n, false).kappa);
    }
    r.used = static_cast<int>(kappas.size());
    if (r.used < 2) {
        r.note = "fewer than two resamples had a defined kappa";
        return r;
    }
    std::sort(kappas.begin(), kappas.end());
    r.ciLow = quantileType7(kappas, (1 - options.level) / 2);
    r.ciHigh = quantileType7(kappas, (1 + options.level) / 2);
    if (r.skipped > 0)
        r.note = std::to_string(r.skipped) + " of " + std::to_string(r.resamples) +
                 " resamples had an undefined kappa and were skipped";
    return r;
}

FleissKappa fleissKappa(const LabelMatrix &ratings, int k)
{
    FleissKappa r;
    if (ratings.size() < 2) {
        r.note = invalid("Fleiss' kappa needs at least two raters");
        return r;
    }
    if (auto why = checkMatrix(ratings, k); !why.empty()) {
        r.note = why;
        return r;
    }
    const auto kk = static_cast<std::size_t>(k);
    const std::size_t unitCount = ratings.front().size();
    std::vector<std::vector<std::int64_t>> table;
    std::int64_t dropped = 0;
    for (std::size_t u = 0; u < unitCount; ++u) {
        std::vector<std::int64_t> row(kk, 0);
        bool complete = true;
        for (const auto &rater : ratings) {
            if (rater[u] == kMissing) {
                complete = false;
                break;
            }
            ++row[static_cast<std::size_t>(rater[u])];
        }
        if (complete)
            table.push_back(std::move(row));
        else
            ++dropped;
    }
    r = fleissFromValidCounts(table, static_cast<std::int64_t>(ratings.size()), kk);
    r.unitsDropped = dropped;
    return r;
}

FleissKappa fleissKappaFromCounts(const std::vector<std::vector<std::int64_t>> &counts)
{
    FleissKappa r;
    if (counts.empty()) {
        r.note = "no unit labelled by every rater";
        return r;
    }
    const std::size_t k = counts.front().size();
    if (auto why = checkK(static_cast<int>(std::min<std::size_t>(k, kMaxCategories + 1))); !why.empty()) {
        r.note = why;
        return r;
    }
    std::int64_t m = -1;
    for (std::size_t u = 0; u < counts.size(); ++u) {
        if (counts[u].size() != k) {
            r.note = invalid("unit " + std::to_string(u) + " has " + std::to_string(counts[u].size()) +
                             " category counts, unit 0 has " + std::to_string(k));
            return r;
        }
        std::int64_t sum = 0;
        for (const auto c : counts[u]) {
            if (c < 0) {
                r.note =
                    invalid("unit " + std::to_string(u) + " has the negative count " + std::to_string(c));
                return r;
            }
            sum += c;
        }
        if (m < 0)
            m = sum;
        if (sum != m) {
            r.note = invalid("unit " + std::to_string(u) + " has " + std::to_string(sum) +
                             " ratings, unit 0 has " + std::to_string(m));
            return r;
        }
    }
    if (m < 2) {
        r.note = invalid("Fleiss' kappa needs at least two raters");
        return r;
    }
    return fleissFromValidCounts(counts, m, k);
}

KrippendorffAlpha krippendorffAlphaNominal(const LabelMatrix &ratings, int k)
{
    // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C (nominal data,
    // any number of observers, missing values): the coincidence matrix counts, within each unit
    // u with m_u ≥ 2 values, every ordered pair of values from different observers with weight
    // 1/(m_u − 1). For nominal data only its off-diagonal total matters:
    //   Σ_{c≠k} o_ck = Σ_u (m_u² − Σ_c n_uc²) / (m_u − 1),  n_c = Σ_u n_uc,
    //   alpha = 1 − (n − 1) Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k.
    KrippendorffAlpha r;
    if (ratings.empty()) {
        r.note = invalid("no raters");
        return r;
    }
    if (auto why = checkMatrix(ratings, k); !why.empty()) {
        r.note = why;
        return r;
    }
    const auto kk = static_cast<std::size_t>(k);
    std::vector<std::int64_t> nc(kk, 0);
    std::vector<std::int64_t> nuc(kk, 0);
    double offDiagonal = 0;
    for (std::size_t u = 0; u < ratings.front().size(); ++u) {
        std::fill(nuc.begin(), nuc.end(), 0);
        std::int64_t mu = 0;
        for (const auto &rater : ratings) {
            if (rater[u] != kMissing) {
                ++nuc[static_cast<std::size_t>(rater[u])];
                ++mu;
            }
        }
        if (mu < 2)
            continue;
        std::int64_t squares = 0;
        for (std::size_t c = 0; c < kk; ++c) {
            squares += nuc[c] * nuc[c];
            nc[c] += nuc[c];
        }
        offDiagonal += static_cast<double>(mu * mu - squares) / static_cast<double>(mu - 1);
        ++r.units;
        r.pairableValues += mu;
    }
    if (r.units == 0) {
        r.note = "no unit has two or more labels";
        return r;
    }
    const std::int64_t n = r.pairableValues;
    std::int64_t squares = 0;
    for (const auto c : nc)
        squares += c * c;
    const std::int64_t expectedPairs = n * n - squares; // Σ_{c≠k} n_c n_k
    const auto nd = static_cast<double>(n);
    r.observedDisagreement = offDiagonal / nd;
    r.expectedDisagreement = static_cast<double>(expectedPairs) / (nd * (nd - 1));
    if (expectedPairs == 0) {
        r.note = "every pairable label is in one category";
        return r;
    }
    r.alpha = 1 - (nd - 1) * offDiagonal / static_cast<double>(expectedPairs);
    return r;
}

} // namespace concord::model
