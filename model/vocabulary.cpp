#include "vocabulary.h"

namespace concord::model {

namespace {

template <typename E, std::size_t N>
std::optional<E> lookup(std::string_view s, const std::array<std::pair<E, std::string_view>, N> &table)
{
    for (const auto &[value, name] : table)
        if (name == s)
            return value;
    return std::nullopt;
}

template <typename E, std::size_t N>
std::string_view name(E e, const std::array<std::pair<E, std::string_view>, N> &table)
{
    for (const auto &[value, n] : table)
        if (value == e)
            return n;
    return {};
}

constexpr std::array<std::pair<QuestionType, std::string_view>, 6> kQuestionTypeNames{{
    {QuestionType::FactRecall, "fact_recall"},
    {QuestionType::Definition, "definition"},
    {QuestionType::Summarization, "summarization"},
    {QuestionType::Interpretation, "interpretation"},
    {QuestionType::Inference, "inference"},
    {QuestionType::NoInfo, "no_info"},
}};
constexpr std::array<std::pair<Slot, std::string_view>, 2> kSlotNames{{{Slot::A, "A"}, {Slot::B, "B"}}};
constexpr std::array<std::pair<RaterKind, std::string_view>, 3> kRaterKindNames{{
    {RaterKind::Human, "human"},
    {RaterKind::Judge, "judge"},
    {RaterKind::Gold, "gold"},
}};
constexpr std::array<std::pair<Choice, std::string_view>, 3> kChoiceNames{{
    {Choice::A, "A"},
    {Choice::B, "B"},
    {Choice::Tie, "tie"},
}};
constexpr std::array<std::pair<Outcome, std::string_view>, 4> kOutcomeNames{{
    {Outcome::Answered, "answered"},
    {Outcome::Hallucinated, "hallucinated"},
    {Outcome::DeclinedCorrectly, "declined_correctly"},
    {Outcome::DeclinedWrongly, "declined_wrongly"},
}};
constexpr std::array<std::pair<Facet, std::string_view>, 6> kFacetNames{{
    {Facet::Preference, "preference"},
    {Facet::Relevance, "criteria.relevance"},
    {Facet::Comprehensiveness, "criteria.comprehensiveness"},
    {Facet::Conciseness, "criteria.conciseness"},
    {Facet::Faithful, "faithful"},
    {Facet::NoInfo, "no_info"},
}};

template <typename E, std::size_t N>
std::string joinNames(const std::array<std::pair<E, std::string_view>, N> &table)
{
    std::string out;
    for (const auto &[value, n] : table) {
        if (!out.empty())
            out += ", ";
        out += n;
    }
    return out;
}

} // namespace

std::string_view toString(QuestionType t) { return name(t, kQuestionTypeNames); }
std::string_view toString(Slot s) { return name(s, kSlotNames); }
std::string_view toString(RaterKind k) { return name(k, kRaterKindNames); }
std::string_view toString(Choice c) { return name(c, kChoiceNames); }
std::string_view toString(Outcome o) { return name(o, kOutcomeNames); }
std::string_view toString(Facet f) { return name(f, kFacetNames); }

std::string_view criterionKey(Facet f)
{
    std::string_view full = toString(f);
    constexpr std::string_view prefix = "criteria.";
    return full.starts_with(prefix) ? full.substr(prefix.size()) : std::string_view{};
}

std::optional<QuestionType> parseQuestionType(std::string_view s) { return lookup(s, kQuestionTypeNames); }
std::optional<Slot> parseSlot(std::string_view s) { return lookup(s, kSlotNames); }
std::optional<RaterKind> parseRaterKind(std::string_view s) { return lookup(s, kRaterKindNames); }
std::optional<Choice> parseChoice(std::string_view s) { return lookup(s, kChoiceNames); }
std::optional<Outcome> parseOutcome(std::string_view s) { return lookup(s, kOutcomeNames); }
std::optional<Facet> parseFacet(std::string_view s) { return lookup(s, kFacetNames); }

std::vector<std::string_view> valuesOf(Facet facet)
{
    switch (facet) {
    case Facet::Faithful:
        return {kFaithful, kUnfaithful};
    case Facet::NoInfo:
        return {"answered", "hallucinated", "declined_correctly", "declined_wrongly"};
    default:
        return {"A", "B", "tie"};
    }
}

bool isValidValue(Facet facet, std::string_view value)
{
    for (std::string_view v : valuesOf(facet))
        if (v == value)
            return true;
    return false;
}

std::string allowedQuestionTypes() { return joinNames(kQuestionTypeNames); }
std::string allowedOutcomes() { return joinNames(kOutcomeNames); }

} // namespace concord::model
