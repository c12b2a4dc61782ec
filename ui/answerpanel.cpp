#include "answerpanel.h"

#include "models/evidencelistmodel.h"

#include <QAbstractTextDocumentLayout>
#include <QEvent>
#include <QGridLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QPushButton>
#include <QStyle>
#include <QTextEdit>
#include <QVBoxLayout>

#include <algorithm>

namespace concord::ui {

namespace {

constexpr std::array kOutcomeOrder = {model::Outcome::Answered, model::Outcome::Hallucinated,
                                      model::Outcome::DeclinedCorrectly, model::Outcome::DeclinedWrongly};

QString outcomeText(model::Outcome o)
{
    switch (o) {
    case model::Outcome::Answered:
        return AnswerPanel::tr("Answered");
    case model::Outcome::Hallucinated:
        return AnswerPanel::tr("Hallucinated");
    case model::Outcome::DeclinedCorrectly:
        return AnswerPanel::tr("Correctly");
    case model::Outcome::DeclinedWrongly:
        return AnswerPanel::tr("Wrongly");
    }
    return {};
}

QString outcomeHelp(model::Outcome o)
{
    switch (o) {
    case model::Outcome::Answered:
        return AnswerPanel::tr("The document holds the answer and this answer gives one");
    case model::Outcome::Hallucinated:
        return AnswerPanel::tr("The document does not hold the answer, yet this answer gives one");
    case model::Outcome::DeclinedCorrectly:
        return AnswerPanel::tr(
            "Declined correctly: the document does not hold the answer and this answer says so");
    case model::Outcome::DeclinedWrongly:
        return AnswerPanel::tr(
            "Declined wrongly: the document holds the answer, yet this answer says it cannot "
            "answer");
    }
    return {};
}

QPushButton *toggle(const QString &text, const QString &help, QWidget *parent)
{
    auto *b = new QPushButton(text, parent);
    b->setCheckable(true);
    b->setFocusPolicy(Qt::NoFocus); // keys act on the workspace, not on a focused button
    b->setToolTip(help);
    b->setCursor(Qt::PointingHandCursor);
    return b;
}

/// The answer's text, as tall as it needs (within bounds): the verdict buttons sit right under it.
class AnswerText final : public QTextEdit
{
public:
    static constexpr int kMinHeight = 56;
    static constexpr int kMaxHeight = 380;

    explicit AnswerText(QWidget *parent) : QTextEdit(parent)
    {
        // Expanding: beside a longer answer, this one's text area takes the extra height.
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
        connect(document()->documentLayout(), &QAbstractTextDocumentLayout::documentSizeChanged, this,
                [this] { updateGeometry(); });
    }
    QSize sizeHint() const override
    {
        const int height = int(document()->size().height()) + 2 * frameWidth() + 2;
        return {QTextEdit::sizeHint().width(), std::clamp(height, kMinHeight, kMaxHeight)};
    }
    QSize minimumSizeHint() const override { return {120, kMinHeight}; }
};

void setFlag(QWidget *w, const char *name, bool on)
{
    if (w->property(name).toBool() == on)
        return;
    w->setProperty(name, on);
    w->style()->unpolish(w);
    w->style()->polish(w);
}

} // namespace

QColor sideColor(Side side)
{
    return side == Side::Left ? QColor(0x2f, 0x6f, 0xd6) : QColor(0xc2, 0x41, 0x7a);
}

AnswerPanel::AnswerPanel(Side side, QWidget *parent) : QFrame(parent), m_side(side)
{
    setObjectName(QStringLiteral("answerPanel"));
    const QString color = sideColor(side).name();
    const QString tintColor =
        QColor(sideColor(side).red(), sideColor(side).green(), sideColor(side).blue(), 28)
            .name(QColor::HexArgb);
    setStyleSheet(
        QStringLiteral(
            "#answerPanel { background: white; border: 1px solid #d3d3cc; border-radius: 6px; }"
            "#answerPanel[active=\"true\"] { border: 2px solid %1; }"
            "#answerHeader { background: %2; border-top-left-radius: 6px; border-top-right-radius: 6px; }"
            "#answerTitle { color: %1; font-weight: 700; }"
            "#answerCaption { color: #5a5a55; }"
            "QPushButton { padding: 4px 10px; border: 1px solid #c4c4bc; border-radius: 4px; "
            "  background: #fafaf7; color: #2b2b28; }"
            "QPushButton:hover { background: #efefe9; }"
            "QPushButton[suggested=\"true\"] { border: 1px dashed #7b7b72; }"
            "QPushButton:checked { background: %1; color: white; border: 1px solid %1; font-weight: 600; }"
            "QPushButton#faithfulYes:checked { background: #1e7b34; border-color: #1e7b34; }"
            "QPushButton#faithfulNo:checked { background: #b03a2e; border-color: #b03a2e; }"
            "QLabel[role=\"rowname\"] { color: #4a4a45; }"
            "QLabel[role=\"hint\"] { color: #6b6b64; }"
            "QListView { border: 1px solid #e0e0da; border-radius: 4px; background: #fcfcfa; }")
            .arg(color, tintColor));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 10);
    layout->setSpacing(6);

