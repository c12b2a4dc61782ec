#include "agreement.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <random>

namespace concord::model {

namespace {

constexpr std::string_view kNoPairs = "no unit labelled by both raters";
constexpr std::string_view kOneCategory = "both raters used one category only";

std::string invalid(std::string_view why) { return "invalid input: " + std::string(why); }

std::string checkK(int k)
{
    if (k < 1 || k > kMaxCategories)
        return invalid("the number of categories k = " + std::to_string(k) + " is outside [1, " +
                       std::to_string(kMaxCategories) + "]");
    return {};
}

/// Empty when every entry of `labels` is kMissing or in [0, k).
template <typename Label>
std::string checkLabels(const std::vector<Label> &labels, int k, std::string_view who)
{
    for (std::size_t u = 0; u < labels.size(); ++u) {
        if (labels[u] < kMissing || labels[u] >= k)
            return invalid(std::string(who) + " has label index " + std::to_string(labels[u]) + " at unit " +
                           std::to_string(u) + ", outside [-1, " + std::to_string(k) + ")");
    }
    return {};
}

template <typename Matrix> std::string checkMatrix(const Matrix &ratings, int k)
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

/// True when one of the raters put every unit in the same category (a row or a column holds all n).
bool oneRaterOneCategory(const ConfusionMatrix &m)
{
    for (int q = 0; q < m.k; ++q) {
        if (m.rowTotal(q) == m.n || m.colTotal(q) == m.n)
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
double seFromVariance(double var) { return std::sqrt(std::max(var, 0.0)); }

// ---- the bootstrap's random numbers ---------------------------------------------------------
//
// Every operation below is an IEEE-754 double operation that is correctly rounded (+, −, ×, /,
// sqrt, floor, frexp), or integer arithmetic, so the same seed gives the same draws on every
// platform with IEEE doubles and no contraction of a·b + c into a fused multiply-add (none on
// x86-64 without -mfma). That is why log and q^t are computed here rather than by <cmath>, whose
// results may differ by an ulp between C libraries. tests/stats/fixtures/make_fixtures.py
// implements the same arithmetic in Python and checks the resulting intervals.

/// A double uniform on (0, 1): the top 52 bits of one generator output, offset by half a step, so
/// that neither 0 nor 1 can occur (log of it is always finite).
double uniformOpen(std::mt19937_64 &gen) { return (static_cast<double>(gen() >> 12) + 0.5) * 0x1p-52; }

/// Natural log of a positive normal x: x = f·2^e with f in [√½, √2), then
/// ln f = 2 atanh(s) = 2(s + s³/3 + s⁵/5 + …), s = (f − 1)/(f + 1), |s| ≤ 0.172, summed to s²⁵
/// (the next term is below 2^-60 of the sum). Accurate to a few ulp.
double logPositive(double x)
{
    int e = 0;
    double f = std::frexp(x, &e);
    if (f < 0.70710678118654752) {
        f = f * 2;
        e = e - 1;
    }
    const double s = (f - 1) / (f + 1);
    const double z = s * s;
    double series = 1.0 / 25;
    for (int j = 23; j >= 3; j -= 2)
        series = series * z + 1.0 / j;
    return static_cast<double>(e) * 0.69314718055994531 + 2 * (s + s * z * series);
}

/// q^t by repeated squaring, t ≥ 0.
double powInteger(double q, std::int64_t t)
{
    double result = 1;
    double base = q;
    while (t > 0) {
        if (t & 1)
            result = result * base;
        base = base * base;
        t >>= 1;
    }
    return result;
}

/// log(k!) − [(k + ½) log(k + 1) − (k + 1) + ½ log(2π)], the Stirling series remainder used by BTRD
/// (Hörmann 1993, table and formula of step 3.3).
double stirlingCorrection(std::int64_t k)
{
    static constexpr double kTable[] = {0.08106146679532726, 0.04134069595540929, 0.02767792568499834,
                                        0.02079067210376509, 0.01664469118982119, 0.01387612882307075,
                                        0.01189670994589177, 0.01041126526197209, 0.009255462182712733,
                                        0.008330563433362871};
    if (k < 10)
        return kTable[k];
    const double k1 = static_cast<double>(k + 1);
    const double k1sq = k1 * k1;
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / k1sq) / k1sq) / k1;
}

/// Binomial(t, p) for t·p < 10 by inversion from 0 (Kachitvichyanukul & Schmeiser 1988, BINV),
/// restarted when the search passes t·p + 10·sqrt(t·p·q + 1).
std::int64_t binomialInversion(std::mt19937_64 &gen, std::int64_t t, double p, double q)
{
    const double s = p / q;
    const double a = static_cast<double>(t + 1) * s;
    const double r0 = powInteger(q, t);
    const double np = static_cast<double>(t) * p;
    const double bound = std::min(static_cast<double>(t), std::floor(np + 10 * std::sqrt(np * q + 1)));
    for (;;) {
        double u = uniformOpen(gen);
        double r = r0;
        std::int64_t x = 0;
        while (u > r) {
            u = u - r;
            x = x + 1;
            if (static_cast<double>(x) > bound)
                break;
            r = r * (a / static_cast<double>(x) - s);
        }
        if (static_cast<double>(x) <= bound)
            return x;
    }
}

/// Binomial(t, p) for t·p ≥ 10, p ≤ ½, by transformed rejection with decomposition: W. Hörmann
/// (1993), "The generation of binomial random variates", J. Statist. Comput. Simul. 46:101-110,
/// algorithm BTRD, step for step.
std::int64_t binomialBtrd(std::mt19937_64 &gen, std::int64_t t, double p, double q)
{
    const double n = static_cast<double>(t);
    const double mode = std::floor((n + 1) * p);
    const auto m = static_cast<std::int64_t>(mode);
    const double r = p / q;
    const double nr = (n + 1) * r;
    const double npq = n * p * q;
    const double sq = std::sqrt(npq);
    const double b = 1.15 + 2.53 * sq;
    const double a = -0.0873 + 0.0248 * b + 0.01 * p;
    const double c = n * p + 0.5;
    const double alpha = (2.83 + 5.1 / b) * sq;
    const double vr = 0.92 - 4.2 / b;
    const double urvr = 0.86 * vr;
    for (;;) {
        // Step 1: immediate acceptance in the centre.
        double v = uniformOpen(gen);
        double u = 0;
        if (v <= urvr) {
            u = v / vr - 0.43;
            const double kd = (2 * a / (0.5 - std::abs(u)) + b) * u + c;
            if (kd >= 0 && kd < n + 1) // always, for t·p ≥ 10; checked so that no draw leaves [0, t]
                return static_cast<std::int64_t>(std::floor(kd));
            continue;
        }
        // Step 2.
        if (v >= vr) {
            u = uniformOpen(gen) - 0.5;
        } else {
            u = v / vr - 0.93;
            u = (u < 0 ? -0.5 : 0.5) - u;
            v = uniformOpen(gen) * vr;
        }
        // Step 3.0.
        const double us = 0.5 - std::abs(u);
        if (!(us > 0))
            continue;
        const double kd = (2 * a / us + b) * u + c;
        if (!(kd >= 0 && kd < n + 1))
            continue;
        const double kf = std::floor(kd);
        const auto k = static_cast<std::int64_t>(kf);
        v = v * alpha / (a / (us * us) + b);
        const std::int64_t km = k > m ? k - m : m - k;
        if (km <= 15) {
            // Step 3.1: f(k)/f(m) by recursion.
            double f = 1;
            if (m < k) {
                for (std::int64_t i = m + 1; i <= k; ++i)
                    f = f * (nr / static_cast<double>(i) - r);
            } else if (m > k) {
                for (std::int64_t i = k + 1; i <= m; ++i)
                    v = v * (nr / static_cast<double>(i) - r);
            }
            if (v <= f)
                return k;
            continue;
        }
        // Step 3.2: squeeze.
        v = logPositive(v);
        const double kmd = static_cast<double>(km);
        const double rho = (kmd / npq) * (((kmd / 3 + 0.625) * kmd + 1.0 / 6) / npq + 0.5);
        const double tt = -kmd * kmd / (2 * npq);
        if (v < tt - rho)
            return k;
        if (v > tt + rho)
            continue;
        // Step 3.3: the final test.
        const double nm = n - mode + 1;
        const double h = (mode + 0.5) * logPositive((mode + 1) / (r * nm)) + stirlingCorrection(m) +
                         stirlingCorrection(t - m);
        const double nk = n - kf + 1;
        if (v <= h + (n + 1) * logPositive(nm / nk) + (kf + 0.5) * logPositive(nk * r / (kf + 1)) -
                     stirlingCorrection(k) - stirlingCorrection(t - k))
            return k;
    }
}

/// Binomial(t, c/m), 0 < c < m, t ≥ 0. p > ½ draws the complement, so both algorithms see p ≤ ½.
std::int64_t binomial(std::mt19937_64 &gen, std::int64_t t, std::int64_t c, std::int64_t m)
{
    if (t == 0)
        return 0;
    if (2 * c > m)
        return t - binomial(gen, t, m - c, m);
    const double p = static_cast<double>(c) / static_cast<double>(m);
    const double q = static_cast<double>(m - c) / static_cast<double>(m);
    if (static_cast<double>(t) * p < 10)
        return binomialInversion(gen, t, p, q);
    return binomialBtrd(gen, t, p, q);
}

/// One bootstrap resample of a k×k table of n units: n units drawn with replacement fall into the
/// cells as Multinomial(n, cells/n), drawn cell by cell in row-major order as
/// x_j ~ Binomial(n − Σ_{i<j} x_i, cells_j / (n − Σ_{i<j} cells_i)). Empty cells draw nothing; the
/// last non-empty cell takes the remaining trials.
void resampleTable(std::mt19937_64 &gen, const std::vector<std::int64_t> &cells, std::int64_t n,
                   std::vector<std::int64_t> &out)
{
    std::int64_t trials = n;
    std::int64_t mass = n;
    for (std::size_t j = 0; j < cells.size(); ++j) {
        out[j] = 0;
        if (cells[j] == 0 || trials == 0)
            continue;
        out[j] = cells[j] == mass ? trials : binomial(gen, trials, cells[j], mass);
        trials -= out[j];
        mass -= cells[j];
    }
}

/// Per-category counts of one unit, on the stack for the usual few categories: the multi-rater
/// statistics clear and fill one per unit.
class SmallCounts
{
public:
    explicit SmallCounts(std::size_t k) : m_k(k)
    {
        if (k > m_local.size())
            m_heap.resize(k);
        m_data = k > m_local.size() ? m_heap.data() : m_local.data();
    }
    SmallCounts(const SmallCounts &) = delete; // m_data may point into m_local
    SmallCounts &operator=(const SmallCounts &) = delete;
    void clear() { std::fill(m_data, m_data + m_k, 0); }
    std::int64_t &operator[](std::size_t i) { return m_data[i]; }
    const std::int64_t &operator[](std::size_t i) const { return m_data[i]; }

private:
    std::size_t m_k;
    std::array<std::int64_t, 8> m_local{};
    std::vector<std::int64_t> m_heap;
    std::int64_t *m_data;
};

/// Fleiss' kappa accumulated unit by unit, so that a caller with labels need not build a table.
/// statsmodels 0.13 `stats/inter_rater.py`, `fleiss_kappa(method='fleiss')`, itself Fleiss (1971)
/// eqs. 2-9: p_j = column share, P_i = (Σ_j n_ij² − m) / (m(m − 1)), P̄ = mean P_i,
/// P̄e = Σ p_j², kappa = (P̄ − P̄e) / (1 − P̄e).
class FleissAccumulator
{
public:
    FleissAccumulator(std::int64_t m, std::size_t k) : m_m(m), m_colSum(k, 0) {}

