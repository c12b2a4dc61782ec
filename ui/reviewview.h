#pragma once
/// @file reviewview.h
/// The Review view: the queue of units where current labels disagree, filtered and sorted by
/// facet, kind of disagreement, question type and rater pair; for the selected unit, the document
/// beside the question and both answers (with their systems, unless the project is blind), every
/// rater's labels of the item side by side (a rater × facet table, the facet under review
/// highlighted) with their notes and evidence (highlighted in the document in the rater's colour),
/// what each judge said (its explanations, its claims with their verdicts, each located quote a
/// link that scrolls the document to it); and the adjudication of a gold value by keyboard or
/// mouse. The keys are the workspace's: 1 A better, 2 tie, 3 B better (review is not blind about
/// order: A is the left answer); F faithful, U unfaithful; 1–4 the no-info outcomes; J/K move.
/// Each gold decision is a new label revision of the gold rater, so adjudication keeps its history.

#include "judgerun.h"
#include "labelling.h"
#include "raternames.h"
#include "review.h"

#include <QColor>
#include <QElapsedTimer>
#include <QSet>
#include <QWidget>

#include <functional>
#include <optional>
#include <string_view>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QStackedWidget;
class QTableView;
class QTableWidget;
class QTextBrowser;
class QHBoxLayout;
class QPushButton;
class QUrl;

namespace concord::ui {

class DocumentView;
class ReviewQueueModel;
class ReviewFilterModel;

class ReviewView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReviewView)

public:
    /// How the view reaches the project; all are called on the GUI thread.
    struct Sources
    {
        std::function<model::Result<model::LabelSet>()> labels;
        std::function<model::Result<model::Item>(const std::string &itemId)> item;
        /// A rater's current label of an item (for notes); may be empty.
        std::function<model::Result<model::ItemLabel>(const std::string &raterId, const std::string &itemId)>
            label;
        /// The reason of the gold decision in force for a unit (may be empty: the item's note is
        /// shown then).
        std::function<model::Result<std::optional<std::string>>(const std::string &raterId,
                                                                const std::string &itemId, model::Facet facet,
                                                                std::optional<model::Slot> slot)>
            decisionNote;
        /// Appends a revision (gold adjudication) and returns once it is committed.
        std::function<model::Status(const model::LabelRevision &revision)> save;
        /// The document of an item (may be empty: no document pane then).
        std::function<model::Result<model::Document>(const std::string &documentId)> document;
        /// What a judge said about an item (may be empty).
        std::function<model::Result<model::JudgeRationale>(const std::string &raterId,
                                                           const std::string &itemId)>
            rationale;
    };

    /// The colour of the rater at `index` among the project's raters (LabelSet::raters() order),
    /// so that a rater keeps its colour from unit to unit: its row in the labels table, its
    /// evidence in the document, its heading in what the judges said.
    static QColor raterColor(int index);

    /// A key that stores a gold value for the facet under review, as the hints name it.
    struct GoldKey
    {
        int key = 0; ///< Qt::Key
        QString name;
        std::string_view value; ///< a spelling from model::valuesOf(facet)
    };
    /// The adjudication keys of a facet, in the order the buttons show them.
    static std::vector<GoldKey> goldKeys(model::Facet facet);

    /// `goldRater` is the id gold decisions are stored under (a rater of kind gold).
    ReviewView(Sources sources, std::string goldRater, QWidget *parent = nullptr);

    /// Reloads the queue, keeping the selected unit when it is still listed.
    void reload();
    int visibleUnits() const;
    /// Selects the visible row `row` of the queue.
    void selectRow(int row);
    /// Selects the first listed unit of `itemId`; false when none of its units is listed.
    bool showItem(const QString &itemId);
    const model::Disagreement *selectedUnit() const;
    /// Stores value `value` (a spelling of the facet) as gold for the selected unit, with the note,
    /// then selects the next unit to review: the one after it, or the one now in its place when
    /// the decision took it off the list. `advance` false stays on it (G and D, pressed again
    /// for their other value).
    bool adjudicate(const std::string &value, bool advance = true);

    ReviewFilterModel *filter() const { return m_filter; }
    QLineEdit *noteField() const { return m_note; }
    DocumentView *document() const { return m_document; }
    QTextBrowser *rationale() const { return m_rationale; }
    QTableWidget *labelsTable() const { return m_labels; }
    QTableView *queue() const { return m_table; }
    QComboBox *kindFilter() const { return m_kind; }
    QLabel *answerTitle(model::Slot slot) const { return m_answerTitles[int(slot)]; }
    QLabel *notes() const { return m_notes; }
    /// Blind projects: the answers' systems are not shown.
    void setBlind(bool blind);
    bool isBlind() const { return m_blind; }
    /// Items whose disagreements the annotator `who` should not see yet (blind annotation: the
    /// ones they have not finished). While "Hide items I have not finished" is ticked (it is,
    /// until a lead unticks it), their units are not listed, and the count says how many are not.
    void setWithheld(QSet<QString> itemIds, const QString &who);
    QCheckBox *withholdBox() const { return m_withhold; }
    /// Follows a link of the rationale ("quote:START:END" scrolls the document to the quote).
    void openLink(const QUrl &link);

