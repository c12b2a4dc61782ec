#pragma once
/// @file jsonschema.h
/// Internal to model/: a validator for the subset of JSON Schema the judge's reply schemas use
/// (type, properties, required, additionalProperties: false, items, enum, minLength/maxLength in
/// code points, minItems/maxItems, minimum). Unknown keywords are ignored. Includes nlohmann/json,
/// so only model/ sources include it.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace concord::model {

/// The first place where `value` breaks `schema`, as "$.path: message"; nullopt when it conforms.
std::optional<std::string> schemaViolation(const nlohmann::ordered_json &schema,
                                           const nlohmann::ordered_json &value);

} // namespace concord::model
