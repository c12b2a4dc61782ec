#include "htmlreport.h"

#include "models/comparisontablemodel.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QBuffer>
#include <QChart>
#include <QChartView>
#include <QFont>
#include <QHorizontalBarSeries>
#include <QLineSeries>
#include <QPageSize>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QScatterSeries>
#include <QTextDocument>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace concord::ui {

namespace {

QString esc(const std::string &s) { return QString::fromStdString(s).toHtmlEscaped(); }
QString esc(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())).toHtmlEscaped(); }

QString num(const std::optional<double> &v, int decimals = 2)
{
    return v ? fixedNumber(*v, decimals) : QStringLiteral("n/a");
}

/// The exact value, for machines reading the report (and the test that checks it).
QString exact(const std::optional<double> &v)
{
    return v ? QString::number(*v, 'g', 17) : QStringLiteral("null");
}

/// A comparison's rater A or B as the views name it, escaped.
QString raterName(const model::PairAgreement &p, bool a, const RaterNames &names)
{
    return comparisonRater(p, a, names).toHtmlEscaped();
}

/// A chart drawn offscreen, as a data: URL of a PNG.
QString chartImage(QChart *chart, QSize size)
{
    QChartView view(chart);
    view.setRenderHint(QPainter::Antialiasing);
    view.resize(size);
    const QPixmap pixmap = view.grab();
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    pixmap.save(&buffer, "PNG");
    return QStringLiteral("data:image/png;base64,") + QString::fromLatin1(png.toBase64());
}

/// Kappa of every comparison of a facet with its 95% CI, as horizontal bars with whiskers: one
/// row per comparison, named in full on the left with its value, however many there are.
QString comparisonChart(const model::FacetAgreement &f, const RaterNames &names)
{
    auto *chart = new QChart;
    chart->setTitle(QStringLiteral("Cohen's κ with 95% CI — %1").arg(esc(model::toString(f.facet))));
    auto *set = new QBarSet(QStringLiteral("κ"));
    set->setColor(QColor(0x2f, 0x7f, 0xb8));
    QStringList categories;
    std::vector<std::pair<double, double>> whiskers;
    // Each defined κ also as a point (a κ of 0 has no bar); an undefined one is "n/a" in its label.
    auto *points = new QScatterSeries;
    points->setColor(Qt::black);
    points->setMarkerSize(7);
    double lowest = -0.5;
    // The first comparison at the top: a horizontal bar chart counts its categories upwards.
    for (auto it = f.pairs.rbegin(); it != f.pairs.rend(); ++it) {
        const model::PairAgreement &p = *it;
        const QString value = p.kappa.kappa ? fixedNumber(*p.kappa.kappa) : QStringLiteral("n/a");
        // The value first: very long names are elided at the end, and the value must survive.
        categories << QStringLiteral("%1   %2 / %3")
                          .arg(value, raterName(p, true, names), raterName(p, false, names));
        const double k = p.kappa.kappa.value_or(0.0);
        if (p.kappa.kappa)
            points->append(k, double(categories.size() - 1));
        *set << k;
        whiskers.emplace_back(p.kappa.ciLow.value_or(k), p.kappa.ciHigh.value_or(k));
        lowest = std::min({lowest, k, whiskers.back().first});
    }
    // Half-unit steps from -0.5 down to what the lowest κ or CI bound needs: nothing is cut off.
    const double minimum = std::max(-1.0, std::floor(lowest * 2.0) / 2.0);
    auto *series = new QHorizontalBarSeries;
    series->append(set);
    chart->addSeries(series);
    auto *comparisons = new QBarCategoryAxis;
    comparisons->append(categories);
    auto *kappa = new QValueAxis;
    kappa->setRange(minimum, 1.0);
    kappa->setTickCount(int(std::lround((1.0 - minimum) / 0.5)) + 1);
    kappa->setLabelFormat(QStringLiteral("%.1f"));
    chart->addAxis(comparisons, Qt::AlignLeft);
    chart->addAxis(kappa, Qt::AlignBottom);
    series->attachAxis(comparisons);
    series->attachAxis(kappa);
    for (std::size_t i = 0; i < whiskers.size(); ++i) {
        if (whiskers[i].first == whiskers[i].second)
            continue;
        auto *w = new QLineSeries;
        w->append(std::max(minimum, whiskers[i].first), double(i));
        w->append(std::min(1.0, whiskers[i].second), double(i));
        w->setPen(QPen(Qt::black, 2));
        chart->addSeries(w);
        w->attachAxis(kappa);
        w->attachAxis(comparisons);
    }
    chart->addSeries(points);
    points->attachAxis(kappa);
    points->attachAxis(comparisons);
    chart->legend()->hide();
    // 940 px wide, the printable width of a landscape A4 page (about 1,000 px at 96 dpi); a row
    // of 28 px per comparison.
    return chartImage(chart, QSize(940, std::max(200, 110 + 28 * int(f.pairs.size()))));
}

