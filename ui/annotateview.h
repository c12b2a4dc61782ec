#pragma once
/// @file annotateview.h
/// The annotation workspace: the item queue, the source document and the comparison, in three
/// regions the user can resize. Every labelling action is a public slot (the main window binds
/// keys and menus to them) that pushes an undo command; the screen is redrawn from the session's
/// labels whenever one changes, so the screen, the undo stack and the project file agree.
///
/// Left and right are screen sides; the item's A and B are shown in the order the session gives
/// (blind: per annotator and item), and every verdict is translated to A/B before it is stored.

#include "comparisonview.h"
#include "labelstore.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QSplitter;
class QTableView;
class QUndoStack;

namespace concord::ui {

class DocumentView;
class ItemQueueFilterModel;
class ItemQueueModel;
class LabelSession;

class AnnotateView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AnnotateView)

public:
    AnnotateView(QUndoStack &undoStack, QWidget *parent = nullptr);
    ~AnnotateView() override;

    /// Shows a project: `repository` reads items and documents (GUI thread), `items` and
    /// `progress` fill the queue. `repository` and `session` must outlive the view or the next
    /// setProject()/clearProject().
    void setProject(model::ProjectRepository &repository, LabelSession &session,
                    const std::vector<model::ItemSummary> &items,
                    const std::vector<model::ItemProgress> &progress);
    /// Switches the annotator: new session, their statuses.
    void setSession(LabelSession &session, const std::vector<model::ItemProgress> &progress);
    void setConsensus(const std::vector<model::ItemConsensus> &consensus);
    void clearProject(const QString &message);

    /// Shows an item (selects it in the queue, even when the filter hides it). False when unknown.
    bool showItem(const QString &itemId);
    QString currentItem() const { return m_itemId; }
    /// Whether answer A is on the left for the item on screen (blind sessions may swap them).
    bool leftIsA() const { return m_leftIsA; }
    Side activeSide() const { return m_active; }
    /// The item's slot shown on `side` for the current item.
    model::Slot slotOn(Side side) const;

    int itemCount() const;
    int doneCount() const;

    QSplitter *splitter() const { return m_splitter; }
    DocumentView *document() const { return m_document; }
    ComparisonView *comparison() const { return m_comparison; }
    QTableView *queue() const { return m_queueView; }
    ItemQueueModel *queueModel() const { return m_queue; }
    ItemQueueFilterModel *queueFilter() const { return m_filter; }
    void setReadingPointSize(int points);

public slots:
    void choosePreference(concord::ui::Verdict verdict);
    /// `criterion` indexes model::kCriteria.
    void chooseCriterion(int criterion, concord::ui::Verdict verdict);
    /// F / U on the active answer.
    void chooseFaithful(bool faithful);
    /// G (declines = false) or D (true) on the active answer: the outcome the item's answerable
    /// flag suggests; pressed again, the other outcome of the same kind.
    void chooseResponse(bool declines);
    void chooseOutcome(concord::ui::Side side, model::Outcome outcome);
    void switchAnswer();
    void setActiveSide(concord::ui::Side side);
    /// E: the document's selection becomes evidence for the active answer; with a note, asks for it.
    void markEvidence(bool withNote = false);
    void removeEvidence(int index);
    /// X: removes the active answer's newest evidence.
    void removeLastEvidence();
    void nextItem();
    void previousItem();
    /// N: the next item (in queue order, wrapping) the annotator has not finished.
    void nextUnlabelled();
    void focusNote();
    void toggleCriteria();
    /// P: scrolls the document to where the item says its evidence sits.
    void goToEvidencePosition();

signals:
    void currentItemChanged(const QString &itemId);
    /// The annotator's done count changed.
    void progressChanged(int done, int total);
    /// Something the user should read in the status bar (a hint or an error).
    void messageRaised(const QString &message);
    void criteriaShownChanged(bool shown);
    void referenceShownChanged(bool shown);

protected:
    bool event(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    /// Colours from the application palette (light or dark).
    void restyle();
    void buildQueuePanel(QWidget *panel);
    void fillFilters();
    void fillPairFilter();
    void onQueueRowChanged();
    void onLabelChanged(const QString &itemId);
    void refreshLabel();
    void updateQueueCount();
    std::optional<model::Choice> choiceFor(Verdict v) const;
    std::optional<Verdict> verdictFor(std::optional<model::Choice> c) const;
    Side sideOf(model::Slot slot) const;
    bool requireItem();
    int currentProxyRow() const;

    QUndoStack &m_undo;
    model::ProjectRepository *m_repository = nullptr;
    LabelSession *m_session = nullptr;

    QString m_itemId;
    std::optional<model::Item> m_item;
    bool m_leftIsA = true;
    Side m_active = Side::Left;

    QSplitter *m_splitter = nullptr;
    ItemQueueModel *m_queue = nullptr;
    ItemQueueFilterModel *m_filter = nullptr;
    QTableView *m_queueView = nullptr;
    QComboBox *m_scope = nullptr;
    QComboBox *m_type = nullptr;
    QComboBox *m_pair = nullptr;
    QLabel *m_queueCount = nullptr;
    DocumentView *m_document = nullptr;
    ComparisonView *m_comparison = nullptr;
    bool m_selecting = false;
};

} // namespace concord::ui
