#pragma once
/// @file agreementcommand.h
/// `concord agreement PROJECT [--json] [--facet NAME] [--by GROUPING] [--bootstrap N] [--seed S]`:
/// how well raters agree, per facet, from the project's current labels (docs/agreement.md).

#include <string>
#include <vector>

namespace concord::app {

/// Runs the command on its arguments (those after "agreement"); prints the report on standard
/// output and problems as one line on standard error. Returns 0, 1 (the project cannot be read)
/// or 2 (bad arguments).
int runAgreementCommand(const std::vector<std::string> &args);

/// `concord compare PROJECT --judge R1 --judge R2 [--against gold|majority] [--facet F]
/// [--bootstrap N] [--seed S] [--json]`: two judge configurations against the same reference, the
/// kappa difference with a paired bootstrap CI, and the units that flipped (calibration.h).
int runCompareCommand(const std::vector<std::string> &args);

} // namespace concord::app
