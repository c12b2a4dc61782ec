#pragma once
/// @file labelquery.h
/// Reads what the agreement report (model/agreementreport.h) needs from a project: the raters,
/// each item's attributes, and every current label, i.e. for each rater × item × facet column the
/// non-NULL value in the labels row with the greatest id. Older revisions are not returned.
///
/// Cost: one pass over the labels table in the order of its (rater_id, item_id) index, whatever
/// the number of facets: about 1 s for 1,000,000 label rows (docs/agreement.md, "Cost"). The three reads run
/// in one read transaction, so a concurrent import is either wholly seen or not at all.

#include "agreementreport.h"
#include "result.h"

#include <vector>

namespace concord::storage {

class Project;

/// The current labels of `facets` (every facet when empty) with all raters and items. Errors are
/// the project's (a damaged file, a busy database), never an exception.
model::Result<model::LabelSet> readCurrentLabels(Project &project,
                                                 const std::vector<model::Facet> &facets = {});

} // namespace concord::storage
