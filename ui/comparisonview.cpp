#include "comparisonview.h"

#include "vocabulary.h"

#include <QApplication>
#include <QBoxLayout>
#include <QEvent>
#include <QGridLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QResizeEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QStyle>
#include <QTextEdit>
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

/// A scroll area that asks for the whole height of its content at its width, so that the verdict
/// bar under it follows the answers when there is room and is pinned at the bottom when not.
class FittingScrollArea final : public QScrollArea
{
public:
    using QScrollArea::QScrollArea;

    QSize sizeHint() const override
    {
        QSize hint = QScrollArea::sizeHint();
        if (QWidget *content = widget()) {
            auto heightAt = [content](int w) {
                return content->hasHeightForWidth() ? content->heightForWidth(w)
                                                    : content->sizeHint().height();
            };
            // The height at the full width, or at the width the scroll bar leaves while it shows: a
            // hint that wraps onto one more line there would keep the bar (and hide that line).
            int h = heightAt(width() - 2 * frameWidth());
            if (verticalScrollBar()->isVisible())
                h = std::max(h, heightAt(viewport()->width()));
            hint.setHeight(h + 2 * frameWidth());
        }
        return hint;
    }
    QSize minimumSizeHint() const override { return {QScrollArea::minimumSizeHint().width(), 120}; }

    /// Follows the content's layout: a hint that appears or wraps onto another line changes the
    /// height wanted, which QScrollArea would not pass on (the content would scroll instead).
    void watchContent()
    {
        if (QWidget *content = widget())
            content->installEventFilter(this);
    }

protected:
    void resizeEvent(QResizeEvent *event) override
    {
        QScrollArea::resizeEvent(event);
        if (event->size().width() != event->oldSize().width())
            updateGeometry(); // the content's height depends on its width
    }
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == widget() && event->type() == QEvent::LayoutRequest)
            updateGeometry();
        return QScrollArea::eventFilter(watched, event);
    }
};

} // namespace

