#include "annotateview.h"

#include "facettext.h"

#include "documentview.h"
#include "labelcommands.h"
#include "labelsession.h"
#include "models/evidencelistmodel.h"
#include "models/itemqueuemodel.h"

#include <QApplication>
#include <QComboBox>
#include <QHeaderView>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableView>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>

namespace concord::ui {

AnnotateView::AnnotateView(QUndoStack &undoStack, QWidget *parent) : QWidget(parent), m_undo(undoStack)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("workspaceSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setHandleWidth(5);
    layout->addWidget(m_splitter);

    auto *queuePanel = new QWidget(m_splitter);
    buildQueuePanel(queuePanel);
    m_document = new DocumentView(m_splitter);
    m_document->setMinimumWidth(260);
    m_comparison = new ComparisonView(m_splitter);
    m_comparison->setMinimumWidth(440);
    m_splitter->addWidget(queuePanel);
    m_splitter->addWidget(m_document);
    m_splitter->addWidget(m_comparison);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 5);
    m_splitter->setStretchFactor(2, 6);
    m_splitter->setSizes({310, 540, 850});

    connect(m_comparison, &ComparisonView::preferenceChosen, this, &AnnotateView::choosePreference);
    connect(m_comparison, &ComparisonView::criterionChosen, this, &AnnotateView::chooseCriterion);
    connect(m_comparison, &ComparisonView::noteCommitted, this, [this](const QString &note) {
        if (requireItem())
            m_undo.push(new SetNote(*m_session, m_itemId, note));
    });
    connect(m_comparison, &ComparisonView::noteLeft, this, [this] { m_document->editor()->setFocus(); });
    connect(m_comparison, &ComparisonView::criteriaShownChanged, this, &AnnotateView::criteriaShownChanged);
    connect(m_comparison, &ComparisonView::referenceShownChanged, this, &AnnotateView::referenceShownChanged);
    for (Side side : {Side::Left, Side::Right}) {
        AnswerPanel *panel = m_comparison->panel(side);
        connect(panel, &AnswerPanel::activated, this, [this, side] { setActiveSide(side); });
        connect(panel, &AnswerPanel::faithfulChosen, this, [this, side](bool faithful) {
            setActiveSide(side);
            chooseFaithful(faithful);
        });
        connect(panel, &AnswerPanel::outcomeChosen, this,
                [this, side](model::Outcome outcome) { chooseOutcome(side, outcome); });
        connect(panel, &AnswerPanel::evidenceRemoveRequested, this, &AnnotateView::removeEvidence);
        connect(panel, &AnswerPanel::evidenceActivated, this,
                [this](qint64 start, qint64 end) { m_document->reveal(start, end); });
        connect(panel, &AnswerPanel::keysReleased, this, [this] { m_document->editor()->setFocus(); });
    }
    clearProject(tr("No project is open. Use File ▸ Open or drop a .jsonl file here."));
}

AnnotateView::~AnnotateView() = default;

