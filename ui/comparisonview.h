#pragma once
/// @file comparisonview.h
/// The question with the two answers side by side (stacked when the space is narrow), each with
/// its label controls, and under them the overall preference, the optional criteria (a row that
/// folds away) and the note. Speaks of screen sides; the workspace maps them to A and B.

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
    /// Below this width the answers are stacked instead of side by side.
    static constexpr int kSideBySideMinWidth = 640;

    explicit ComparisonView(QWidget *parent = nullptr);

    AnswerPanel *panel(Side side) const { return m_panels[side == Side::Left ? 0 : 1]; }
    void setQuestion(const QString &itemId, const QString &type, const QString &question,
                     const std::optional<QString> &reference);
    void setPreference(std::optional<Verdict> verdict);
    /// `criterion` indexes model::kCriteria.
    void setCriterion(int criterion, std::optional<Verdict> verdict);
    /// Shows the saved note (unless the annotator is typing one).
    void setNote(const QString &note);
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
    void resizeEvent(QResizeEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void layoutAnswers();

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
    QLineEdit *m_note = nullptr;
    QString m_savedNote;
};

} // namespace concord::ui
