#pragma once
/// @file facettext.h
/// How the views name facets and their values to the people who label: "Relevance", "No-info
/// outcome", "declined wrongly", never the stored spellings ("criteria.relevance", "no_info",
/// "declined_wrongly"), which are for files and the command line.

#include "domain.h"

#include <QString>

#include <optional>
#include <string_view>

namespace concord::ui {

/// A UTF-8 view from the model (a stored spelling, an id, a name) as a QString.
inline QString utf8Text(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

/// "Overall preference", "Relevance", …, "Faithfulness", "No-info outcome".
QString facetName(model::Facet facet);
/// The facet of one unit: "Relevance", or "Faithfulness of answer A" for a per-answer facet.
QString facetUnitName(model::Facet facet, std::optional<model::Slot> slot);
/// A stored value as a reader reads it: "A", "tie", "faithful", "declined wrongly".
QString facetValueText(std::string_view value);
/// An evidence bucket (model::evidenceBucket) in words, as the position chart's axis names the
/// quarters of the document: "0–25%" … "75–100%", or "no position given".
QString evidenceBucketText(std::string_view bucket);
/// A question type in words ("fact recall"), and in one short word for narrow places ("fact").
QString questionTypeName(model::QuestionType type);
QString questionTypeShortName(model::QuestionType type);

} // namespace concord::ui
