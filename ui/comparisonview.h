#pragma once
/// @file comparisonview.h
/// The question with the two answers side by side (stacked when the space is narrow), each with
/// its label controls, scrolling; pinned under them, always in view, the overall preference, the
/// optional criteria (a row that folds away) and the note. Speaks of screen sides; the workspace maps them to
/// A and B.

#include "answerpanel.h"

#include <QWidget>

#include <optional>

class QBoxLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QScrollArea;
class QToolButton;

namespace concord::ui {

/// A pairwise verdict as the annotator sees it.
enum class Verdict { Left, Tie, Right };

class ComparisonView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ComparisonView)

public:
    /// Below this width the answers are always stacked; above it they are side by side when both
    /// fit (AnswerPanel::minimumWidthFor), compact if need be.
    static constexpr int kSideBySideMinWidth = 480;

    explicit ComparisonView(QWidget *parent = nullptr);

    AnswerPanel *panel(Side side) const { return m_panels[side == Side::Left ? 0 : 1]; }
    void setQuestion(const QString &itemId, const QString &type, const QString &question,
                     const std::optional<QString> &reference);
    void setPreference(std::optional<Verdict> verdict);
    /// `criterion` indexes model::kCriteria.
    void setCriterion(int criterion, std::optional<Verdict> verdict);
    /// Shows the saved note (unless the annotator is typing one).
    void setNote(const QString &note);
    /// Commits a note being typed (its text differs from the saved note) as Enter would. The
    /// workspace calls it before it moves to another item, so the note lands on the item it was
    /// written for, and the field then shows the next item's note.
    void commitPendingNote();
    /// A line under the answers (what the outlined outcome means); empty hides it.
    void setHint(const QString &hint);
    QString hint() const;
    /// The criteria toggle's text, as it reads now ("▸ Criteria (2 of 3 set)   C").
    QString criteriaToggleText() const;
    void focusNote();
    QLineEdit *noteField() const { return m_note; }
    bool answersSideBySide() const;

    bool criteriaShown() const;
    void setCriteriaShown(bool shown);
    bool referenceShown() const;
    void setReferenceShown(bool shown);
    void setReadingFont(const QFont &font);
    /// Shows a message instead of an item (no project, no items, an error).
    void showMessage(const QString &message);

    QPushButton *preferenceButton(Verdict v) const { return m_preference[int(v)]; }
    QPushButton *criterionButton(int criterion, Verdict v) const { return m_criteria[criterion][int(v)]; }

    /// The pinned bar under the scrolling answers: overall verdict, criteria and note.
    QWidget *verdictBar() const { return m_footer; }
    QScrollArea *scrollArea() const { return m_scroll; }
    /// Scrolls the answers so that the side's label buttons are in view (its first ones when
    /// they do not all fit).
    void revealControls(Side side);

signals:
    void preferenceChosen(Verdict verdict);
    void criterionChosen(int criterion, Verdict verdict);
    /// The annotator finished editing the note (Enter or leaving the field) and it differs.
    void noteCommitted(const QString &note);
    /// The annotator left the note field with Esc or Enter: the workspace takes the keys again.
    void noteLeft();
    void criteriaShownChanged(bool shown);
    void referenceShownChanged(bool shown);

protected:
    bool event(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    /// Builds the style sheet from the application palette (light or dark).
    void restyle();
    void layoutAnswers();
    void fitAnswers();
    /// The criteria toggle says whether it is open and how many criteria are set.
    void showCriteriaToggle();

    QScrollArea *m_scroll = nullptr;
    QWidget *m_content = nullptr;
    QLabel *m_message = nullptr;
    QLabel *m_itemLine = nullptr;
    QLabel *m_question = nullptr;
    QToolButton *m_referenceToggle = nullptr;
    QLabel *m_reference = nullptr;
    QBoxLayout *m_answersLayout = nullptr;
    AnswerPanel *m_panels[2] = {nullptr, nullptr};
    QPushButton *m_preference[3] = {nullptr, nullptr, nullptr};
    QToolButton *m_criteriaToggle = nullptr;
    QWidget *m_criteriaBox = nullptr;
    QPushButton *m_criteria[3][3] = {};
    QLabel *m_hint = nullptr;
    QWidget *m_footer = nullptr;
    QLineEdit *m_note = nullptr;
    QString m_savedNote;
};

} // namespace concord::ui