ComparisonView::ComparisonView(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("comparisonView"));
    setAttribute(Qt::WA_StyledBackground);
    restyle();

    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(0);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setContentsMargins(32, 0, 32, 0);
    m_message->hide();
    outer->addWidget(m_message, 1);

    auto *scroll = new FittingScrollArea(this);
    m_scroll = scroll;
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_scroll->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    m_content = new QWidget(m_scroll);
    m_content->setObjectName(QStringLiteral("comparisonContent"));
    m_scroll->setWidget(m_content);
    scroll->watchContent();
    outer->addWidget(m_scroll);

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

    m_hint = new QLabel(m_content);
    m_hint->setObjectName(QStringLiteral("hint"));
    m_hint->setWordWrap(true);
    layout->addWidget(m_hint);
    layout->addStretch(1);

    // The verdicts stay in view however long the answers are: pinned under the scrolling part.
    m_footer = new QWidget(this);
    m_footer->setObjectName(QStringLiteral("verdictBar"));
    m_footer->setAttribute(Qt::WA_StyledBackground);
    m_footer->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    outer->addWidget(m_footer);
    outer->addStretch(1);
    // Pinned (the answers scroll behind it): set apart by a rule and the window's colour.
    connect(m_scroll->verticalScrollBar(), &QScrollBar::rangeChanged, this, [this](int, int max) {
        if (m_footer->property("pinned").toBool() == (max > 0))
            return;
        m_footer->setProperty("pinned", max > 0);
        m_footer->style()->unpolish(m_footer);
        m_footer->style()->polish(m_footer);
    });
    auto *footer = new QVBoxLayout(m_footer);
    footer->setContentsMargins(14, 8, 14, 10);
    footer->setSpacing(6);
    auto *titleRow = new QHBoxLayout;
    auto *overallTitle = new QLabel(tr("Which answer is better overall?"), m_footer);
    overallTitle->setObjectName(QStringLiteral("sectionTitle"));
    titleRow->addWidget(overallTitle);
    titleRow->addStretch(1);
    m_criteriaToggle = new QToolButton(m_footer);
    m_criteriaToggle->setObjectName(QStringLiteral("fold"));
    m_criteriaToggle->setCheckable(true);
    m_criteriaToggle->setFocusPolicy(Qt::NoFocus);
    m_criteriaToggle->setToolTip(tr("Show or hide the optional criteria (C)"));
    titleRow->addWidget(m_criteriaToggle);
    footer->addLayout(titleRow);
    auto *overall = new QHBoxLayout;
    overall->setSpacing(8);
    const char *verdictNames[] = {"left", "tie", "right"};
    m_preference[0] =
        verdictButton(tr("◀  Left better    1"), tr("The left answer is better overall (1 or ←)"), m_footer);
    m_preference[1] = verdictButton(tr("Tie    2"), tr("Neither answer is better (2 or ↓)"), m_footer);
    m_preference[2] = verdictButton(tr("Right better  ▶    3"),
                                    tr("The right answer is better overall (3 or →)"), m_footer);
    for (int v = 0; v < 3; ++v) {
        m_preference[v]->setProperty("verdict", QString::fromLatin1(verdictNames[v]));
        overall->addWidget(m_preference[v], 1);
        connect(m_preference[v], &QPushButton::clicked, this, [this, v] {
            m_preference[v]->setChecked(!m_preference[v]->isChecked());
            emit preferenceChosen(Verdict(v));
        });
    }
    footer->addLayout(overall);

    m_criteriaBox = new QWidget(m_footer);
    auto *grid = new QGridLayout(m_criteriaBox);
    grid->setContentsMargins(0, 2, 0, 2);
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
            b->setProperty("size", QStringLiteral("small"));
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
    footer->addWidget(m_criteriaBox);
    connect(m_criteriaToggle, &QToolButton::toggled, this, [this](bool shown) {
        setCriteriaShown(shown);
        emit criteriaShownChanged(shown);
    });

    auto *noteRow = new QHBoxLayout;
    auto *noteTitle = new QLabel(tr("Note"), m_footer);
    noteTitle->setObjectName(QStringLiteral("sectionTitle"));
    m_note = new QLineEdit(m_footer);
    m_note->setPlaceholderText(tr("A remark on this item (Ctrl+M to write, Enter to save, Esc to cancel)"));
    m_note->installEventFilter(this);
    keepArrowKeys(m_note);
    noteRow->addWidget(noteTitle);
    noteRow->addWidget(m_note, 1);
    footer->addLayout(noteRow);
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
    m_footer->show();
    m_itemLine->setText(tr("%1   ·   %2").arg(itemId, type));
    m_question->setText(question);
    m_referenceToggle->setVisible(reference.has_value());
    m_reference->setText(reference.value_or(QString()));
    m_reference->setVisible(reference.has_value() && m_referenceToggle->isChecked());
    fitAnswers();
}

void ComparisonView::showMessage(const QString &message)
{
    m_message->setText(message);
    m_message->show();
    m_scroll->hide();
    m_footer->hide();
}

void ComparisonView::setHint(const QString &hint)
{
    m_hint->setText(hint);
    m_hint->setVisible(!hint.isEmpty());
    fitAnswers();
}

QString ComparisonView::criteriaToggleText() const { return m_criteriaToggle->text(); }

QString ComparisonView::hint() const { return m_hint->isVisible() ? m_hint->text() : QString(); }

void ComparisonView::setPreference(std::optional<Verdict> verdict)
{
    for (int v = 0; v < 3; ++v)
        m_preference[v]->setChecked(verdict && int(*verdict) == v);
}

void ComparisonView::setCriterion(int criterion, std::optional<Verdict> verdict)
{
    for (int v = 0; v < 3; ++v)
        m_criteria[criterion][v]->setChecked(verdict && int(*verdict) == v);
    showCriteriaToggle();
}

void ComparisonView::showCriteriaToggle()
{
    // Folded away, the criteria still say whether any are set (a disagreement on relevance in
    // Review must not be about a verdict the annotator cannot see here).
    int set = 0;
    for (const auto &row : m_criteria)
        set +=
            std::any_of(std::begin(row), std::end(row), [](const QPushButton *b) { return b->isChecked(); });
    const bool shown = m_criteriaToggle->isChecked();
    const QString state = set == 0 ? tr("optional") : tr("%1 of 3 set").arg(set);
    m_criteriaToggle->setText((shown ? tr("▾ Criteria (%1)   C") : tr("▸ Criteria (%1)   C")).arg(state));
}

