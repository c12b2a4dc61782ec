#pragma once
/// @file cli.h
/// The headless `concord` subcommands. main() calls runCli() first; when it returns
/// std::nullopt the arguments asked for the GUI.

#include <optional>
#include <string>
#include <vector>

namespace concord::app {

/// Runs a subcommand and returns its exit code: 0 success, 1 failure, 2 bad input or usage.
std::optional<int> runCli(const std::vector<std::string> &args);

/// The top-level usage text (also the source of the man page).
std::string usage();

} // namespace concord::app
