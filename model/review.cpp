#include "review.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace concord::model {

namespace {

int kindOrder(RaterKind k) { return k == RaterKind::Human ? 0 : k == RaterKind::Judge ? 1 : 2; }

/// The strict majority value among `values` of the given kind, or empty when none.
std::string majorityOf(const std::vector<RaterValue> &values, RaterKind kind)
{
    std::map<std::string, int> counts;
    int total = 0;
    for (const RaterValue &v : values)
        if (v.kind == kind) {
            ++counts[v.value];
            ++total;
        }
    for (const auto &[value, n] : counts)
        if (2 * n > total)
            return value;
    return {};
}

std::string joinDistinct(const std::vector<RaterValue> &values, RaterKind kind)
{
    std::vector<std::string> seen;
    for (const RaterValue &v : values)
        if (v.kind == kind && std::find(seen.begin(), seen.end(), v.value) == seen.end())
            seen.push_back(v.value);
    std::string out;
    for (std::size_t i = 0; i < seen.size(); ++i)
        out += (i == 0 ? "" : i + 1 == seen.size() ? " or " : ", ") + seen[i];
    return out;
}

} // namespace

std::string_view toString(DisagreementKind k)
{
    switch (k) {
    case DisagreementKind::HumanHuman:
        return "human_human";
    case DisagreementKind::JudgeHuman:
        return "judge_human";
    case DisagreementKind::VersusGold:
        return "versus_gold";
    case DisagreementKind::JudgeJudge:
        return "judge_judge";
    case DisagreementKind::GoldGold:
        return "gold_gold";
    }
    return {};
}

std::vector<Disagreement> findDisagreements(const LabelSet &labels)
{
    // (item, facet, slot) → values, in a stable order.
    using Key = std::tuple<std::uint32_t, int, int>;
    std::map<Key, std::vector<RaterValue>> units;
    for (const CurrentLabel &l : labels.labels()) {
        const RaterRef &r = labels.raters()[l.rater];
        const Key key{l.item, int(l.facet), l.slot ? int(*l.slot) : -1};
        auto &values = units[key];
        const std::string value(valuesOf(l.facet)[l.value]);
        auto same =
            std::find_if(values.begin(), values.end(), [&](const RaterValue &v) { return v.rater == r.id; });
        if (same != values.end())
            same->value = value; // the one added last counts
        else
            values.push_back({r.id, r.kind, value});
    }
    std::vector<Disagreement> out;
    for (auto &[key, values] : units) {
        std::stable_sort(values.begin(), values.end(), [](const RaterValue &a, const RaterValue &b) {
            return std::make_pair(kindOrder(a.kind), a.rater) < std::make_pair(kindOrder(b.kind), b.rater);
        });
        Disagreement d;
        const auto [item, facet, slot] = key;
        d.facet = Facet(facet);
        d.unit.itemId = labels.items()[item].id;
        if (slot >= 0)
            d.unit.slot = Slot(slot);
        d.questionType = labels.items()[item].questionType;
        d.evidenceBucket = evidenceBucket(labels.items()[item].evidencePosition);

        const std::string humanMajority = majorityOf(values, RaterKind::Human);
        const std::string gold = majorityOf(values, RaterKind::Gold);
        bool judgeDiffers = false, goldDiffers = false;
        // Whether two raters of `kind` gave different values.
        auto split = [&](RaterKind kind) {
            const std::string *first = nullptr;
            for (const RaterValue &v : values)
                if (v.kind == kind) {
                    if (first && v.value != *first)
                        return true;
                    first = &v.value;
                }
            return false;
        };
        const bool humansDiffer = split(RaterKind::Human), judgesDiffer = split(RaterKind::Judge),
                   goldsDiffer = split(RaterKind::Gold);
        for (const RaterValue &v : values) {
            if (v.kind == RaterKind::Judge && !humanMajority.empty() && v.value != humanMajority)
                judgeDiffers = true;
            if (v.kind != RaterKind::Gold && !gold.empty() && v.value != gold)
                goldDiffers = true;
        }
        if (humansDiffer)
            d.kinds.push_back(DisagreementKind::HumanHuman);
        if (judgeDiffers)
            d.kinds.push_back(DisagreementKind::JudgeHuman);
        if (goldDiffers)
            d.kinds.push_back(DisagreementKind::VersusGold);
        if (judgesDiffer)
            d.kinds.push_back(DisagreementKind::JudgeJudge);
        if (goldsDiffer)
            d.kinds.push_back(DisagreementKind::GoldGold);
        if (d.kinds.empty())
            continue;
        const std::string judges = joinDistinct(values, RaterKind::Judge);
        const std::string humans = joinDistinct(values, RaterKind::Human);
        if (judgeDiffers && !humansDiffer)
            d.summary = "judge says " + judges + ", humans say " + humans;
        else if (humansDiffer)
            d.summary = "humans split: " + humans + (judges.empty() ? "" : "; judge says " + judges);
        else if (goldsDiffer)
            d.summary = "gold split: " + joinDistinct(values, RaterKind::Gold);
        else if (judgesDiffer)
            d.summary = "judges split: " + judges + (humans.empty() ? "" : "; humans say " + humans);
        else
            d.summary = "gold says " + gold + ", others say " + (humans.empty() ? judges : humans);
        // Once adjudicated, the queue says what gold decided, whatever else it lists.
        if (!gold.empty() && (judgeDiffers || humansDiffer))
            d.summary += "; gold says " + gold;
        d.values = std::move(values);
        out.push_back(std::move(d));
    }
    return out;
}

} // namespace concord::model
