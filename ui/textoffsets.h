#pragma once
/// @file textoffsets.h
/// Evidence offsets count Unicode code points (docs/format.md); QString and QTextDocument count
/// UTF-16 units, which differ after every character outside the Basic Multilingual Plane (😀 is
/// one code point, two UTF-16 units). CodePointMap converts between the two in O(log n).

#include <QString>

#include <cstdint>
#include <vector>

namespace concord::ui {

class CodePointMap
{
public:
    CodePointMap() = default;
    explicit CodePointMap(const QString &text);

    /// The code-point offset of UTF-16 offset `utf16`; an offset inside a surrogate pair counts
    /// as after it.
    std::int64_t toCodePoint(int utf16) const;
    /// The UTF-16 offset of code-point offset `codePoint` (clamped to the text).
    int toUtf16(std::int64_t codePoint) const;
    std::int64_t codePointLength() const { return m_codePoints; }
    int utf16Length() const { return m_utf16; }

private:
    std::vector<int> m_pairEnds;        ///< UTF-16 offset of each surrogate pair's low half
    std::vector<std::int64_t> m_pairAt; ///< code-point offset of each surrogate pair
    int m_utf16 = 0;
    std::int64_t m_codePoints = 0;
};

/// The text as the document view holds it, with exactly one QTextDocument position per UTF-16
/// unit: QTextDocument turns "\r\n" into a single paragraph break, so each "\r\n" becomes " \n"
/// (an invisible trailing space) and offsets stay aligned with the stored text.
QString displayText(QString text);

} // namespace concord::ui
