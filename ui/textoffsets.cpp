#include "textoffsets.h"

#include <algorithm>

namespace concord::ui {

CodePointMap::CodePointMap(const QString &text) : m_utf16(int(text.size()))
{
    const QChar *data = text.constData();
    for (int i = 0; i + 1 < m_utf16; ++i) {
        if (data[i].isHighSurrogate() && data[i + 1].isLowSurrogate()) {
            m_pairAt.push_back(i - std::int64_t(m_pairEnds.size()));
            m_pairEnds.push_back(i + 1);
            ++i;
        }
    }
    m_codePoints = m_utf16 - std::int64_t(m_pairEnds.size());
}

std::int64_t CodePointMap::toCodePoint(int utf16) const
{
    utf16 = std::clamp(utf16, 0, m_utf16);
    // Pairs whose low half lies before `utf16` each took one unit more than one code point.
    const auto before = std::lower_bound(m_pairEnds.begin(), m_pairEnds.end(), utf16) - m_pairEnds.begin();
    return utf16 - std::int64_t(before);
}

int CodePointMap::toUtf16(std::int64_t codePoint) const
{
    codePoint = std::clamp<std::int64_t>(codePoint, 0, m_codePoints);
    const auto before = std::lower_bound(m_pairAt.begin(), m_pairAt.end(), codePoint) - m_pairAt.begin();
    return int(codePoint + before);
}

QString displayText(QString text)
{
    const qsizetype n = text.size();
    QChar *data = nullptr;
    for (qsizetype i = 0; i + 1 < n; ++i) {
        if (text.at(i) == u'\r' && text.at(i + 1) == u'\n') {
            if (!data)
                data = text.data(); // detaches only when there is something to change
            data[i] = u' ';
        }
    }
    return text;
}

} // namespace concord::ui
