#pragma once
/// @file agreement.h
/// Agreement statistics over nominal labels: the numbers behind "can we trust this judge?".
///
/// Labels are category indices: for one rater, `labels[u]` is the index of the category the rater
/// gave unit u, in [0, k), or `kMissing` (-1) when the rater gave none. The caller owns the
/// vocabulary that maps indices to names (for a facet, `valuesOf(facet)`); `encodeLabels` builds
/// indices from stored spellings. Several raters are a `LabelMatrix`, `ratings[rater][unit]`.
///
/// Contract shared by every function here:
/// - Pure: no I/O, no threads, no global state; the same input gives the same output everywhere.
/// - A statistic that is undefined for the data is `std::nullopt` with a human-readable `note`,
///   never NaN and never an exception. Each result struct documents its undefined cases.
/// - Invalid input (k < 1 or k > kMaxCategories, an index outside [-1, k), rater vectors of
///   different lengths) is not a crash either: every statistic is `std::nullopt`, every count 0,
///   and `note` starts with "invalid input: ".
/// - `note` is empty exactly when every optional field of the result holds a value, except where
///   a result documents otherwise.

#include "result.h"

#include <cstdint>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace concord::model {

/// The index of "no label" in a label vector.
inline constexpr int kMissing = -1;

/// Upper bound on k, so that a corrupt k cannot ask for a k×k matrix the size of the machine.
inline constexpr int kMaxCategories = 1024;

/// The two-sided 95% standard-normal quantile, scipy `norm.ppf(0.975)`, as statsmodels uses it.
inline constexpr double kZ975 = 1.959963984540054;

/// Several raters' labels over the same units: `ratings[rater][unit]`, every row the same length.
using LabelMatrix = std::vector<std::vector<int>>;
/// The same in a byte per label, for large data (k ≤ 127); every function taking a LabelMatrix
/// takes one, with the same results.
using CompactLabelMatrix = std::vector<std::vector<std::int8_t>>;

/// Indices of `values` in `categories`; std::nullopt becomes kMissing. A spelling that is not
/// among `categories` is an InvalidInput error naming it, never silently dropped.
Result<std::vector<int>> encodeLabels(const std::vector<std::optional<std::string>> &values,
                                      std::span<const std::string_view> categories);

/// Cross-tabulation of two raters over the units both labelled.
struct ConfusionMatrix
{
    int k = 0;
    /// Row-major k×k: `cells[i * k + j]` counts units rater a put in i and rater b in j.
    std::vector<std::int64_t> cells;
    std::int64_t n = 0;       ///< units both raters labelled (the sum of `cells`)
    std::int64_t missing = 0; ///< units where one or both labels are missing
    std::string note;         ///< non-empty only when the input was invalid

    /// A matrix from counts; `note` says why when `cells` is not k×k or holds a negative count.
    static ConfusionMatrix fromCounts(int k, std::vector<std::int64_t> cells);

    /// Accessors for a valid matrix (empty `note`); i and j in [0, k).
    std::int64_t at(int i, int j) const;
    std::int64_t rowTotal(int i) const;
    std::int64_t colTotal(int j) const;
    std::int64_t agreements() const; ///< the diagonal sum
};

/// Units where both labels are present, counted by (a, b) category.
ConfusionMatrix confusion(const std::vector<int> &a, const std::vector<int> &b, int k);

/// Observed proportion of agreement po over units both raters labelled.
/// Undefined: n = 0 → `po` nullopt, note "no unit labelled by both raters".
struct PercentAgreement
{
    std::int64_t n = 0;
    std::int64_t agreements = 0;
    std::optional<double> po;
    std::string note;
};
PercentAgreement percentAgreement(const ConfusionMatrix &m);
PercentAgreement percentAgreement(const std::vector<int> &a, const std::vector<int> &b, int k);

