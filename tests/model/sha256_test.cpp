// SHA-256 against the FIPS 180-2 example vectors, and incremental hashing against Qt's own
// implementation for every split that crosses the 55/56/64-byte padding boundaries.
#include "modeltest.h"
#include "sha256.h"

#include <QCryptographicHash>
#include <QTest>

using namespace concord::model;
using concord::test::bytes;
using concord::test::view;

namespace {

std::string qtHex(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex().toStdString();
}

QByteArray pattern(int n)
{
    QByteArray out;
    for (int i = 0; i < n; ++i)
        out += char((i * 37 + 11) & 0xFF); // every byte value appears, NUL included
    return out;
}

} // namespace

class Sha256Test : public QObject
{
    Q_OBJECT

private slots:
    void hex_matchesFipsVectors_data()
    {
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<QString>("digest");
        QTest::newRow("empty") << QByteArray()
                               << "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        QTest::newRow("abc") << bytes("abc")
                             << "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        QTest::newRow("448-bit") << bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                                 << "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
        QTest::newRow("896-bit") << bytes("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                                          "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")
                                 << "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1";
    }
    void hex_matchesFipsVectors()
    {
        QFETCH(QByteArray, message);
        QFETCH(QString, digest);
        QCOMPARE(Sha256::hex(view(message)), digest.toStdString());
    }

    void update_millionAInUnevenChunks_matchesFipsVector()
    {
        const std::string million(1'000'000, 'a');
        // Chunk sizes that start and end inside, exactly on, and across 64-byte blocks.
        const std::size_t sizes[] = {1, 63, 64, 65, 127, 3, 0, 200, 55, 56, 9};
        Sha256 h;
        std::size_t fed = 0, k = 0;
        while (fed < million.size()) {
            const std::size_t n = std::min(sizes[k++ % std::size(sizes)], million.size() - fed);
            h.update(std::string_view(million).substr(fed, n));
            fed += n;
        }
        QCOMPARE(h.hexDigest(),
                 std::string("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
    }

    void update_anySplitGivesSameDigest_data()
    {
        QTest::addColumn<int>("length");
        // Padding needs one extra block from 56 bytes (mod 64) on.
        for (int n : {1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 200})
            QTest::newRow(qPrintable(QString("%1 bytes").arg(n))) << n;
    }
    void update_anySplitGivesSameDigest()
    {
        QFETCH(int, length);
        const QByteArray message = pattern(length);
        const std::string expected = qtHex(message);
        QCOMPARE(Sha256::hex(view(message)), expected);
        for (int split = 0; split <= length; ++split) {
            Sha256 h;
            h.update(view(message.left(split)));
            h.update(view(message.mid(split)));
            QVERIFY2(h.hexDigest() == expected, qPrintable(QString("split at %1").arg(split)));
        }
    }

    void digest_bytesMatchHexDigest()
    {
        const QByteArray message = bytes("abc");
        Sha256 h;
        h.update(view(message));
        const std::array<std::uint8_t, 32> raw = h.digest();
        const QByteArray asBytes(reinterpret_cast<const char *>(raw.data()), qsizetype(raw.size()));
        QCOMPARE(asBytes, QCryptographicHash::hash(message, QCryptographicHash::Sha256));
    }

    void hex_isLowerCaseAnd64Characters()
    {
        const std::string d = Sha256::hex("Concord");
        QCOMPARE(d.size(), std::size_t(64));
        QVERIFY(d.find_first_not_of("0123456789abcdef") == std::string::npos);
    }
};

QTEST_APPLESS_MAIN(Sha256Test)
#include "sha256_test.moc"
