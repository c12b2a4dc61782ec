#pragma once
/// @file utf8.h
/// UTF-8 helpers. Concord stores text as UTF-8 and measures offsets in Unicode code points, the
/// unit JSONL v1 evidence spans use (Python `str` indices, JavaScript `codePointAt` counting).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace concord::model::utf8 {

/// Byte offset of the first ill-formed sequence (overlong forms, surrogates and code points above
/// U+10FFFF count as ill-formed, per RFC 3629), or std::nullopt when `s` is valid UTF-8.
std::optional<std::size_t> firstInvalid(std::string_view s);

/// Number of code points in valid UTF-8 text.
std::int64_t codePointCount(std::string_view s);

/// Byte offset of code point `index` in valid UTF-8 text; s.size() when index is the length.
std::size_t byteOffset(std::string_view s, std::int64_t index);

/// The longest start of `s` of at most `maxBytes` that ends at a character boundary (all of `s`
/// when it fits): for messages that quote a bounded piece of what a user or a server gave.
std::string_view prefix(std::string_view s, std::size_t maxBytes);

} // namespace concord::model::utf8
