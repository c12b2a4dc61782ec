#include "agreementview.h"

#include "facettext.h"

#include "answerpanel.h"
#include "confusionmatrixwidget.h"
#include "kappadelegate.h"
#include "models/comparisontablemodel.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QEvent>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QListWidget>
#include <QScatterSeries>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>

namespace concord::ui {

using model::Facet;

namespace {

QString facetTitle(Facet f)
{
    return model::isPerAnswer(f) ? AgreementView::tr("%1 (per answer)").arg(facetName(f)) : facetName(f);
}

const model::FacetAgreement *findFacet(const std::vector<model::FacetAgreement> &facets, Facet f)
{
    for (const auto &fa : facets)
        if (fa.facet == f)
            return &fa;
    return nullptr;
}

const model::PairAgreement *findPair(const model::FacetAgreement *f, const std::string &a,
                                     const std::string &b)
{
    if (!f)
        return nullptr;
    for (const auto &p : f->pairs)
        if (p.raterA == a && p.raterB == b)
            return &p;
    return nullptr;
}

/// Colours for charts that follow the application palette (light or dark).
void styleChart(QChart *chart, const QPalette &palette)
{
    chart->setBackgroundBrush(palette.base());
    chart->setTitleBrush(palette.text());
    chart->legend()->setLabelColor(palette.text().color());
    chart->setMargins(QMargins(4, 4, 4, 4));
    for (QAbstractAxis *axis : chart->axes()) {
        axis->setLabelsBrush(palette.text());
        axis->setTitleBrush(palette.text());
        QColor grid = palette.text().color();
        grid.setAlpha(40);
        axis->setGridLineColor(grid);
        axis->setLinePenColor(grid);
        // Minor lines fainter still and solid: Qt's default dashed grey glares on a dark chart.
        QColor minor = grid;
        minor.setAlpha(18);
        axis->setMinorGridLinePen(QPen(minor, 1));
    }
}

QValueAxis *kappaAxis(double low)
{
    // Half-unit steps keep the tick labels few enough to stay readable in a small chart.
    auto *axis = new QValueAxis;
    const double minimum = std::max(-1.0, std::min(0.0, std::floor(low * 2.0) / 2.0));
    axis->setRange(minimum, 1.0);
    axis->setTickCount(int(std::lround((1.0 - minimum) / 0.5)) + 1);
    axis->setMinorTickCount(4);
    axis->setLabelFormat(QStringLiteral("%.1f"));
    axis->setTitleText(AgreementView::tr("Cohen's κ"));
    return axis;
}

} // namespace

AgreementView::AgreementView(LabelLoader loader, QWidget *parent)
    : QWidget(parent), m_loader(std::move(loader))
{
    m_facet = new QComboBox(this);
    for (Facet f : model::kFacets)
        m_facet->addItem(facetTitle(f), int(f));
    m_status = new QLabel(this);
    m_headline = new QLabel(this);
    m_headline->setWordWrap(true);
    m_headline->setTextFormat(Qt::RichText);
    m_headline->setFrameShape(QFrame::StyledPanel);
    m_headline->setMargin(8);

    m_model = new ComparisonTableModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ComparisonTableModel::SortRole);
    m_table = new QTableView(this);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->setAlternatingRowColors(true);
    m_table->setItemDelegateForColumn(ComparisonTableModel::Kappa,
                                      new KappaDelegate(ComparisonTableModel::KappaRole,
                                                        ComparisonTableModel::CiLowRole,
                                                        ComparisonTableModel::CiHighRole, m_table));
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(false);
    // Rater ids can be long (a judge's model and hash, a team's suffix): their columns are
    // capped and elided in the middle, so that n, κ, AC1 and PABAK stay in view.
    m_table->setTextElideMode(Qt::ElideMiddle);
    for (int c : {int(ComparisonTableModel::RaterA), int(ComparisonTableModel::RaterB)})
        m_table->horizontalHeader()->setSectionResizeMode(c, QHeaderView::Interactive);

