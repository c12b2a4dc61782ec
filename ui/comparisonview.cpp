#include "comparisonview.h"

#include "vocabulary.h"

#include <QBoxLayout>
#include <QEvent>
#include <QGridLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QStyle>
#include <QToolButton>

#include <algorithm>

namespace concord::ui {

namespace {

QPushButton *verdictButton(const QString &text, const QString &help, QWidget *parent)
{
    auto *b = new QPushButton(text, parent);
    b->setCheckable(true);
    b->setFocusPolicy(Qt::NoFocus);
    b->setToolTip(help);
    b->setCursor(Qt::PointingHandCursor);
    return b;
}

QString criterionName(int c)
{
    switch (model::kCriteria[std::size_t(c)]) {
    case model::Facet::Relevance:
        return ComparisonView::tr("Relevance");
    case model::Facet::Comprehensiveness:
        return ComparisonView::tr("Comprehensiveness");
    default:
        return ComparisonView::tr("Conciseness");
    }
}

QString criterionHelp(int c)
{
    switch (model::kCriteria[std::size_t(c)]) {
    case model::Facet::Relevance:
        return ComparisonView::tr("Which answer addresses the question better");
    case model::Facet::Comprehensiveness:
        return ComparisonView::tr("Which answer covers what the question needs more completely");
    default:
        return ComparisonView::tr("Which answer says it with less padding");
    }
}

} // namespace

ComparisonView::ComparisonView(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("comparisonView"));
    const QString left = sideColor(Side::Left).name(), right = sideColor(Side::Right).name();
    setStyleSheet(
        QStringLiteral(
            "#comparisonContent { background: #f6f6f3; }"
            "#itemLine { color: #5f5f58; }"
            "#question { color: #1f1f1c; }"
            "#reference { color: #33332f; background: #fffdf4; border: 1px solid #e6dfb9; "
            "  border-radius: 4px; padding: 6px 8px; }"
            "#sectionTitle { color: #3b3b37; font-weight: 600; }"
            "QToolButton#fold { border: none; color: #3b3b37; font-weight: 600; padding: 2px 0; }"
            "QPushButton[verdict] { padding: 7px 12px; border: 1px solid #c4c4bc; border-radius: 5px; "
            "  background: #fafaf7; color: #2b2b28; }"
            "QPushButton[verdict]:hover { background: #efefe9; }"
            "QPushButton[verdict=\"left\"]:checked { background: %1; border-color: %1; color: white; "
            "  font-weight: 600; }"
            "QPushButton[verdict=\"tie\"]:checked { background: #55554f; border-color: #55554f; "
            "  color: white; font-weight: 600; }"
            "QPushButton[verdict=\"right\"]:checked { background: %2; border-color: %2; color: white; "
            "  font-weight: 600; }"
            "#criterionName { color: #4a4a45; }"
            "#message { color: #5f5f58; font-size: 13pt; }")
            .arg(left, right));

    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setContentsMargins(32, 0, 32, 0);
    m_message->hide();
    outer->addWidget(m_message, 1);

    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_content = new QWidget(m_scroll);
    m_content->setObjectName(QStringLiteral("comparisonContent"));
    m_scroll->setWidget(m_content);
    outer->addWidget(m_scroll, 1);

    auto *layout = new QVBoxLayout(m_content);
    layout->setContentsMargins(14, 10, 14, 12);
    layout->setSpacing(8);

    m_itemLine = new QLabel(m_content);
    m_itemLine->setObjectName(QStringLiteral("itemLine"));
    m_itemLine->setTextFormat(Qt::PlainText);
    layout->addWidget(m_itemLine);
    m_question = new QLabel(m_content);
    m_question->setObjectName(QStringLiteral("question"));
    m_question->setTextFormat(Qt::PlainText);
    m_question->setWordWrap(true);
    m_question->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont questionFont = m_question->font();
    questionFont.setPointSizeF(questionFont.pointSizeF() * 1.25);
    questionFont.setWeight(QFont::DemiBold);
    m_question->setFont(questionFont);
    layout->addWidget(m_question);