void AnnotateView::buildQueuePanel(QWidget *panel)
{
    panel->setObjectName(QStringLiteral("queuePanel"));
    panel->setMinimumWidth(200);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(8, 8, 4, 8);
    layout->setSpacing(6);
    auto *title = new QLabel(tr("Items"), panel);
    QFont bold = title->font();
    bold.setWeight(QFont::DemiBold);
    title->setFont(bold);
    layout->addWidget(title);

    m_scope = new QComboBox(panel);
    m_scope->addItem(tr("To do (not done by me)"), int(ItemQueueFilterModel::Scope::NotDone));
    m_scope->addItem(tr("Unlabelled by me"), int(ItemQueueFilterModel::Scope::Unlabelled));
    m_scope->addItem(tr("All items"), int(ItemQueueFilterModel::Scope::All));
    m_scope->addItem(tr("Done by me"), int(ItemQueueFilterModel::Scope::Done));
    m_scope->addItem(tr("With disagreement"), int(ItemQueueFilterModel::Scope::Disagreement));
    m_scope->setCurrentIndex(2);
    m_scope->setToolTip(tr("Which items to list"));
    m_type = new QComboBox(panel);
    m_type->setToolTip(tr("Only items of one question type"));
    m_pair = new QComboBox(panel);
    m_pair->setToolTip(
        tr("Only items answered by one pair of systems (which side each answer is on stays hidden)"));
    for (QComboBox *c : {m_scope, m_type, m_pair}) {
        c->setFocusPolicy(Qt::ClickFocus);
        keepArrowKeys(c);
        c->installEventFilter(this);
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        c->setMinimumContentsLength(10);
        layout->addWidget(c);
    }

    m_queue = new ItemQueueModel(this);
    m_filter = new ItemQueueFilterModel(this);
    m_filter->setSourceModel(m_queue);
    m_filter->setScope(ItemQueueFilterModel::Scope::All);
    m_queueView = new QTableView(panel);
    m_queueView->setObjectName(QStringLiteral("itemQueue"));
    m_queueView->setModel(m_filter);
    m_queueView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_queueView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_queueView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_queueView->setAlternatingRowColors(true);
    m_queueView->setShowGrid(false);
    m_queueView->setWordWrap(false);
    m_queueView->setFocusPolicy(Qt::ClickFocus);
    // After a click in the list, ↑ ↓ move in it (Esc gives the keys back to the workspace).
    keepArrowKeys(m_queueView);
    m_queueView->installEventFilter(this);
    m_queueView->verticalHeader()->hide();
    m_queueView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_queueView->verticalHeader()->setDefaultSectionSize(m_queueView->fontMetrics().height() + 8);
    QHeaderView *header = m_queueView->horizontalHeader();
    header->setHighlightSections(false);
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(ItemQueueModel::Type, QHeaderView::Stretch);
    m_queueView->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    header->setSortIndicator(-1, Qt::AscendingOrder); // the project's own order until a header is clicked
    m_queueView->setSortingEnabled(true);
    const QFontMetrics metrics = m_queueView->fontMetrics();
    header->resizeSection(ItemQueueModel::Id, metrics.horizontalAdvance(QStringLiteral("q-00000")) + 14);
    header->resizeSection(ItemQueueModel::Status,
                          metrics.horizontalAdvance(QStringLiteral("○ unlabelled")) + 16);
    header->resizeSection(ItemQueueModel::Others, metrics.horizontalAdvance(QStringLiteral("Others")) + 14);
    // The queue is narrow: systems show in the answers' captions (unblinded) and in the pair filter.
    m_queueView->setColumnHidden(ItemQueueModel::Systems, true);
    layout->addWidget(m_queueView, 1);
    m_queueCount = new QLabel(panel);
    m_queueCount->setObjectName(QStringLiteral("queueCount"));
    restyle();
    layout->addWidget(m_queueCount);

    connect(m_queueView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &AnnotateView::onQueueRowChanged);
    connect(m_scope, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setScope(ItemQueueFilterModel::Scope(m_scope->currentData().toInt()));
        updateQueueCount();
    });
    connect(m_type, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setQuestionType(m_type->currentData().toString());
        updateQueueCount();
    });
    connect(m_pair, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setSystemPair(m_pair->currentData().toString());
        updateQueueCount();
    });
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &AnnotateView::updateQueueCount);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &AnnotateView::updateQueueCount);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &AnnotateView::updateQueueCount);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, [this] {
        // Keep the item on screen visible after a sort.
        if (const int row = currentProxyRow(); row >= 0)
            m_queueView->scrollTo(m_filter->index(row, 0));
    });
}

void AnnotateView::fillFilters()
{
    const QSignalBlocker blockType(m_type);
    m_type->clear();
    m_type->addItem(tr("Any question type"), QString());
    for (model::QuestionType t : model::kQuestionTypes)
        m_type->addItem(questionTypeName(t), QString::fromLatin1(model::toString(t)));
    m_filter->setQuestionType({});
    fillPairFilter();
}

void AnnotateView::fillPairFilter()
{
    const QSignalBlocker blockPair(m_pair);
    m_pair->clear();
    m_pair->addItem(tr("Any pair of systems"), QString());
    // Blind annotators filter by pair without learning the systems' names.
    const bool blind = !m_session || m_session->blind();
    const QStringList pairs = m_queue->systemPairs();
    for (int i = 0; i < pairs.size(); ++i)
        m_pair->addItem(blind ? tr("System pair %1 of %2").arg(i + 1).arg(pairs.size()) : pairs[i], pairs[i]);
    m_filter->setSystemPair({});
}

