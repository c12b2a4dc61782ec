#pragma once
/// @file labelling.h
/// One rater's labels as the annotation workspace sees them: the current label of an item folded
/// from its revisions, whether the item is done, the blinded left/right order, and the outcome
/// suggested by the item's `answerable` flag. Pure functions, shared by storage/ and ui/ so that
/// the queue, the screen and the project file agree.

#include "domain.h"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace concord::model {

/// How far one rater got with one item.
enum class LabelStatus { Unlabelled, Partial, Done };
/// "unlabelled", "partial", "done".
std::string_view toString(LabelStatus s);

/// One rater's current label of one item: per facet the newest value (none when never given or
/// withdrawn), and the evidence list and note set by the newest revisions carrying them.
struct ItemLabel
{
    std::optional<Choice> preference;
    std::array<std::optional<Choice>, 3> criteria; ///< indexed like kCriteria
    std::array<std::optional<bool>, 2> faithful;   ///< indexed by Slot: true = faithful
    std::array<std::optional<Outcome>, 2> outcome; ///< indexed by Slot (the no_info facet)
    std::vector<EvidenceSpan> evidence;
    std::string note;

    bool operator==(const ItemLabel &) const = default;
};

/// The stored spelling of one facet's current value ("A", "faithful", "answered", ...), or
/// std::nullopt when it has none. `slot` must be given exactly for per-answer facets.
std::optional<std::string> valueOf(const ItemLabel &label, Facet facet,
                                   std::optional<Slot> slot = std::nullopt);

/// Sets one facet from its stored spelling; an empty `value` withdraws it. Returns false (and
/// changes nothing) for a value the facet does not take or a slot that does not fit the facet.
bool setValue(ItemLabel &label, Facet facet, std::optional<Slot> slot, std::string_view value);

/// Applies one revision on top of `label`: the facets it carries (empty values withdraw), and its
/// evidence list and note when present (an empty note clears the note).
void apply(ItemLabel &label, const LabelRevision &revision);

/// Done: the preference, and faithful and outcome for both answers (criteria are optional).
/// Partial: anything else given, a note or evidence included. Unlabelled: nothing.
LabelStatus statusOf(const ItemLabel &label);

/// The left-to-right order a blinded rater sees an item's answers in, "AB" or "BA". It depends
/// only on the two ids (the first byte of SHA-256(raterId + "\n" + itemId)), so it is the same in
/// every session and on every machine, differs between raters, and puts B on the left for about
/// half of the items.
std::string_view blindOrder(std::string_view raterId, std::string_view itemId);

/// True for the outcomes in which the answer declines to answer.
constexpr bool isDecline(Outcome o)
{
    return o == Outcome::DeclinedCorrectly || o == Outcome::DeclinedWrongly;
}

/// The outcome that follows from whether the document holds the answer (`answerable`) and
/// whether the answer declines: answered, hallucinated, declined correctly or declined wrongly.
/// A suggestion: the rater may choose any outcome.
constexpr Outcome suggestedOutcome(bool answerable, bool declines)
{
    if (declines)
        return answerable ? Outcome::DeclinedWrongly : Outcome::DeclinedCorrectly;
    return answerable ? Outcome::Answered : Outcome::Hallucinated;
}

/// A rater id for a person's display name: trimmed, lower case, runs of spaces and punctuation
/// as one '-' ("Alice Moreau" → "alice-moreau"); letters outside ASCII are kept. Empty when the
/// name has no letter or digit.
std::string raterIdForName(std::string_view name);

} // namespace concord::model
