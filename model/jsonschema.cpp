#include "jsonschema.h"

#include "utf8.h"

#include <cmath>

namespace concord::model {

namespace {

using json = nlohmann::ordered_json;

std::string typeOf(const json &v)
{
    switch (v.type()) {
    case json::value_t::object:
        return "an object";
    case json::value_t::array:
        return "an array";
    case json::value_t::string:
        return "a string";
    case json::value_t::boolean:
        return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
        return "an integer";
    case json::value_t::number_float:
        return "a number";
    case json::value_t::null:
        return "null";
    default:
        return "an unknown value";
    }
}

bool hasType(const json &v, const std::string &type)
{
    if (type == "object")
        return v.is_object();
    if (type == "array")
        return v.is_array();
    if (type == "string")
        return v.is_string();
    if (type == "boolean")
        return v.is_boolean();
    if (type == "integer")
        return v.is_number_integer() || (v.is_number_float() && std::fabs(v.get<double>()) < 9e15 &&
                                         std::floor(v.get<double>()) == v.get<double>());
    if (type == "number")
        return v.is_number();
    if (type == "null")
        return v.is_null();
    return true;
}

std::string shortText(const json &v)
{
    std::string s = v.dump();
    if (s.size() > 60)
        s = s.substr(0, 57) + "...";
    return s;
}

std::optional<std::string> check(const json &schema, const json &value, const std::string &path)
{
    if (!schema.is_object())
        return std::nullopt;
    if (auto t = schema.find("type");
        t != schema.end() && t->is_string() && !hasType(value, t->get<std::string>()))
        return path + ": expected " +
               (t->get<std::string>() == "integer" ? "an integer" : "a " + t->get<std::string>()) + ", got " +
               typeOf(value);
    if (auto e = schema.find("enum"); e != schema.end() && e->is_array()) {
        bool found = false;
        for (const json &allowed : *e)
            found = found || allowed == value;
        if (!found) {
            std::string list;
            for (const json &allowed : *e)
                list += (list.empty() ? "" : ", ") + allowed.dump();
            return path + ": " + shortText(value) + " is not one of " + list;
        }
    }
    if (value.is_string()) {
        const std::string &s = value.get_ref<const std::string &>();
        const auto length =
            utf8::firstInvalid(s) ? static_cast<std::int64_t>(s.size()) : utf8::codePointCount(s);
        if (auto m = schema.find("maxLength");
            m != schema.end() && m->is_number() && length > m->get<std::int64_t>())
            return path + ": " + std::to_string(length) + " characters, more than the " +
                   std::to_string(m->get<std::int64_t>()) + " allowed";
        if (auto m = schema.find("minLength");
            m != schema.end() && m->is_number() && length < m->get<std::int64_t>())
            return path + ": shorter than " + std::to_string(m->get<std::int64_t>()) + " characters";
    }
    if (value.is_number())
        if (auto m = schema.find("minimum");
            m != schema.end() && m->is_number() && value.get<double>() < m->get<double>())
            return path + ": " + value.dump() + " is below the minimum " + m->dump();
    if (value.is_array()) {
        const auto n = static_cast<std::int64_t>(value.size());
        if (auto m = schema.find("maxItems");
            m != schema.end() && m->is_number() && n > m->get<std::int64_t>())
            return path + ": " + std::to_string(n) + " items, more than the " +
                   std::to_string(m->get<std::int64_t>()) + " allowed";
        if (auto m = schema.find("minItems");
            m != schema.end() && m->is_number() && n < m->get<std::int64_t>())
            return path + ": " + std::to_string(n) + " items, fewer than the " +
                   std::to_string(m->get<std::int64_t>()) + " required";
        if (auto items = schema.find("items"); items != schema.end())
            for (std::size_t i = 0; i < value.size(); ++i)
                if (auto problem = check(*items, value[i], path + "[" + std::to_string(i) + "]"))
                    return problem;
    }
    if (value.is_object()) {
        const auto properties = schema.find("properties");
        if (auto required = schema.find("required"); required != schema.end() && required->is_array())
            for (const json &name : *required)
                if (name.is_string() && !value.contains(name.get<std::string>()))
                    return path + ": the field \"" + name.get<std::string>() + "\" is missing";
        const auto additional = schema.find("additionalProperties");
        const bool closed =
            additional != schema.end() && additional->is_boolean() && !additional->get<bool>();
        for (auto it = value.begin(); it != value.end(); ++it) {
            const bool declared =
                properties != schema.end() && properties->is_object() && properties->contains(it.key());
            if (!declared) {
                if (closed)
                    return path + ": unexpected field \"" + it.key() + "\"";
                continue;
            }
            if (auto problem = check((*properties)[it.key()], it.value(), path + "." + it.key()))
                return problem;
        }
    }
    return std::nullopt;
}

} // namespace

std::optional<std::string> schemaViolation(const nlohmann::ordered_json &schema,
                                           const nlohmann::ordered_json &value)
{
    return check(schema, value, "$");
}

} // namespace concord::model
