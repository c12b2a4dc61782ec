#pragma once
/// @file documentview.h
/// The source document: read-only plain text in a reading font, wrapped, zoomable, with find
/// (every match highlighted, "3 of 17", Enter / Shift+Enter to step), the evidence passages
/// highlighted in their answer's colour, and a PositionRuler beside the scroll bar.
///
/// Fast on long documents: a QPlainTextEdit (lays out only what is on screen), a few laid-out
/// documents kept and swapped in with setDocument() (identical text is never set again), and
/// highlights applied only to the visible part of the text.
/// Positions in the API are code points, as the project stores them.

#include "textoffsets.h"

#include <QColor>
#include <QWidget>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTextDocument;
class QTimer;
class QToolButton;

namespace concord::ui {

class PositionRuler;

class DocumentView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DocumentView)

public:
    /// A highlighted passage, in code points.
    struct Mark
    {
        std::int64_t start = 0;
        std::int64_t end = 0;
        QColor color;
    };
    struct Span
    {
        std::int64_t start = 0;
        std::int64_t end = 0;
    };

    /// How many laid-out documents are kept for switching back without a new layout.
    static constexpr int kCachedDocuments = 4;

    explicit DocumentView(QWidget *parent = nullptr);
    ~DocumentView() override;

    /// Shows the document `id` if it is kept; false when it must be given with showDocument().
    bool showCached(const QString &id);
    /// Shows (and keeps) document `id` with its title and text.
    void showDocument(const QString &id, const QString &title, const QString &text);
    /// Shows nothing (no project, or an error in `message`).
    void clear(const QString &message = {});
    QString documentId() const { return m_current ? m_current->id : QString(); }

    void setMarks(std::vector<Mark> marks);
    /// The item's evidence_position (a fraction of the document), if any.
    void setEvidencePosition(std::optional<double> position);

    /// The selected passage, when the selection is not empty.
    std::optional<Span> selection() const;
    /// The text of a passage (at most `maxChars` UTF-16 units of it).
    QString excerpt(std::int64_t start, std::int64_t end, int maxChars = 400) const;
    /// Scrolls to a passage and selects it.
    void reveal(std::int64_t start, std::int64_t end);
    /// Scrolls to a fraction of the document.
    void scrollToFraction(double fraction);
    /// Scrolls one screen down (pages > 0) or up.
    void page(int pages);

    int pointSize() const { return m_pointSize; }
    void setPointSize(int points);

    void openFind();
    void closeFind();
    void findNext();
    void findPrevious();
    /// Searches now (typing searches after a short pause).
    void findNow(const QString &text);
    int matchCount() const { return int(m_matches.size()); }
    /// 0-based index of the current match, or -1.
    int currentMatch() const { return m_currentMatch; }
    QString findStatus() const;

    QPlainTextEdit *editor() const { return m_text; }
    PositionRuler *ruler() const { return m_ruler; }
    QLineEdit *findField() const { return m_findField; }

signals:
    void pointSizeChanged(int points);

protected:
    bool event(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Entry
    {
        QString id;
        QString title;
        QString text; ///< as displayed (displayText())
        std::unique_ptr<QTextDocument> document;
        CodePointMap offsets;
        int scroll = 0;
    };

    /// Colours from the application palette (light or dark).
    void restyle();
    QFont readingFont() const;
    void swapIn(Entry *entry);
    void updateHighlights();
    void updateRuler();
    void updateFindStatus();
    void updateTitle();
    void search();
    void stepMatch(int delta);
    void selectMatch();

    std::vector<std::unique_ptr<Entry>> m_entries; ///< most recently shown first
    Entry *m_current = nullptr;
    std::unique_ptr<QTextDocument> m_empty;
    std::vector<Mark> m_marks;
    std::optional<double> m_evidencePosition;
    int m_pointSize = 11;

    std::vector<int> m_matches; ///< UTF-16 starts
    int m_matchLength = 0;
    int m_currentMatch = -1;
    QString m_searched;

    QLabel *m_title = nullptr;
    QPlainTextEdit *m_text = nullptr;
    PositionRuler *m_ruler = nullptr;
    QWidget *m_findBar = nullptr;
    QLineEdit *m_findField = nullptr;
    QLabel *m_findStatus = nullptr;
    QTimer *m_findDelay = nullptr;
    QTimer *m_viewChanged = nullptr; ///< coalesces highlight updates after the view moved
};

} // namespace concord::ui