    /// One unit's counts per category, summing to m.
    template <typename Counts> void addUnit(const Counts &row)
    {
        std::int64_t squares = 0;
        for (std::size_t j = 0; j < m_colSum.size(); ++j) {
            const auto c = static_cast<std::int64_t>(row[j]);
            m_colSum[j] += c;
            squares += c * c;
        }
        const auto md = static_cast<double>(m_m);
        m_pRatSum += static_cast<double>(squares - m_m) / (md * (md - 1.0));
        ++m_units;
    }

    FleissKappa result() const
    {
        FleissKappa r;
        r.units = m_units;
        r.raters = static_cast<int>(m_m);
        if (m_units == 0) {
            r.note = "no unit labelled by every rater";
            return r;
        }
        const std::int64_t total = m_units * m_m;
        const double pMean = m_pRatSum / static_cast<double>(m_units);
        double pe = 0;
        for (const auto c : m_colSum) {
            const double pCat = static_cast<double>(c) / static_cast<double>(total);
            pe += pCat * pCat;
        }
        r.pBar = pMean;
        if (std::any_of(m_colSum.begin(), m_colSum.end(), [&](auto c) { return c == total; })) {
            r.pe = 1.0;
            r.note = "every rating is in one category";
            return r;
        }
        r.pe = pe;
        r.kappa = (pMean - pe) / (1 - pe);
        return r;
    }

private:
    std::int64_t m_m;
    std::vector<std::int64_t> m_colSum;
    double m_pRatSum = 0;
    std::int64_t m_units = 0;
};

template <typename Matrix> FleissKappa fleissOfRatings(const Matrix &ratings, int k)
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
    FleissAccumulator fleiss(static_cast<std::int64_t>(ratings.size()), kk);
    SmallCounts row(kk);
    std::int64_t dropped = 0;
    std::vector<const typename Matrix::value_type::value_type *> columns;
    for (const auto &rater : ratings)
        columns.push_back(rater.data());
    for (std::size_t u = 0; u < unitCount; ++u) {
        row.clear();
        bool complete = true;
        for (const auto *rater : columns) {
            if (rater[u] == kMissing) {
                complete = false;
                break;
            }
            ++row[static_cast<std::size_t>(rater[u])];
        }
        if (complete)
            fleiss.addUnit(row);
        else
            ++dropped;
    }
    r = fleiss.result();
    r.unitsDropped = dropped;
    return r;
}

template <typename Matrix> KrippendorffAlpha alphaOfRatings(const Matrix &ratings, int k)
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
    SmallCounts nuc(kk);
    double offDiagonal = 0;
    std::vector<const typename Matrix::value_type::value_type *> columns;
    for (const auto &rater : ratings)
        columns.push_back(rater.data());
    for (std::size_t u = 0; u < ratings.front().size(); ++u) {
        nuc.clear();
        std::int64_t mu = 0;
        for (const auto *rater : columns) {
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
    auto p = kappaParts(m.cells, m.k, m.n, true);
    // Where the formulas give exactly 0, floating point leaves noise of about ±1e-9 in the
    // variance (statsmodels returns that noise as std_kappa, or NaN when it is negative); both
    // cases are recognised on the integer counts instead.
    if (oneRaterOneCategory(m)) {
        // Kappa is then exactly 0 and both variances vanish. With all of rater b in column j:
        // termA = p_j.³, termB = (1 − p_j.)·p_j.², termC = pe² = p_j.², so termA + termB − termC = 0;
        // and pe + pe² = p_j. + p_j.² = Σ_i p_.i p_i. (p_.i + p_i.). Rater a in one row likewise.
        p.var = 0;
        p.var0 = 0;
    } else if (m.agreements() == m.n) {
        // Perfect agreement over two or more categories: kappa = 1, termA = 1, termB = 0, termC = 1.
        p.var = 0;
    }
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

Pabak pabak(const std::vector<int> &a, const std::vector<int> &b, int k) { return pabak(confusion(a, b, k)); }

BootstrapCi bootstrapKappaCi(const ConfusionMatrix &m, const BootstrapOptions &options)
{
    BootstrapCi r;
    if (auto why = checkConfusion(m); !why.empty()) {
        r.note = why;
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
    if (oneCategoryOnly(m.cells, m.k, m.n)) {
        r.note = kOneCategory;
        return r;
    }

    std::mt19937_64 gen(options.seed);
    std::vector<double> kappas;
    kappas.reserve(static_cast<std::size_t>(options.resamples));
    std::vector<std::int64_t> cells(m.cells.size());
    for (int s = 0; s < options.resamples; ++s) {
        resampleTable(gen, m.cells, m.n, cells);
        if (oneCategoryOnly(cells, m.k, m.n)) {
            ++r.skipped;
            continue;
        }
        kappas.push_back(kappaParts(cells, m.k, m.n, false).kappa);
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

BootstrapCi bootstrapKappaCi(const std::vector<int> &a, const std::vector<int> &b, int k,
                             const BootstrapOptions &options)
{
    return bootstrapKappaCi(confusion(a, b, k), options);
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
    FleissAccumulator fleiss(m, k);
    for (const auto &row : counts)
        fleiss.addUnit(row);
    return fleiss.result();
}

FleissKappa fleissKappa(const LabelMatrix &ratings, int k) { return fleissOfRatings(ratings, k); }

FleissKappa fleissKappa(const CompactLabelMatrix &ratings, int k) { return fleissOfRatings(ratings, k); }

KrippendorffAlpha krippendorffAlphaNominal(const LabelMatrix &ratings, int k)
{
    return alphaOfRatings(ratings, k);
}

KrippendorffAlpha krippendorffAlphaNominal(const CompactLabelMatrix &ratings, int k)
{
    return alphaOfRatings(ratings, k);
}

void UnitResampler::resample(const std::vector<std::int64_t> &cells, std::int64_t n,
                             std::vector<std::int64_t> &out)
{
    out.resize(cells.size());
    resampleTable(m_gen, cells, n, out);
}

double quantileType7(const std::vector<double> &xs, double p)
{
    const double h = (static_cast<double>(xs.size()) - 1) * p;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, xs.size() - 1);
    return xs[lo] + (h - static_cast<double>(lo)) * (xs[hi] - xs[lo]);
}

} // namespace concord::model
