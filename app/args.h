#pragma once
/// @file args.h
/// What every subcommand's parser shares: "--" ends the options, so a project or file whose name
/// starts with '-' can still be named (`concord info -- -odd.concord`).

#include <algorithm>
#include <string>
#include <vector>

namespace concord::app {

/// The arguments before a "--" stay in `args`; those after it are returned, names all, and the
/// "--" itself is dropped. Without a "--", `args` is untouched and nothing is returned.
inline std::vector<std::string> takeNamesAfterDoubleDash(std::vector<std::string> &args)
{
    const auto dash = std::find(args.begin(), args.end(), std::string("--"));
    if (dash == args.end())
        return {};
    std::vector<std::string> names(dash + 1, args.end());
    args.erase(dash, args.end());
    return names;
}

} // namespace concord::app
