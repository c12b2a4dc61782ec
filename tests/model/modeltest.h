#pragma once
/// @file modeltest.h
/// Shared by the model tests: QTest printing for the std types model/ speaks, so that a failed
/// QCOMPARE on a std::string shows both strings rather than "<unknown>".
///
/// moc (Qt 6.4) lexes a raw string literal inside a Q_OBJECT class as an ordinary one: a raw string
/// there with an odd number of `"` or with `\"` in it makes moc drop the class silently ("No
/// relevant classes found", then an undefined vtable at link time). Write such JSON as an
/// escaped ordinary literal, or move it to namespace scope.

#include "vocabulary.h"

#include <QByteArray>
#include <QTest>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace concord::test {

/// A QByteArray from a string literal, keeping embedded NUL bytes.
template <std::size_t N> QByteArray bytes(const char (&literal)[N])
{
    return QByteArray(literal, static_cast<qsizetype>(N - 1));
}

inline std::string_view view(const QByteArray &b)
{
    return std::string_view(b.constData(), static_cast<std::size_t>(b.size()));
}

inline std::string str(const QByteArray &b)
{
    return std::string(view(b));
}
inline std::string str(const QString &s)
{
    return s.toStdString();
}

/// The stored spelling of a vocabulary value. Compare these rather than the enums themselves:
/// QCOMPARE on a model enum finds concord::model::toString() by argument-dependent lookup, which
/// returns a string_view where QTest wants a char *, and does not compile.
template <typename E> std::string spelled(E value)
{
    return std::string(concord::model::toString(value));
}

} // namespace concord::test

namespace QTest {

template <> inline char *toString(const std::string &s)
{
    return toPrettyCString(s.data(), static_cast<qsizetype>(s.size()));
}

template <> inline char *toString(const std::optional<std::string> &s)
{
    return s ? toPrettyCString(s->data(), static_cast<qsizetype>(s->size())) : qstrdup("std::nullopt");
}

template <> inline char *toString(const std::optional<std::size_t> &v)
{
    return v ? qstrdup(QByteArray::number(static_cast<qulonglong>(*v)).constData()) : qstrdup("std::nullopt");
}

template <> inline char *toString(const std::optional<double> &v)
{
    return v ? qstrdup(QByteArray::number(*v, 'g', 17).constData()) : qstrdup("std::nullopt");
}

} // namespace QTest
