#pragma once
/// @file reportcommand.h
/// `concord report PROJECT -o report.html [--pdf FILE] [--bootstrap N] [--seed S]`: the
/// calibration report (ui/htmlreport.h) as a self-contained HTML file, and optionally a PDF.

#include "agreementreport.h"
#include "htmlreport.h"
#include "result.h"

#include <QString>

#include <string>
#include <vector>

namespace concord::app {

/// What the report of the project at `projectPath` says: read and computed on a connection of its
/// own, safe on any thread (File → Export Report… runs it on a worker).
model::Result<ui::ReportInput> gatherProjectReport(const std::string &projectPath,
                                                   const model::AgreementOptions &options);

/// The report as HTML: gatherProjectReport, then the charts and the page. Needs a QApplication
/// (the charts are drawn with widgets) and runs on the GUI thread.
model::Result<QString> renderProjectReport(const std::string &projectPath,
                                           const model::AgreementOptions &options);

/// Runs the command on its arguments (those after "report"). Returns 0, 1 or 2 (bad arguments).
int runReportCommand(const std::vector<std::string> &args);

} // namespace concord::app
