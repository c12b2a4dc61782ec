#pragma once
/// @file agreementreport.h
/// "Can we trust this judge?", answered from raters' current labels: agreement between every pair
/// of raters, across all human raters, and of each judge with the human majority, per facet and
/// optionally per group of items. The numbers come from agreement.h; this file decides which
/// labels are compared with which (docs/agreement.md explains every number to a domain expert).
///
/// Units: `preference` and each criterion have one unit per item; `faithful` and `no_info` have
/// one unit per answer (item × slot), both slots pooled into one analysis.
///
/// Comparisons, per facet, each only when the two sides share at least one unit:
/// - every human with every other human (Comparison::HumanHuman);
/// - every judge with every human (JudgeHuman; rater a is the judge);
/// - the human majority with every judge (JudgeMajority; rater a is "majority"). The majority of a
///   unit is the category more than half of the humans who labelled it chose; a unit the judge
///   labelled where humans labelled but no category has a strict majority is left out and counted
///   in `noMajority`. This comparison is listed when the judge shares at least one unit with the
///   humans, even if none of them has a majority (its statistics are then undefined);
/// - every human and judge with every gold rater (RaterGold; rater b is the gold rater).
/// The confusion matrix's rows are rater a, its columns rater b, in `valuesOf(facet)` order.
///
/// Pure: no I/O, no threads; the same LabelSet and options give the same report, bit for bit
/// (the bootstrap uses the same seed for every comparison, so a comparison's CI does not depend on
/// which other comparisons the report holds). Undefined statistics are std::nullopt, and `note`
/// says why, as in agreement.h.

#include "agreement.h"
#include "domain.h"
#include "judge.h"
#include "result.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace concord::model {

/// A rater as the report names it: the project's rater id and its kind, and the display name
/// the views show (empty when the rater has none; statistics never use it).
struct RaterRef
{
    std::string id;
    RaterKind kind = RaterKind::Human;
    std::string name;
};

/// What the report knows of an item: its id and what items are grouped by.
struct ItemAttributes
{
    std::string id;
    QuestionType questionType = QuestionType::FactRecall;
    std::optional<double> evidencePosition; ///< in [0,1]
    std::array<std::string, 2> systems;     ///< the systems that wrote answers A and B
};

/// One current label, compactly (12 bytes): a project of a million labels fits in memory
/// comfortably.
struct CurrentLabel
{
    std::uint32_t rater = 0; ///< index into LabelSet::raters()
    std::uint32_t item = 0;  ///< index into LabelSet::items()
    Facet facet = Facet::Preference;
    std::optional<Slot> slot; ///< set exactly for per-answer facets (faithful, no_info)
    std::uint8_t value = 0;   ///< index into valuesOf(facet)
};

/// The input of the report: raters, items and the current labels (the newest value of each
/// rater × item × facet × slot; older revisions must not be included). When the same rater, unit
/// and facet are given twice anyway, the one added last counts.
class LabelSet
{
public:
    /// The index of rater `id`, added when new (with display name `name`, which may be empty).
    /// InvalidInput when `id` is known with another kind.
    Result<std::uint32_t> addRater(std::string_view id, RaterKind kind, std::string_view name = {});
    /// The index of a new item. InvalidInput when its id is already known.
    Result<std::uint32_t> addItem(ItemAttributes item);
    /// Adds a label by indices; InvalidInput when an index is out of range, or the slot does not
    /// match the facet (set for per-answer facets only).
    Status add(const CurrentLabel &label);
    /// Adds a label by names and stored spelling (`value` as in valuesOf(facet)); the rater is
    /// added when new, the item must have been added. InvalidInput names what is wrong.
    Status add(std::string_view raterId, RaterKind kind, std::string_view itemId, Facet facet,
               std::optional<Slot> slot, std::string_view value);
    void reserve(std::size_t labels) { m_labels.reserve(labels); }
    /// Room for `items` items, so that adding them allocates nothing more.
    void reserveItems(std::size_t items);

    const std::vector<RaterRef> &raters() const { return m_raters; }
    const std::vector<ItemAttributes> &items() const { return m_items; }
    const std::vector<CurrentLabel> &labels() const { return m_labels; }

private:
    std::optional<std::uint32_t> findItem(std::string_view id) const;
    void rehashItems(std::size_t capacity);

    std::vector<RaterRef> m_raters;
    std::vector<ItemAttributes> m_items;
    std::vector<CurrentLabel> m_labels;
    std::map<std::string, std::uint32_t, std::less<>> m_raterIndex;
    /// Items by id, an open-addressing table of item index + 1 (0: empty), linear probing, at most
    /// half full: one allocation for any number of items, where a node-based map takes one per item.
    std::vector<std::uint32_t> m_itemSlots;
};