    m_matrix = new ConfusionMatrixWidget(this);
    m_cellTitle = new QLabel(tr("Click a cell to list the units behind it."), this);
    m_cellTitle->setWordWrap(true);
    m_cellTitle->setTextFormat(Qt::PlainText); // rater names are shown as typed
    m_units = new QListWidget(this);

    m_byType = new QChartView(this);
    m_byType->installEventFilter(this); // its labels follow its width (fitTypeLabels())
    m_byPosition = new QChartView(this);
    for (QChartView *view : {m_byType, m_byPosition}) {
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumHeight(280);
    }

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Facet:"), this));
    top->addWidget(m_facet);
    top->addStretch(1);
    top->addWidget(m_status);

    auto *cell = new QWidget(this);
    auto *cellLayout = new QVBoxLayout(cell);
    cellLayout->setContentsMargins(0, 0, 0, 0);
    cellLayout->addWidget(m_matrix, 3);
    cellLayout->addWidget(m_cellTitle);
    cellLayout->addWidget(m_units, 2);

    auto *upper = new QSplitter(Qt::Horizontal, this);
    upper->addWidget(m_table);
    upper->addWidget(cell);
    upper->setStretchFactor(0, 3);
    upper->setStretchFactor(1, 2);
    upper->setSizes({900, 440}); // the table's eight columns whole at 1366 px; the matrix scales
    auto *charts = new QSplitter(Qt::Horizontal, this);
    charts->addWidget(m_byType);
    charts->addWidget(m_byPosition);
    // Six question types side by side need more width than four evidence positions.
    charts->setStretchFactor(0, 3);
    charts->setStretchFactor(1, 2);
    charts->setSizes({780, 520});
    auto *vertical = new QSplitter(Qt::Vertical, this);
    vertical->addWidget(upper);
    vertical->addWidget(charts);
    // The table holds a handful of comparisons; the charts need the height to be read.
    vertical->setStretchFactor(0, 1);
    vertical->setStretchFactor(1, 1);
    vertical->setSizes({420, 420});

    // Nothing to compare yet: one sentence saying what would fill the view, not empty frames.
    m_empty = new QLabel(this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setTextFormat(Qt::PlainText);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_pages = new QStackedWidget(this);
    m_pages->addWidget(vertical);
    m_pages->addWidget(m_empty);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_headline);
    layout->addWidget(m_pages, 1);

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(300);
    connect(m_debounce, &QTimer::timeout, this, &AgreementView::start);
    connect(&m_watcher, &QFutureWatcher<Computed>::finished, this, [this] {
        m_computed = std::make_shared<Computed>(m_watcher.result());
        showReport();
        if (m_pending) {
            m_pending = false;
            start();
        }
    });
    connect(m_facet, &QComboBox::currentIndexChanged, this, [this] { showFacet(); });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { showSelection(); });
    connect(m_matrix, &ConfusionMatrixWidget::cellClicked, this, &AgreementView::showCell);
    connect(m_units, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { emit itemActivated(item->data(Qt::UserRole).toString()); });
}

AgreementView::~AgreementView() { m_watcher.waitForFinished(); }

AgreementView::Computed AgreementView::compute(const LabelLoader &loader)
{
    Computed c;
    auto labels = loader();
    if (!labels) {
        c.error = QString::fromStdString(labels.error().message);
        return c;
    }
    auto shared = std::make_shared<model::LabelSet>(std::move(*labels));
    model::AgreementOptions options; // the overall report with the bootstrap (the headline's CIs need it)
    c.overall = model::measureAgreement(*shared, options);
    options.bootstrapResamples = 0; // the charts by group show the asymptotic CI
    options.groupBy = model::Grouping::QuestionType;
    c.byType = model::measureAgreement(*shared, options);
    options.groupBy = model::Grouping::EvidenceBucket;
    c.byBucket = model::measureAgreement(*shared, options);
    c.labels = std::move(shared);
    return c;
}

void AgreementView::refresh() { m_debounce->start(); }

QString AgreementView::emptyText() const
{
    return m_pages->currentWidget() == m_empty ? m_empty->text() : QString();
}

