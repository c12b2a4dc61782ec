#include "documentview.h"

#include "answerpanel.h"
#include "positionruler.h"

#include <QApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextDocumentLayout>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextDocument>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace concord::ui {

namespace {

constexpr int kMaxMatches = 100000;
constexpr int kFindDelayMs = 150;
constexpr int kMinPointSize = 7;
constexpr int kMaxPointSize = 32;
constexpr qreal kDocumentMargin = 16;

const QColor kMatchColor(0xff, 0xe8, 0x7c);
const QColor kCurrentMatchColor(0xff, 0xa5, 0x2c);
const QColor kMatchTextColor(0x1f, 0x1f, 0x1c);

/// How an evidence mark is drawn: its background, `c` a quarter of the way from the page's
/// colour (less, down to a sixth, where the page's text would not stay readable on it), and a
/// text colour of its own (black or white) only where even that is not enough, as on a mid-dark
/// theme. Opaque, so that marks over the same words (two raters, or one rater's two spans) do not
/// add up to a brighter and brighter background; the mark's underline keeps its full colour.
struct MarkShade
{
    QColor background, foreground; ///< foreground invalid: the page's own text colour
};

MarkShade markShade(const QColor &c, const QPalette &page)
{
    const QColor base = page.color(QPalette::Base), text = page.color(QPalette::Text);
    double amount = 0.25;
    while (amount > 0.17 && shade::contrast(text, shade::mix(base, c, amount)) < 4.5)
        amount -= 0.01;
    MarkShade m{shade::mix(base, c, amount), QColor()};
    if (shade::contrast(text, m.background) < 4.5)
        m.foreground = shade::contrast(Qt::black, m.background) > shade::contrast(Qt::white, m.background)
                           ? QColor(Qt::black)
                           : QColor(Qt::white);
    return m;
}

std::unique_ptr<QTextDocument> newDocument(const QFont &font)
{
    auto document = std::make_unique<QTextDocument>();
    document->setDocumentLayout(new QPlainTextDocumentLayout(document.get()));
    document->setUndoRedoEnabled(false);
    document->setDefaultFont(font);
    document->setDocumentMargin(kDocumentMargin);
    return document;
}

} // namespace

DocumentView::DocumentView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("documentTitle"));
    m_title->setTextFormat(Qt::PlainText);
    m_title->setContentsMargins(10, 6, 10, 6);
    m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    layout->addWidget(m_title);

    m_findBar = new QWidget(this);
    m_findBar->setObjectName(QStringLiteral("findBar"));
    m_findBar->setAttribute(Qt::WA_StyledBackground);
    auto *find = new QHBoxLayout(m_findBar);
    find->setContentsMargins(8, 4, 6, 4);
    find->setSpacing(6);
    m_findField = new QLineEdit(m_findBar);
    m_findField->setPlaceholderText(tr("Find in document"));
    m_findField->setClearButtonEnabled(true);
    m_findField->installEventFilter(this);
    keepArrowKeys(m_findField); // ↓ while typing a search is not a verdict
    m_findStatus = new QLabel(m_findBar);
    m_findStatus->setMinimumWidth(90);
    auto *previous = new QToolButton(m_findBar);
    previous->setText(QStringLiteral("▲"));
    previous->setToolTip(tr("Previous match (Shift+Enter)"));
    auto *next = new QToolButton(m_findBar);
    next->setText(QStringLiteral("▼"));
    next->setToolTip(tr("Next match (Enter)"));
    auto *close = new QToolButton(m_findBar);
    close->setText(QStringLiteral("✕"));
    close->setToolTip(tr("Close (Esc)"));
    close->setAutoRaise(true);
    find->addWidget(m_findField, 1);
    find->addWidget(m_findStatus);
    find->addWidget(previous);
    find->addWidget(next);
    find->addWidget(close);
    m_findBar->hide();
    layout->addWidget(m_findBar);

    auto *body = new QHBoxLayout;
    body->setContentsMargins(0, 0, 0, 0);
    body->setSpacing(0);
    m_text = new QPlainTextEdit(this);
    m_text->setObjectName(QStringLiteral("documentText"));
    m_text->setReadOnly(true);
    // Mouse selection only: the arrow keys stay free for verdicts.
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_text->setFrameShape(QFrame::NoFrame);
    m_text->setFont(readingFont());
    m_empty = newDocument(readingFont());
    m_text->setDocument(m_empty.get());
    m_text->viewport()->installEventFilter(this);
    m_ruler = new PositionRuler(this);
    restyle();
    body->addWidget(m_text, 1);
    body->addWidget(m_ruler);
    layout->addLayout(body, 1);

    m_findDelay = new QTimer(this);
    m_findDelay->setSingleShot(true);
    m_findDelay->setInterval(kFindDelayMs);
    connect(m_findDelay, &QTimer::timeout, this, &DocumentView::search);
    connect(m_findField, &QLineEdit::textChanged, m_findDelay, qOverload<>(&QTimer::start));
    connect(previous, &QToolButton::clicked, this, &DocumentView::findPrevious);
    connect(next, &QToolButton::clicked, this, &DocumentView::findNext);
    connect(close, &QToolButton::clicked, this, &DocumentView::closeFind);
    // Highlights cover what is on screen, so they follow every change of view: scrolling by any
    // means (QPlainTextEdit also scrolls with its signals blocked while it lays out), resizing.
    m_viewChanged = new QTimer(this);
    m_viewChanged->setSingleShot(true);
    m_viewChanged->setInterval(0);
    connect(m_viewChanged, &QTimer::timeout, this, [this] {
        updateHighlights();
        updateRuler();
    });
    connect(m_text->verticalScrollBar(), &QScrollBar::valueChanged, m_viewChanged,
            qOverload<>(&QTimer::start));
    connect(m_text, &QPlainTextEdit::updateRequest, this, [this](const QRect &, int dy) {
        if (dy != 0)
            m_viewChanged->start();
    });
    connect(m_ruler, &PositionRuler::positionClicked, this, &DocumentView::scrollToFraction);
    clear();
}

