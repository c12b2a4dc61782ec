#pragma once
/// @file wiring.h
/// How the app and its screenshot command connect the workspace to the project file: one place,
/// so the picture shows exactly what users get.

#include "mainwindow.h"
#include "sqliteconnection.h"

namespace concord::app {

/// The services the main window needs, over `opener` (which must outlive them).
ui::WorkspaceServices workspaceServices(storage::SqliteOpener &opener);

} // namespace concord::app