void AgreementView::start()
{
    if (m_watcher.isRunning()) {
        m_pending = true;
        return;
    }
    m_status->setText(tr("Computing…"));
    m_watcher.setFuture(QtConcurrent::run([loader = m_loader] { return compute(loader); }));
}

void AgreementView::refreshAndWait()
{
    m_debounce->stop();
    m_watcher.waitForFinished();
    m_pending = false;
    m_computed = std::make_shared<Computed>(compute(m_loader));
    showReport();
}

Facet AgreementView::facet() const { return Facet(m_facet->currentData().toInt()); }

void AgreementView::setFacet(Facet f) { m_facet->setCurrentIndex(m_facet->findData(int(f))); }

void AgreementView::showReport()
{
    if (!m_computed)
        return;
    if (!m_computed->error.isEmpty()) {
        m_status->setText(m_computed->error);
        m_model->setComparisons({});
        return;
    }
    const auto &labels = *m_computed->labels;
    m_names = RaterNames(labels.raters());
    m_status->setText(tr("%1 items · %2 raters · %3 current labels")
                          .arg(labels.items().size())
                          .arg(labels.raters().size())
                          .arg(labels.labels().size()));
    showFacet();
    emit updated();
}

void AgreementView::showFacet()
{
    if (!m_computed || !m_computed->labels)
        return;
    const model::FacetAgreement *f = findFacet(m_computed->overall.facets, facet());
    const QString previousA = selected() ? QString::fromStdString(selected()->raterA) : QString();
    const QString previousB = selected() ? QString::fromStdString(selected()->raterB) : QString();
    m_model->setComparisons(f ? f->pairs : std::vector<model::PairAgreement>{}, m_names);
    // The rater columns share what the numbers leave of the table's width (at least 120 px, at
    // most 260 each), so that κ, AC1 and PABAK stay in view; longer names are elided in the middle
    // and the user may widen the column.
    int numbers = 0;
    for (int c = 0; c < m_model->columnCount(); ++c)
        if (c != ComparisonTableModel::RaterA && c != ComparisonTableModel::RaterB)
            numbers += m_table->columnWidth(c);
    const int cap = std::clamp((m_table->viewport()->width() - numbers) / 2, 120, 260);
    for (int c : {int(ComparisonTableModel::RaterA), int(ComparisonTableModel::RaterB)}) {
        m_table->resizeColumnToContents(c);
        m_table->setColumnWidth(c, std::min(m_table->columnWidth(c), cap));
    }

    QStringList lines;
    if (f) {
        for (const model::Headline &h : f->headlines) {
            const QString reading = h.reading ? QString::fromUtf8(toString(*h.reading).data(),
                                                                  qsizetype(toString(*h.reading).size()))
                                              : QString::fromStdString(h.note);
            // Named for a light window; lightened on a dark one so they still read.
            const QColor background = palette().color(QPalette::Window);
            const QString colour = !h.reading ? shade::secondaryText(palette()).name()
                                   : *h.reading == model::Reading::Less
                                       ? shade::readableOn(QColor(0xc0, 0x39, 0x2b), background).name()
                                       : shade::readableOn(QColor(0x2e, 0x8b, 0x57), background).name();
            if (h.humanPairs == 0) {
                // No two humans to compare yet: say so plainly rather than print empty intervals.
                lines
                    << tr("<b>%1</b>: with each human, mean κ %2 [%3, %4]; against the human majority, κ "
                          "%5 [%6, %7].")
                               .arg(m_names.name(h.judge).toHtmlEscaped(),
                                    formatNumber(h.judgeHumanKappaMean), formatNumber(h.judgeHumanCiLow),
                                    formatNumber(h.judgeHumanCiHigh), formatNumber(h.kappa),
                                    formatNumber(h.ciLow), formatNumber(h.ciHigh)) +
                           tr("<br><span style='color:%1'>● Whether the judge agrees with humans as well as "
                              "humans agree with each other needs two human annotators who labelled the same "
                              "items on this facet.</span>")
                               .arg(colour);
                continue;
            }
            // The reading compares the first two (like with like); the majority kappa is context.
            lines << tr("<b>%1</b>: with each human, mean κ %2 [%3, %4]; humans with each other, mean κ %5 "
                        "[%6, %7]; against the human majority, κ %8 [%9, %10].")
                             .arg(m_names.name(h.judge).toHtmlEscaped(), formatNumber(h.judgeHumanKappaMean),
                                  formatNumber(h.judgeHumanCiLow), formatNumber(h.judgeHumanCiHigh),
                                  formatNumber(h.humanKappaMean), formatNumber(h.humanCiLow),
                                  formatNumber(h.humanCiHigh), formatNumber(h.kappa), formatNumber(h.ciLow),
                                  formatNumber(h.ciHigh)) +
                         tr("<br><span style='color:%1'>● %2</span> (difference %3 [%4, %5])")
                             .arg(colour, reading.toHtmlEscaped(), formatNumber(h.difference),
                                  formatNumber(h.differenceCiLow), formatNumber(h.differenceCiHigh));
        }
    }
    if (lines.isEmpty())
        lines << tr("No judge has been compared with the human majority on this facet yet.");
    m_headline->setText(lines.join(QStringLiteral("<br>")));

    const bool nothing = m_model->rowCount() == 0;
    if (nothing) {
        const model::LabelSet &labels = *m_computed->labels;
        m_empty->setText(
            labels.items().empty() ? tr("This project has no items yet.\n\nImport a JSONL file with File ▸ "
                                        "Import… or drop it on "
                                        "this window.")
            : labels.labels().empty()
                ? tr("No labels yet.\n\nLabel items in the Annotate view, import labels with File ▸ Import…, "
                     "or run the judge (Judge menu). Agreement shows here once two raters have labelled "
                     "the same items.")
                : tr("No two raters have labelled the same items on “%1” yet.\n\nAgreement shows here once "
                     "two raters (annotators or judges) have both given this facet for an item; choose "
                     "another facet above to see the ones that have.")
                      .arg(facetTitle(facet())));
    }
    m_pages->setCurrentWidget(nothing ? static_cast<QWidget *>(m_empty) : m_pages->widget(0));
    m_headline->setVisible(!nothing);

    if (previousA.isEmpty() || !selectComparison(previousA, previousB)) {
        // Default: the first judge against the human majority, else the first comparison.
        int row = 0;
        for (int r = 0; r < m_proxy->rowCount(); ++r)
            if (m_proxy->index(r, 0).data(ComparisonTableModel::ComparisonRole).toInt() ==
                int(model::Comparison::JudgeMajority)) {
                row = r;
                break;
            }
        if (m_proxy->rowCount() > 0) {
            m_table->selectRow(row);
            // The row the matrix and charts describe, in view: once the rows are laid out.
            QTimer::singleShot(0, m_table, [table = m_table] { table->scrollTo(table->currentIndex()); });
        } else {
            showSelection();
        }
    }
}