DocumentView::~DocumentView()
{
    // The editor must not point at a document that is deleted before it.
    m_text->setDocument(nullptr);
}

QFont DocumentView::readingFont() const
{
    QFont font;
    font.setFamilies(
        {QStringLiteral("Source Serif 4"), QStringLiteral("Noto Serif"), QStringLiteral("DejaVu Serif")});
    font.setStyleHint(QFont::Serif);
    font.setPointSize(m_pointSize);
    return font;
}

bool DocumentView::showCached(const QString &id)
{
    for (auto &entry : m_entries)
        if (entry->id == id) {
            swapIn(entry.get());
            return true;
        }
    return false;
}

void DocumentView::showDocument(const QString &id, const QString &title, const QString &text)
{
    if (showCached(id))
        return;
    auto entry = std::make_unique<Entry>();
    entry->id = id;
    entry->title = title;
    entry->text = displayText(text);
    entry->offsets = CodePointMap(entry->text);
    entry->document = newDocument(readingFont());
    entry->document->setPlainText(entry->text);
    Entry *shown = entry.get();
    m_entries.insert(m_entries.begin(), std::move(entry));
    swapIn(shown);
    while (m_entries.size() > std::size_t(kCachedDocuments))
        m_entries.pop_back();
}

void DocumentView::clear(const QString &message)
{
    if (m_current)
        m_current->scroll = m_text->verticalScrollBar()->value();
    m_current = nullptr;
    m_text->setExtraSelections({});
    m_empty->setPlainText(message);
    m_text->setDocument(m_empty.get());
    updateTitle();
    m_marks.clear();
    setEvidencePosition(std::nullopt);
    m_matches.clear();
    m_currentMatch = -1;
    updateFindStatus();
    updateRuler();
}

void DocumentView::swapIn(Entry *entry)
{
    if (m_current != entry) {
        if (m_current)
            m_current->scroll = m_text->verticalScrollBar()->value();
        m_text->setExtraSelections({}); // they hold cursors into the old document
        const QFont font = readingFont();
        if (entry->document->defaultFont() != font)
            entry->document->setDefaultFont(font);
        m_text->setDocument(entry->document.get());
        m_current = entry;
        m_text->verticalScrollBar()->setValue(entry->scroll);
        updateTitle();
        m_matches.clear();
        m_currentMatch = -1;
        m_searched.clear();
        if (m_findBar->isVisible() && !m_findField->text().isEmpty())
            search();
    }
    auto it =
        std::find_if(m_entries.begin(), m_entries.end(), [&](const auto &e) { return e.get() == entry; });
    if (it != m_entries.begin() && it != m_entries.end())
        std::rotate(m_entries.begin(), it, it + 1);
    updateHighlights();
    updateRuler();
    updateFindStatus();
}

