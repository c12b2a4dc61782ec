#include "answerpanel.h"

#include "models/evidencelistmodel.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
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
#include <cmath>

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

namespace shade {

bool isDark(const QPalette &palette) { return palette.color(QPalette::Window).lightnessF() < 0.5; }

QColor mix(const QColor &a, const QColor &b, double amount)
{
    const auto at = [amount](float x, float y) { return x + (y - x) * float(amount); };
    return QColor::fromRgbF(at(a.redF(), b.redF()), at(a.greenF(), b.greenF()), at(a.blueF(), b.blueF()),
                            at(a.alphaF(), b.alphaF()));
}

namespace {
/// WCAG 2 relative luminance (https://www.w3.org/TR/WCAG21/#dfn-relative-luminance).
double luminance(const QColor &c)
{
    const auto linear = [](double v) {
        return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * linear(c.redF()) + 0.7152 * linear(c.greenF()) + 0.0722 * linear(c.blueF());
}
} // namespace

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor readableOn(const QColor &color, const QColor &background, double minimum)
{
    QColor c = color.toHsl();
    const bool lighten = luminance(background) < 0.18; // towards white on a dark background
    for (int step = 0; step < 50 && contrast(c, background) < minimum; ++step) {
        const float l = std::clamp(c.lightnessF() + (lighten ? 0.02f : -0.02f), 0.0f, 1.0f);
        c = QColor::fromHslF(c.hslHueF(), c.hslSaturationF(), l, c.alphaF());
    }
    return c.toRgb();
}

QColor secondaryText(const QPalette &palette)
{
    const QColor window = palette.color(QPalette::Window);
    return readableOn(mix(palette.color(QPalette::WindowText), window, 0.38), window);
}

QColor sideTextColor(Side side, const QColor &background)
{
    return readableOn(sideColor(side), background, 4.0);
}

} // namespace shade

namespace {

class ArrowKeysFilter final : public QObject
{
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::ShortcutOverride) {
            auto *key = static_cast<QKeyEvent *>(event);
            const bool plain = (key->modifiers() & ~Qt::KeypadModifier) == Qt::NoModifier;
            switch (key->key()) {
            case Qt::Key_Up:
            case Qt::Key_Down:
            case Qt::Key_Home:
            case Qt::Key_End:
                if (plain) {
                    event->accept(); // delivered as a key press to the widget, not as a shortcut
                    return true;
                }
                break;
            default:
                break;
            }
        }
        return QObject::eventFilter(watched, event);
    }
};

} // namespace

void keepArrowKeys(QWidget *widget) { widget->installEventFilter(new ArrowKeysFilter(widget)); }

QString AnswerPanel::suggestionHint(bool answerable)
{
    return answerable ? tr("Amber dashed outlines: the item says the document holds the answer, so an "
                           "answer that gives one is “Answered”, one that declines declined “Wrongly”. "
                           "You decide.")
                      : tr("Amber dashed outlines: the item says the document does not hold the answer, "
                           "so an answer that gives one “Hallucinated”, one that declines declined "
                           "“Correctly”. You decide.");
}

QColor AnswerPanel::suggestionColor(const QPalette &palette)
{
    return shade::readableOn(QColor(0xc7, 0x8a, 0x00), palette.color(QPalette::Base), 3.0);
}

