#pragma once
/// @file englishplurals.h
/// English plurals for the app's own texts: tr("%n item(s)", nullptr, n) gives "1 item" and
/// "61 items". Qt writes "(s)" in the source text and leaves the plural to a translation; with no
/// translation loaded it would show "61 item(s)". Installed first, so a real translation installed
/// later takes precedence.

#include <QTranslator>

namespace concord::ui {

class EnglishPlurals final : public QTranslator
{
public:
    using QTranslator::QTranslator;
    QString translate(const char *context, const char *sourceText, const char *disambiguation = nullptr,
                      int n = -1) const override;
    bool isEmpty() const override { return false; }
};

/// Installs one EnglishPlurals on the application (once; later calls do nothing).
void installEnglishPlurals();

} // namespace concord::ui