void AnnotateView::setProject(model::ProjectRepository &repository, LabelSession &session,
                              const std::vector<model::ItemSummary> &items,
                              const std::vector<model::ItemProgress> &progress)
{
    m_repository = &repository;
    m_itemId.clear();
    m_item.reset();
    m_filter->setPinnedItem({});
    m_queue->setItems(items, progress);
    fillFilters();
    setSession(session, progress);
    if (items.empty()) {
        m_document->clear();
        m_comparison->showMessage(
            tr("This project has no items yet.\nImport a JSONL file with File ▸ Import… "
               "or drop it on this window."));
        return;
    }
    // Start where the annotator left off: the first item not done, in queue order.
    for (int row = 0; row < m_filter->rowCount(); ++row) {
        const QString id = m_filter->index(row, 0).data(ItemQueueModel::ItemIdRole).toString();
        if (m_queue->status(m_queue->rowOf(id)) != model::LabelStatus::Done) {
            showItem(id);
            return;
        }
    }
    showItem(m_filter->index(0, 0).data(ItemQueueModel::ItemIdRole).toString());
}

void AnnotateView::setSession(LabelSession &session, const std::vector<model::ItemProgress> &progress)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = &session;
    connect(m_session, &LabelSession::labelChanged, this, &AnnotateView::onLabelChanged);
    connect(m_session, &LabelSession::readFailed, this, &AnnotateView::messageRaised);
    fillPairFilter();
    m_queue->setProgress(progress);
    m_queue->setBlind(session.blind());
    updateQueueCount();
    emit progressChanged(doneCount(), itemCount());
    if (!m_itemId.isEmpty()) {
        const QString id = m_itemId;
        m_itemId.clear();
        showItem(id); // the new annotator's order and labels
    }
}

void AnnotateView::setConsensus(const std::vector<model::ItemConsensus> &consensus)
{
    m_queue->setConsensus(consensus);
}

void AnnotateView::clearProject(const QString &message)
{
    m_repository = nullptr;
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = nullptr;
    m_itemId.clear();
    m_item.reset();
    m_queue->setItems({}, {});
    fillFilters();
    m_document->clear();
    m_comparison->showMessage(message);
    updateQueueCount();
}

int AnnotateView::itemCount() const { return m_queue->rowCount(); }

int AnnotateView::doneCount() const { return m_queue->doneCount(); }

model::Slot AnnotateView::slotOn(Side side) const
{
    return (side == Side::Left) == m_leftIsA ? model::Slot::A : model::Slot::B;
}

Side AnnotateView::sideOf(model::Slot slot) const
{
    return (slot == model::Slot::A) == m_leftIsA ? Side::Left : Side::Right;
}

std::optional<model::Choice> AnnotateView::choiceFor(Verdict v) const
{
    switch (v) {
    case Verdict::Left:
        return slotOn(Side::Left) == model::Slot::A ? model::Choice::A : model::Choice::B;
    case Verdict::Right:
        return slotOn(Side::Right) == model::Slot::A ? model::Choice::A : model::Choice::B;
    case Verdict::Tie:
        return model::Choice::Tie;
    }
    return std::nullopt;
}

std::optional<Verdict> AnnotateView::verdictFor(std::optional<model::Choice> c) const
{
    if (!c)
        return std::nullopt;
    if (*c == model::Choice::Tie)
        return Verdict::Tie;
    return sideOf(*c == model::Choice::A ? model::Slot::A : model::Slot::B) == Side::Left ? Verdict::Left
                                                                                          : Verdict::Right;
}

int AnnotateView::currentProxyRow() const
{
    const int source = m_queue->rowOf(m_itemId);
    return source < 0 ? -1 : m_filter->mapFromSource(m_queue->index(source, 0)).row();
}