signals:
    /// A gold decision was committed to the project file.
    void adjudicated(const QString &itemId);
    /// The user asked to open the item in the annotation view.
    void itemActivated(const QString &itemId);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showSelected();
    void applyFilters();
    /// Refills the kind filter's list of summaries, keeping the chosen entry when still listed.
    void updateKinds(const std::vector<model::Disagreement> &disagreements);
    /// Why the queue shows nothing: filters, no labels yet, one rater, or full agreement.
    QString nothingToReview() const;
    void fitLabelsTable();
    /// Adjudicates or moves for a key of the review; false when the key is not one of them.
    bool handleKey(int key);

    Sources m_sources;
    std::string m_goldRater;
    /// The last G or D decision: pressed again soon after, it switches that unit to the key's
    /// other value, even when the decision took the unit off the filtered list.
    struct OutcomeDecision
    {
        model::UnitRef unit;
        int key = 0;
        QElapsedTimer when;
    };
    std::optional<OutcomeDecision> m_lastOutcome;
    bool adjudicateUnit(const model::UnitRef &unit, model::Facet facet, const std::string &value,
                        bool advance);
    std::vector<model::RaterRef> m_raters; ///< the project's, as the label set lists them
    RaterNames m_names;                    ///< how the view names them
    bool m_blind = false;
    ReviewQueueModel *m_queue = nullptr;
    ReviewFilterModel *m_filter = nullptr;
    QTableView *m_table = nullptr;
    QComboBox *m_facet = nullptr, *m_kind = nullptr, *m_type = nullptr, *m_raterA = nullptr,
              *m_raterB = nullptr;
    QLabel *m_count = nullptr, *m_question = nullptr, *m_goldTitle = nullptr, *m_status = nullptr;
    QTextBrowser *m_answers[2] = {nullptr, nullptr};
    QLabel *m_answerTitles[2] = {nullptr, nullptr};
    QTableWidget *m_labels = nullptr;
    QLabel *m_notes = nullptr;
    QCheckBox *m_withhold = nullptr;
    QSet<QString> m_withheld;
    QString m_withheldFor;
    QStackedWidget *m_unitPages = nullptr; ///< the unit under review, or m_nothing
    QLabel *m_nothing = nullptr;
    std::size_t m_itemCount = 0;       ///< items in the project, as last loaded
    std::size_t m_labelCount = 0;      ///< current labels in the project, as last loaded
    std::size_t m_labellingRaters = 0; ///< raters with at least one of them
    DocumentView *m_document = nullptr;
    QTextBrowser *m_rationale = nullptr;
    QLineEdit *m_note = nullptr;
    QHBoxLayout *m_buttons = nullptr;
    std::vector<QPushButton *> m_valueButtons;
};

} // namespace concord::ui