void DocumentView::setMarks(std::vector<Mark> marks)
{
    m_marks = std::move(marks);
    updateHighlights();
    updateRuler();
}

void DocumentView::setEvidencePosition(std::optional<double> position)
{
    m_evidencePosition = position;
    m_ruler->setEvidencePosition(position ? *position : -1.0);
}

std::optional<DocumentView::Span> DocumentView::selection() const
{
    if (!m_current)
        return std::nullopt;
    const QTextCursor cursor = m_text->textCursor();
    int start = cursor.selectionStart(), end = cursor.selectionEnd();
    // A passage does not start or end with white space, however the mouse was dragged.
    while (start < end && m_current->text.at(start).isSpace())
        ++start;
    while (end > start && m_current->text.at(end - 1).isSpace())
        --end;
    if (start >= end)
        return std::nullopt;
    return Span{m_current->offsets.toCodePoint(start), m_current->offsets.toCodePoint(end)};
}

QString DocumentView::excerpt(std::int64_t start, std::int64_t end, int maxChars) const
{
    if (!m_current)
        return {};
    const int from = m_current->offsets.toUtf16(start), to = m_current->offsets.toUtf16(end);
    return m_current->text.mid(from, std::min(to - from, maxChars));
}

void DocumentView::reveal(std::int64_t start, std::int64_t end)
{
    if (!m_current)
        return;
    // Scrolled to, not selected: the passage keeps its answer's colour, and E does not mark it again.
    QTextCursor cursor(m_current->document.get());
    cursor.setPosition(m_current->offsets.toUtf16(end));
    m_text->setTextCursor(cursor);
    m_text->centerCursor();
    cursor.setPosition(m_current->offsets.toUtf16(start));
    m_text->setTextCursor(cursor);
    m_viewChanged->start();
}

void DocumentView::scrollToFraction(double fraction)
{
    if (!m_current)
        return;
    QTextCursor cursor(m_current->document.get());
    cursor.setPosition(std::clamp(int(fraction * m_current->text.size()), 0, int(m_current->text.size())));
    m_text->setTextCursor(cursor);
    m_text->centerCursor();
}

void DocumentView::page(int pages)
{
    QScrollBar *bar = m_text->verticalScrollBar();
    bar->setValue(bar->value() + pages * std::max(1, bar->pageStep() - 1));
}

void DocumentView::setPointSize(int points)
{
    points = std::clamp(points, kMinPointSize, kMaxPointSize);
    if (points == m_pointSize)
        return;
    m_pointSize = points;
    const QFont font = readingFont();
    const int scroll = m_text->verticalScrollBar()->value();
    m_text->setFont(font);
    if (m_current)
        m_current->document->setDefaultFont(font);
    m_text->verticalScrollBar()->setValue(scroll);
    emit pointSizeChanged(points);
}

void DocumentView::openFind()
{
    if (!m_findBar->isVisible()) {
        const QString selected = m_text->textCursor().selectedText();
        if (!selected.isEmpty() && selected.size() < 80 && !selected.contains(QChar::ParagraphSeparator))
            m_findField->setText(selected);
        m_findBar->show();
    }
    m_findField->setFocus(Qt::ShortcutFocusReason);
    m_findField->selectAll();
}

void DocumentView::closeFind()
{
    m_findDelay->stop();
    m_findBar->hide();
    m_matches.clear();
    m_currentMatch = -1;
    m_searched.clear();
    updateHighlights();
    updateRuler();
    m_text->setFocus(Qt::OtherFocusReason);
}

void DocumentView::findNext() { stepMatch(+1); }

void DocumentView::findPrevious() { stepMatch(-1); }

void DocumentView::findNow(const QString &text)
{
    if (!m_findBar->isVisible())
        m_findBar->show();
    const QSignalBlocker block(m_findField);
    m_findField->setText(text);
    search();
}

QString DocumentView::findStatus() const { return m_findStatus->text(); }

