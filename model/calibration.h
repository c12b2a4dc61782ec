#pragma once
/// @file calibration.h
/// The calibration loop: is judge configuration 2 (say, prompt v2) better than configuration 1?
/// Both are compared with the same reference — the gold labels or the human majority — on the
/// units all three labelled, so the two kappas are paired, and the difference gets a paired
/// bootstrap CI. The units whose verdict flipped from agree to disagree (and back) are listed,
/// because a lead reads those before trusting a number.

#include "agreementreport.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace concord::model {

/// What the judges are compared against.
enum class Reference {
    Gold,     ///< the gold raters' labels (units where two gold raters differ are left out)
    Majority, ///< the strict majority of the humans who labelled the unit
};
std::string_view toString(Reference r);
std::optional<Reference> parseReference(std::string_view s);

struct JudgeComparison
{
    Facet facet = Facet::Preference;
    std::int64_t n = 0;            ///< units labelled by both judges and with a reference label
    std::int64_t noReference = 0;  ///< units both judges labelled that have no reference label
    CohenKappa kappa1;             ///< judge 1 against the reference, on the n units
    CohenKappa kappa2;             ///< judge 2 against the reference, on the same units
    std::optional<double> difference; ///< kappa2 − kappa1
    std::optional<double> differenceCiLow, differenceCiHigh; ///< paired percentile bootstrap, 95%
    int resamples = 0, skipped = 0;   ///< bootstrap resamples drawn, and skipped (a kappa undefined)
    std::vector<UnitRef> nowAgree;    ///< judge 1 disagreed with the reference, judge 2 agrees
    std::vector<UnitRef> nowDisagree; ///< judge 1 agreed with the reference, judge 2 disagrees
    std::string note;                 ///< why a number is undefined; empty otherwise
};

struct CalibrationOptions
{
    std::vector<Facet> facets{kFacets.begin(), kFacets.end()};
    Reference reference = Reference::Gold;
    int bootstrapResamples = 1000; ///< 0: no CI for the difference
    std::uint64_t seed = 0x636f6e636f7264;
};

/// Compares judges `judge1` and `judge2` (rater ids of kind judge) per facet. InvalidInput when
/// either is not a judge of the label set.
Result<std::vector<JudgeComparison>> compareJudges(const LabelSet &labels, const std::string &judge1,
                                                   const std::string &judge2, const CalibrationOptions &options);

/// The comparison as JSON (docs/agreement.md, "Comparing two judges").
std::string toJson(const std::vector<JudgeComparison> &comparisons, const std::string &judge1,
                   const std::string &judge2, Reference reference);
/// The comparison as an aligned plain-text table.
std::string toText(const std::vector<JudgeComparison> &comparisons, const std::string &judge1,
                   const std::string &judge2, Reference reference);

} // namespace concord::model