void ComparisonView::setNote(const QString &note)
{
    const bool typing = m_note->hasFocus() && m_note->text() != m_savedNote;
    m_savedNote = note;
    if (!typing) {
        m_note->setText(note);
        m_note->setCursorPosition(0); // a long note shows its beginning, not its end
    }
}

void ComparisonView::revealControls(Side side)
{
    if (!m_scroll->isVisible())
        return;
    AnswerPanel *p = panel(side);
    m_scroll->ensureWidgetVisible(p->lastControl(), 0, 8);
    m_scroll->ensureWidgetVisible(p->firstControl(), 0, 8);
}

void ComparisonView::commitPendingNote()
{
    const QString text = m_note->text();
    if (text == m_savedNote)
        return;
    emit noteCommitted(text);
    m_savedNote = text; // saved now, whether or not the commit refreshed the field
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
    showCriteriaToggle();
    m_criteriaBox->setVisible(shown);
    fitAnswers();
}

bool ComparisonView::referenceShown() const { return m_referenceToggle->isChecked(); }

void ComparisonView::setReferenceShown(bool shown)
{
    const QSignalBlocker block(m_referenceToggle);
    m_referenceToggle->setChecked(shown);
    m_referenceToggle->setText(shown ? tr("▾ Reference answer") : tr("▸ Reference answer"));
    m_reference->setVisible(shown && !m_reference->text().isEmpty());
    fitAnswers();
}

void ComparisonView::setReadingFont(const QFont &font)
{
    for (AnswerPanel *p : m_panels)
        p->setReadingFont(font);
    fitAnswers();
}

void ComparisonView::restyle()
{
    // From the application palette: this widget's own is rewritten by its style sheet.
    const QPalette palette = QApplication::palette(this);
    const QColor window = palette.color(QPalette::Window), base = palette.color(QPalette::Base),
                 text = palette.color(QPalette::WindowText);
    const bool dark = shade::isDark(palette);
    // The answers sit on a ground a little apart from their own (base) background.
    const QColor ground = shade::mix(window, base, dark ? 0.35 : 0.45);
    const QColor reference = shade::mix(base, QColor(0xe6, 0xc2, 0x3a), dark ? 0.14 : 0.08);
    const QColor button = shade::mix(base, text, dark ? 0.07 : 0.025);
    const QColor tie = dark ? QColor(0x8a, 0x8a, 0x84) : QColor(0x55, 0x55, 0x4f);
    const QString sheet =
        QStringLiteral(
            "#comparisonView, #comparisonContent { background: %1; }"
            "#verdictBar { background: %1; border-top: 1px solid transparent; }"
            "#verdictBar[pinned=\"true\"] { background: %2; border-top: 1px solid %3; }"
            "#itemLine, #hint { color: %4; }"
            "#question { color: %5; }"
            "#reference { color: %5; background: %6; border: 1px solid %7; "
            "  border-radius: 4px; padding: 6px 8px; }"
            "#sectionTitle { color: %5; font-weight: 600; }"
            "QToolButton#fold { border: none; color: %5; font-weight: 600; padding: 2px 0; }"
            "QPushButton[verdict] { padding: 7px 12px; border: 1px solid %8; border-radius: 5px; "
            "  background: %9; color: %5; }"
            "QPushButton[size=\"small\"] { padding: 4px 10px; }"
            "QPushButton[verdict]:hover { background: %10; }"
            "QPushButton[verdict=\"left\"]:checked { background: %11; border-color: %11; color: white; "
            "  font-weight: 600; }"
            "QPushButton[verdict=\"tie\"]:checked { background: %12; border-color: %12; "
            "  color: white; font-weight: 600; }"
            "QPushButton[verdict=\"right\"]:checked { background: %13; border-color: %13; color: white; "
            "  font-weight: 600; }"
            "#criterionName { color: %4; }"
            "#message { color: %4; font-size: 13pt; }")
            .arg(ground.name(), window.name(), shade::mix(window, text, 0.18).name(),
                 shade::secondaryText(palette).name(), text.name(), reference.name(),
                 shade::mix(reference, text, 0.2).name(), shade::mix(base, text, dark ? 0.32 : 0.24).name(),
                 button.name())
            .arg(shade::mix(base, text, dark ? 0.14 : 0.07).name(), sideColor(Side::Left).name(), tie.name(),
                 sideColor(Side::Right).name());
    if (sheet != styleSheet())
        setStyleSheet(sheet);
}

