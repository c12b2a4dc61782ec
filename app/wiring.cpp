#include "wiring.h"

#include "labelquery.h"
#include "project.h"

namespace concord::app {

ui::WorkspaceServices workspaceServices(storage::SqliteOpener &opener)
{
    ui::WorkspaceServices services;
    services.opener = &opener;
    services.readLabels = [](const std::string &path) -> model::Result<model::LabelSet> {
        auto project = storage::Project::open(path);
        if (!project)
            return project.error();
        return storage::readCurrentLabels(**project);
    };
    return services;
}

} // namespace concord::app
