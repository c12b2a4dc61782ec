#include "quotelocator.h"

#include "utf8.h"

#include <string>
#include <vector>

namespace concord::model {

namespace {

/// Decodes the code point at `i` of valid UTF-8 and advances `i` past it.
char32_t decode(std::string_view s, std::size_t &i)
{
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (i + len > s.size())
        len = s.size() - i;
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k < len; ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += len;
    return cp;
}

/// Writes the UTF-8 of `cp` to `out` (room for 4 bytes); returns the byte count.
std::size_t encode(char32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = static_cast<char>(cp);
        return 1;
    }
    if (cp < 0x800) {
        out[0] = static_cast<char>(0xC0 | (cp >> 6));
        out[1] = static_cast<char>(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = static_cast<char>(0xE0 | (cp >> 12));
        out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out[2] = static_cast<char>(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = static_cast<char>(0xF0 | (cp >> 18));
    out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[3] = static_cast<char>(0x80 | (cp & 0x3F));
    return 4;
}

bool isSpace(char32_t c)
{
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0xA0 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
           c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0x1680 || c == 0x85;
}

char32_t fold(char32_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 0x20;
    if (c < 0x80)
        return c;
    if ((c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) ||
        (c >= 0x410 && c <= 0x42F))
        return c + 0x20;
    if (c >= 0x400 && c <= 0x40F)
        return c + 0x50;
    switch (c) {
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x201B:
    case 0x2032:
        return '\'';
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x201F:
    case 0x2033:
    case 0xAB:
    case 0xBB:
        return '"';
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
        return '-';
    default:
        return c;
    }
}

/// Calls emit(codePointIndex, bytesEmitted) for each code point of `s` while appending the folded
/// text to `out` (when given): whitespace runs become one space.
template <typename F> void foldText(std::string_view s, std::string *out, F each)
{
    bool previousSpace = false;
    std::size_t emitted = 0;
    std::int64_t index = 0;
    char buffer[4];
    for (std::size_t i = 0; i < s.size(); ++index) {
        const char32_t c = decode(s, i);
        std::size_t n = 0;
        if (isSpace(c)) {
            if (!previousSpace)
                buffer[n++] = ' ';
            previousSpace = true;
        } else {
            n = encode(fold(c), buffer);
            previousSpace = false;
        }
        if (out)
            out->append(buffer, n);
        if (!each(index, emitted, n))
            return;
        emitted += n;
    }
}

std::string folded(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    foldText(s, &out, [](std::int64_t, std::size_t, std::size_t) { return true; });
    return out;
}

/// Strips whitespace, quote marks and ellipses around a quote.
std::string_view stripQuote(std::string_view q)
{
    for (bool changed = true; changed && !q.empty();) {
        changed = false;
        for (std::string_view edge : {" ", "\t", "\n", "\r", "\"", "'", "\u201C", "\u201D", "\u2018",
                                      "\u2019", "...", "\u2026", "\u00AB", "\u00BB"}) {
            if (q.starts_with(edge)) {
                q.remove_prefix(edge.size());
                changed = true;
            }
            if (q.ends_with(edge)) {
                q.remove_suffix(edge.size());
                changed = true;
            }
        }
    }
    return q;
}

struct Found
{
    QuoteMatch match = QuoteMatch::None;
    std::int64_t start = 0, end = 0;
};

/// One piece (no ellipsis inside), at or after code point `from`.
Found findPiece(std::string_view document, std::string &foldedDocument, std::string_view piece,
                std::int64_t from)
{
    const std::size_t fromByte = utf8::byteOffset(document, from);
    if (std::size_t at = document.find(piece, fromByte); at != std::string_view::npos) {
        const std::int64_t start = utf8::codePointCount(document.substr(0, at));
        return {QuoteMatch::Exact, start, start + utf8::codePointCount(piece)};
    }
    const std::string needle = folded(piece);
    if (needle.empty() || needle == " ")
        return {};
    if (foldedDocument.empty())
        foldedDocument = folded(document);
    // Search the folded text from the folded position of `from`, then map bytes back to code points.
    std::size_t foldedFrom = foldedDocument.size();
    foldText(document, nullptr, [&](std::int64_t index, std::size_t emitted, std::size_t) {
        if (index < from)
            return true;
        foldedFrom = emitted;
        return false;
    });
    const std::size_t at = foldedDocument.find(needle, foldedFrom);
    if (at == std::string::npos)
        return {};
    const std::size_t atEnd = at + needle.size();
    Found f{QuoteMatch::Normalised, -1, -1};
    foldText(document, nullptr, [&](std::int64_t index, std::size_t emitted, std::size_t n) {
        if (f.start < 0 && n > 0 && emitted >= at)
            f.start = index;
        if (n > 0 && emitted + n >= atEnd) {
            f.end = index + 1;
            return false;
        }
        return true;
    });
    if (f.start < 0 || f.end <= f.start)
        return {};
    return f;
}

} // namespace

std::string_view toString(QuoteMatch m)
{
    switch (m) {
    case QuoteMatch::None:
        return "none";
    case QuoteMatch::Exact:
        return "exact";
    case QuoteMatch::Normalised:
        return "normalised";
    }
    return {};
}

LocatedQuote locateQuote(std::string_view document, std::string_view quote)
{
    quote = stripQuote(quote);
    if (quote.empty() || utf8::firstInvalid(quote) || utf8::firstInvalid(document))
        return {};
    // Split at ellipses: "A ... B" is found as A, then B after it.
    std::vector<std::string_view> pieces;
    for (std::size_t from = 0;;) {
        std::size_t dots = quote.find("...", from), ellipsis = quote.find("\u2026", from);
        const std::size_t at = std::min(dots, ellipsis);
        std::string_view piece =
            stripQuote(quote.substr(from, at == std::string_view::npos ? std::string_view::npos : at - from));
        if (!piece.empty())
            pieces.push_back(piece);
        if (at == std::string_view::npos)
            break;
        from = at + (at == dots ? 3 : std::string_view("\u2026").size());
    }
    if (pieces.empty())
        return {};
    std::string foldedDocument; // made on first need: most quotes are verbatim
    // Cheap path first: the whole quote verbatim.
    if (pieces.size() == 1)
        if (std::size_t at = document.find(pieces[0]); at != std::string_view::npos) {
            const std::int64_t start = utf8::codePointCount(document.substr(0, at));
            return {QuoteMatch::Exact, start, start + utf8::codePointCount(pieces[0])};
        }
    LocatedQuote out;
    out.match = QuoteMatch::Exact;
    std::int64_t from = 0;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        const Found f = findPiece(document, foldedDocument, pieces[i], from);
        if (f.match == QuoteMatch::None)
            return {};
        if (f.match == QuoteMatch::Normalised || pieces.size() > 1)
            out.match = QuoteMatch::Normalised;
        if (i == 0)
            out.start = f.start;
        out.end = f.end;
        from = f.end;
    }
    return out;
}

} // namespace concord::model