const model::PairAgreement *AgreementView::selected() const
{
    const QModelIndex current =
        m_table->selectionModel() ? m_table->selectionModel()->currentIndex() : QModelIndex();
    if (!current.isValid())
        return nullptr;
    return m_model->comparison(m_proxy->mapToSource(current).row());
}

bool AgreementView::selectComparison(const QString &raterA, const QString &raterB)
{
    for (int r = 0; r < m_proxy->rowCount(); ++r) {
        const model::PairAgreement *p = m_model->comparison(m_proxy->mapToSource(m_proxy->index(r, 0)).row());
        if (p && QString::fromStdString(p->raterA) == raterA && QString::fromStdString(p->raterB) == raterB) {
            m_table->selectRow(r);
            m_table->scrollTo(m_proxy->index(r, 0));
            showSelection();
            return true;
        }
    }
    return false;
}

void AgreementView::showSelection()
{
    m_units->clear();
    m_cellTitle->setText(tr("Click a cell to list the units behind it."));
    const model::PairAgreement *p = selected();
    if (!p || !m_computed) {
        m_matrix->clear();
        m_byType->setChart(new QChart);
        m_byPosition->setChart(new QChart);
        return;
    }
    QStringList labels;
    for (std::string_view v : model::valuesOf(facet()))
        labels << QString::fromUtf8(v.data(), qsizetype(v.size()));
    m_matrix->setMatrix(comparisonRater(*p, true, m_names), comparisonRater(*p, false, m_names), labels,
                        std::vector<qint64>(p->confusion.cells.begin(), p->confusion.cells.end()));

    // Kappa of the selected comparison per question type: bars with CI whiskers.
    auto *typeChart = new QChart;
    auto *bars = new QBarSet(tr("κ"));
    QStringList categories, shortCategories;
    std::vector<std::pair<double, double>> whiskers;
    // Why κ is undefined for a type ("both raters used one category only"), said under the chart:
    // an axis label has no room for it.
    QStringList undefinedNotes;
    // Each defined κ also as a point on its bar: a κ of 0 has no bar to see.
    auto *values = new QScatterSeries;
    double lowest = 0.0;
    for (const model::GroupAgreement &g : m_computed->byType.groups) {
        const model::PairAgreement *gp = findPair(findFacet(g.facets, facet()), p->raterA, p->raterB);
        const bool defined = gp && gp->kappa.kappa;
        const auto parsedType = model::parseQuestionType(g.value);
        const QString type = parsedType ? questionTypeName(*parsedType) : QString::fromStdString(g.value);
        const QString shortType = parsedType ? questionTypeShortName(*parsedType) : type;
        // Two decimals, and a κ just below 0 reads 0.00, not -0.00.
        const QString value = defined ? fixedNumber(*gp->kappa.kappa) : tr("n/a");
        // How many units the κ rests on, and how often the two said the same: a κ of 0.00 on 6
        // units that agree 4 times reads differently from one on 600.
        const QString basis =
            gp ? gp->agreement.po
                     ? tr("n=%1 · %2%").arg(gp->agreement.n).arg(std::lround(*gp->agreement.po * 100.0))
                     : tr("n=%1").arg(gp->agreement.n)
               : tr("n=0");
        categories << tr("%1<br>%2<br>%3").arg(type, value, basis);
        shortCategories << tr("%1<br>%2<br>%3").arg(shortType, value, basis);
        if (defined)
            values->append(double(categories.size() - 1), *gp->kappa.kappa);
        else
            undefinedNotes << tr("%1: %2").arg(type, gp && !gp->kappa.note.empty()
                                                         ? QString::fromStdString(gp->kappa.note)
                                                         : tr("no comparison"));
        const double k = defined ? *gp->kappa.kappa : 0.0;
        *bars << k;
        const double lo = gp && gp->kappa.ciLow ? *gp->kappa.ciLow : k;
        const double hi = gp && gp->kappa.ciHigh ? *gp->kappa.ciHigh : k;
        whiskers.emplace_back(lo, hi);
        lowest = std::min({lowest, k, lo});
    }
    auto *barSeries = new QBarSeries;
    barSeries->append(bars);
    typeChart->addSeries(barSeries);
    auto *typeAxis = new QBarCategoryAxis;
    typeAxis->append(categories);
    auto *typeY = kappaAxis(lowest);
    typeChart->addAxis(typeAxis, Qt::AlignBottom);
    typeChart->addAxis(typeY, Qt::AlignLeft);
    barSeries->attachAxis(typeAxis);
    barSeries->attachAxis(typeY);
    QFont small = typeAxis->labelsFont();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    typeAxis->setLabelsFont(small);
    // A chart title is HTML: what comes from the project is escaped.
    QString title = tr("κ by question type — %1 vs %2")
                        .arg(comparisonRater(*p, true, m_names).toHtmlEscaped(),
                             comparisonRater(*p, false, m_names).toHtmlEscaped()) +
                    QStringLiteral("<br><small>") +
                    tr("under each type: κ, the units compared (n) and how often the two said the same (%)") +
                    QStringLiteral("</small>");
    if (!undefinedNotes.isEmpty())
        title += QStringLiteral("<br><small>") +
                 tr("κ not defined for %1").arg(undefinedNotes.join(QStringLiteral("; ")).toHtmlEscaped()) +
                 QStringLiteral("</small>");
    typeChart->setTitle(title);
    for (std::size_t i = 0; i < whiskers.size(); ++i) {
        if (whiskers[i].first == whiskers[i].second)
            continue; // undefined or no interval: nothing to draw
        auto *whisker = new QLineSeries;
        whisker->append(double(i), std::max(whiskers[i].first, typeY->min()));
        whisker->append(double(i), std::min(whiskers[i].second, 1.0));
        whisker->setPen(QPen(palette().text().color(), 2));
        typeChart->addSeries(whisker);
        whisker->attachAxis(typeAxis);
        whisker->attachAxis(typeY);
    }
    values->setMarkerSize(7);
    values->setColor(palette().text().color());
    values->setBorderColor(palette().text().color());
    typeChart->addSeries(values);
    values->attachAxis(typeAxis);
    values->attachAxis(typeY);
    typeChart->legend()->hide();
    styleChart(typeChart, palette());
    bars->setColor(palette().highlight().color());
    m_byType->setChart(typeChart);
    m_typeLabels = categories;
    m_typeShortLabels = shortCategories;
    fitTypeLabels();

    // Kappa by where the evidence sits: a line over the four quarters of the document, broken
    // where a quarter has no kappa (none defined, or no unit there): a line drawn across it would
    // show a trend the data does not have.
    auto *positionChart = new QChart;
    const QPen linePen(palette().highlight().color(), 2.5);
    const QPen ciPen(palette().text().color(), 1, Qt::DashLine);
    std::vector<QXYSeries *> positionSeries;
    QLineSeries *line = nullptr, *low = nullptr, *high = nullptr;
    auto breakLine = [&] { line = low = high = nullptr; };
    auto *points = new QScatterSeries;
    points->setMarkerSize(9);
    points->setColor(palette().highlight().color());
    QStringList gaps;
    double lowestPosition = 0.0;
    static constexpr std::array<std::pair<std::string_view, double>, 4> kQuarters{
        {{"[0,0.25)", 0.125}, {"[0.25,0.5)", 0.375}, {"[0.5,0.75)", 0.625}, {"[0.75,1]", 0.875}}};
    for (const auto &[bucket, x] : kQuarters) {
        const model::GroupAgreement *g = nullptr;
        for (const model::GroupAgreement &group : m_computed->byBucket.groups)
            if (group.value == bucket)
                g = &group;
        const model::PairAgreement *gp =
            g ? findPair(findFacet(g->facets, facet()), p->raterA, p->raterB) : nullptr;
        if (!gp || !gp->kappa.kappa) {
            gaps << tr("%1: %2").arg(evidenceBucketText(bucket), gp && !gp->kappa.note.empty()
                                                                     ? QString::fromStdString(gp->kappa.note)
                                                                     : tr("no units"));
            breakLine();
            continue;
        }
        if (!line) {
            line = new QLineSeries;
            line->setPen(linePen);
            low = new QLineSeries;
            high = new QLineSeries;
            low->setPen(ciPen);
            high->setPen(ciPen);
            positionSeries.insert(positionSeries.end(), {low, high, line});
        }
        line->append(x, *gp->kappa.kappa);
        points->append(x, *gp->kappa.kappa);
        if (gp->kappa.ciLow && gp->kappa.ciHigh) {
            // κ lies in [−1, 1]; an interval drawn past 1 would leave the chart.
            low->append(x, std::clamp(*gp->kappa.ciLow, -1.0, 1.0));
            high->append(x, std::clamp(*gp->kappa.ciHigh, -1.0, 1.0));
            lowestPosition = std::min(lowestPosition, *gp->kappa.ciLow);
        }
    }
    // Dashed: the 95% interval, said in the title (the legend is hidden: it would list every
    // segment of a broken line).
    QString positionTitle = tr("κ by where the evidence sits in the document") +
                            QStringLiteral("<br><small>") + tr("dashed lines: 95% confidence interval") +
                            QStringLiteral("</small>");
    if (!gaps.isEmpty())
        positionTitle += QStringLiteral("<br><small>") +
                         tr("no κ for %1").arg(gaps.join(QStringLiteral("; ")).toHtmlEscaped()) +
                         QStringLiteral("</small>");
    positionChart->setTitle(positionTitle);
    auto *positionX = new QCategoryAxis;
    positionX->setRange(0.0, 1.0);
    positionX->setStartValue(0.0);
    for (const auto &[label, end] :
         {std::pair{tr("0–25%"), 0.25}, {tr("25–50%"), 0.5}, {tr("50–75%"), 0.75}, {tr("75–100%"), 1.0}})
        positionX->append(label, end);
    positionX->setLabelsPosition(QCategoryAxis::AxisLabelsPositionCenter);
    positionX->setTitleText(tr("how far into the document the evidence sits"));
    auto *positionY = kappaAxis(lowestPosition);
    positionChart->addAxis(positionX, Qt::AlignBottom);
    positionChart->addAxis(positionY, Qt::AlignLeft);
    positionSeries.push_back(points);
    for (QXYSeries *series : positionSeries) {
        positionChart->addSeries(series);
        series->attachAxis(positionX);
        series->attachAxis(positionY);
    }
    positionChart->legend()->hide();
    styleChart(positionChart, palette());
    m_byPosition->setChart(positionChart);
}

