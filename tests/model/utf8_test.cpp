// UTF-8 validation (RFC 3629 / Unicode Table 3-7) and code-point offsets, the unit evidence spans
// are measured in.
#include "modeltest.h"
#include "utf8.h"

#include <QTest>

using namespace concord::model;
using concord::test::bytes;
using concord::test::view;

namespace {

// "a£€😀b": 1 + 2 + 3 + 4 + 1 bytes, five code points.
const QByteArray kMixed = bytes("a\xC2\xA3\xE2\x82\xAC\xF0\x9F\x98\x80"
                                "b");

} // namespace

class Utf8Test : public QObject
{
    Q_OBJECT

private slots:
    void prefixEndsAtACharacterBoundary()
    {
        const std::string cafe = "caf\xC3\xA9";              // "café": é is two bytes
        QCOMPARE(std::string(utf8::prefix(cafe, 10)), cafe); // fits: all of it, é kept
        QCOMPARE(std::string(utf8::prefix(cafe, 5)), cafe);
        QCOMPARE(std::string(utf8::prefix(cafe, 4)), std::string("caf")); // not half an é
        const std::string emoji = "a\xF0\x9F\x98\x80"
                                  "b"; // a😀b
        QCOMPARE(std::string(utf8::prefix(emoji, 3)), std::string("a"));
        QCOMPARE(std::string(utf8::prefix(emoji, 5)), std::string("a\xF0\x9F\x98\x80"));
        QCOMPARE(std::string(utf8::prefix(emoji, 0)), std::string());
    }