void DocumentView::search()
{
    m_findDelay->stop();
    m_searched = m_findField->text();
    m_matches.clear();
    m_currentMatch = -1;
    if (m_current && !m_searched.isEmpty()) {
        const QString &text = m_current->text;
        m_matchLength = int(m_searched.size());
        for (qsizetype at = text.indexOf(m_searched, 0, Qt::CaseInsensitive);
             at >= 0 && m_matches.size() < std::size_t(kMaxMatches);
             at = text.indexOf(m_searched, at + m_matchLength, Qt::CaseInsensitive))
            m_matches.push_back(int(at));
        if (!m_matches.empty()) {
            // The first match at or after what the reader is looking at.
            const int top = m_text->cursorForPosition(QPoint(0, 0)).position();
            const auto it = std::lower_bound(m_matches.begin(), m_matches.end(), top);
            m_currentMatch = it == m_matches.end() ? 0 : int(it - m_matches.begin());
            selectMatch();
        }
    }
    updateHighlights();
    updateRuler();
    updateFindStatus();
}

void DocumentView::stepMatch(int delta)
{
    if (!m_findBar->isVisible()) {
        openFind();
        return;
    }
    if (m_searched != m_findField->text()) {
        search();
        return;
    }
    if (m_matches.empty())
        return;
    const int n = int(m_matches.size());
    m_currentMatch = ((m_currentMatch < 0 ? 0 : m_currentMatch + delta) % n + n) % n;
    selectMatch();
    updateHighlights();
    updateFindStatus();
}

void DocumentView::selectMatch()
{
    if (!m_current || m_currentMatch < 0)
        return;
    QTextCursor cursor(m_current->document.get());
    cursor.setPosition(m_matches[std::size_t(m_currentMatch)]);
    cursor.setPosition(m_matches[std::size_t(m_currentMatch)] + m_matchLength, QTextCursor::KeepAnchor);
    m_text->setTextCursor(cursor);
    m_text->centerCursor();
}

void DocumentView::updateFindStatus()
{
    QString status;
    if (!m_searched.isEmpty()) {
        if (m_matches.empty())
            status = tr("No matches");
        else
            status = tr("%1 of %2%3")
                         .arg(m_currentMatch + 1)
                         .arg(m_matches.size())
                         .arg(m_matches.size() >= std::size_t(kMaxMatches) ? QStringLiteral("+") : QString());
    }
    m_findStatus->setText(status);
    const QColor problem = shade::readableOn(QColor(0xb0, 0x3a, 0x2e), palette().color(QPalette::Window));
    m_findStatus->setStyleSheet(!m_searched.isEmpty() && m_matches.empty()
                                    ? QStringLiteral("color: %1;").arg(problem.name())
                                    : QString());
}

void DocumentView::updateHighlights()
{
    if (!m_current) {
        m_text->setExtraSelections({});
        return;
    }
    // Only what is on screen is highlighted: a few dozen selections instead of thousands.
    QTextDocument *document = m_current->document.get();
    const QRect view = m_text->viewport()->rect();
    const QTextBlock firstBlock = document->findBlock(m_text->cursorForPosition(view.topLeft()).position());
    const QTextBlock lastBlock =
        document->findBlock(m_text->cursorForPosition(view.bottomRight()).position());
    const int from = firstBlock.position(), to = lastBlock.position() + lastBlock.length();

    QList<QTextEdit::ExtraSelection> selections;
    auto add = [&](int start, int end, const QColor &color, const QColor &underline = {},
                   const QColor &foreground = {}) {
        start = std::max(start, from);
        end = std::min(end, to);
        if (start >= end)
            return;
        QTextEdit::ExtraSelection s;
        s.cursor = QTextCursor(document);
        s.cursor.setPosition(start);
        s.cursor.setPosition(end, QTextCursor::KeepAnchor);
        s.format.setBackground(color);
        if (foreground.isValid())
            s.format.setForeground(foreground);
        if (underline.isValid()) {
            s.format.setUnderlineStyle(QTextCharFormat::SingleUnderline);
            s.format.setUnderlineColor(underline);
        }
        selections.append(s);
    };
    for (const Mark &m : m_marks) {
        const MarkShade shown = markShade(m.color, m_text->palette());
        add(m_current->offsets.toUtf16(m.start), m_current->offsets.toUtf16(m.end), shown.background, m.color,
            shown.foreground);
    }
    for (auto it = std::lower_bound(m_matches.begin(), m_matches.end(), from - m_matchLength);
         it != m_matches.end() && *it < to; ++it) {
        const bool current = m_currentMatch >= 0 && *it == m_matches[std::size_t(m_currentMatch)];
        // Dark text on amber, as browsers do: readable on a light and on a dark page.
        add(*it, *it + m_matchLength, current ? kCurrentMatchColor : kMatchColor, {}, kMatchTextColor);
    }
    m_text->setExtraSelections(selections);
}