void AgreementView::showCell(int row, int column)
{
    const model::PairAgreement *p = selected();
    if (!p || !m_computed || !m_computed->labels)
        return;
    const auto values = model::valuesOf(facet());
    if (row < 0 || column < 0 || std::size_t(row) >= values.size() || std::size_t(column) >= values.size())
        return;
    const auto units = model::unitsInCell(*m_computed->labels, facet(), *p, row, column);
    m_units->clear();
    for (const model::UnitRef &u : units) {
        QString text = QString::fromStdString(u.itemId);
        if (u.slot)
            text += tr(" — answer %1").arg(QLatin1Char(*u.slot == model::Slot::A ? 'A' : 'B'));
        auto *item = new QListWidgetItem(text, m_units);
        item->setData(Qt::UserRole, QString::fromStdString(u.itemId));
    }
    auto name = [&](std::size_t i) {
        return QString::fromUtf8(values[i].data(), qsizetype(values[i].size()));
    };
    m_cellTitle->setText(tr("%n unit(s) where %1 said “%2” and %3 said “%4” (double-click to open):", nullptr,
                            int(units.size()))
                             .arg(comparisonRater(*p, true, m_names), name(std::size_t(row)),
                                  comparisonRater(*p, false, m_names), name(std::size_t(column))));
}

