#pragma once
/// @file htmlreport.h
/// The calibration report: one self-contained HTML file a team can attach to a decision — the
/// headline per facet and judge, the tables of every comparison, charts as embedded images, the
/// judge configurations with their prompt templates, position consistency, and how many labels
/// each annotator gave. Also printable to PDF. Needs a QApplication (charts are drawn with widgets;
/// the offscreen platform will do).

#include "agreementreport.h"
#include "domain.h"

#include <QString>

#include <map>
#include <optional>
#include <string>
#include <vector>

class QPagedPaintDevice;

namespace concord::ui {

struct ReportInput
{
    QString projectName;
    QString generatedAt;                               ///< e.g. "2026-11-28 10:00 UTC"
    model::AgreementReport overall;                    ///< every facet, with the bootstrap CIs
    model::AgreementReport byType;                     ///< grouped by question type
    model::AgreementReport byBucket;                   ///< grouped by evidence bucket
    std::vector<model::Rater> raters;                  ///< with judge configurations
    std::map<std::string, std::int64_t> currentLabels; ///< per rater id
    std::map<std::string, std::int64_t> revisions;     ///< per rater id, history included
    std::map<std::string, double> positionConsistency; ///< per judge id, when known
    std::map<std::string, std::string> templates;      ///< template name → text, when known
};

/// The report as one HTML document (images inlined as data: URLs).
QString renderHtmlReport(const ReportInput &input);

/// Prints `html` on landscape A4 pages to `device` (a printer the user chose, or a PDF writer),
/// through Qt's print support.
void printReport(const QString &html, QPagedPaintDevice &device);

/// `html` printed as printReport() prints it, as the bytes of a PDF file (written by the caller,
/// so that a full disk is noticed and no half file is left).
QByteArray renderPdf(const QString &html);

} // namespace concord::ui