AnswerPanel::AnswerPanel(Side side, QWidget *parent) : QFrame(parent), m_side(side)
{
    setObjectName(QStringLiteral("answerPanel"));
    restyle();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 10);
    layout->setSpacing(6);

    auto *header = new QWidget(this);
    header->setObjectName(QStringLiteral("answerHeader"));
    auto *headerLayout = new QHBoxLayout(header);
    headerLayout->setContentsMargins(10, 6, 10, 6);
    m_title = new QLabel(header);
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

    m_grid = new QGridLayout;
    QGridLayout *grid = m_grid;
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
    m_rowNames[0] = rowName(tr("Faithfulness"));
    m_rowNames[1] = rowName(tr("Gives an answer  G"));
    m_rowNames[2] = rowName(tr("Declines  D"));
    for (int i = 0; i < 4; ++i) {
        m_outcomes[i] = toggle(outcomeText(kOutcomeOrder[std::size_t(i)]),
                               outcomeHelp(kOutcomeOrder[std::size_t(i)]), this);
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
    placeControls();
    layout->addLayout(grid);

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
    keepArrowKeys(m_evidenceList);
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
        // Only until an outcome is chosen: an outline left beside the choice reads as a warning.
        const bool suggested = !outcome && (o == gives || o == declines);
        setFlag(m_outcomes[i], "suggested", suggested);
        m_outcomes[i]->setToolTip(
            outcomeHelp(o) + (suggested ? QStringLiteral("\n\n") + suggestionHint(answerable) : QString()));
    }
}

void AnswerPanel::setActive(bool active)
{
    m_active = active;
    updateFrame();
}

void AnswerPanel::setTextHeightLimit(int height)
{
    const int limit = height < 0 ? AnswerText::kMaxHeight
                                 : std::clamp(height, 2 * AnswerText::kMinHeight, AnswerText::kMaxHeight);
    if (m_text->maximumHeight() != limit)
        m_text->setMaximumHeight(limit);
}

void AnswerPanel::setStacked(bool stacked)
{
    if (stacked == m_stacked)
        return;
    m_stacked = stacked;
    updateFrame();
}

QString AnswerPanel::title() const { return m_title->text(); }

void AnswerPanel::setCompact(bool compact)
{
    if (compact == m_compact)
        return;
    m_compact = compact;
    placeControls();
}

void AnswerPanel::placeControls()
{
    QWidget *rows[3][2] = {
        {m_faithful[0], m_faithful[1]}, {m_outcomes[0], m_outcomes[1]}, {m_outcomes[2], m_outcomes[3]}};
    for (int r = 0; r < 3; ++r) {
        m_grid->removeWidget(m_rowNames[r]);
        for (QWidget *w : rows[r])
            m_grid->removeWidget(w);
    }
    // Compact: each row's name on a line of its own above its two buttons, so that two panels
    // fit side by side in a narrow window.
    for (int r = 0; r < 3; ++r) {
        if (m_compact) {
            m_grid->addWidget(m_rowNames[r], 2 * r, 0, 1, 2);
            m_grid->addWidget(rows[r][0], 2 * r + 1, 0);
            m_grid->addWidget(rows[r][1], 2 * r + 1, 1);
        } else {
            m_grid->addWidget(m_rowNames[r], r, 0);
            m_grid->addWidget(rows[r][0], r, 1);
            m_grid->addWidget(rows[r][1], r, 2);
        }
    }
    for (int c = 0; c < 3; ++c)
        m_grid->setColumnStretch(c, m_compact ? (c < 2 ? 1 : 0) : (c > 0 ? 1 : 0));
    m_grid->setVerticalSpacing(m_compact ? 3 : 6);
}