/// Cohen's (1960) unweighted kappa with its large-sample standard errors (Fleiss, Cohen & Everitt
/// 1969), computed exactly as statsmodels `stats.inter_rater.cohens_kappa`:
/// `se` is statsmodels' `std_kappa` (the SE at the estimate), `se0` its `std_kappa0` (the SE under
/// H0: kappa = 0), and [ciLow, ciHigh] = kappa ∓ kZ975 · se, not clipped to [-1, 1].
///
/// Undefined cases:
/// - n = 0: everything nullopt, note "no unit labelled by both raters".
/// - pe = 1, i.e. both raters put every unit in the same single category (po = 1 too):
///   `po` and `pe` are 1, kappa/se/se0/CI nullopt, note "both raters used one category only".
/// When kappa is defined, so are se, se0 and the CI. Where the formulas give exactly 0, so does
/// this, decided on the counts rather than left to rounding (statsmodels returns rounding noise
/// of about 1e-9 there, or NaN when the noise is negative):
/// - perfect agreement over two or more categories: kappa = 1, se = 0, the CI [1, 1];
/// - one rater put every unit in one category (and kappa is defined): kappa = 0, se = se0 = 0,
///   the CI [0, 0].
/// Other variances that come out negative only by floating-point rounding are clamped to 0.
struct CohenKappa
{
    std::int64_t n = 0;
    std::optional<double> po;
    std::optional<double> pe;
    std::optional<double> kappa;
    std::optional<double> se;  ///< asymptotic SE under the alternative (statsmodels std_kappa)
    std::optional<double> se0; ///< asymptotic SE under H0: kappa = 0 (statsmodels std_kappa0)
    std::optional<double> ciLow;
    std::optional<double> ciHigh;
    std::string note;
};
CohenKappa cohenKappa(const ConfusionMatrix &m);
CohenKappa cohenKappa(const std::vector<int> &a, const std::vector<int> &b, int k);

/// Gwet's AC1 (Gwet 2008, BJMSP 61:29-48, nominal, Q = k categories):
/// pe = 1/(k−1) Σ_q π_q(1−π_q), π_q = (row share of q + column share of q) / 2,
/// AC1 = (po − pe) / (1 − pe). k is the vocabulary's size, not the number of categories seen:
/// AC1 depends on it. pe ≤ 1/k < 1, so AC1 is defined whenever n > 0 and k ≥ 2; both raters
/// using one category only gives AC1 = po = 1.
/// Undefined: n = 0 (note "no unit labelled by both raters"); k = 1 (note "AC1 needs at least
/// two categories"; `po` is still given).
struct GwetAc1
{
    std::int64_t n = 0;
    std::optional<double> po;
    std::optional<double> pe;
    std::optional<double> ac1;
    std::string note;
};
GwetAc1 gwetAc1(const ConfusionMatrix &m);
GwetAc1 gwetAc1(const std::vector<int> &a, const std::vector<int> &b, int k);

/// Prevalence- and bias-adjusted kappa (Byrt, Bishop & Carlin 1993, J Clin Epidemiol 46:423-429),
/// generalised to k categories: PABAK = (k·po − 1) / (k − 1). Like AC1 it depends on k.
/// Undefined: n = 0 (note "no unit labelled by both raters"); k = 1 (note "PABAK needs at least
/// two categories"; `po` is still given).
struct Pabak
{
    std::int64_t n = 0;
    std::optional<double> po;
    std::optional<double> pabak;
    std::string note;
};
Pabak pabak(const ConfusionMatrix &m);
Pabak pabak(const std::vector<int> &a, const std::vector<int> &b, int k);

struct BootstrapOptions
{
    int resamples = 1000;
    std::uint64_t seed = 0x636f6e636f7264; // "concord"
    double level = 0.95;                   ///< the CI's coverage, in (0, 1)
};

/// Percentile bootstrap CI for Cohen's kappa (Efron & Tibshirani 1993, ch. 13): resample the n
/// units both raters labelled, with replacement, `resamples` times; the CI is the (1−level)/2 and
/// (1+level)/2 quantiles of the resampled kappas, linearly interpolated between order statistics
/// (Hyndman & Fan 1996 type 7, numpy's default). Resamples whose kappa is undefined (all units in
/// one category) are skipped and counted in `skipped`.
///
/// Kappa depends on a resample only through its k×k table, and n units drawn with replacement
/// fall into the cells as Multinomial(n, cells/n). So a resample is drawn as that table directly,
/// in O(k²) instead of O(n): cell by cell in row-major order, skipping empty cells,
/// x_j ~ Binomial(n − Σ_{i<j} x_i, cells_j / (n − Σ_{i<j} cells_i)), the last non-empty cell taking
/// the remaining units. Binomial(t, p) uses p ≤ ½ (else t − Binomial(t, 1 − p)); below t·p = 10
/// inversion from 0 (Kachitvichyanukul & Schmeiser 1988, BINV), otherwise Hörmann's (1993) BTRD.
/// Uniforms are ((g >> 12) + ½)·2^-52 from one std::mt19937_64 seeded with `seed` (its output
/// sequence is fixed by the standard), drawn in that order, resample after resample.
///
/// Deterministic for a given seed: the draws use only integer arithmetic and correctly rounded
/// IEEE-754 double operations (the logarithm and powers are computed from those, not taken from
/// <cmath>), so they are the same on every platform with IEEE doubles and no fused multiply-add
/// contraction. A cost of O(resamples · k²), whatever n.
///
/// Undefined cases (`ciLow`/`ciHigh` nullopt):
/// - n = 0: note "no unit labelled by both raters".
/// - kappa undefined on the data itself: note "both raters used one category only".
/// - fewer than 2 resamples with a defined kappa: note "fewer than two resamples had a defined
///   kappa".
/// - invalid options (resamples < 1, level outside (0, 1)): note "invalid input: ...".
/// When the CI is defined but some resamples were skipped, `note` says how many.
struct BootstrapCi
{
    std::int64_t n = 0;
    int resamples = 0; ///< requested
    int used = 0;      ///< resamples with a defined kappa
    int skipped = 0;   ///< resamples with an undefined kappa
    std::optional<double> ciLow;
    std::optional<double> ciHigh;
    std::string note;
};
BootstrapCi bootstrapKappaCi(const ConfusionMatrix &m, const BootstrapOptions &options = {});
BootstrapCi bootstrapKappaCi(const std::vector<int> &a, const std::vector<int> &b, int k,
                             const BootstrapOptions &options = {});

