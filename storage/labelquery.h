#pragma once
/// @file labelquery.h
/// Reads what the agreement report (model/agreementreport.h) needs from a project: the raters,
/// the items, and every current label, i.e. for each rater × item × facet column the value of the
/// newest labels row that sets or withdraws it (labels.cleared). Older revisions are not returned.
///
/// Cost: the labels table is read in id order, in chunks shared by the project's connection and a
/// second read-only one on another thread, and each rater × item × column's newest value is kept
/// in a dense table (two bytes per entry per connection). A project where raters × items is more
/// than four times the label rows is read in one pass in (rater_id, item_id) index order instead,
/// in memory independent of its size. docs/performance.md gives figures.
///
/// Every read sees one snapshot: a concurrent import is either wholly seen or not at all. The
/// second connection reads only rows with ids up to the snapshot's largest, which no later write
/// can change (labels are append-only; raters, items and answers are never updated or deleted).

#include "agreementreport.h"
#include "result.h"

#include <optional>
#include <vector>

namespace concord::storage {

class Project;

/// The current labels of `facets` (every facet when empty) with all raters and items. Errors are
/// the project's (a damaged file, a busy database), never an exception.
model::Result<model::LabelSet> readCurrentLabels(Project &project,
                                                 const std::vector<model::Facet> &facets = {});
/// The same, of the project at `path`, on a connection of its own (for worker threads: the
/// workspace's agreement, review and judge views).
model::Result<model::LabelSet> readCurrentLabelsAt(const std::string &path);

/// The same current labels of `facets` (every facet when empty) as the report computes on them,
/// without a LabelSet: no item attributes but the one `grouping` needs (each item's group), and
/// no per-label records. For a million labels this is several times faster and smaller than
/// readCurrentLabels, and measureAgreement(input, options) gives the same report as
/// measureAgreement(labels, options) with options.groupBy == grouping.
model::Result<model::AgreementInput> readAgreementInput(Project &project,
                                                        const std::vector<model::Facet> &facets,
                                                        std::optional<model::Grouping> grouping);

/// Reads and keeps (agreement_cache) the report's input of every facet, ungrouped, which is what
/// `concord agreement` reads: Project's import calls it when it added labels, so the first report
/// afterwards finds it kept. A cache only: nothing is reported when it cannot be kept.
void keepAgreementInput(Project &project);

} // namespace concord::storage
