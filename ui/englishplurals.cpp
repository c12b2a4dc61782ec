#include "englishplurals.h"

#include <QCoreApplication>

#include <cstring>

namespace concord::ui {

QString EnglishPlurals::translate(const char *, const char *sourceText, const char *, int n) const
{
    if (n < 0 || !sourceText || !std::strstr(sourceText, "(s)"))
        return {}; // not a plural: the source text as it is
    return QString::fromUtf8(sourceText)
        .replace(QStringLiteral("(s)"), n == 1 ? QString() : QStringLiteral("s"));
}

void installEnglishPlurals()
{
    static EnglishPlurals *installed = nullptr;
    if (installed || !QCoreApplication::instance())
        return;
    installed = new EnglishPlurals(QCoreApplication::instance());
    QCoreApplication::installTranslator(installed);
}

} // namespace concord::ui
