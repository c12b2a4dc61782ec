#pragma once
/// @file reportcommand.h
/// `concord report PROJECT -o report.html [--pdf FILE] [--bootstrap N] [--seed S]`: the
/// calibration report (ui/htmlreport.h) as a self-contained HTML file, and optionally a PDF.

#include <string>
#include <vector>

namespace concord::app {

/// Runs the command on its arguments (those after "report"). Returns 0, 1 or 2 (bad arguments).
int runReportCommand(const std::vector<std::string> &args);

} // namespace concord::app