void DocumentView::updateRuler()
{
    if (!m_current) {
        m_ruler->setSpans({});
        m_ruler->setMatches({});
        m_ruler->setViewport(0, 0);
        return;
    }
    const double codePoints = std::max<double>(1, double(m_current->offsets.codePointLength()));
    const double units = std::max<double>(1, double(m_current->text.size()));
    std::vector<PositionRuler::Span> spans;
    for (const Mark &m : m_marks)
        spans.push_back({double(m.start) / codePoints, double(m.end) / codePoints, m.color});
    if (m_ruler->spans().size() != spans.size() ||
        !std::equal(spans.begin(), spans.end(), m_ruler->spans().begin(), [](const auto &a, const auto &b) {
            return a.from == b.from && a.to == b.to && a.color == b.color;
        }))
        m_ruler->setSpans(std::move(spans));
    std::vector<double> matches;
    matches.reserve(m_matches.size());
    for (int m : m_matches)
        matches.push_back(double(m) / units);
    m_ruler->setMatches(std::move(matches));
    const QRect view = m_text->viewport()->rect();
    m_ruler->setViewport(double(m_text->cursorForPosition(view.topLeft()).position()) / units,
                         double(m_text->cursorForPosition(view.bottomRight()).position()) / units);
}

void DocumentView::updateTitle()
{
    const QString title = !m_current                   ? tr("No document")
                          : m_current->title.isEmpty() ? m_current->id
                                                       : m_current->title;
    const int room =
        m_title->width() - m_title->contentsMargins().left() - m_title->contentsMargins().right();
    m_title->setText(m_title->fontMetrics().elidedText(title, Qt::ElideRight, std::max(room, 40)));
    m_title->setToolTip(m_current ? tr("%1 (document %2)").arg(title, m_current->id) : QString());
}

void DocumentView::restyle()
{
    // The theme's own colours (light or dark), with a selection pale enough to read through.
    const QPalette app = QApplication::palette(this);
    const QColor window = app.color(QPalette::Window), base = app.color(QPalette::Base),
                 text = app.color(QPalette::Text);
    const bool dark = shade::isDark(app);
    QPalette palette = m_text->palette();
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::Highlight, shade::mix(base, QColor(0x3d, 0x8b, 0xf0), dark ? 0.45 : 0.4));
    palette.setColor(QPalette::HighlightedText, text);
    m_text->setPalette(palette);
    const QString title =
        QStringLiteral("#documentTitle { font-weight: 600; color: %1; background: %2; "
                       "border-bottom: 1px solid %3; }")
            .arg(app.color(QPalette::WindowText).name(), shade::mix(window, text, 0.04).name(),
                 shade::mix(window, text, 0.18).name());
    if (title != m_title->styleSheet())
        m_title->setStyleSheet(title);
    const QString findBar = QStringLiteral("#findBar { background: %1; border-bottom: 1px solid %2; }")
                                .arg(shade::mix(window, QColor(0xe6, 0xc2, 0x3a), dark ? 0.16 : 0.14).name(),
                                     shade::mix(window, QColor(0xc7, 0x9a, 0x10), dark ? 0.4 : 0.35).name());
    if (findBar != m_findBar->styleSheet())
        m_findBar->setStyleSheet(findBar);
    m_ruler->update();
}

bool DocumentView::event(QEvent *event)
{
    if (event->type() == QEvent::ApplicationPaletteChange)
        restyle();
    return QWidget::event(event);
}

void DocumentView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    updateTitle();
}

bool DocumentView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_findField && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            if (key->modifiers() & Qt::ShiftModifier)
                findPrevious();
            else
                findNext();
            return true;
        }
        if (key->key() == Qt::Key_Escape) {
            closeFind();
            return true;
        }
    }
    if (m_text && watched == m_text->viewport() && event->type() == QEvent::Resize)
        m_viewChanged->start();
    return QWidget::eventFilter(watched, event);
}

} // namespace concord::ui
