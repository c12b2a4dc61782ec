#pragma once
/// @file agreementview.h
/// The Agreement view: for one facet, every comparison of raters as a sortable table (kappa with
/// its CI drawn in the cell), the confusion matrix of the selected comparison as a heat map (click
/// a cell to list the units behind it), kappa by question type as bars with CI whiskers, kappa by
/// where the evidence sits in the document (the lost-in-the-middle check), and the headline per
/// judge. Statistics are computed off the GUI thread; refresh() after labels change.

#include "agreementreport.h"
#include "raternames.h"

#include <QFutureWatcher>
#include <QWidget>

#include <functional>
#include <memory>

class QComboBox;
class QLabel;
class QListWidget;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;
class QTimer;

class QChartView;

namespace concord::ui {

class ComparisonTableModel;
class ConfusionMatrixWidget;

class AgreementView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgreementView)

public:
    /// Reads the current labels; called on a worker thread, so it must use its own connection.
    using LabelLoader = std::function<model::Result<model::LabelSet>()>;

    explicit AgreementView(LabelLoader loader, QWidget *parent = nullptr);
    ~AgreementView() override;

    /// Recomputes soon (changes within a short interval are coalesced into one computation).
    void refresh();
    /// Recomputes now and waits for the result (for tests and the screenshot command).
    void refreshAndWait();

    model::Facet facet() const;
    void setFacet(model::Facet facet);
    /// Selects the comparison of raterA and raterB in the table; false when there is none.
    bool selectComparison(const QString &raterA, const QString &raterB);
    /// Acts as a click on a confusion cell: lists the units behind it.
    void showCell(int row, int column);

    ComparisonTableModel *comparisons() const { return m_model; }
    QListWidget *unitList() const { return m_units; }
    /// The chart of the selected comparison's κ by question type.
    QChartView *questionTypeChart() const { return m_byType; }
    QChartView *evidencePositionChart() const { return m_byPosition; }
    ConfusionMatrixWidget *confusionMatrix() const { return m_matrix; }
    QString headlineText() const;
    /// What the view says instead of the table and charts when there is nothing to compare on
    /// the facet (no labels yet, or no two raters on the same items); empty when it shows them.
    QString emptyText() const;

signals:
    /// The report was recomputed and is on screen.
    void updated();
    /// The user asked to open an item (double-click or Enter on a listed unit).
    void itemActivated(const QString &itemId);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Computed
    {
        std::shared_ptr<const model::LabelSet> labels;
        model::AgreementReport overall, byType, byBucket;
        QString error;
    };
    static Computed compute(const LabelLoader &loader);
    void start();
    void showReport();
    void showFacet();
    void showSelection();
    const model::PairAgreement *selected() const;
    /// Puts the short type names under the bars when the full ones do not fit the chart's width.
    void fitTypeLabels();

    LabelLoader m_loader;
    RaterNames m_names; ///< of the report on screen
    std::shared_ptr<Computed> m_computed;
    QFutureWatcher<Computed> m_watcher;
    bool m_pending = false;
    QTimer *m_debounce = nullptr;

    QComboBox *m_facet = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_headline = nullptr;
    QStackedWidget *m_pages = nullptr; ///< the table and charts, or m_empty
    QLabel *m_empty = nullptr;
    ComparisonTableModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    ConfusionMatrixWidget *m_matrix = nullptr;
    QLabel *m_cellTitle = nullptr;
    QListWidget *m_units = nullptr;
    QChartView *m_byType = nullptr;
    QChartView *m_byPosition = nullptr;
    /// The question-type chart's labels with full type names, and with short ones ("fact",
    /// "summary") for when the full ones do not fit under their bars (fitTypeLabels()).
    QStringList m_typeLabels, m_typeShortLabels;
};

} // namespace concord::ui
