#pragma once
/// @file review.h
/// The review queue: every unit where raters' current labels disagree on a facet — a judge against
/// the humans, humans among themselves, or anyone against gold — so a lead can adjudicate.

#include "agreementreport.h"

#include <string>
#include <vector>

namespace concord::model {

/// Who disagrees with whom on a unit. A unit can be several kinds at once.
enum class DisagreementKind {
    HumanHuman, ///< two humans gave different values
    JudgeHuman, ///< a judge's value differs from the strict human majority (none: not flagged)
    VersusGold, ///< a human's or judge's value differs from the gold value
    JudgeJudge, ///< two judges gave different values (with or without humans on the unit)
    GoldGold,   ///< two gold raters gave different values: the gold label itself is in doubt
};
std::string_view toString(DisagreementKind k);

/// One rater's current value on a unit.
struct RaterValue
{
    std::string rater;
    RaterKind kind = RaterKind::Human;
    std::string value; ///< a spelling from valuesOf(facet)
};

struct Disagreement
{
    UnitRef unit;
    Facet facet = Facet::Preference;
    QuestionType questionType = QuestionType::FactRecall;
    std::string evidenceBucket;     ///< as evidenceBucket() spells it
    std::vector<RaterValue> values; ///< every rater's current value, humans, judges, then gold
    std::vector<DisagreementKind> kinds;
    /// A short reading such as "judge says unfaithful, humans say faithful".
    std::string summary;
};

/// Every disagreement, ordered by item (in the label set's item order), facet, then answer.
std::vector<Disagreement> findDisagreements(const LabelSet &labels);

} // namespace concord::model