/// What items can be grouped by.
enum class Grouping { QuestionType, EvidenceBucket, System };
/// "question_type", "evidence_bucket", "system".
std::string_view toString(Grouping g);
std::optional<Grouping> parseGrouping(std::string_view s);

/// The evidence bucket of an evidence position: "[0,0.25)", "[0.25,0.5)", "[0.5,0.75)",
/// "[0.75,1]", or "none" when the item has no position.
std::string evidenceBucket(std::optional<double> position);
/// The group an item belongs to: its question type, evidence bucket, or system pair
/// ("careful-v1 vs quick-v0", systems in A/B order).
std::string groupOf(const ItemAttributes &item, Grouping g);

struct AgreementOptions
{
    std::vector<Facet> facets{kFacets.begin(), kFacets.end()}; ///< reported in this order
    std::optional<Grouping> groupBy;
    int bootstrapResamples = 1000; ///< 0 turns the bootstrap CI off
    std::uint64_t seed = BootstrapOptions{}.seed;
};

/// The rater-a name of a comparison with the human majority.
inline constexpr std::string_view kMajority = "majority";

enum class Comparison { HumanHuman, JudgeHuman, JudgeMajority, RaterGold };
/// "human_human", "judge_human", "judge_majority", "rater_gold".
std::string_view toString(Comparison c);

/// Preference agreement on the units where neither rater said tie (the MT-Bench convention,
/// Zheng et al. 2023, "Judging LLM-as-a-Judge with MT-Bench and Chatbot Arena", its "w/o tie"
/// agreement setup), over the two categories A and B.
struct AgreementWithoutTies
{
    PercentAgreement agreement;
    CohenKappa kappa;
    std::string note; ///< empty when every statistic is defined
};

/// Two raters (or the human majority and a judge) over the units both labelled.
struct PairAgreement
{
    std::string raterA;
    std::string raterB;
    Comparison comparison = Comparison::HumanHuman;
    std::int64_t noMajority = 0; ///< JudgeMajority only: shared units without a human majority
    ConfusionMatrix confusion;
    PercentAgreement agreement;
    CohenKappa kappa;
    std::optional<BootstrapCi> bootstrap; ///< std::nullopt when the bootstrap is off
    GwetAc1 ac1;
    Pabak pabak;
    std::optional<AgreementWithoutTies> withoutTies; ///< preference only
    /// Why any statistic above is undefined, as "kappa, bootstrap CI: both raters used one
    /// category only", and warnings such as bootstrap resamples skipped; empty when all are
    /// defined and there is nothing to warn of. A bootstrap that is off is not mentioned here
    /// (toJson says so in its own note).
    std::string note;
};

/// All human raters together: Fleiss' kappa on the units every one of them labelled, and
/// Krippendorff's alpha on every unit at least two of them labelled.
struct MultiRaterAgreement
{
    std::vector<std::string> raters; ///< the humans with a label on this facet, by id
    FleissKappa fleiss;
    KrippendorffAlpha alpha;
    std::string note; ///< empty when both statistics are defined
};

/// The one-line answer for a judge: does it agree with the humans as well as they agree with
/// each other?
enum class Reading { AboutAsWell, Less, More };
/// "judge agrees with humans about as well as humans agree with each other", "… less than …",
/// "… more than …".
std::string_view toString(Reading r);

/// A judge's kappa against the human majority beside the mean human–human kappa, and the
/// reading: does the judge agree with each human about as well as humans agree with each other?
/// The judge's CI is its asymptotic one (as in its comparison). The human side is the mean of
/// the defined human–human pair kappas, the judge side the mean of the judge's defined pair
/// kappas with each human; their 95% CIs and the difference's (judge–human mean − human mean)
/// come from one percentile bootstrap that resamples units with all their labels together (so
/// the difference's CI accounts for both sides sharing units).
/// Rule: About as well when the difference's CI contains 0, Less when it lies below 0, More
/// when above. The majority kappa does not decide it: the majority exists only where humans
/// agree (with two humans, on exactly the units they agree on), the easier units, so it
/// flatters the judge. With the bootstrap off those CIs are std::nullopt and so is `reading`,
/// with a note; likewise when either mean is undefined.
struct Headline
{
    std::string judge;
    std::optional<double> kappa;
    std::optional<double> ciLow;
    std::optional<double> ciHigh;
    std::optional<double> humanKappaMean;
    std::optional<double> humanCiLow;
    std::optional<double> humanCiHigh;
    int humanPairs = 0; ///< human–human pairs with a defined kappa, the ones averaged
    /// The same summary over this judge's pairs with each human: like for like with the human
    /// mean, and what the reading compares with it.
    std::optional<double> judgeHumanKappaMean;
    std::optional<double> judgeHumanCiLow;
    std::optional<double> judgeHumanCiHigh;
    int judgeHumanPairs = 0;
    std::optional<double> difference; ///< judgeHumanKappaMean − humanKappaMean
    std::optional<double> differenceCiLow;
    std::optional<double> differenceCiHigh;
    std::optional<Reading> reading;
    std::string note;
};