/// The bootstrap's draws for statistics over several raters resampled together (the report's
/// headline, agreementreport.h): units grouped into cells by what every rater said of them, and a
/// resample drawn as its cell counts, exactly as bootstrapKappaCi draws a k×k table.
class UnitResampler
{
public:
    explicit UnitResampler(std::uint64_t seed) : m_gen(seed) {}
    /// `out` (resized to cells.size()): the cell counts of n units drawn with replacement from
    /// units counted by `cells` (summing to n), Multinomial(n, cells/n).
    void resample(const std::vector<std::int64_t> &cells, std::int64_t n, std::vector<std::int64_t> &out);

private:
    std::mt19937_64 m_gen;
};

/// The Hyndman & Fan (1996) type 7 quantile (numpy's default) of sorted, non-empty `xs`, p in [0, 1].
double quantileType7(const std::vector<double> &xs, double p);

/// Fleiss' (1971) kappa for m ≥ 2 raters, computed exactly as statsmodels
/// `fleiss_kappa(table, method='fleiss')`: P̄ = mean over units of Σ_j n_ij(n_ij − 1) / (m(m − 1)),
/// P̄e = Σ_j p_j², kappa = (P̄ − P̄e) / (1 − P̄e). Only units every rater labelled are used
/// (Fleiss' design has the same number of ratings per unit); the others are counted in
/// `unitsDropped`.
///
/// Undefined cases (`kappa` nullopt):
/// - fewer than two raters: note "invalid input: Fleiss' kappa needs at least two raters".
/// - no unit labelled by every rater: note "no unit labelled by every rater"; pBar, pe nullopt.
/// - P̄e = 1, every rating in one category: pBar = pe = 1, note "every rating is in one
///   category".
struct FleissKappa
{
    std::int64_t units = 0;        ///< units used
    std::int64_t unitsDropped = 0; ///< units some rater left unlabelled
    int raters = 0;
    std::optional<double> pBar; ///< mean observed agreement P̄
    std::optional<double> pe;   ///< chance agreement P̄e
    std::optional<double> kappa;
    std::string note;
};
FleissKappa fleissKappa(const LabelMatrix &ratings, int k);
FleissKappa fleissKappa(const CompactLabelMatrix &ratings, int k);
/// The same from a units × k table of counts (`counts[u][j]`: raters who put unit u in j), the
/// layout statsmodels takes. Every row must sum to the same m ≥ 2, else invalid input.
FleissKappa fleissKappaFromCounts(const std::vector<std::vector<std::int64_t>> &counts);

/// Krippendorff's alpha for nominal data, any number of raters, missing labels allowed
/// (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability", coincidence-matrix method):
/// o_ck = Σ_u (number of c–k pairs of values in u) / (m_u − 1), n_c = Σ_k o_ck, n = Σ_c n_c,
/// alpha = 1 − Do/De with Do = Σ_{c≠k} o_ck / n and De = Σ_{c≠k} n_c n_k / (n(n − 1)).
/// Units with fewer than two values are not pairable and are dropped.
///
/// Undefined cases (`alpha` nullopt):
/// - no unit with two or more values: note "no unit has two or more labels"; Do, De nullopt.
/// - De = 0, every pairable value in one category: Do = De = 0, note "every pairable label is in
///   one category" (alpha would be 0/0; some tools report 1 here, we do not).
struct KrippendorffAlpha
{
    std::int64_t units = 0;                     ///< pairable units
    std::int64_t pairableValues = 0;            ///< n, the values in pairable units
    std::optional<double> observedDisagreement; ///< Do
    std::optional<double> expectedDisagreement; ///< De
    std::optional<double> alpha;
    std::string note;
};
KrippendorffAlpha krippendorffAlphaNominal(const LabelMatrix &ratings, int k);
KrippendorffAlpha krippendorffAlphaNominal(const CompactLabelMatrix &ratings, int k);

} // namespace concord::model
