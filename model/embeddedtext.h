#pragma once
/// @file embeddedtext.h
/// Text files compiled into the binary by cmake/EmbedText.cmake.

#include <span>
#include <string_view>

namespace concord::model {

struct EmbeddedText
{
    std::string_view name; ///< the file name, e.g. "preference.v1.txt"
    std::string_view text;
};

} // namespace concord::model