    auto *header = new QWidget(this);
    header->setObjectName(QStringLiteral("answerHeader"));
    auto *headerLayout = new QHBoxLayout(header);
    headerLayout->setContentsMargins(10, 6, 10, 6);
    m_title = new QLabel(side == Side::Left ? tr("◀ Left answer") : tr("Right answer ▶"), header);
    m_title->setObjectName(QStringLiteral("answerTitle"));
    m_caption = new QLabel(header);
    m_caption->setObjectName(QStringLiteral("answerCaption"));
    m_caption->setTextFormat(Qt::PlainText);
    headerLayout->addWidget(m_title);
    headerLayout->addStretch(1);
    headerLayout->addWidget(m_caption);
    layout->addWidget(header);

    m_text = new AnswerText(this);
    m_text->setReadOnly(true);
    m_text->setAcceptRichText(false);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setFrameShape(QFrame::NoFrame);
    m_text->setFocusPolicy(Qt::NoFocus);
    m_text->viewport()->installEventFilter(this);
    layout->addWidget(m_text);

    auto *grid = new QGridLayout;
    grid->setContentsMargins(10, 0, 10, 0);
    grid->setHorizontalSpacing(6);
    grid->setVerticalSpacing(6);
    auto rowName = [this](const QString &text) {
        auto *l = new QLabel(text, this);
        l->setProperty("role", QStringLiteral("rowname"));
        return l;
    };
    m_faithful[0] =
        toggle(tr("Faithful  F"), tr("Everything this answer says is supported by the document (F)"), this);
    m_faithful[0]->setObjectName(QStringLiteral("faithfulYes"));
    m_faithful[1] = toggle(tr("Unfaithful  U"),
                           tr("This answer states something the document does not support (U)"), this);
    m_faithful[1]->setObjectName(QStringLiteral("faithfulNo"));
    grid->addWidget(rowName(tr("Faithfulness")), 0, 0);
    grid->addWidget(m_faithful[0], 0, 1);
    grid->addWidget(m_faithful[1], 0, 2);
    grid->addWidget(rowName(tr("Gives an answer  G")), 1, 0);
    grid->addWidget(rowName(tr("Declines  D")), 2, 0);
    for (int i = 0; i < 4; ++i) {
        m_outcomes[i] = toggle(outcomeText(kOutcomeOrder[std::size_t(i)]),
                               outcomeHelp(kOutcomeOrder[std::size_t(i)]), this);
        grid->addWidget(m_outcomes[i], 1 + i / 2, 1 + i % 2);
        const model::Outcome outcome = kOutcomeOrder[std::size_t(i)];
        connect(m_outcomes[i], &QPushButton::clicked, this, [this, i, outcome] {
            m_outcomes[i]->setChecked(!m_outcomes[i]->isChecked()); // the label decides, once saved
            emit activated();
            emit outcomeChosen(outcome);
        });
    }
    for (int i = 0; i < 2; ++i)
        connect(m_faithful[i], &QPushButton::clicked, this, [this, i] {
            m_faithful[i]->setChecked(!m_faithful[i]->isChecked());
            emit activated();
            emit faithfulChosen(i == 0);
        });
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(2, 1);
    layout->addLayout(grid);

    m_suggestion = new QLabel(this);
    m_suggestion->setProperty("role", QStringLiteral("hint"));
    m_suggestion->setWordWrap(true);
    m_suggestion->setContentsMargins(10, 0, 10, 0);
    // Shown on the active panel only, but its room is kept: buttons must not move when Tab is pressed.
    QSizePolicy keep = m_suggestion->sizePolicy();
    keep.setRetainSizeWhenHidden(true);
    m_suggestion->setSizePolicy(keep);
    layout->addWidget(m_suggestion);

    m_evidenceHeader = new QLabel(this);
    m_evidenceHeader->setProperty("role", QStringLiteral("rowname"));
    m_evidenceHeader->setContentsMargins(10, 4, 10, 0);
    m_evidenceHeader->setWordWrap(true);
    layout->addWidget(m_evidenceHeader);
    m_evidence = new EvidenceListModel(this);
    m_evidenceList = new QListView(this);
    m_evidenceList->setModel(m_evidence);
    m_evidenceList->setFocusPolicy(Qt::ClickFocus);
    m_evidenceList->setUniformItemSizes(true);
    m_evidenceList->setTextElideMode(Qt::ElideRight);
    m_evidenceList->setContextMenuPolicy(Qt::CustomContextMenu);
    m_evidenceList->installEventFilter(this);
    m_evidenceList->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_evidenceList->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    auto *evidenceBox = new QHBoxLayout;
    evidenceBox->setContentsMargins(10, 0, 10, 0);
    evidenceBox->addWidget(m_evidenceList);
    layout->addLayout(evidenceBox);
    connect(m_evidenceList, &QListView::doubleClicked, this, [this](const QModelIndex &index) {
        emit evidenceActivated(index.data(EvidenceListModel::StartRole).toLongLong(),
                               index.data(EvidenceListModel::EndRole).toLongLong());
    });
    connect(m_evidenceList, &QListView::customContextMenuRequested, this, [this](const QPoint &at) {
        const QModelIndex index = m_evidenceList->indexAt(at);
        if (!index.isValid())
            return;
        QMenu menu(this);
        QAction *show = menu.addAction(tr("Show in document"));
        QAction *remove = menu.addAction(tr("Remove"));
        QAction *chosen = menu.exec(m_evidenceList->viewport()->mapToGlobal(at));
        if (chosen == remove)
            emit evidenceRemoveRequested(index.data(EvidenceListModel::IndexRole).toInt());
        else if (chosen == show)
            emit evidenceActivated(index.data(EvidenceListModel::StartRole).toLongLong(),
                                   index.data(EvidenceListModel::EndRole).toLongLong());
    });
    connect(m_evidence, &QAbstractItemModel::modelReset, this, &AnswerPanel::updateEvidenceHeader);
    updateEvidenceHeader();
    updateFrame();
}