struct FacetAgreement
{
    Facet facet = Facet::Preference;
    std::int64_t units = 0; ///< units with at least one current label
    /// Comparisons in this order: human–human, judge–human, majority–judge, rater–gold; raters
    /// ordered by id within each kind.
    std::vector<PairAgreement> pairs;
    MultiRaterAgreement multi;
    std::vector<Headline> headlines; ///< one per judge compared with the human majority
};

struct GroupAgreement
{
    std::string value; ///< the group's name, e.g. "fact_recall", "[0,0.25)", "a vs b"
    std::vector<FacetAgreement> facets;
};

struct AgreementReport
{
    std::vector<FacetAgreement> facets; ///< over all items, one per requested facet
    std::optional<Grouping> groupBy;
    /// When grouped: one per group with at least one labelled item, in a fixed order (question
    /// types and evidence buckets in vocabulary order, then "none"; system pairs by name).
    std::vector<GroupAgreement> groups;
    int bootstrapResamples = 0;
    std::uint64_t seed = 0;
    /// Per judge rater whose runs asked both answer orders: on how many items its preference
    /// survived swapping the answers. Not computed from labels: the caller fills it from the
    /// judge's runs (storage/judgestore.h); empty when no judge asked both orders.
    std::map<std::string, PositionConsistency> positionConsistency;
};

AgreementReport measureAgreement(const LabelSet &labels, const AgreementOptions &options = {});

/// The report's input in the form it computes on: for each facet, one dense column of category
/// indices per rater over the facet's units (`kMissing` where the rater has no current label).
/// A million labels take a few megabytes here, against 12 bytes each in a LabelSet; the command
/// line reads this straight from the project (storage/labelquery.h, readAgreementInput).
struct AgreementInput
{
    std::vector<RaterRef> raters;
    std::size_t items = 0; ///< units are items 0..items−1, or answers 2·item + slot
    /// `columns[facet][rater][unit]`, facets in kFacets order. A facet not read, or a rater with
    /// no label on it, has no (or an empty) column.
    std::array<std::vector<std::vector<std::int8_t>>, kFacets.size()> columns;
    /// The grouping read with the labels, and each item's group under it (an index into
    /// `groups`, names as groupOf() gives them; 0xffffffff for an index no item has, which
    /// never has a label).
    std::optional<Grouping> grouping;
    std::vector<std::string> groups;
    std::vector<std::uint32_t> itemGroup;
};

/// The input of measureAgreement for `facets` of `labels`, with each item's group under
/// `grouping`.
AgreementInput agreementInput(const LabelSet &labels, const std::vector<Facet> &facets,
                              std::optional<Grouping> grouping = std::nullopt);

/// The same report from an AgreementInput: `options.facets` must have been read into it, and it
/// is grouped by `input.grouping` (not `options.groupBy`). measureAgreement(labels, options) is
/// this on agreementInput(labels, options.facets, options.groupBy).
AgreementReport measureAgreement(const AgreementInput &input, const AgreementOptions &options);

/// A unit of a facet: an item, and for per-answer facets (faithful, no_info) one of its answers.
struct UnitRef
{
    std::string itemId;
    std::optional<Slot> slot;
    bool operator==(const UnitRef &) const = default;
};

/// The units behind one cell of a comparison's confusion matrix: where rater a's current label on
/// `facet` is category `row` and rater b's is `column` (indices into valuesOf(facet)). In a
/// judge-vs-majority comparison rater a is the human majority as measureAgreement() defines it
/// (decided by `pair.comparison`, not by the id: a human may be called "majority"). In unit order.
std::vector<UnitRef> unitsInCell(const LabelSet &labels, Facet facet, const PairAgreement &pair, int row,
                                 int column);

/// The report as JSON (docs/agreement.md gives the shape); undefined numbers are null.
std::string toJson(const AgreementReport &report);
/// The report as an aligned plain-text table for a terminal.
std::string toText(const AgreementReport &report);

} // namespace concord::model