    m_referenceToggle = new QToolButton(m_content);
    m_referenceToggle->setObjectName(QStringLiteral("fold"));
    m_referenceToggle->setCheckable(true);
    m_referenceToggle->setFocusPolicy(Qt::NoFocus);
    m_referenceToggle->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_reference = new QLabel(m_content);
    m_reference->setObjectName(QStringLiteral("reference"));
    m_reference->setTextFormat(Qt::PlainText);
    m_reference->setWordWrap(true);
    m_reference->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_reference->hide();
    layout->addWidget(m_referenceToggle, 0, Qt::AlignLeft);
    layout->addWidget(m_reference);
    connect(m_referenceToggle, &QToolButton::toggled, this, [this](bool shown) {
        setReferenceShown(shown);
        emit referenceShownChanged(shown);
    });

    m_answersLayout = new QBoxLayout(QBoxLayout::LeftToRight);
    m_answersLayout->setSpacing(10);
    m_panels[0] = new AnswerPanel(Side::Left, m_content);
    m_panels[1] = new AnswerPanel(Side::Right, m_content);
    m_answersLayout->addWidget(m_panels[0], 1);
    m_answersLayout->addWidget(m_panels[1], 1);
    layout->addLayout(m_answersLayout);

    auto *overallTitle = new QLabel(tr("Which answer is better overall?"), m_content);
    overallTitle->setObjectName(QStringLiteral("sectionTitle"));
    layout->addSpacing(2);
    layout->addWidget(overallTitle);
    auto *overall = new QHBoxLayout;
    overall->setSpacing(8);
    const char *verdictNames[] = {"left", "tie", "right"};
    m_preference[0] =
        verdictButton(tr("◀  Left better    1"), tr("The left answer is better overall (1 or ←)"), m_content);
    m_preference[1] = verdictButton(tr("Tie    2"), tr("Neither answer is better (2 or ↓)"), m_content);
    m_preference[2] = verdictButton(tr("Right better  ▶    3"),
                                    tr("The right answer is better overall (3 or →)"), m_content);
    for (int v = 0; v < 3; ++v) {
        m_preference[v]->setProperty("verdict", QString::fromLatin1(verdictNames[v]));
        overall->addWidget(m_preference[v], 1);
        connect(m_preference[v], &QPushButton::clicked, this, [this, v] {
            m_preference[v]->setChecked(!m_preference[v]->isChecked());
            emit preferenceChosen(Verdict(v));
        });
    }
    layout->addLayout(overall);

    m_criteriaToggle = new QToolButton(m_content);
    m_criteriaToggle->setObjectName(QStringLiteral("fold"));
    m_criteriaToggle->setCheckable(true);
    m_criteriaToggle->setFocusPolicy(Qt::NoFocus);
    m_criteriaToggle->setToolTip(tr("Show or hide the optional criteria (C)"));
    layout->addWidget(m_criteriaToggle, 0, Qt::AlignLeft);
    m_criteriaBox = new QWidget(m_content);
    auto *grid = new QGridLayout(m_criteriaBox);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(6);
    const QString verdictTexts[] = {tr("Left"), tr("Same"), tr("Right")};
    for (int c = 0; c < 3; ++c) {
        auto *name = new QLabel(
            tr("%1   Alt+%2 %3 %4").arg(criterionName(c)).arg(3 * c + 1).arg(3 * c + 2).arg(3 * c + 3),
            m_criteriaBox);
        name->setObjectName(QStringLiteral("criterionName"));
        name->setToolTip(criterionHelp(c));
        grid->addWidget(name, c, 0);
        for (int v = 0; v < 3; ++v) {
            auto *b =
                verdictButton(verdictTexts[v],
                              tr("%1: %2 (Alt+%3)").arg(criterionName(c), verdictTexts[v]).arg(3 * c + v + 1),
                              m_criteriaBox);
            b->setProperty("verdict", QString::fromLatin1(verdictNames[v]));
            grid->addWidget(b, c, 1 + v);
            m_criteria[c][v] = b;
            connect(b, &QPushButton::clicked, this, [this, b, c, v] {
                b->setChecked(!b->isChecked());
                emit criterionChosen(c, Verdict(v));
            });
        }
    }
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(2, 1);
    grid->setColumnStretch(3, 1);
    layout->addWidget(m_criteriaBox);
    connect(m_criteriaToggle, &QToolButton::toggled, this, [this](bool shown) {
        setCriteriaShown(shown);
        emit criteriaShownChanged(shown);
    });

