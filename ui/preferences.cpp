#include "preferences.h"

namespace concord::ui {

void Preferences::addRecentProject(const QString &path)
{
    constexpr int kMaxRecent = 8;
    QStringList recent = get(settings::kRecentProjects);
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    set(settings::kRecentProjects, recent);
}

} // namespace concord::ui
