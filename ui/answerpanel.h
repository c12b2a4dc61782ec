#pragma once
/// @file answerpanel.h
/// One answer on screen (left or right) with its label controls: faithful or unfaithful, the
/// no-info outcome (grouped as "gives an answer" and "declines", the outcome that follows from
/// the item's answerable flag marked as the suggestion), and the evidence marked for it. The panel
/// speaks of screen sides only; the workspace maps sides to the item's A and B.

#include "vocabulary.h"

#include <QFrame>

#include <optional>

class QLabel;
class QListView;
class QTextEdit;
class QPushButton;

namespace concord::ui {

class EvidenceListModel;

/// The two sides of the screen, and the colour each side's answer is marked with everywhere
/// (panel frame, evidence highlights, ruler).
enum class Side { Left, Right };
QColor sideColor(Side side);

class AnswerPanel final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AnswerPanel)

public:
    explicit AnswerPanel(Side side, QWidget *parent = nullptr);

    Side side() const { return m_side; }
    /// `caption` names the system when the project is not blind; empty otherwise.
    void setAnswer(const QString &caption, const QString &text);
    /// Shows the label; `answerable` decides which outcomes are marked as suggested.
    void setLabel(std::optional<bool> faithful, std::optional<model::Outcome> outcome, bool answerable);
    /// The panel labelling keys (F, U, G, D, E) act on.
    void setActive(bool active);
    bool isActive() const { return m_active; }
    void setReadingFont(const QFont &font);

    EvidenceListModel *evidence() const { return m_evidence; }
    QListView *evidenceList() const { return m_evidenceList; }
    QTextEdit *textView() const { return m_text; }
    QPushButton *outcomeButton(model::Outcome outcome) const;
    QPushButton *faithfulButton(bool faithful) const { return m_faithful[faithful ? 0 : 1]; }

signals:
    void activated();
    void faithfulChosen(bool faithful);
    void outcomeChosen(model::Outcome outcome);
    void evidenceRemoveRequested(int index);
    void evidenceActivated(qint64 start, qint64 end);

protected:
    void mousePressEvent(QMouseEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateFrame();
    void updateEvidenceHeader();

    Side m_side;
    bool m_active = false;
    QLabel *m_title = nullptr;
    QLabel *m_caption = nullptr;
    QTextEdit *m_text = nullptr;
    QPushButton *m_faithful[2] = {nullptr, nullptr}; ///< faithful, unfaithful
    QPushButton *m_outcomes[4] = {nullptr, nullptr, nullptr, nullptr};
    QLabel *m_suggestion = nullptr;
    QLabel *m_evidenceHeader = nullptr;
    EvidenceListModel *m_evidence = nullptr;
    QListView *m_evidenceList = nullptr;
};

} // namespace concord::ui
