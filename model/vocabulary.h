#pragma once
/// @file vocabulary.h
/// The closed vocabularies of Concord labels and items, with their canonical spellings in the
/// project file and in JSONL v1. Parsing functions return std::nullopt for unknown spellings.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace concord::model {

enum class QuestionType { FactRecall, Definition, Summarization, Interpretation, Inference, NoInfo };
inline constexpr std::array kQuestionTypes = {QuestionType::FactRecall,    QuestionType::Definition,
                                              QuestionType::Summarization, QuestionType::Interpretation,
                                              QuestionType::Inference,     QuestionType::NoInfo};

/// Which of an item's two answers; the canonical order of the item, whatever a screen showed.
/// One byte, like Facet, so that a current label (agreementreport.h) takes 12 bytes, not 24.
enum class Slot : std::uint8_t { A, B };
inline constexpr std::array kSlots = {Slot::A, Slot::B};

enum class RaterKind { Human, Judge, Gold };

/// A pairwise verdict: the preference and each criterion take one of these.
enum class Choice { A, B, Tie };

/// What happened when the answer met the question, given whether the document holds the answer.
enum class Outcome {
    Answered,          ///< the model answered (the document holds the answer)
    Hallucinated,      ///< the document lacks the answer and the model made one up
    DeclinedCorrectly, ///< the document lacks the answer and the model said so
    DeclinedWrongly,   ///< the document holds the answer and the model said it does not
};

/// What a label speaks about. Preference and criteria are per item; faithful and no_info are per
/// answer (they carry a Slot).
enum class Facet : std::uint8_t { Preference, Relevance, Comprehensiveness, Conciseness, Faithful, NoInfo };
inline constexpr std::array kFacets = {Facet::Preference,  Facet::Relevance, Facet::Comprehensiveness,
                                       Facet::Conciseness, Facet::Faithful,  Facet::NoInfo};
inline constexpr std::array kCriteria = {Facet::Relevance, Facet::Comprehensiveness, Facet::Conciseness};

/// The position of `f` in kFacets, for arrays indexed in kFacets order.
constexpr std::size_t facetIndex(Facet f)
{
    std::size_t i = 0;
    while (i < kFacets.size() && kFacets[i] != f)
        ++i;
    return i;
}

std::string_view toString(QuestionType t);
std::string_view toString(Slot s);
std::string_view toString(RaterKind k);
std::string_view toString(Choice c);
std::string_view toString(Outcome o);
/// "preference", "criteria.relevance", ..., "faithful", "no_info".
std::string_view toString(Facet f);
/// The key inside the JSONL `criteria` object ("relevance"), only for criteria facets.
std::string_view criterionKey(Facet f);

std::optional<QuestionType> parseQuestionType(std::string_view s);
std::optional<Slot> parseSlot(std::string_view s);
std::optional<RaterKind> parseRaterKind(std::string_view s);
std::optional<Choice> parseChoice(std::string_view s);
std::optional<Outcome> parseOutcome(std::string_view s);
std::optional<Facet> parseFacet(std::string_view s);

/// True for faithful and no_info, which are labelled once per answer.
constexpr bool isPerAnswer(Facet f) { return f == Facet::Faithful || f == Facet::NoInfo; }
constexpr bool isCriterion(Facet f)
{
    return f == Facet::Relevance || f == Facet::Comprehensiveness || f == Facet::Conciseness;
}

/// Stored spellings of the faithful facet's two values.
inline constexpr std::string_view kFaithful = "faithful";
inline constexpr std::string_view kUnfaithful = "unfaithful";

/// Whether `value` is an allowed stored value of `facet`.
bool isValidValue(Facet facet, std::string_view value);

/// The allowed values of a facet, in display order (used for confusion-matrix labels).
std::vector<std::string_view> valuesOf(Facet facet);

/// Comma-separated list of the allowed spellings, for error messages.
std::string allowedQuestionTypes();
std::string allowedOutcomes();

} // namespace concord::model