int AnswerPanel::minimumWidthFor(bool compact) const
{
    int button = 0, name = 0;
    for (QPushButton *b :
         {m_faithful[0], m_faithful[1], m_outcomes[0], m_outcomes[1], m_outcomes[2], m_outcomes[3]})
        button = std::max(button, b->sizeHint().width());
    for (QLabel *l : m_rowNames)
        name = std::max(name, l->sizeHint().width());
    const int margins = 20 + 2 * 2 + layout()->contentsMargins().left() + layout()->contentsMargins().right();
    return margins + 2 * button + m_grid->horizontalSpacing() +
           (compact ? 0 : name + m_grid->horizontalSpacing());
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
    updateEvidenceHeader();
    const QString mark = m_active ? QStringLiteral("  ●") : QString();
    const QString name = m_side == Side::Left
                             ? (m_stacked ? tr("▲ Left answer (top)") : tr("◀ Left answer"))
                             : (m_stacked ? tr("▼ Right answer (bottom)") : tr("Right answer ▶"));
    m_title->setText(name + mark);
    QString tip = m_active ? tr("F, U, G, D and E act on this answer; Tab switches to the other one")
                           : tr("Press Tab or click to label this answer");
    if (m_stacked)
        tip += tr("\n\nThe window is too narrow to show the answers side by side, so the left one is "
                  "shown on top; the verdict keys still call it left (1 or ←) and the other right (3 or →).");
    m_title->setToolTip(tip);
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

void AnswerPanel::restyle()
{
    // The application palette, not this widget's: the style sheet rewrites the widget's own.
    const QPalette palette = QApplication::palette(this);
    const QColor base = palette.color(QPalette::Base), text = palette.color(QPalette::Text);
    const bool dark = shade::isDark(palette);
    const QColor side = sideColor(m_side);
    const QColor header = shade::mix(base, side, dark ? 0.22 : 0.11);
    const QColor button = shade::mix(base, text, dark ? 0.07 : 0.025);
    const QColor suggestion = suggestionColor(palette);
    const QString sheet =
        QStringLiteral(
            "#answerPanel { background: %1; border: 2px solid %2; border-radius: 6px; }"
            "#answerPanel[active=\"true\"] { border: 2px solid %3; }"
            "#answerHeader { background: %4; border-top-left-radius: 5px; border-top-right-radius: 5px; }"
            "#answerTitle { color: %5; font-weight: 700; }"
            "#answerCaption { color: %6; }"
            "QTextEdit { background: %1; color: %7; }"
            "QPushButton { padding: 4px 10px; border: 1px solid %8; border-radius: 4px; "
            "  background: %9; color: %7; }"
            "QPushButton:hover { background: %10; }"
            // The suggestion: a tint and a thick dashed amber outline; a choice is a solid fill.
            "QPushButton[suggested=\"true\"] { padding: 3px 9px; border: 2px dashed %11; background: %12; }"
            "QPushButton:checked { padding: 4px 10px; background: %3; color: white; border: 1px solid %3; "
            "  font-weight: 600; }"
            "QPushButton#faithfulYes:checked { background: #1e7b34; border-color: #1e7b34; }"
            "QPushButton#faithfulNo:checked { background: #b03a2e; border-color: #b03a2e; }"
            "QLabel[role=\"rowname\"] { color: %13; }"
            "QListView { border: 1px solid %14; border-radius: 4px; background: %15; color: %7; }")
            .arg(base.name(), shade::mix(base, text, 0.14).name(), side.name(), header.name(),
                 shade::sideTextColor(m_side, header).name(), shade::secondaryText(palette).name(),
                 text.name(), shade::mix(base, text, dark ? 0.32 : 0.24).name(), button.name())
            .arg(shade::mix(base, text, dark ? 0.14 : 0.07).name(), suggestion.name(),
                 shade::mix(base, suggestion, dark ? 0.22 : 0.14).name(),
                 shade::readableOn(shade::mix(text, base, 0.22), base).name(),
                 shade::mix(base, text, 0.12).name(),
                 shade::mix(base, palette.color(QPalette::Window), 0.5).name());
    if (sheet != styleSheet())
        setStyleSheet(sheet);
}

QWidget *AnswerPanel::firstControl() const { return m_faithful[0]; }

QWidget *AnswerPanel::lastControl() const { return m_outcomes[3]; }

bool AnswerPanel::event(QEvent *event)
{
    if (event->type() == QEvent::ApplicationPaletteChange)
        restyle();
    return QFrame::event(event);
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
            // The last one gone, the list hides and Qt would hand the focus to the next field
            // (the note), where the next verdict keys would be typed.
            if (!m_evidenceList->isVisible())
                emit keysReleased();
            return true;
        }
        if (key->key() == Qt::Key_Escape) {
            emit keysReleased();
            return true;
        }
    }
    if (watched == m_evidenceList && event->type() == QEvent::FocusIn)
        emit activated();
    return QFrame::eventFilter(watched, event);
}

} // namespace concord::ui
