#pragma once
/// @file preferences.h
/// The user's settings, each key declared once with its type and default. Only ui/ and app/ touch
/// QSettings; the rest of the workspace asks Preferences.

#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace concord::ui {

/// A settings key with its value type and default.
template <typename T> struct SettingKey
{
    const char *key;
    T defaultValue;
};

namespace settings {
inline const SettingKey<QString> kAnnotatorId{"annotator/id", {}};
inline const SettingKey<QString> kAnnotatorName{"annotator/name", {}};
// The window has no tool bars or docks, so its geometry is all there is to keep (no window
// state); the two answers share their width equally, so only the three regions' splitter is kept.
inline const SettingKey<QByteArray> kWindowGeometry{"window/geometry", {}};
inline const SettingKey<QByteArray> kWorkspaceSplitter{"workspace/splitter", {}};
inline const SettingKey<bool> kCriteriaShown{"workspace/criteriaShown", false};
inline const SettingKey<bool> kReferenceShown{"workspace/referenceShown", false};
/// Review holds back the items the annotator has not finished (blind projects); a lead unticks it.
inline const SettingKey<bool> kReviewWithholdUnfinished{"review/withholdUnfinished", true};
/// Reading font size of the document and answers, in points.
inline const SettingKey<int> kReadingPointSize{"workspace/readingPointSize", 11};
inline const SettingKey<QStringList> kRecentProjects{"projects/recent", {}};
} // namespace settings

class Preferences final
{
public:
    /// `settings` must outlive this object.
    explicit Preferences(QSettings &settings) : m_settings(settings) {}
    Preferences(const Preferences &) = delete;
    Preferences &operator=(const Preferences &) = delete;

    template <typename T> T get(const SettingKey<T> &key) const
    {
        const QVariant v = m_settings.value(QLatin1String(key.key));
        return v.isValid() && v.canConvert<T>() ? v.value<T>() : key.defaultValue;
    }
    template <typename T> void set(const SettingKey<T> &key, const T &value)
    {
        m_settings.setValue(QLatin1String(key.key), QVariant::fromValue(value));
    }

    /// Puts `path` first in the recent projects (at most 8).
    void addRecentProject(const QString &path);
    void sync() { m_settings.sync(); }

private:
    QSettings &m_settings;
};

} // namespace concord::ui