void AnswerPanel::setAnswer(const QString &caption, const QString &text)
{
    m_caption->setText(caption);
    m_caption->setVisible(!caption.isEmpty());
    if (m_text->toPlainText() != text)
        m_text->setPlainText(text);
}

void AnswerPanel::setLabel(std::optional<bool> faithful, std::optional<model::Outcome> outcome,
                           bool answerable)
{
    m_faithful[0]->setChecked(faithful == true);
    m_faithful[1]->setChecked(faithful == false);
    const model::Outcome gives =
        model::Outcome(answerable ? model::Outcome::Answered : model::Outcome::Hallucinated);
    const model::Outcome declines =
        model::Outcome(answerable ? model::Outcome::DeclinedWrongly : model::Outcome::DeclinedCorrectly);
    for (int i = 0; i < 4; ++i) {
        const model::Outcome o = kOutcomeOrder[std::size_t(i)];
        m_outcomes[i]->setChecked(outcome == o);
        setFlag(m_outcomes[i], "suggested", o == gives || o == declines);
    }
    m_suggestion->setText(answerable
                              ? tr("Dashed: suggested, as the item says the document holds the answer.")
                              : tr("Dashed: suggested, as the item says the document does not hold the "
                                   "answer."));
}

void AnswerPanel::setActive(bool active)
{
    m_active = active;
    updateFrame();
}

void AnswerPanel::setReadingFont(const QFont &font) { m_text->setFont(font); }

QPushButton *AnswerPanel::outcomeButton(model::Outcome outcome) const
{
    for (int i = 0; i < 4; ++i)
        if (kOutcomeOrder[std::size_t(i)] == outcome)
            return m_outcomes[i];
    return nullptr;
}

void AnswerPanel::updateFrame()
{
    setFlag(this, "active", m_active);
    // Hints on the panel the keys act on only: the same sentence twice is noise.
    m_suggestion->setVisible(m_active);
    updateEvidenceHeader();
    const QString mark = m_active ? QStringLiteral("  ●") : QString();
    m_title->setText((m_side == Side::Left ? tr("◀ Left answer") : tr("Right answer ▶")) + mark);
    m_title->setToolTip(m_active ? tr("F, U, G, D and E act on this answer; Tab switches to the other one")
                                 : tr("Press Tab or click to label this answer"));
}

void AnswerPanel::updateEvidenceHeader()
{
    const int n = m_evidence->rowCount();
    // The same words on both panels, so both keep the same height whichever is active.
    m_evidenceHeader->setText(
        n > 0 ? tr("Evidence (%1) — double-click to show, Delete to remove").arg(n)
              : tr("No evidence yet: select a passage in the document; E marks it for the "
                   "answer with ●."));
    m_evidenceList->setVisible(n > 0);
    // As tall as its rows, up to four; longer lists scroll.
    const int row = m_evidenceList->sizeHintForRow(0) > 0 ? m_evidenceList->sizeHintForRow(0)
                                                          : m_evidenceList->fontMetrics().height() + 4;
    m_evidenceList->setFixedHeight(row * std::clamp(n, 1, 4) + 2 * m_evidenceList->frameWidth() + 2);
}

void AnswerPanel::mousePressEvent(QMouseEvent *event)
{
    emit activated();
    QFrame::mousePressEvent(event);
}

bool AnswerPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_text->viewport() && event->type() == QEvent::MouseButtonPress)
        emit activated();
    if (watched == m_evidenceList && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        const QModelIndex index = m_evidenceList->currentIndex();
        if ((key->key() == Qt::Key_Delete || key->key() == Qt::Key_Backspace) && index.isValid()) {
            emit evidenceRemoveRequested(index.data(EvidenceListModel::IndexRole).toInt());
            return true;
        }
    }
    if (watched == m_evidenceList && event->type() == QEvent::FocusIn)
        emit activated();
    return QFrame::eventFilter(watched, event);
}

} // namespace concord::ui