    void acceptsWellFormedText_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("ascii") << bytes("The rent is 1,200 per month.");
        QTest::newRow("nul is a code point") << bytes("a\0b");
        QTest::newRow("2-byte £") << bytes("\xC2\xA3");
        QTest::newRow("3-byte €") << bytes("\xE2\x82\xAC");
        QTest::newRow("4-byte 😀") << bytes("\xF0\x9F\x98\x80");
        QTest::newRow("mixed") << kMixed;
        QTest::newRow("U+0080, lowest 2-byte") << bytes("\xC2\x80");
        QTest::newRow("U+07FF, highest 2-byte") << bytes("\xDF\xBF");
        QTest::newRow("U+0800, lowest 3-byte") << bytes("\xE0\xA0\x80");
        QTest::newRow("U+D7FF, just below surrogates") << bytes("\xED\x9F\xBF");
        QTest::newRow("U+E000, just above surrogates") << bytes("\xEE\x80\x80");
        QTest::newRow("U+FFFF") << bytes("\xEF\xBF\xBF");
        QTest::newRow("U+10000, lowest 4-byte") << bytes("\xF0\x90\x80\x80");
        QTest::newRow("U+10FFFF, highest code point") << bytes("\xF4\x8F\xBF\xBF");
        QTest::newRow("multibyte after 8-byte ascii run") << bytes("abcdefghij\xE2\x82\xAC"
                                                                   "klmnopqrstuvwxyz");
        QTest::newRow("multibyte straddling an 8-byte chunk") << bytes("abcdefg\xF0\x9F\x98\x80"
                                                                       "hijklmnop");
    }
    void acceptsWellFormedText()
    {
        QFETCH(QByteArray, text);
        QCOMPARE(utf8::firstInvalid(view(text)), std::optional<std::size_t>());
    }

    void rejectsIllFormedText_returnsByteOffset_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qulonglong>("offset");
        QTest::newRow("lone continuation") << bytes("\x80") << 0ull;
        QTest::newRow("lone continuation after ascii") << bytes("ab\xBF"
                                                                "cd")
                                                       << 2ull;
        QTest::newRow("continuation after complete 2-byte") << bytes("\xC2\xA3\xA3") << 2ull;
        QTest::newRow("overlong C0 80 (NUL)") << bytes("\xC0\x80") << 0ull;
        QTest::newRow("overlong C1 BF") << bytes("x\xC1\xBF") << 1ull;
        QTest::newRow("overlong E0 80 80") << bytes("\xE0\x80\x80") << 0ull;
        QTest::newRow("overlong E0 9F BF") << bytes("ab\xE0\x9F\xBF") << 2ull;
        QTest::newRow("overlong F0 8F BF BF") << bytes("\xF0\x8F\xBF\xBF") << 0ull;
        QTest::newRow("surrogate ED A0 80 (U+D800)") << bytes("\xED\xA0\x80") << 0ull;
        QTest::newRow("surrogate ED BF BF (U+DFFF)") << bytes("abc\xED\xBF\xBF") << 3ull;
        QTest::newRow("above U+10FFFF: F4 90 80 80") << bytes("\xF4\x90\x80\x80") << 0ull;
        QTest::newRow("above U+10FFFF: F5 lead") << bytes("a\xF5\x80\x80\x80") << 1ull;
        QTest::newRow("FF byte") << bytes("\xFF") << 0ull;
        QTest::newRow("FE byte") << bytes("ok \xFE") << 3ull;
        QTest::newRow("truncated 2-byte at end") << bytes("a\xC2") << 1ull;
        QTest::newRow("truncated 3-byte at end") << bytes("ab\xE2\x82") << 2ull;
        QTest::newRow("truncated 4-byte at end") << bytes("\xF0\x9F\x98") << 0ull;
        QTest::newRow("truncated 3-byte before ascii") << bytes("\xE2\x82"
                                                                "A")
                                                       << 0ull;
        QTest::newRow("bad third byte of 4-byte") << bytes("\xF0\x9F\x41\x80") << 0ull;
        QTest::newRow("bad fourth byte of 4-byte") << bytes("\xF0\x9F\x98\xC0") << 0ull;
        QTest::newRow("after valid multibyte") << kMixed + bytes("\x80") << qulonglong(kMixed.size());
        QTest::newRow("after a 16-byte ascii run") << bytes("0123456789abcdef\x80") << 16ull;
        QTest::newRow("inside second 8-byte chunk") << bytes("01234567ab\xC0\x80"
                                                             "cdefgh")
                                                    << 10ull;
        QTest::newRow("first of two errors") << bytes("ok\xE0\x80\x80 and \xFF") << 2ull;
    }
    void rejectsIllFormedText_returnsByteOffset()
    {
        QFETCH(QByteArray, text);
        QFETCH(qulonglong, offset);
        QCOMPARE(utf8::firstInvalid(view(text)), std::optional<std::size_t>(offset));
    }

    void codePointCount_countsCodePointsNotBytes_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("count");
        QTest::newRow("empty") << QByteArray() << qint64(0);
        QTest::newRow("ascii") << bytes("hello") << qint64(5);
        QTest::newRow("a£€😀b") << kMixed << qint64(5);
        QTest::newRow("two emoji") << bytes("\xF0\x9F\x98\x80\xF0\x9F\x98\x80") << qint64(2);
        QTest::newRow("U+10FFFF") << bytes("\xF4\x8F\xBF\xBF") << qint64(1);
    }
    void codePointCount_countsCodePointsNotBytes()
    {
        QFETCH(QByteArray, text);
        QFETCH(qint64, count);
        QCOMPARE(utf8::codePointCount(view(text)), std::int64_t(count));
        // Qt's UTF-16 decoder is an independent oracle: count code points, not UTF-16 units.
        QCOMPARE(utf8::codePointCount(view(text)), std::int64_t(QString::fromUtf8(text).toUcs4().size()));
    }

    void byteOffset_mapsCodePointIndexToByte_data()
    {
        QTest::addColumn<qint64>("index");
        QTest::addColumn<qulonglong>("offset");
        QTest::newRow("a") << qint64(0) << 0ull;
        QTest::newRow("£") << qint64(1) << 1ull;
        QTest::newRow("€") << qint64(2) << 3ull;
        QTest::newRow("😀") << qint64(3) << 6ull;
        QTest::newRow("b") << qint64(4) << 10ull;
        QTest::newRow("length gives size") << qint64(5) << 11ull;
        QTest::newRow("past length gives size") << qint64(9) << 11ull;
    }
    void byteOffset_mapsCodePointIndexToByte()
    {
        QFETCH(qint64, index);
        QFETCH(qulonglong, offset);
        QCOMPARE(utf8::byteOffset(view(kMixed), index), std::size_t(offset));
    }

    void byteOffset_inversesCodePointCount()
    {
        const std::string_view s = view(kMixed);
        const std::int64_t n = utf8::codePointCount(s);
        for (std::int64_t i = 0; i <= n; ++i)
            QCOMPARE(utf8::codePointCount(s.substr(0, utf8::byteOffset(s, i))), i);
    }

    void byteOffset_ofEmptyTextIsZero() { QCOMPARE(utf8::byteOffset(std::string_view(), 0), std::size_t(0)); }
};

QTEST_APPLESS_MAIN(Utf8Test)
#include "utf8_test.moc"