const model::FacetAgreement *facetOf(const std::vector<model::FacetAgreement> &facets, model::Facet f)
{
    for (const auto &fa : facets)
        if (fa.facet == f)
            return &fa;
    return nullptr;
}

} // namespace

QString renderHtmlReport(const ReportInput &in)
{
    // Raters by display name where they have one of their own; the Raters table gives the ids.
    const RaterNames names(in.raters);
    QString h;
    h += QStringLiteral(
             "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Concord calibration report — "
             "%1</title>"
             "<style>body{font-family:'DejaVu Sans',sans-serif;color:#222}"
             "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #bbb;padding:4px 8px;"
             "text-align:right}th{background:#eef3f6}td.l,th.l{text-align:left}.reading{font-weight:bold}"
             ".less{color:#b03a2e}.same{color:#1e7d4d}.more{color:#1e5f8d}pre{background:#f6f6f6;"
             "padding:8px;white-space:pre-wrap;font-size:85%}</style></head><body>\n")
             .arg(in.projectName.toHtmlEscaped());
    h += QStringLiteral(
             "<h1>Calibration report — %1</h1>\n<p>Generated by Concord on %2. Every number below is "
             "computed from the raters' current labels; docs/agreement.md explains each one.</p>\n")
             .arg(in.projectName.toHtmlEscaped(), in.generatedAt.toHtmlEscaped());

    // Headline: can the judge be trusted?
    h += QStringLiteral(
        "<h2>Headline</h2>\n<p>The reading compares the judge with each human against humans with each "
        "other (the difference of the two mean κ, with its bootstrap CI); κ against the human majority is "
        "shown beside them but flatters the judge: the majority exists only where humans agree.</p>\n"
        "<table width=\"100%\"><tr><th class=l>Facet</th><th class=l>Judge</th><th>Judge with each human: "
        "mean κ [CI]</th><th>Humans with each other: mean κ [CI]</th><th>Difference [CI]</th><th>κ vs "
        "human majority [95% CI]</th><th class=l>Reading</th></tr>\n");
    for (const model::FacetAgreement &f : in.overall.facets) {
        for (const model::Headline &hl : f.headlines) {
            const QString cls = !hl.reading                           ? QString()
                                : *hl.reading == model::Reading::Less ? QStringLiteral("less")
                                : *hl.reading == model::Reading::More ? QStringLiteral("more")
                                                                      : QStringLiteral("same");
            auto withCi = [](const std::optional<double> &v, const std::optional<double> &low,
                             const std::optional<double> &high) {
                return QStringLiteral("%1 [%2, %3]").arg(num(v), num(low), num(high));
            };
            h += QStringLiteral("<tr><td class=l>%1</td><td class=l>%2</td><td>%3</td><td>%4</td><td>%5</td>"
                                "<td data-kappa=\"%6\">%7</td><td class=\"l reading %8\">%9</td></tr>\n")
                     .arg(esc(model::toString(f.facet)), names.name(hl.judge).toHtmlEscaped(),
                          withCi(hl.judgeHumanKappaMean, hl.judgeHumanCiLow, hl.judgeHumanCiHigh),
                          withCi(hl.humanKappaMean, hl.humanCiLow, hl.humanCiHigh),
                          withCi(hl.difference, hl.differenceCiLow, hl.differenceCiHigh), exact(hl.kappa),
                          withCi(hl.kappa, hl.ciLow, hl.ciHigh), cls)
                     .arg(hl.reading ? esc(model::toString(*hl.reading)) : esc(hl.note));
        }
    }
    h += QStringLiteral("</table>\n");

    // Every comparison, per facet.
    h += QStringLiteral("<h2>Agreement per facet</h2>\n");
    for (const model::FacetAgreement &f : in.overall.facets) {
        if (f.pairs.empty())
            continue;
        h += QStringLiteral("<h3>%1</h3>\n<p>%2 units with at least one label.</p>\n")
                 .arg(esc(model::toString(f.facet)))
                 .arg(f.units);
        h += QStringLiteral(
            "<table width=\"100%\"><tr><th class=l>Rater A</th><th class=l>Rater "
            "B</th><th>n</th><th>Agreement</th>"
            "<th>Cohen's κ [95% CI]</th><th>Bootstrap CI</th><th>AC1</th><th>PABAK</th></tr>\n");
        for (const model::PairAgreement &p : f.pairs) {
            const QString boot =
                p.bootstrap
                    ? QStringLiteral("[%1, %2]").arg(num(p.bootstrap->ciLow), num(p.bootstrap->ciHigh))
                    : QStringLiteral("off");
            h += QStringLiteral(
                     "<tr data-facet=\"%1\" data-rater-a=\"%2\" data-rater-b=\"%3\"><td class=l>%4</td>"
                     "<td class=l>%5</td><td>%6</td><td>%7</td><td data-kappa=\"%8\">%9 [%10, %11]</td>"
                     "<td>%12</td><td data-ac1=\"%13\">%14</td><td>%15</td></tr>\n")
                     .arg(esc(model::toString(f.facet)), esc(p.raterA), esc(p.raterB),
                          raterName(p, true, names), raterName(p, false, names))
                     .arg(p.kappa.n)
                     .arg(p.agreement.po ? QStringLiteral("%1%").arg(*p.agreement.po * 100.0, 0, 'f', 1)
                                         : QStringLiteral("n/a"))
                     .arg(exact(p.kappa.kappa), num(p.kappa.kappa), num(p.kappa.ciLow), num(p.kappa.ciHigh),
                          boot, exact(p.ac1.ac1), num(p.ac1.ac1), num(p.pabak.pabak));
        }
        h += QStringLiteral("</table>\n");
        if (f.multi.fleiss.kappa || f.multi.alpha.alpha)
            h += QStringLiteral("<p>All humans (%1): Fleiss' κ %2 on %3 units labelled by all; "
                                "Krippendorff's α %4.</p>\n")
                     .arg(
                         [&] {
                             QStringList all;
                             for (const auto &r : f.multi.raters)
                                 all << names.name(r);
                             return all.join(QStringLiteral(", "));
                         }()
                             .toHtmlEscaped(),
                         num(f.multi.fleiss.kappa))
                     .arg(f.multi.fleiss.units)
                     .arg(num(f.multi.alpha.alpha));
        h += QStringLiteral("<p><img alt=\"kappa per comparison\" src=\"%1\"></p>\n")
                 .arg(comparisonChart(f, names));
    }

    // Where it breaks down, by question type and by evidence position: humans with each other
    // and each judge with each human (like for like, as the headline reads), then the judge
    // against the majority for context.
    h += QStringLiteral(
        "<h2>By question type and by evidence position (preference)</h2>\n<p>Compare the "
        "judge's rows with each human to the humans' own row; the majority row is context "
        "(it is computed where humans agree, the easier units).</p>\n<table "
        "width=\"100%\"><tr><th class=l>Group</th>"
        "<th class=l>Comparison</th><th>n</th><th>κ [95% CI]</th><th class=l>Note</th></tr>\n");
    for (const model::AgreementReport *grouped : {&in.byType, &in.byBucket}) {
        for (const model::GroupAgreement &g : grouped->groups) {
            const model::FacetAgreement *f = facetOf(g.facets, model::Facet::Preference);
            if (!f)
                continue;
            for (model::Comparison kind : {model::Comparison::HumanHuman, model::Comparison::JudgeHuman,
                                           model::Comparison::JudgeMajority})
                for (const model::PairAgreement &p : f->pairs)
                    if (p.comparison == kind)
                        h +=
                            QStringLiteral("<tr><td class=l>%1</td><td class=l>%2 / %3</td><td>%4</td><td>%5 "
                                           "[%6, %7]</td><td class=l>%8</td></tr>\n")
                                .arg(esc(g.value), raterName(p, true, names), raterName(p, false, names))
                                .arg(p.kappa.n)
                                .arg(num(p.kappa.kappa), num(p.kappa.ciLow), num(p.kappa.ciHigh),
                                     p.kappa.kappa ? QString() : esc(p.kappa.note));
        }
    }
    h += QStringLiteral("</table>\n");

    // Who labelled what, and how the judges were configured.
    h += QStringLiteral("<h2>Raters</h2>\n<table width=\"100%\"><tr><th class=l>Rater</th><th "
                        "class=l>Kind</th><th class=l>Name</th>"
                        "<th>Current labels</th><th>Revisions</th><th>Position consistency</th></tr>\n");
    for (const model::Rater &r : in.raters) {
        const auto labels = in.currentLabels.count(r.id) ? in.currentLabels.at(r.id) : 0;
        const auto revisions = in.revisions.count(r.id) ? in.revisions.at(r.id) : 0;
        const auto consistency = in.positionConsistency.find(r.id);
        h += QStringLiteral("<tr><td class=l>%1</td><td class=l>%2</td><td "
                            "class=l>%3</td><td>%4</td><td>%5</td><td>%6</td></tr>\n")
                 .arg(esc(r.id), esc(model::toString(r.kind)), r.name ? esc(*r.name) : QString())
                 .arg(labels)
                 .arg(revisions)
                 .arg(consistency == in.positionConsistency.end()
                          ? (r.kind == model::RaterKind::Judge ? QStringLiteral("not measured") : QString())
                          : QStringLiteral("%1%").arg(consistency->second * 100.0, 0, 'f', 1));
    }
    h += QStringLiteral("</table>\n");
    for (const model::Rater &r : in.raters)
        if (r.kind == model::RaterKind::Judge && r.configJson)
            h += QStringLiteral("<h3>Judge %1</h3>\n<pre>%2</pre>\n").arg(esc(r.id), esc(*r.configJson));
    for (const auto &[name, text] : in.templates)
        h += QStringLiteral("<h3>Prompt template %1</h3>\n<pre>%2</pre>\n").arg(esc(name), esc(text));
    h += QStringLiteral("</body></html>\n");
    // Each table's first row is its header, repeated on every page a printed table runs onto.
    static const QRegularExpression header(QStringLiteral("(<table[^>]*>\\s*)(<tr>\\s*<th.*?</tr>)"),
                                           QRegularExpression::DotMatchesEverythingOption);
    h.replace(header, QStringLiteral("\\1<thead>\\2</thead>"));
    return h;
}

void printReport(const QString &html, QPagedPaintDevice &device)
{
    // Landscape: the comparison tables have eight columns and rater ids like judge:model:1a2b3c4d.
    device.setPageSize(QPageSize(QPageSize::A4));
    device.setPageOrientation(QPageLayout::Landscape);
    device.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout::Millimeter);
    QTextDocument document;
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPointSizeF(8.5);
    document.setDefaultFont(font);
    document.setHtml(html);
    document.print(&device);
}

QByteArray renderPdf(const QString &html)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter pdf(&buffer);
        pdf.setResolution(1200); // as QPrinter::HighResolution prints
        pdf.setCreator(QStringLiteral("Concord"));
        pdf.setTitle(QStringLiteral("Concord calibration report"));
        printReport(html, pdf);
    } // the writer finishes the file when it ends
    return bytes;
}

} // namespace concord::ui
