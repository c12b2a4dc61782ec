#pragma once
/// @file goldexport.h
/// `concord export --gold`: the golden set — only the items that have gold labels, with their
/// documents and the current gold labels, as JSONL v1 that imports anywhere.

#include "result.h"

#include <ostream>

namespace concord::storage {

class Project;

/// Writes the gold raters, the documents of gold-labelled items, those items, and one label line
/// per gold rater and item holding its current values. Items without gold labels are left out.
model::Status exportGold(Project &project, std::ostream &out);

} // namespace concord::storage