bool ComparisonView::event(QEvent *event)
{
    if (event->type() == QEvent::ApplicationPaletteChange)
        restyle();
    return QWidget::event(event);
}

void ComparisonView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    layoutAnswers();
}

void ComparisonView::fitAnswers()
{
    // Side by side, long answers scroll in their own boxes rather than push their label rows out
    // of view: each text box gets at most the height left once the rest is on screen.
    const bool sideBySide = answersSideBySide();
    m_content->layout()->activate();
    const AnswerPanel *panel = m_panels[0];
    const int rest = panel->height() - panel->textView()->height();
    const int room =
        height() - m_footer->sizeHint().height() - panel->y() - rest -
        m_content->layout()->contentsMargins().bottom() -
        (m_hint->isVisible() ? m_hint->heightForWidth(std::max(
                                   200, m_content->width() - m_content->layout()->contentsMargins().left() -
                                            m_content->layout()->contentsMargins().right())) +
                                   8
                             : 0);
    for (AnswerPanel *p : m_panels)
        p->setTextHeightLimit(sideBySide ? room : -1);
}

void ComparisonView::layoutAnswers()
{
    // Side by side whenever both answers fit, compact (row names above the buttons) if need be:
    // comparing is easier beside each other than one above the other.
    const QMargins margins = m_content->layout()->contentsMargins();
    const int room = width() - margins.left() - margins.right() -
                     m_scroll->verticalScrollBar()->sizeHint().width() - m_answersLayout->spacing();
    const int each = room / 2;
    bool sideBySide = width() >= kSideBySideMinWidth, compact = false;
    if (sideBySide && each < m_panels[0]->minimumWidthFor(false)) {
        compact = true;
        sideBySide = each >= m_panels[0]->minimumWidthFor(true);
    }
    if (!sideBySide) // one above the other, each the whole width
        compact = room + m_answersLayout->spacing() < m_panels[0]->minimumWidthFor(false);
    for (AnswerPanel *p : m_panels) {
        p->setCompact(compact);
        p->setStacked(!sideBySide);
    }
    // The verdict buttons share the width; too narrow for their words, they say less.
    // Arrows as the answers are placed: beside each other, or the left one on top.
    const QString full[] = {sideBySide ? tr("◀  Left better    1") : tr("▲  Left better    1"),
                            tr("Tie    2"),
                            sideBySide ? tr("Right better  ▶    3") : tr("▼  Right better    3")};
    const QString brief[] = {sideBySide ? tr("◀ Left  1") : tr("▲ Left  1"), tr("Tie  2"),
                             sideBySide ? tr("Right ▶  3") : tr("▼ Right  3")};
    QFont chosen = m_preference[0]->font(); // a chosen verdict is in bold
    chosen.setWeight(QFont::DemiBold);
    const QFontMetrics metrics(chosen);
    int wanted = 0;
    for (const QString &t : full)
        wanted = std::max(wanted, metrics.horizontalAdvance(t) + 2 * 12 + 8);
    const int share = (width() - margins.left() - margins.right() - 2 * 8) / 3;
    for (int v = 0; v < 3; ++v)
        m_preference[v]->setText(share >= wanted ? full[v] : brief[v]);
    const auto direction = sideBySide ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom;
    if (m_answersLayout->direction() != direction) {
        m_answersLayout->setDirection(direction);
        m_content->layout()->activate();
    }
    fitAnswers();
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