QString AgreementView::headlineText() const { return m_headline->text(); }

void AgreementView::fitTypeLabels()
{
    QChart *chart = m_byType->chart();
    if (!chart || m_typeLabels.isEmpty())
        return;
    const auto axes = chart->axes(Qt::Horizontal);
    auto *axis = axes.isEmpty() ? nullptr : qobject_cast<QBarCategoryAxis *>(axes.front());
    if (!axis)
        return;
    // The room under a bar against the widest line of its label (the type's name, its κ, its n).
    const QFontMetrics metrics(axis->labelsFont());
    const double room = chart->plotArea().width() > 0 ? chart->plotArea().width() / m_typeLabels.size()
                                                      : double(m_byType->width()) / m_typeLabels.size();
    int widest = 0;
    for (const QString &label : m_typeLabels)
        for (const QString &line : label.split(QStringLiteral("<br>")))
            widest = std::max(widest, metrics.horizontalAdvance(line));
    // Qt elides a label well before it touches the next one: a margin of a few characters.
    const QStringList &wanted =
        widest + 3 * metrics.averageCharWidth() <= room ? m_typeLabels : m_typeShortLabels;
    if (axis->categories() != wanted) {
        axis->clear();
        axis->append(wanted);
    }
}

bool AgreementView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_byType && event->type() == QEvent::Resize)
        QTimer::singleShot(0, this, [this] { fitTypeLabels(); }); // once the chart has its new size
    return QWidget::eventFilter(watched, event);
}

} // namespace concord::ui
