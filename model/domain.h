#pragma once
/// @file domain.h
/// The things a Concord project holds, as plain values. Identifiers (`id`) are the user's own
/// strings from JSONL; the project file adds integer keys of its own that never leave storage/.

#include "vocabulary.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace concord::model {

/// A source document. `text` is UTF-8; offsets into it elsewhere count Unicode code points.
struct Document
{
    std::string id;
    std::optional<std::string> title;
    std::string text;
    std::optional<std::string> metaJson; ///< canonical JSON object text, when given
};

struct Answer
{
    std::string system; ///< the name of the system that produced it; hidden from blind annotators
    std::string text;
};

struct Item
{
    std::string id;
    std::string documentId;
    std::string question;
    QuestionType type = QuestionType::FactRecall;
    bool answerable = true;
    std::optional<double> evidencePosition; ///< in [0,1]: where in the document the evidence sits
    std::optional<std::string> referenceAnswer;
    std::array<Answer, 2> answers;          ///< indexed by Slot
    std::optional<std::string> metaJson;

    const Answer &answer(Slot s) const { return answers[static_cast<std::size_t>(s)]; }
};

struct Rater
{
    std::string id;
    RaterKind kind = RaterKind::Human;
    std::optional<std::string> name;       ///< display name
    std::optional<std::string> configJson; ///< for judges: the full configuration, canonical JSON
};

/// A passage of the document supporting (or refuting) one answer, in code points, start < end.
struct EvidenceSpan
{
    Slot answer = Slot::A;
    std::int64_t start = 0;
    std::int64_t end = 0;
    std::optional<std::string> note;

    bool operator==(const EvidenceSpan &) const = default;
};

/// One value of one facet. `slot` is set exactly for per-answer facets (faithful, no_info).
struct FacetValue
{
    Facet facet = Facet::Preference;
    std::optional<Slot> slot;
    /// A stored spelling: "A", "tie", "faithful", "declined_wrongly", ... Empty: this act
    /// withdraws the rater's current value of the facet (JSONL null), e.g. an undone verdict.
    std::string value;

    bool operator==(const FacetValue &) const = default;
};

/// One labelling act by one rater on one item: a JSONL label line, or one edit in the workspace.
/// Revisions are never changed or deleted; for each rater × item × facet (× slot) the newest
/// revision carrying that facet is the current label. `evidence` and `note`, when present,
/// replace the rater's evidence list and note for the item.
struct LabelRevision
{
    std::string itemId;
    std::string raterId;
    RaterKind raterKind = RaterKind::Human;
    std::vector<FacetValue> values;
    std::optional<std::vector<EvidenceSpan>> evidence;
    std::optional<std::string> note;
    std::optional<std::string> createdAt; ///< ISO 8601 UTC, "2026-11-28T10:00:00Z"
    std::optional<double> timeSpentS;     ///< seconds the rater spent on the item
    std::optional<std::string> shownOrder; ///< "AB" or "BA": the left-to-right order on screen
};

/// Counts reported by `concord info`. Labels are current labels only.
struct ProjectInfo
{
    std::int64_t documents = 0;
    std::int64_t items = 0;
    std::int64_t answers = 0;
    std::int64_t raters = 0;
    std::int64_t labels = 0;
    std::int64_t revisions = 0; ///< all label revisions, history included
    std::vector<std::pair<std::string, std::int64_t>> labelsByFacet;
};

} // namespace concord::model
