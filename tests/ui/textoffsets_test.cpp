// UTF-16 (Qt) against code points (the project's evidence offsets), and the document view holding
// exactly one position per UTF-16 unit, CRLF included.
#include "answerpanel.h"
#include "documentview.h"
#include "textoffsets.h"

#include <QPlainTextEdit>
#include <QTest>
#include <QTextDocument>

using namespace concord;

class TextOffsetsTest : public QObject
{
    Q_OBJECT

private slots:
    void convertsAroundSurrogatePairs()
    {
        const QString text = QStringLiteral("a😀b€c🎉🎉d");
        ui::CodePointMap map(text);
        QCOMPARE(map.utf16Length(), 11);
        QCOMPARE(map.codePointLength(), std::int64_t(8));
        const int u[] = {0, 1, 3, 4, 5, 6, 8, 10, 11};
        for (std::int64_t cp = 0; cp <= 8; ++cp) {
            QCOMPARE(map.toUtf16(cp), u[cp]);
            QCOMPARE(map.toCodePoint(u[cp]), cp);
        }
        QCOMPARE(map.toCodePoint(2), std::int64_t(2)); // inside 😀: counts as after it
        QCOMPARE(map.toUtf16(99), 11);
        QCOMPARE(map.toCodePoint(-5), std::int64_t(0));
        ui::CodePointMap ascii(QStringLiteral("plain"));
        QCOMPARE(ascii.toCodePoint(3), std::int64_t(3));
        QCOMPARE(ascii.toUtf16(5), 5);
    }

    void displayTextKeepsOnePositionPerUnit()
    {
        const QString stored = QStringLiteral("one\r\ntwo\rthree\n\r\nfour");
        const QString shown = ui::displayText(stored);
        QCOMPARE(shown.size(), stored.size());
        QTextDocument document;
        document.setPlainText(shown);
        QCOMPARE(document.characterCount() - 1, int(stored.size())); // minus the final paragraph separator
        QTextCursor cursor(&document);
        const int at = int(stored.indexOf(QStringLiteral("four")));
        cursor.setPosition(at);
        cursor.setPosition(at + 4, QTextCursor::KeepAnchor);
        QCOMPARE(cursor.selectedText(), QStringLiteral("four"));
        QCOMPARE(ui::displayText(QStringLiteral("no breaks")), QStringLiteral("no breaks"));
    }

    void documentViewSelectionIsInCodePoints()
    {
        ui::DocumentView view;
        const QString stored = QStringLiteral("Intro 😀\r\nThe rent is £1,200.\r\n");
        view.showDocument(QStringLiteral("d"), QStringLiteral("D"), stored);
        QPlainTextEdit *editor = view.editor();
        const int at = int(stored.indexOf(QStringLiteral("rent")));
        QTextCursor cursor(editor->document());
        cursor.setPosition(at - 1); // a space first: not part of the passage
        cursor.setPosition(at + 14, QTextCursor::KeepAnchor);
        editor->setTextCursor(cursor);
        const auto span = view.selection();
        QVERIFY(span);
        QCOMPARE(span->start, std::int64_t(at - 1)); // one emoji before: one unit fewer in code points
        QCOMPARE(span->end - span->start, std::int64_t(14));
        QCOMPARE(view.excerpt(span->start, span->end), QStringLiteral("rent is £1,200"));
        // Kept documents come back without being set again.
        QTextDocument *first = editor->document();
        view.showDocument(QStringLiteral("e"), QStringLiteral("E"), QStringLiteral("other"));
        QVERIFY(editor->document() != first);
        QVERIFY(view.showCached(QStringLiteral("d")));
        QCOMPARE(editor->document(), first);
        QVERIFY(!view.showCached(QStringLiteral("never")));
    }

    void evidenceStaysReadableOnALightAndADarkPage()
    {
        // Each rater's pastel over the page, with the page's own text on it: at least 4.5:1
        // (WCAG AA) on a light and on a dark palette alike; the colour still tells raters apart.
        const QColor raters[] = {QColor(0xff, 0xe0, 0x8a), QColor(0xa8, 0xd8, 0xff),
                                 QColor(0xc5, 0xe8, 0xb0), QColor(0xf5, 0xb8, 0xd0),
                                 QColor(0xd6, 0xc8, 0xf5), QColor(0xff, 0xc9, 0xa3)};
        const struct
        {
            QColor base, text;
        } pages[] = {{Qt::white, QColor(0x20, 0x20, 0x20)},
                     {QColor(0x1f, 0x1f, 0x21), QColor(0xe4, 0xe4, 0xe0)},
                     // A mid-dark theme, where a pastel a quarter over the page is a mid-tone.
                     {QColor(0x3c, 0x3f, 0x41), QColor(0xbb, 0xbb, 0xbb)}};
        for (const auto &page : pages) {
            ui::DocumentView view;
            QPalette palette = view.editor()->palette();
            palette.setColor(QPalette::Base, page.base);
            palette.setColor(QPalette::Text, page.text);
            view.editor()->setPalette(palette);
            view.resize(600, 400);
            view.show();
            view.showDocument(QStringLiteral("d"), QStringLiteral("D"),
                              QStringLiteral("The rent is £1,200."));
            std::vector<ui::DocumentView::Mark> marks;
            for (const QColor &c : raters)
                marks.push_back({4, 8, c});
            view.setMarks(marks);
            QTest::qWait(50);
            const QList<QTextEdit::ExtraSelection> shown = view.editor()->extraSelections();
            QCOMPARE(shown.size(), qsizetype(std::size(raters)));
            // The words as the page shows them: every mark over them, one over the other.
            QColor seen = page.base, lastText = page.text;
            for (const QTextEdit::ExtraSelection &s : shown) {
                const QColor tint = s.format.background().color();
                const double a = tint.alphaF();
                seen = QColor(int(seen.red() * (1 - a) + tint.red() * a),
                              int(seen.green() * (1 - a) + tint.green() * a),
                              int(seen.blue() * (1 - a) + tint.blue() * a));
                QVERIFY(tint != page.base); // each still marks
                // Each rater's mark alone, over the page, is readable too.
                const QColor alone(int(page.base.red() * (1 - a) + tint.red() * a),
                                   int(page.base.green() * (1 - a) + tint.green() * a),
                                   int(page.base.blue() * (1 - a) + tint.blue() * a));
                // The mark's own text colour where it has one, else the page's.
                const QColor text = s.format.hasProperty(QTextFormat::ForegroundBrush)
                                        ? s.format.foreground().color()
                                        : page.text;
                QVERIFY2(ui::shade::contrast(text, alone) >= 4.5,
                         qPrintable(text.name() + QStringLiteral(" on ") + alone.name()));
                lastText = text;
            }
            // The words under all six marks: the last one drawn decides their colours.
            const double ratio = ui::shade::contrast(lastText, seen);
            QVERIFY2(ratio >= 4.5,
                     qPrintable(QStringLiteral("%1 on %2: %3").arg(lastText.name(), seen.name()).arg(ratio)));
        }
    }
};

QTEST_MAIN(TextOffsetsTest)
#include "textoffsets_test.moc"
