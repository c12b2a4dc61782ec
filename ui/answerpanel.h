#pragma once
/// @file answerpanel.h
/// One answer on screen (left or right) with its label controls: faithful or unfaithful, the
/// no-info outcome (grouped as "gives an answer" and "declines", the outcome that follows from
/// the item's answerable flag marked as the suggestion), and the evidence marked for it. The panel
/// speaks of screen sides only; the workspace maps sides to the item's A and B.

#include "vocabulary.h"

#include <QColor>
#include <QFrame>

#include <optional>

class QGridLayout;
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

/// Colours for the workspace that read on a light and on a dark palette alike.
namespace shade {
/// True when the palette's window background is dark (a dark theme).
bool isDark(const QPalette &palette);
/// `a` moved towards `b` by `amount` (0 gives a, 1 gives b), alpha included.
QColor mix(const QColor &a, const QColor &b, double amount);
/// WCAG 2 contrast ratio of two opaque colours, 1 to 21.
double contrast(const QColor &a, const QColor &b);
/// `color` with its lightness moved away from `background` until the contrast is at least
/// `minimum` (4.5 is WCAG AA for text): the hue stays, so meaning (green, red) is kept.
QColor readableOn(const QColor &color, const QColor &background, double minimum = 4.5);
/// The text colour for secondary words (counts, captions, hints) on `palette`'s window.
QColor secondaryText(const QPalette &palette);
/// The side's colour as text on `background` (lightened on a dark one).
QColor sideTextColor(Side side, const QColor &background);
} // namespace shade

/// While `widget` has the keyboard focus, ↑ and ↓ (and Home, End) go to it, as a list or a combo
/// box expects, instead of to the window's shortcuts (↓ is also "tie"). Left and right stay
/// verdicts: lists and closed combo boxes have no use for them.
void keepArrowKeys(QWidget *widget);

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
    /// Compact: each control row's name above its buttons, for a narrow panel.
    void setCompact(bool compact);
    bool isCompact() const { return m_compact; }
    /// One answer above the other (a narrow window): the title says which is on top, since the
    /// keys and verdicts still call them left and right.
    void setStacked(bool stacked);
    QString title() const;
    /// At most this height for the answer's text (it scrolls beyond); negative for the default.
    /// Never below a few lines.
    void setTextHeightLimit(int height);
    /// The narrowest the panel can be, laid out compact or not.
    int minimumWidthFor(bool compact) const;

    EvidenceListModel *evidence() const { return m_evidence; }
    QListView *evidenceList() const { return m_evidenceList; }
    QTextEdit *textView() const { return m_text; }
    QPushButton *outcomeButton(model::Outcome outcome) const;
    QPushButton *faithfulButton(bool faithful) const { return m_faithful[faithful ? 0 : 1]; }

    /// What the outlined (suggested) outcome means, for an item with this answerable flag.
    static QString suggestionHint(bool answerable);
    /// The colour the suggested outcome is outlined in.
    static QColor suggestionColor(const QPalette &palette);

    /// The first and last of the label buttons (faithfulness, then outcome), to scroll into view.
    QWidget *firstControl() const;
    QWidget *lastControl() const;

signals:
    void activated();
    void faithfulChosen(bool faithful);
    void outcomeChosen(model::Outcome outcome);
    void evidenceRemoveRequested(int index);
    void evidenceActivated(qint64 start, qint64 end);
    /// The evidence list gave up the keyboard (Esc, or its last entry removed, which hides it):
    /// the workspace takes the keys again.
    void keysReleased();

protected:
    void mousePressEvent(QMouseEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;
    bool event(QEvent *event) override;

private:
    void placeControls();
    /// Builds the style sheet from the application palette (light or dark).
    void restyle();
    void updateFrame();
    void updateEvidenceHeader();

    Side m_side;
    bool m_active = false;
    QLabel *m_title = nullptr;
    QLabel *m_caption = nullptr;
    QTextEdit *m_text = nullptr;
    QPushButton *m_faithful[2] = {nullptr, nullptr}; ///< faithful, unfaithful
    QPushButton *m_outcomes[4] = {nullptr, nullptr, nullptr, nullptr};
    QLabel *m_rowNames[3] = {nullptr, nullptr, nullptr};
    QGridLayout *m_grid = nullptr;
    bool m_compact = false;
    bool m_stacked = false;
    QLabel *m_evidenceHeader = nullptr;
    EvidenceListModel *m_evidence = nullptr;
    QListView *m_evidenceList = nullptr;
};

} // namespace concord::ui