    auto *noteRow = new QHBoxLayout;
    auto *noteTitle = new QLabel(tr("Note"), m_content);
    noteTitle->setObjectName(QStringLiteral("sectionTitle"));
    m_note = new QLineEdit(m_content);
    m_note->setPlaceholderText(tr("A remark on this item (Ctrl+M to write, Enter to save, Esc to cancel)"));
    m_note->installEventFilter(this);
    noteRow->addWidget(noteTitle);
    noteRow->addWidget(m_note, 1);
    layout->addLayout(noteRow);
    layout->addStretch(1);
    connect(m_note, &QLineEdit::editingFinished, this, [this] {
        if (m_note->text() != m_savedNote)
            emit noteCommitted(m_note->text());
    });

    setCriteriaShown(false);
    setReferenceShown(false);
    layoutAnswers();
}

void ComparisonView::setQuestion(const QString &itemId, const QString &type, const QString &question,
                                 const std::optional<QString> &reference)
{
    m_message->hide();
    m_scroll->show();
    m_itemLine->setText(tr("%1   ·   %2").arg(itemId, type));
    m_question->setText(question);
    m_referenceToggle->setVisible(reference.has_value());
    m_reference->setText(reference.value_or(QString()));
    m_reference->setVisible(reference.has_value() && m_referenceToggle->isChecked());
}

void ComparisonView::showMessage(const QString &message)
{
    m_message->setText(message);
    m_message->show();
    m_scroll->hide();
}

void ComparisonView::setPreference(std::optional<Verdict> verdict)
{
    for (int v = 0; v < 3; ++v)
        m_preference[v]->setChecked(verdict && int(*verdict) == v);
}

void ComparisonView::setCriterion(int criterion, std::optional<Verdict> verdict)
{
    for (int v = 0; v < 3; ++v)
        m_criteria[criterion][v]->setChecked(verdict && int(*verdict) == v);
}

void ComparisonView::setNote(const QString &note)
{
    m_savedNote = note;
    if (!m_note->hasFocus() || m_note->text() == note)
        m_note->setText(note);
}

void ComparisonView::focusNote()
{
    m_note->setFocus(Qt::ShortcutFocusReason);
    m_note->end(false);
}

bool ComparisonView::answersSideBySide() const
{
    return m_answersLayout->direction() == QBoxLayout::LeftToRight;
}

bool ComparisonView::criteriaShown() const { return m_criteriaToggle->isChecked(); }

void ComparisonView::setCriteriaShown(bool shown)
{
    const QSignalBlocker block(m_criteriaToggle);
    m_criteriaToggle->setChecked(shown);
    m_criteriaToggle->setText(shown ? tr("▾ Criteria (optional)   C") : tr("▸ Criteria (optional)   C"));
    m_criteriaBox->setVisible(shown);
}

bool ComparisonView::referenceShown() const { return m_referenceToggle->isChecked(); }

void ComparisonView::setReferenceShown(bool shown)
{
    const QSignalBlocker block(m_referenceToggle);
    m_referenceToggle->setChecked(shown);
    m_referenceToggle->setText(shown ? tr("▾ Reference answer") : tr("▸ Reference answer"));
    m_reference->setVisible(shown && !m_reference->text().isEmpty());
}

void ComparisonView::setReadingFont(const QFont &font)
{
    for (AnswerPanel *p : m_panels)
        p->setReadingFont(font);
}

void ComparisonView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    layoutAnswers();
}

void ComparisonView::layoutAnswers()
{
    // Side by side when both answers fit at their smallest comfortable width.
    const int needed = std::max(kSideBySideMinWidth, 2 * m_panels[0]->minimumSizeHint().width() + 40);
    const auto direction = width() >= needed ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom;
    if (m_answersLayout->direction() != direction) {
        m_answersLayout->setDirection(direction);
        m_content->layout()->activate();
    }
}

bool ComparisonView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_note && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Escape) {
            m_note->setText(m_savedNote);
            emit noteLeft();
            return true;
        }
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            if (m_note->text() != m_savedNote)
                emit noteCommitted(m_note->text());
            emit noteLeft();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace concord::ui
