#pragma once
/// @file quotelocator.h
/// Finds a passage an LLM judge quoted in the document, so the quote becomes an evidence span.
/// Judges rarely copy perfectly: after an exact search, the quote is searched again with runs of
/// whitespace collapsed, letters lower-cased (ASCII, Latin-1, Greek, Cyrillic) and typographic
/// quotes and dashes read as their ASCII forms. A quote with an ellipsis ("A ... B") is found as
/// its first and last pieces, in order. Offsets are Unicode code points, as everywhere in Concord.

#include <cstdint>
#include <string_view>

namespace concord::model {

enum class QuoteMatch { None, Exact, Normalised };

struct LocatedQuote
{
    QuoteMatch match = QuoteMatch::None;
    std::int64_t start = 0; ///< code points, inclusive
    std::int64_t end = 0;   ///< code points, exclusive; start < end when found
};

/// Where `quote` first occurs in `document` (both valid UTF-8). Surrounding whitespace, quote
/// marks and leading or trailing ellipses are ignored; an empty quote is never found.
LocatedQuote locateQuote(std::string_view document, std::string_view quote);

std::string_view toString(QuoteMatch m); ///< "none", "exact", "normalised"

} // namespace concord::model