bool AnnotateView::showItem(const QString &itemId)
{
    if (!m_repository || !m_session || m_queue->rowOf(itemId) < 0)
        return false;
    m_filter->setPinnedItem(itemId);
    const bool changed = itemId != m_itemId;
    if (changed) {
        // A note being typed belongs to the item it was typed on (PageDown moves on mid-note).
        m_comparison->commitPendingNote();
        m_session->setCurrentItem(itemId);
        auto item = m_repository->item(itemId.toStdString());
        if (!item) {
            emit messageRaised(QString::fromStdString(item.error().message));
            m_comparison->showMessage(QString::fromStdString(item.error().message));
            return false;
        }
        m_itemId = itemId;
        m_item = std::move(*item);
        m_leftIsA = m_session->shownOrder(itemId) == QLatin1String("AB");
        m_active = Side::Left;

        const QString documentId = QString::fromStdString(m_item->documentId);
        if (!m_document->showCached(documentId)) {
            auto document = m_repository->document(m_item->documentId);
            if (document)
                m_document->showDocument(documentId,
                                         QString::fromStdString(document->title.value_or(std::string())),
                                         QString::fromStdString(document->text));
            else
                m_document->clear(QString::fromStdString(document.error().message));
        }
        m_document->setEvidencePosition(m_item->evidencePosition);

        std::optional<QString> reference;
        if (m_item->referenceAnswer)
            reference = QString::fromStdString(*m_item->referenceAnswer);
        m_comparison->setQuestion(itemId, questionTypeName(m_item->type),
                                  QString::fromStdString(m_item->question), reference);
        for (Side side : {Side::Left, Side::Right}) {
            const model::Answer &answer = m_item->answer(slotOn(side));
            const QString caption = m_session->blind()
                                        ? QString()
                                        : tr("%1 · answer %2")
                                              .arg(QString::fromStdString(answer.system),
                                                   QString::fromLatin1(model::toString(slotOn(side))));
            m_comparison->panel(side)->setAnswer(caption, QString::fromStdString(answer.text));
            m_comparison->panel(side)->setActive(side == m_active);
        }
        refreshLabel();
        // Where the annotator marked evidence before, if anywhere: the passage they judged by.
        if (const auto &evidence = m_session->label(itemId).evidence; !evidence.empty())
            m_document->reveal(evidence.front().start, evidence.front().end);
    }
    // Select the row without re-entering showItem.
    const int row = currentProxyRow();
    if (row >= 0 && m_queueView->selectionModel()->currentIndex().row() != row) {
        m_selecting = true;
        m_queueView->selectionModel()->setCurrentIndex(
            m_filter->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_selecting = false;
    }
    if (row >= 0)
        m_queueView->scrollTo(m_filter->index(row, 0));
    updateQueueCount();
    if (changed)
        emit currentItemChanged(itemId);
    return true;
}

void AnnotateView::onQueueRowChanged()
{
    if (m_selecting)
        return;
    const QModelIndex current = m_queueView->selectionModel()->currentIndex();
    if (current.isValid())
        showItem(current.data(ItemQueueModel::ItemIdRole).toString());
}

void AnnotateView::refreshLabel()
{
    if (!m_item || !m_session)
        return;
    const model::ItemLabel &label = m_session->label(m_itemId);
    m_comparison->setPreference(verdictFor(label.preference));
    for (int c = 0; c < 3; ++c)
        m_comparison->setCriterion(c, verdictFor(label.criteria[std::size_t(c)]));
    QStringList excerpts;
    std::vector<DocumentView::Mark> marks;
    for (const model::EvidenceSpan &span : label.evidence) {
        excerpts.append(m_document->excerpt(span.start, span.end));
        marks.push_back({span.start, span.end, sideColor(sideOf(span.answer))});
    }
    for (Side side : {Side::Left, Side::Right}) {
        const auto slot = std::size_t(slotOn(side));
        AnswerPanel *panel = m_comparison->panel(side);
        panel->setLabel(label.faithful[slot], label.outcome[slot], m_item->answerable);
        panel->evidence()->setEvidence(slotOn(side), label.evidence, excerpts);
    }
    m_document->setMarks(std::move(marks));
    m_comparison->setNote(QString::fromStdString(label.note));
    // The outline's meaning, while an outcome is still to choose.
    const bool outcomesChosen = label.outcome[0].has_value() && label.outcome[1].has_value();
    m_comparison->setHint(outcomesChosen ? QString() : AnswerPanel::suggestionHint(m_item->answerable));
}

void AnnotateView::onLabelChanged(const QString &itemId)
{
    m_queue->setStatus(itemId, model::statusOf(m_session->label(itemId)));
    emit progressChanged(doneCount(), itemCount());
    if (itemId == m_itemId)
        refreshLabel();
    else
        showItem(itemId); // an undo or redo on another item: show what changed
}

void AnnotateView::updateQueueCount()
{
    const int shown = m_filter->rowCount(), total = m_queue->rowCount();
    m_queueCount->setText(shown == total ? tr("%n item(s)", nullptr, total)
                                         : tr("%1 of %2 items shown").arg(shown).arg(total));
}

bool AnnotateView::requireItem()
{
    if (m_item && m_session)
        return true;
    emit messageRaised(tr("No item is open"));
    return false;
}

void AnnotateView::choosePreference(Verdict verdict)
{
    if (!requireItem())
        return;
    const auto choice = choiceFor(verdict);
    if (m_session->label(m_itemId).preference != choice)
        m_undo.push(new SetPreference(*m_session, m_itemId, choice));
}

void AnnotateView::chooseCriterion(int criterion, Verdict verdict)
{
    if (!requireItem() || criterion < 0 || criterion > 2)
        return;
    if (!m_comparison->criteriaShown()) {
        m_comparison->setCriteriaShown(true);
        emit criteriaShownChanged(true); // the menu's check mark and the remembered setting
    }
    const auto choice = choiceFor(verdict);
    if (m_session->label(m_itemId).criteria[std::size_t(criterion)] != choice)
        m_undo.push(new SetCriterion(*m_session, m_itemId, model::kCriteria[std::size_t(criterion)], choice));
}

void AnnotateView::chooseFaithful(bool faithful)
{
    if (!requireItem())
        return;
    m_comparison->revealControls(m_active); // what F and U change is in view
    const model::Slot slot = slotOn(m_active);
    if (m_session->label(m_itemId).faithful[std::size_t(slot)] != faithful)
        m_undo.push(new SetFaithful(*m_session, m_itemId, slot, faithful));
}

void AnnotateView::chooseResponse(bool declines)
{
    if (!requireItem())
        return;
    const model::Slot slot = slotOn(m_active);
    const auto current = m_session->label(m_itemId).outcome[std::size_t(slot)];
    const model::Outcome suggested = model::suggestedOutcome(m_item->answerable, declines);
    const model::Outcome other = model::suggestedOutcome(!m_item->answerable, declines);
    chooseOutcome(m_active, current == suggested ? other : suggested);
}

void AnnotateView::chooseOutcome(Side side, model::Outcome outcome)
{
    if (!requireItem())
        return;
    setActiveSide(side);
    const model::Slot slot = slotOn(side);
    if (m_session->label(m_itemId).outcome[std::size_t(slot)] != outcome)
        m_undo.push(new SetOutcome(*m_session, m_itemId, slot, outcome));
}

void AnnotateView::switchAnswer() { setActiveSide(m_active == Side::Left ? Side::Right : Side::Left); }

void AnnotateView::setActiveSide(Side side)
{
    m_active = side;
    for (Side s : {Side::Left, Side::Right})
        m_comparison->panel(s)->setActive(s == side);
    // Stacked answers in a small window: the active answer's buttons must be in view, or F, U
    // and the outcome keys would act on something the annotator cannot see.
    m_comparison->revealControls(side);
}

void AnnotateView::markEvidence(bool withNote)
{
    if (!requireItem())
        return;
    const auto selection = m_document->selection();
    if (!selection) {
        emit messageRaised(
            tr("Select a passage in the document first, then press E to mark it as evidence for "
               "the %1 answer")
                .arg(m_active == Side::Left ? tr("left") : tr("right")));
        return;
    }
    model::EvidenceSpan span{slotOn(m_active), selection->start, selection->end, std::nullopt};
    for (const model::EvidenceSpan &s : m_session->label(m_itemId).evidence)
        if (s.answer == span.answer && s.start == span.start && s.end == span.end) {
            emit messageRaised(tr("That passage is already evidence for this answer"));
            return;
        }
    if (withNote) {
        bool ok = false;
        const QString note =
            QInputDialog::getText(this, tr("Evidence note"), tr("A note on this passage (optional):"),
                                  QLineEdit::Normal, QString(), &ok);
        if (!ok)
            return;
        if (!note.trimmed().isEmpty())
            span.note = note.trimmed().toStdString();
    }
    m_undo.push(new MarkEvidence(*m_session, m_itemId, span));
}

void AnnotateView::removeEvidence(int index)
{
    if (!requireItem())
        return;
    if (index >= 0 && std::size_t(index) < m_session->label(m_itemId).evidence.size())
        m_undo.push(new RemoveEvidence(*m_session, m_itemId, index));
}

void AnnotateView::removeLastEvidence()
{
    if (!requireItem())
        return;
    const auto &evidence = m_session->label(m_itemId).evidence;
    const model::Slot slot = slotOn(m_active);
    for (int i = int(evidence.size()) - 1; i >= 0; --i)
        if (evidence[std::size_t(i)].answer == slot) {
            removeEvidence(i);
            return;
        }
    emit messageRaised(
        tr("The %1 answer has no evidence to remove").arg(m_active == Side::Left ? tr("left") : tr("right")));
}

void AnnotateView::nextItem()
{
    const int row = currentProxyRow();
    if (row + 1 < m_filter->rowCount())
        showItem(m_filter->index(row + 1, 0).data(ItemQueueModel::ItemIdRole).toString());
    else
        emit messageRaised(tr("This is the last item in the list"));
}

void AnnotateView::previousItem()
{
    const int row = currentProxyRow();
    if (row > 0)
        showItem(m_filter->index(row - 1, 0).data(ItemQueueModel::ItemIdRole).toString());
    else if (m_filter->rowCount() > 0 && row < 0)
        showItem(m_filter->index(0, 0).data(ItemQueueModel::ItemIdRole).toString());
    else
        emit messageRaised(tr("This is the first item in the list"));
}

void AnnotateView::nextUnlabelled()
{
    const int rows = m_filter->rowCount();
    const int start = currentProxyRow();
    for (int step = 1; step <= rows; ++step) {
        const int row = (start + step) % rows;
        const QModelIndex index = m_filter->index(row, 0);
        if (model::LabelStatus(index.data(ItemQueueModel::StatusRole).toInt()) != model::LabelStatus::Done &&
            index.data(ItemQueueModel::ItemIdRole).toString() != m_itemId) {
            showItem(index.data(ItemQueueModel::ItemIdRole).toString());
            return;
        }
    }
    emit messageRaised(tr("Every item in this list is done"));
}

void AnnotateView::goToEvidencePosition()
{
    if (!requireItem())
        return;
    if (m_item->evidencePosition)
        m_document->scrollToFraction(*m_item->evidencePosition);
    else
        emit messageRaised(tr("This item does not say where its evidence sits"));
}

void AnnotateView::focusNote()
{
    if (requireItem())
        m_comparison->focusNote();
}

void AnnotateView::toggleCriteria()
{
    m_comparison->setCriteriaShown(!m_comparison->criteriaShown());
    emit criteriaShownChanged(m_comparison->criteriaShown());
}

void AnnotateView::restyle()
{
    const QString sheet = QStringLiteral("#queueCount { color: %1; }")
                              .arg(shade::secondaryText(QApplication::palette(this)).name());
    if (m_queueCount && sheet != m_queueCount->styleSheet())
        m_queueCount->setStyleSheet(sheet);
}

bool AnnotateView::event(QEvent *event)
{
    if (event->type() == QEvent::ApplicationPaletteChange)
        restyle();
    return QWidget::event(event);
}

bool AnnotateView::eventFilter(QObject *watched, QEvent *event)
{
    // Esc in the list or a filter gives the keys back to the workspace (↓ is "tie" again).
    if (event->type() == QEvent::KeyPress && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape &&
        (watched == m_queueView || watched == m_scope || watched == m_type || watched == m_pair)) {
        m_document->editor()->setFocus(Qt::OtherFocusReason);
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void AnnotateView::setReadingPointSize(int points)
{
    m_document->setPointSize(points);
    QFont font = m_document->editor()->font();
    m_comparison->setReadingFont(font);
}

} // namespace concord::ui
