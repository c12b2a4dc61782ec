#pragma once
/// @file goldexport.h
/// `concord export --gold`: the golden set — only the items that have gold labels, with their
/// documents and the current gold labels, as JSONL v1 that imports anywhere.

#include "result.h"

#include <ostream>

namespace concord::storage {

class Project;

/// Writes the gold raters, the documents of gold-labelled items, those items, and one label line
/// per gold decision in force (the revision that gave a current gold value, with its own reason;
/// values one revision gave together on one line), in the order they were made. Items without
/// gold labels are left out.
model::Status exportGold(Project &project, std::ostream &out);

} // namespace concord::storage
