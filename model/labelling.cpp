#include "labelling.h"

#include "sha256.h"

namespace concord::model {

namespace {

std::optional<std::size_t> criterionIndex(Facet facet)
{
    for (std::size_t i = 0; i < kCriteria.size(); ++i)
        if (kCriteria[i] == facet)
            return i;
    return std::nullopt;
}

std::size_t index(Slot s) { return static_cast<std::size_t>(s); }

} // namespace

std::string_view toString(LabelStatus s)
{
    switch (s) {
    case LabelStatus::Unlabelled:
        return "unlabelled";
    case LabelStatus::Partial:
        return "partial";
    case LabelStatus::Done:
        return "done";
    }
    return {};
}

std::optional<std::string> valueOf(const ItemLabel &label, Facet facet, std::optional<Slot> slot)
{
    if (isPerAnswer(facet) != slot.has_value())
        return std::nullopt;
    switch (facet) {
    case Facet::Preference:
        if (label.preference)
            return std::string(toString(*label.preference));
        return std::nullopt;
    case Facet::Relevance:
    case Facet::Comprehensiveness:
    case Facet::Conciseness:
        if (const auto &c = label.criteria[*criterionIndex(facet)])
            return std::string(toString(*c));
        return std::nullopt;
    case Facet::Faithful:
        if (const auto &f = label.faithful[index(*slot)])
            return std::string(*f ? kFaithful : kUnfaithful);
        return std::nullopt;
    case Facet::NoInfo:
        if (const auto &o = label.outcome[index(*slot)])
            return std::string(toString(*o));
        return std::nullopt;
    }
    return std::nullopt;
}

bool setValue(ItemLabel &label, Facet facet, std::optional<Slot> slot, std::string_view value)
{
    if (isPerAnswer(facet) != slot.has_value())
        return false;
    const bool withdraw = value.empty();
    switch (facet) {
    case Facet::Preference:
    case Facet::Relevance:
    case Facet::Comprehensiveness:
    case Facet::Conciseness: {
        const auto choice = parseChoice(value);
        if (!withdraw && !choice)
            return false;
        (facet == Facet::Preference ? label.preference : label.criteria[*criterionIndex(facet)]) = choice;
        return true;
    }
    case Facet::Faithful:
        if (withdraw)
            label.faithful[index(*slot)].reset();
        else if (value == kFaithful || value == kUnfaithful)
            label.faithful[index(*slot)] = value == kFaithful;
        else
            return false;
        return true;
    case Facet::NoInfo: {
        const auto outcome = parseOutcome(value);
        if (!withdraw && !outcome)
            return false;
        label.outcome[index(*slot)] = outcome;
        return true;
    }
    }
    return false;
}

void apply(ItemLabel &label, const LabelRevision &revision)
{
    for (const FacetValue &v : revision.values)
        setValue(label, v.facet, v.slot, v.value);
    if (revision.evidence)
        label.evidence = *revision.evidence;
    if (revision.note)
        label.note = *revision.note;
}

LabelStatus statusOf(const ItemLabel &label)
{
    const bool done =
        label.preference && label.faithful[0] && label.faithful[1] && label.outcome[0] && label.outcome[1];
    if (done)
        return LabelStatus::Done;
    bool any = label.preference || !label.evidence.empty() || !label.note.empty();
    for (const auto &c : label.criteria)
        any = any || c.has_value();
    for (std::size_t s = 0; s < 2; ++s)
        any = any || label.faithful[s].has_value() || label.outcome[s].has_value();
    return any ? LabelStatus::Partial : LabelStatus::Unlabelled;
}

std::string_view blindOrder(std::string_view raterId, std::string_view itemId)
{
    Sha256 hash;
    hash.update(raterId);
    hash.update("\n");
    hash.update(itemId);
    return (hash.digest()[0] & 1) ? "BA" : "AB";
}

std::string raterIdForName(std::string_view name)
{
    std::string id;
    bool pendingDash = false;
    for (char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        const bool keep =
            c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!keep) {
            pendingDash = !id.empty();
            continue;
        }
        if (pendingDash)
            id += '-';
        pendingDash = false;
        id += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
    }
    return id;
}

} // namespace concord::model
