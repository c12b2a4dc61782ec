#include "jsonl.h"

#include "sha256.h"
#include "utf8.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <initializer_list>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace concord::model {

using nlohmann::json;

std::string Diagnostic::toString() const
{
    std::string out = file;
    if (line > 0)
        out += ":" + std::to_string(line);
    out += ": ";
    if (!field.empty())
        out += field + ": ";
    out += message;
    return out;
}

namespace {

std::string typeName(const json &v)
{
    switch (v.type()) {
    case json::value_t::null:
        return "null";
    case json::value_t::boolean:
        return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
        return "a number";
    case json::value_t::string:
        return "a string";
    case json::value_t::array:
        return "an array";
    case json::value_t::object:
        return "an object";
    default:
        return "an unsupported value";
    }
}

/// Messages quote at most this many bytes of a value the user gave.
constexpr std::size_t kExcerptBytes = 60;

/// `text` cut to kExcerptBytes (at a character boundary, marked "…"), as a JSON string.
std::string excerpt(std::string_view text)
{
    const std::string_view head = utf8::prefix(text, kExcerptBytes);
    return json(head.size() == text.size() ? std::string(text) : std::string(head) + "…").dump();
}

/// A value as a message shows it: scalars as written (strings cut by excerpt()), arrays and
/// objects by their type, so that no message echoes a whole value (dump() of a deeply nested
/// one also recurses once per level).
std::string shown(const json &v)
{
    if (v.is_string())
        return excerpt(v.get_ref<const std::string &>());
    if (v.is_primitive())
        return v.dump();
    return typeName(v);
}

/// A key as the field part of a message names it; an empty key is shown as "".
std::string fieldName(std::string_view key) { return key.empty() ? std::string("\"\"") : std::string(key); }

/// When `line` nests arrays and objects deeper than kMaxNesting, the field where it does: the path
/// the readers would name (`evidence[0].start`, at most three levels deep), `meta` and `config` as
/// a whole, or "line" when the line itself is an array. One pass over the bytes, strings skipped,
/// for the checked path (the fast path gives up beyond 64 levels). Checked before json::parse:
/// its parser does not recurse, but dump() and comparisons recurse once per level, and some
/// 58,000 levels overflow the stack.
std::optional<std::string> nestedTooDeep(std::string_view line)
{
    struct Level
    {
        bool array = false;
        std::size_t index = 0; ///< of the current element, in an array
        std::string_view key;  ///< of the current member, in an object, as written
    };
    std::vector<Level> levels;
    std::string_view lastString;
    for (std::size_t i = 0; i < line.size(); ++i) {
        switch (line[i]) {
        case '"': {
            const std::size_t start = ++i;
            while (i < line.size() && line[i] != '"')
                i += line[i] == '\\' ? 2 : 1;
            lastString = line.substr(start, std::min(i, line.size()) - start);
            break;
        }
        case ':':
            if (!levels.empty() && !levels.back().array)
                levels.back().key = lastString;
            break;
        case ',':
            if (!levels.empty() && levels.back().array)
                ++levels.back().index;
            break;
        case '[':
        case '{':
            if (levels.size() == kMaxNesting) {
                if (levels.front().array)
                    return "line";
                std::string path = fieldName(levels.front().key);
                if (path == "meta" || path == "config")
                    return path;
                for (std::size_t k = 1; k < levels.size() && k <= 3; ++k) {
                    if (!levels[k].array)
                        path += "." + fieldName(levels[k].key);
                    else if (k + 1 < levels.size() && !levels[k + 1].array)
                        path += "[" + std::to_string(levels[k].index) + "]";
                    else
                        break;
                }
                return path;
            }
            levels.push_back({line[i] == '[', 0, {}});
            break;
        case ']':
        case '}':
            if (!levels.empty())
                levels.pop_back();
            break;
        default:
            break;
        }
    }
    return std::nullopt;
}

/// "33,554,432 bytes".
std::string groupedBytes(std::size_t n)
{
    const std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return out + " bytes";
}

std::string joinFields(std::initializer_list<std::string_view> names)
{
    std::string out;
    for (std::string_view n : names) {
        if (!out.empty())
            out += ", ";
        out += n;
    }
    return out;
}

/// Shape of an ISO 8601 timestamp: YYYY-MM-DDTHH:MM:SS, optional fraction, then Z or ±HH:MM.
bool isIsoTimestamp(std::string_view s)
{
    auto digits = [&](std::size_t at, std::size_t n) {
        if (at + n > s.size())
            return false;
        for (std::size_t i = at; i < at + n; ++i)
            if (s[i] < '0' || s[i] > '9')
                return false;
        return true;
    };
    if (!(digits(0, 4) && s.size() > 19 && s[4] == '-' && digits(5, 2) && s[7] == '-' && digits(8, 2) &&
          s[10] == 'T' && digits(11, 2) && s[13] == ':' && digits(14, 2) && s[16] == ':' && digits(17, 2)))
        return false;
    std::size_t at = 19;
    if (s[at] == '.') {
        const std::size_t start = ++at;
        while (at < s.size() && s[at] >= '0' && s[at] <= '9')
            ++at;
        if (at == start || at - start > 9)
            return false;
    }
    const std::string_view zone = s.substr(at);
    return zone == "Z" || (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && digits(at + 1, 2) &&
                           zone[3] == ':' && digits(at + 4, 2));
}

/// Reads the fields of one line, reporting each problem once with its field path.
class LineReader
{
public:
    LineReader(std::string_view file, std::int64_t line, const json &object, std::vector<Diagnostic> &out)
        : m_file(file), m_line(line), m_object(object), m_out(out)
    {
    }

    void error(std::string field, std::string message)
    {
        m_failed = true;
        if (m_out.size() < kMaxDiagnostics)
            m_out.push_back({std::string(m_file), m_line, std::move(field), std::move(message)});
    }
    bool failed() const { return m_failed; }

    void allowOnly(std::initializer_list<std::string_view> names)
    {
        for (const auto &[key, value] : m_object.items()) {
            if (std::find(names.begin(), names.end(), key) == names.end())
                error(fieldName(key),
                      "unknown field for kind " + excerpt(m_object.value("kind", std::string())) +
                          " (allowed: " + joinFields(names) + "; put extra data in \"meta\")");
        }
    }

    const json *find(const json &obj, const char *key) { return findIn(obj, key); }

    std::optional<std::string> string(const json &obj, const std::string &path, const char *key,
                                      bool required, bool nonEmpty = true)
    {
        const json *v = findIn(obj, key);
        if (!v) {
            if (required)
                error(path + key, "missing (required)");
            return std::nullopt;
        }
        if (!v->is_string()) {
            error(path + key, "expected a string, found " + typeName(*v));
            return std::nullopt;
        }
        if (nonEmpty && v->get_ref<const std::string &>().empty()) {
            error(path + key, "must not be empty");
            return std::nullopt;
        }
        return v->get<std::string>();
    }

    std::optional<std::string> metaObject(const json &obj, const char *key)
    {
        const json *v = findIn(obj, key);
        if (!v)
            return std::nullopt;
        if (!v->is_object()) {
            error(key, "expected an object, found " + typeName(*v));
            return std::nullopt;
        }
        return v->dump();
    }

    std::string_view file() const { return m_file; }
    std::int64_t line() const { return m_line; }
    const json &object() const { return m_object; }

private:
    static const json *findIn(const json &obj, const char *key)
    {
        auto it = obj.find(key);
        return it == obj.end() ? nullptr : &*it;
    }

    std::string_view m_file;
    std::int64_t m_line;
    const json &m_object;
    std::vector<Diagnostic> &m_out;
    bool m_failed = false;
};

std::optional<Rater> readRater(LineReader &r)
{
    r.allowOnly({"kind", "id", "rater_kind", "name", "config"});
    const json &o = r.object();
    Rater rater;
    auto id = r.string(o, "", "id", true);
    auto kind = r.string(o, "", "rater_kind", true);
    if (kind) {
        if (auto k = parseRaterKind(*kind))
            rater.kind = *k;
        else
            r.error("rater_kind", "unknown value " + excerpt(*kind) + " (allowed: human, judge, gold)");
    }
    rater.name = r.string(o, "", "name", false);
    rater.configJson = r.metaObject(o, "config");
    if (r.failed() || !id)
        return std::nullopt;
    rater.id = *id;
    return rater;
}

std::optional<Document> readDocument(LineReader &r)
{
    r.allowOnly({"kind", "id", "title", "text", "meta"});
    const json &o = r.object();
    Document doc;
    auto id = r.string(o, "", "id", true);
    doc.title = r.string(o, "", "title", false, false);
    auto text = r.string(o, "", "text", true);
    if (text && text->size() > kMaxDocumentBytes) {
        char size[64];
        std::snprintf(size, sizeof size, "%.1f MB", double(text->size()) / 1e6);
        char limit[64];
        std::snprintf(limit, sizeof limit, "%.1f MB", double(kMaxDocumentBytes) / 1e6);
        // Just over the limit both round alike; "33.6 MB; the limit is 33.6 MB" would explain nothing.
        const bool exact = std::string_view(size) == limit;
        r.error("text", "document is " + (exact ? groupedBytes(text->size()) : std::string(size)) +
                            "; the limit is " +
                            (exact ? groupedBytes(kMaxDocumentBytes) : std::string(limit)) + " (" +
                            std::to_string(kMaxDocumentBytes / (1024 * 1024)) +
                            " MiB) (split it into several documents)");
    }
    doc.metaJson = r.metaObject(o, "meta");
    if (r.failed() || !id || !text)
        return std::nullopt;
    doc.id = std::move(*id);
    doc.text = std::move(*text);
    return doc;
}

std::optional<Item> readItem(LineReader &r)
{
    r.allowOnly({"kind", "id", "document", "question", "question_type", "answerable", "evidence_position",
                 "reference_answer", "answers", "meta"});
    const json &o = r.object();
    Item item;
    auto id = r.string(o, "", "id", true);
    auto document = r.string(o, "", "document", true);
    auto question = r.string(o, "", "question", true);
    auto type = r.string(o, "", "question_type", true);
    if (type) {
        if (auto t = parseQuestionType(*type))
            item.type = *t;
        else
            r.error("question_type",
                    "unknown value " + excerpt(*type) + " (allowed: " + allowedQuestionTypes() + ")");
    }
    item.answerable = item.type != QuestionType::NoInfo;
    if (const json *v = r.find(o, "answerable")) {
        if (v->is_boolean())
            item.answerable = v->get<bool>();
        else
            r.error("answerable", "expected true or false, found " + typeName(*v));
    }
    if (const json *v = r.find(o, "evidence_position")) {
        if (!v->is_number())
            r.error("evidence_position", "expected a number in [0,1], found " + typeName(*v));
        else if (double p = v->get<double>(); !(p >= 0.0 && p <= 1.0))
            r.error("evidence_position", "must be in [0,1], found " + shown(*v));
        else
            item.evidencePosition = p;
    }
    item.referenceAnswer = r.string(o, "", "reference_answer", false, false);
    item.metaJson = r.metaObject(o, "meta");
    if (const json *answers = r.find(o, "answers"); !answers) {
        r.error("answers", "missing (required): an object with answers \"A\" and \"B\"");
    } else if (!answers->is_object()) {
        r.error("answers", "expected an object with answers \"A\" and \"B\", found " + typeName(*answers));
    } else {
        for (const auto &[key, value] : answers->items())
            if (key != "A" && key != "B")
                r.error("answers." + fieldName(key), "unknown answer slot (allowed: A, B)");
        for (Slot slot : kSlots) {
            const std::string name(toString(slot));
            const json *a = r.find(*answers, name.c_str());
            const std::string path = "answers." + name;
            if (!a) {
                r.error(path, "missing (required): every item has answers A and B");
                continue;
            }
            if (!a->is_object()) {
                r.error(path, "expected an object {\"system\":…,\"text\":…}, found " + typeName(*a));
                continue;
            }
            for (const auto &[key, value] : a->items())
                if (key != "system" && key != "text")
                    r.error(path + "." + fieldName(key), "unknown field (allowed: system, text)");
            auto system = r.string(*a, path + ".", "system", true);
            auto text = r.string(*a, path + ".", "text", true, false);
            Answer &answer = item.answers[static_cast<std::size_t>(slot)];
            if (system)
                answer.system = std::move(*system);
            if (text)
                answer.text = std::move(*text);
        }
    }
    if (r.failed() || !id || !document || !question)
        return std::nullopt;
    item.id = std::move(*id);
    item.documentId = std::move(*document);
    item.question = std::move(*question);
    return item;
}

std::optional<LabelRevision> readLabel(LineReader &r, bool &kindGiven)
{
    r.allowOnly({"kind", "item", "rater", "rater_kind", "preference", "criteria", "faithful", "no_info",
                 "evidence", "note", "created_at", "time_spent_s", "shown"});
    const json &o = r.object();
    LabelRevision label;
    auto item = r.string(o, "", "item", true);
    auto rater = r.string(o, "", "rater", true);
    kindGiven = false;
    if (auto kind = r.string(o, "", "rater_kind", false)) {
        if (auto k = parseRaterKind(*kind)) {
            label.raterKind = *k;
            kindGiven = true;
        } else {
            r.error("rater_kind", "unknown value " + excerpt(*kind) + " (allowed: human, judge, gold)");
        }
    }
    // null withdraws the rater's current value of the facet (an undone verdict in the workspace).
    auto choiceFacet = [&](const json &v, const std::string &path, Facet facet) {
        if (v.is_null()) {
            label.values.push_back({facet, std::nullopt, std::string()});
            return;
        }
        if (!v.is_string()) {
            r.error(path, "expected \"A\", \"B\" or \"tie\", found " + typeName(v));
            return;
        }
        if (!parseChoice(v.get<std::string>())) {
            r.error(path,
                    "unknown value " + excerpt(v.get_ref<const std::string &>()) + " (allowed: A, B, tie)");
            return;
        }
        label.values.push_back({facet, std::nullopt, v.get<std::string>()});
    };
    if (const json *v = r.find(o, "preference"))
        choiceFacet(*v, "preference", Facet::Preference);
    if (const json *criteria = r.find(o, "criteria")) {
        if (!criteria->is_object()) {
            r.error("criteria",
                    "expected an object such as {\"relevance\":\"A\"}, found " + typeName(*criteria));
        } else {
            for (const auto &[key, value] : criteria->items()) {
                auto facet = parseFacet("criteria." + key);
                if (!facet || !isCriterion(*facet))
                    r.error("criteria." + fieldName(key),
                            "unknown criterion (allowed: relevance, comprehensiveness, conciseness)");
                else
                    choiceFacet(value, "criteria." + fieldName(key), *facet);
            }
            if (criteria->empty())
                r.error("criteria", "must name at least one criterion");
        }
    }
    auto perAnswer = [&](const char *name, Facet facet, auto &&convert) {
        const json *obj = r.find(o, name);
        if (!obj)
            return;
        if (!obj->is_object() || obj->empty()) {
            r.error(name, std::string("expected an object with answers \"A\" and/or \"B\", found ") +
                              (obj->is_object() ? "an empty object" : typeName(*obj)));
            return;
        }
        for (const auto &[key, value] : obj->items()) {
            const std::string path = std::string(name) + "." + fieldName(key);
            auto slot = parseSlot(key);
            if (!slot) {
                r.error(path, "unknown answer slot (allowed: A, B)");
                continue;
            }
            if (value.is_null())
                label.values.push_back({facet, slot, std::string()});
            else if (auto stored = convert(value, path))
                label.values.push_back({facet, slot, std::move(*stored)});
        }
    };
    perAnswer("faithful", Facet::Faithful,
              [&](const json &v, const std::string &path) -> std::optional<std::string> {
                  if (!v.is_boolean()) {
                      r.error(path, "expected true (faithful) or false (unfaithful), found " + typeName(v));
                      return std::nullopt;
                  }
                  return std::string(v.get<bool>() ? kFaithful : kUnfaithful);
              });
    perAnswer("no_info", Facet::NoInfo,
              [&](const json &v, const std::string &path) -> std::optional<std::string> {
                  if (!v.is_string()) {
                      r.error(path, "expected one of " + allowedOutcomes() + ", found " + typeName(v));
                      return std::nullopt;
                  }
                  if (!parseOutcome(v.get<std::string>())) {
                      r.error(path, "unknown value " + excerpt(v.get_ref<const std::string &>()) +
                                        " (allowed: " + allowedOutcomes() + ")");
                      return std::nullopt;
                  }
                  return v.get<std::string>();
              });
    if (const json *evidence = r.find(o, "evidence")) {
        if (!evidence->is_array()) {
            r.error("evidence",
                    "expected an array of {\"answer\",\"start\",\"end\"}, found " + typeName(*evidence));
        } else {
            std::vector<EvidenceSpan> spans;
            for (std::size_t i = 0; i < evidence->size(); ++i) {
                const json &e = (*evidence)[i];
                const std::string path = "evidence[" + std::to_string(i) + "]";
                if (!e.is_object()) {
                    r.error(path, "expected an object {\"answer\",\"start\",\"end\"}, found " + typeName(e));
                    continue;
                }
                for (const auto &[key, value] : e.items())
                    if (key != "answer" && key != "start" && key != "end" && key != "note")
                        r.error(path + "." + fieldName(key),
                                "unknown field (allowed: answer, start, end, note)");
                EvidenceSpan span;
                bool ok = true;
                if (auto a = r.string(e, path + ".", "answer", true)) {
                    if (auto s = parseSlot(*a))
                        span.answer = *s;
                    else {
                        r.error(path + ".answer", "unknown answer slot " + excerpt(*a) + " (allowed: A, B)");
                        ok = false;
                    }
                } else {
                    ok = false;
                }
                for (auto [key, target] : {std::pair{"start", &span.start}, std::pair{"end", &span.end}}) {
                    const json *v = r.find(e, key);
                    if (!v) {
                        r.error(path + "." + key,
                                "missing (required): a code-point offset into the document");
                        ok = false;
                    } else if (!v->is_number_integer() || v->get<std::int64_t>() < 0) {
                        r.error(path + "." + key, "expected a whole number ≥ 0, found " + shown(*v));
                        ok = false;
                    } else {
                        *target = v->get<std::int64_t>();
                    }
                }
                if (ok && span.start >= span.end) {
                    r.error(path + ".end", "must be greater than start (" + std::to_string(span.start) +
                                               "), found " + std::to_string(span.end));
                    ok = false;
                }
                span.note = r.string(e, path + ".", "note", false, false);
                if (ok)
                    spans.push_back(std::move(span));
            }
            label.evidence = std::move(spans);
        }
    }
    label.note = r.string(o, "", "note", false, false);
    if (auto created = r.string(o, "", "created_at", false)) {
        if (isIsoTimestamp(*created))
            label.createdAt = *created;
        else
            r.error("created_at", "expected an ISO 8601 timestamp such as \"2026-11-28T10:00:00Z\", found " +
                                      excerpt(*created));
    }
    if (const json *v = r.find(o, "time_spent_s")) {
        if (!v->is_number() || !(v->get<double>() >= 0.0) || !std::isfinite(v->get<double>()))
            r.error("time_spent_s", "expected a number of seconds ≥ 0, found " + shown(*v));
        else
            label.timeSpentS = v->get<double>();
    }
    if (auto shown = r.string(o, "", "shown", false)) {
        if (*shown == "AB" || *shown == "BA")
            label.shownOrder = *shown;
        else
            r.error("shown", "expected \"AB\" or \"BA\" (the left-to-right order on screen), found " +
                                 excerpt(*shown));
    }
    if (!r.failed() && label.values.empty() && !label.evidence && !label.note)
        r.error("label", "carries nothing: give at least one of preference, criteria, faithful, no_info, "
                         "evidence, note");
    if (r.failed() || !item || !rater)
        return std::nullopt;
    label.itemId = std::move(*item);
    label.raterId = std::move(*rater);
    return label;
}

// ---------------------------------------------------------------------------------------------
// The fast path. Reading a line through nlohmann's DOM and the checked readers above costs about
// ten times what the bytes need: every value becomes a node, every key a map entry. Most lines
// are well formed, so each line is first read by a strict scanner straight into the record; it
// accepts only what json::parse and the readers above would accept without a diagnostic, and on
// anything else (a problem, or merely something unusual such as a duplicate key, a -0, a number of
// more than 18 digits) it gives up, and the line is read again by the checked path, which words
// the diagnostics. Either way a line gives the same record (tests/model/jsonlpaths_test.cpp).

namespace fast {

/// Position of the first '"', '\\' or control character in [p, end), or end.
const char *plainRun(const char *p, const char *end)
{
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), control = _mm_set1_epi8(0x1f);
    while (end - p >= 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        const __m128i special =
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                         _mm_cmpeq_epi8(_mm_min_epu8(v, control), v));
        if (const int mask = _mm_movemask_epi8(special))
            return p + __builtin_ctz(static_cast<unsigned>(mask));
        p += 16;
    }
#endif
    while (p < end && *p != '"' && *p != '\\' && static_cast<unsigned char>(*p) >= 0x20)
        ++p;
    return p;
}

void appendUtf8(std::string &out, std::uint32_t cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

/// Strict JSON (RFC 8259) over one line already checked for valid UTF-8 and NUL bytes.
class Scanner
{
public:
    explicit Scanner(std::string_view s) : m_p(s.data()), m_end(s.data() + s.size()) {}

    void ws()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\t' || *m_p == '\n' || *m_p == '\r'))
            ++m_p;
    }
    bool eat(char c)
    {
        ws();
        if (m_p < m_end && *m_p == c) {
            ++m_p;
            return true;
        }
        return false;
    }
    bool peek(char c)
    {
        ws();
        return m_p < m_end && *m_p == c;
    }
    bool atEnd()
    {
        ws();
        return m_p == m_end;
    }
    const char *position() const { return m_p; }

    bool string(std::string &out)
    {
        if (!eat('"'))
            return false;
        out.clear();
        for (;;) {
            const char *run = m_p;
            m_p = plainRun(m_p, m_end);
            out.append(run, static_cast<std::size_t>(m_p - run));
            if (m_p >= m_end)
                return false;
            const char c = *m_p++;
            if (c == '"')
                return true;
            if (c != '\\' || m_p >= m_end)
                return false; // a control character, or a line that ends inside an escape
            switch (*m_p++) {
            case '"':
                out += '"';
                break;
            case '\\':
                out += '\\';
                break;
            case '/':
                out += '/';
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            case 't':
                out += '\t';
                break;
            case 'u': {
                std::uint32_t cp = 0;
                if (!hex4(cp))
                    return false;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    std::uint32_t low = 0;
                    if (m_end - m_p < 6 || m_p[0] != '\\' || m_p[1] != 'u')
                        return false;
                    m_p += 2;
                    if (!hex4(low) || low < 0xDC00 || low > 0xDFFF)
                        return false;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    return false;
                }
                appendUtf8(out, cp);
                break;
            }
            default:
                return false;
            }
        }
    }

    /// A JSON number's text; `integral` when it has neither fraction nor exponent.
    bool number(std::string_view &text, bool &integral)
    {
        ws();
        const char *start = m_p;
        auto digit = [&] { return m_p < m_end && *m_p >= '0' && *m_p <= '9'; };
        if (m_p < m_end && *m_p == '-')
            ++m_p;
        if (!digit())
            return false;
        if (*m_p++ != '0')
            while (digit())
                ++m_p;
        integral = true;
        if (m_p < m_end && *m_p == '.') {
            integral = false;
            ++m_p;
            if (!digit())
                return false;
            while (digit())
                ++m_p;
        }
        if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
            integral = false;
            ++m_p;
            if (m_p < m_end && (*m_p == '+' || *m_p == '-'))
                ++m_p;
            if (!digit())
                return false;
            while (digit())
                ++m_p;
        }
        text = std::string_view(start, static_cast<std::size_t>(m_p - start));
        return true;
    }

    /// A number as json::get<double>() gives it. Gives up on a sign (nlohmann reads "-0" as the
    /// integer 0, std::from_chars as -0.0), on long integers and on values out of range.
    bool real(double &out)
    {
        std::string_view text;
        bool integral = false;
        if (!number(text, integral) || text[0] == '-' || (integral && text.size() > 18))
            return false;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
        return ec == std::errc() && end == text.data() + text.size();
    }

    /// A whole number ≥ 0 without fraction or exponent, as json::get<std::int64_t>() gives it.
    bool whole(std::int64_t &out)
    {
        std::string_view text;
        bool integral = false;
        if (!number(text, integral) || !integral || text[0] == '-' || text.size() > 18)
            return false;
        out = 0;
        for (char c : text)
            out = out * 10 + (c - '0');
        return true;
    }

    bool literal(std::string_view word)
    {
        ws();
        if (static_cast<std::size_t>(m_end - m_p) < word.size() || std::string_view(m_p, word.size()) != word)
            return false;
        m_p += word.size();
        return true;
    }
    bool boolean(bool &out)
    {
        ws();
        if (literal("true"))
            out = true;
        else if (literal("false"))
            out = false;
        else
            return false;
        return true;
    }

    /// Any JSON value, checked but not kept.
    bool skipValue(int depth = 0)
    {
        ws();
        if (m_p >= m_end || depth > 64)
            return false;
        switch (*m_p) {
        case '"':
            return string(m_scratch);
        case '{':
            ++m_p;
            if (eat('}'))
                return true;
            do {
                if (!string(m_scratch) || !eat(':') || !skipValue(depth + 1))
                    return false;
            } while (eat(','));
            return eat('}');
        case '[':
            ++m_p;
            if (eat(']'))
                return true;
            do {
                if (!skipValue(depth + 1))
                    return false;
            } while (eat(','));
            return eat(']');
        case 't':
            return literal("true");
        case 'f':
            return literal("false");
        case 'n':
            return literal("null");
        default: {
            std::string_view text;
            bool integral = false;
            return number(text, integral);
        }
        }
    }

    /// An object given as `meta` or `config`, in the canonical form json::dump() gives it.
    bool canonicalObject(std::optional<std::string> &out)
    {
        ws();
        const char *start = m_p;
        if (!peek('{') || !skipValue())
            return false;
        try {
            out = json::parse(std::string_view(start, static_cast<std::size_t>(m_p - start))).dump();
            return true;
        } catch (const json::exception &) {
            return false;
        }
    }

    /// Calls `member(key)` for each member of an object; `member` reads the value.
    template <typename F> bool object(F &&member)
    {
        if (!eat('{'))
            return false;
        if (eat('}'))
            return true;
        std::string key;
        do {
            if (!string(key) || !eat(':') || !member(key))
                return false;
        } while (eat(','));
        return eat('}');
    }

private:
    bool hex4(std::uint32_t &out)
    {
        if (m_end - m_p < 4)
            return false;
        out = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = *m_p++;
            out <<= 4;
            if (c >= '0' && c <= '9')
                out |= std::uint32_t(c - '0');
            else if (c >= 'a' && c <= 'f')
                out |= std::uint32_t(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                out |= std::uint32_t(c - 'A' + 10);
            else
                return false;
        }
        return true;
    }

    const char *m_p;
    const char *m_end;
    std::string m_scratch;
};

/// The top-level fields of any kind of line. Each key has one type whatever the kind, so a line
/// can be read before its kind is known (`kind` need not come first).
enum Field : unsigned {
    FKind,
    FId,
    FTitle,
    FText,
    FMeta,
    FDocument,
    FQuestion,
    FQuestionType,
    FAnswerable,
    FEvidencePosition,
    FReferenceAnswer,
    FAnswers,
    FItem,
    FRater,
    FRaterKind,
    FPreference,
    FCriteria,
    FFaithful,
    FNoInfo,
    FEvidence,
    FNote,
    FCreatedAt,
    FTimeSpent,
    FShown,
    FName,
    FConfig,
    FieldCount
};
constexpr std::array<std::string_view, FieldCount> kFieldNames = {"kind",
                                                                  "id",
                                                                  "title",
                                                                  "text",
                                                                  "meta",
                                                                  "document",
                                                                  "question",
                                                                  "question_type",
                                                                  "answerable",
                                                                  "evidence_position",
                                                                  "reference_answer",
                                                                  "answers",
                                                                  "item",
                                                                  "rater",
                                                                  "rater_kind",
                                                                  "preference",
                                                                  "criteria",
                                                                  "faithful",
                                                                  "no_info",
                                                                  "evidence",
                                                                  "note",
                                                                  "created_at",
                                                                  "time_spent_s",
                                                                  "shown",
                                                                  "name",
                                                                  "config"};
constexpr unsigned bit(Field f) { return 1u << f; }

/// A facet value as given: absent, null (withdrawn) or a value.
struct Given
{
    bool present = false;
    bool null = false;
    std::string value;
};

struct Line
{
    unsigned seen = 0;
    std::array<std::string, FieldCount> text; ///< string fields
    std::optional<std::string> meta, config;
    bool answerable = false;
    double evidencePosition = 0, timeSpent = 0;
    std::array<Answer, 2> answers;
    Given preference;
    std::array<Given, 3> criteria; ///< comprehensiveness, conciseness, relevance (sorted, as json::items())
    std::array<Given, 2> faithful, noInfo;
    std::vector<EvidenceSpan> evidence;

    bool has(Field f) const { return seen & bit(f); }
};

constexpr std::array<std::pair<std::string_view, Facet>, 3> kSortedCriteria = {{
    {"comprehensiveness", Facet::Comprehensiveness},
    {"conciseness", Facet::Conciseness},
    {"relevance", Facet::Relevance},
}};

int slotIndex(std::string_view key) { return key == "A" ? 0 : key == "B" ? 1 : -1; }

/// `{"A":…,"B":…}` with at least one member (both, with `both`), each read by `value(slot)`.
template <typename F> bool perAnswer(Scanner &s, F &&value, bool both = false)
{
    unsigned seen = 0;
    const bool ok = s.object([&](const std::string &key) {
        const int slot = slotIndex(key);
        if (slot < 0 || (seen & (1u << slot)))
            return false;
        seen |= 1u << slot;
        return value(slot);
    });
    return ok && (both ? seen == 3 : seen != 0);
}

/// A facet value: null, or a string `valid` accepts.
template <typename V> bool facetString(Scanner &s, Given &g, V &&valid)
{
    g.present = true;
    if (s.literal("null")) {
        g.null = true;
        return true;
    }
    return s.string(g.value) && valid(g.value);
}

bool readEvidence(Scanner &s, std::vector<EvidenceSpan> &out)
{
    if (!s.eat('['))
        return false;
    if (s.eat(']'))
        return true;
    std::string key, answer;
    do {
        EvidenceSpan span;
        unsigned seen = 0;
        const bool ok = s.object([&](const std::string &k) {
            unsigned b;
            if (k == "answer") {
                b = 1;
                if (!s.string(answer))
                    return false;
            } else if (k == "start") {
                b = 2;
                if (!s.whole(span.start))
                    return false;
            } else if (k == "end") {
                b = 4;
                if (!s.whole(span.end))
                    return false;
            } else if (k == "note") {
                b = 8;
                span.note.emplace();
                if (!s.string(*span.note))
                    return false;
            } else {
                return false;
            }
            if (seen & b)
                return false;
            seen |= b;
            return true;
        });
        const int slot = slotIndex(answer);
        if (!ok || (seen & 7) != 7 || slot < 0 || span.start >= span.end)
            return false;
        span.answer = static_cast<Slot>(slot);
        out.push_back(std::move(span));
    } while (s.eat(','));
    return s.eat(']');
}

bool readField(Scanner &s, Field f, Line &line)
{
    switch (f) {
    case FMeta:
        return s.canonicalObject(line.meta);
    case FConfig:
        return s.canonicalObject(line.config);
    case FAnswerable:
        return s.boolean(line.answerable);
    case FEvidencePosition:
        return s.real(line.evidencePosition) && line.evidencePosition >= 0.0 && line.evidencePosition <= 1.0;
    case FTimeSpent:
        return s.real(line.timeSpent) && line.timeSpent >= 0.0 && std::isfinite(line.timeSpent);
    case FAnswers:
        return perAnswer(
            s,
            [&](int slot) {
                Answer &a = line.answers[std::size_t(slot)];
                unsigned seen = 0;
                return s.object([&](const std::string &k) {
                    const unsigned b = k == "system" ? 1 : k == "text" ? 2 : 0;
                    if (!b || (seen & b))
                        return false;
                    seen |= b;
                    return s.string(b == 1 ? a.system : a.text);
                }) && seen == 3 &&
                       !a.system.empty();
            },
            true);
    case FPreference:
        return facetString(s, line.preference,
                           [](const std::string &v) { return parseChoice(v).has_value(); });
    case FCriteria: {
        bool any = false;
        const bool ok = s.object([&](const std::string &key) {
            for (std::size_t c = 0; c < kSortedCriteria.size(); ++c)
                if (kSortedCriteria[c].first == key) {
                    if (line.criteria[c].present)
                        return false;
                    any = true;
                    return facetString(s, line.criteria[c],
                                       [](const std::string &v) { return parseChoice(v).has_value(); });
                }
            return false;
        });
        return ok && any;
    }
    case FFaithful:
        return perAnswer(s, [&](int slot) {
            Given &g = line.faithful[std::size_t(slot)];
            g.present = true;
            if (s.literal("null")) {
                g.null = true;
                return true;
            }
            bool v = false;
            if (!s.boolean(v))
                return false;
            g.value = v ? kFaithful : kUnfaithful;
            return true;
        });
    case FNoInfo:
        return perAnswer(s, [&](int slot) {
            return facetString(s, line.noInfo[std::size_t(slot)],
                               [](const std::string &v) { return parseOutcome(v).has_value(); });
        });
    case FEvidence:
        return readEvidence(s, line.evidence);
    default:
        return s.string(line.text[f]);
    }
}

/// Reads a whole line into `line`; false when the checked path must read it.
bool scan(std::string_view text, Line &line)
{
    Scanner s(text);
    const bool ok = s.object([&](const std::string &key) {
        // Length and first letter first: most names differ there, so few full comparisons.
        unsigned f = 0;
        while (f < FieldCount &&
               (kFieldNames[f].size() != key.size() || kFieldNames[f][0] != key[0] || kFieldNames[f] != key))
            ++f;
        if (f == FieldCount || (line.seen & (1u << f)))
            return false;
        line.seen |= 1u << f;
        return readField(s, static_cast<Field>(f), line);
    });
    return ok && s.atEnd();
}

constexpr unsigned kRaterFields = bit(FKind) | bit(FId) | bit(FRaterKind) | bit(FName) | bit(FConfig);
constexpr unsigned kDocumentFields = bit(FKind) | bit(FId) | bit(FTitle) | bit(FText) | bit(FMeta);
constexpr unsigned kItemFields = bit(FKind) | bit(FId) | bit(FDocument) | bit(FQuestion) |
                                 bit(FQuestionType) | bit(FAnswerable) | bit(FEvidencePosition) |
                                 bit(FReferenceAnswer) | bit(FAnswers) | bit(FMeta);
constexpr unsigned kLabelFields = bit(FKind) | bit(FItem) | bit(FRater) | bit(FRaterKind) | bit(FPreference) |
                                  bit(FCriteria) | bit(FFaithful) | bit(FNoInfo) | bit(FEvidence) |
                                  bit(FNote) | bit(FCreatedAt) | bit(FTimeSpent) | bit(FShown);

constexpr unsigned kNonStringFields = bit(FMeta) | bit(FConfig) | bit(FAnswerable) | bit(FEvidencePosition) |
                                      bit(FTimeSpent) | bit(FAnswers) | bit(FPreference) | bit(FCriteria) |
                                      bit(FFaithful) | bit(FNoInfo) | bit(FEvidence);

/// Every field in `required` present (and a non-empty string if it is a string); none outside
/// `allowed`.
bool shaped(const Line &l, unsigned allowed, unsigned required)
{
    if ((l.seen & ~allowed) || (l.seen & required) != required)
        return false;
    for (unsigned f = 0; f < FieldCount; ++f)
        if ((required & ~kNonStringFields & (1u << f)) && l.text[f].empty())
            return false;
    return true;
}

std::optional<std::string> optionalText(Line &l, Field f, bool nonEmpty, bool &ok)
{
    if (!l.has(f))
        return std::nullopt;
    if (nonEmpty && l.text[f].empty())
        ok = false;
    return std::move(l.text[f]);
}

/// Reads one line on the fast path; false when the checked path must read it.
/// `source` is moved into the batch when the line is read (true), left as it was otherwise.
bool readLine(std::string_view text, SourceRef &source, ImportBatch &batch)
{
    Line l;
    if (!scan(text, l))
        return false;
    const std::string &kind = l.text[FKind];
    bool ok = true;
    if (kind == "document") {
        if (!shaped(l, kDocumentFields, bit(FKind) | bit(FId) | bit(FText)) ||
            l.text[FText].size() > kMaxDocumentBytes)
            return false;
        Document d;
        d.id = std::move(l.text[FId]);
        d.title = optionalText(l, FTitle, false, ok);
        d.text = std::move(l.text[FText]);
        d.metaJson = std::move(l.meta);
        batch.documents.push_back({std::move(source), std::move(d)});
        return true;
    }
    if (kind == "item") {
        if (!shaped(l, kItemFields,
                    bit(FKind) | bit(FId) | bit(FDocument) | bit(FQuestion) | bit(FQuestionType) |
                        bit(FAnswers)))
            return false;
        const auto type = parseQuestionType(l.text[FQuestionType]);
        if (!type)
            return false;
        Item item;
        item.id = std::move(l.text[FId]);
        item.documentId = std::move(l.text[FDocument]);
        item.question = std::move(l.text[FQuestion]);
        item.type = *type;
        item.answerable = l.has(FAnswerable) ? l.answerable : *type != QuestionType::NoInfo;
        if (l.has(FEvidencePosition))
            item.evidencePosition = l.evidencePosition;
        item.referenceAnswer = optionalText(l, FReferenceAnswer, false, ok);
        item.answers = std::move(l.answers);
        item.metaJson = std::move(l.meta);
        batch.items.push_back({std::move(source), std::move(item)});
        return true;
    }
    if (kind == "label") {
        if (!shaped(l, kLabelFields, bit(FKind) | bit(FItem) | bit(FRater)))
            return false;
        LabelRevision label;
        std::optional<RaterKind> raterKind;
        if (l.has(FRaterKind) && !(raterKind = parseRaterKind(l.text[FRaterKind])))
            return false;
        label.raterKind = raterKind.value_or(RaterKind::Human);
        auto add = [&](Facet facet, std::optional<Slot> slot, Given &g) {
            if (g.present)
                label.values.push_back({facet, slot, g.null ? std::string() : std::move(g.value)});
        };
        add(Facet::Preference, std::nullopt, l.preference);
        for (std::size_t c = 0; c < kSortedCriteria.size(); ++c)
            add(kSortedCriteria[c].second, std::nullopt, l.criteria[c]);
        for (Slot slot : kSlots)
            add(Facet::Faithful, slot, l.faithful[static_cast<std::size_t>(slot)]);
        for (Slot slot : kSlots)
            add(Facet::NoInfo, slot, l.noInfo[static_cast<std::size_t>(slot)]);
        if (l.has(FEvidence))
            label.evidence = std::move(l.evidence);
        label.note = optionalText(l, FNote, false, ok);
        label.createdAt = optionalText(l, FCreatedAt, true, ok);
        if (label.createdAt && !isIsoTimestamp(*label.createdAt))
            return false;
        if (l.has(FTimeSpent))
            label.timeSpentS = l.timeSpent;
        label.shownOrder = optionalText(l, FShown, true, ok);
        if (label.shownOrder && *label.shownOrder != "AB" && *label.shownOrder != "BA")
            return false;
        if (!ok || (label.values.empty() && !label.evidence && !label.note))
            return false;
        label.itemId = std::move(l.text[FItem]);
        label.raterId = std::move(l.text[FRater]);
        batch.labels.push_back({std::move(source), std::move(label)});
        batch.labelKindGiven.push_back(raterKind.has_value());
        return true;
    }
    if (kind == "rater") {
        if (!shaped(l, kRaterFields, bit(FKind) | bit(FId) | bit(FRaterKind)))
            return false;
        const auto raterKind = parseRaterKind(l.text[FRaterKind]);
        if (!raterKind)
            return false;
        Rater r;
        r.id = std::move(l.text[FId]);
        r.kind = *raterKind;
        r.name = optionalText(l, FName, true, ok);
        r.configJson = std::move(l.config);
        if (!ok)
            return false;
        batch.raters.push_back({std::move(source), std::move(r)});
        return true;
    }
    return false;
}

} // namespace fast

/// `column0`: the file's bytes before the line's first (a BOM), which columns count.
std::string lineSnippetError(const json::parse_error &e, std::size_t lineBytes, std::size_t column0)
{
    // nlohmann reports "byte" as 1-based position of the failing character.
    if (e.byte > lineBytes || std::strstr(e.what(), "unexpected end of input"))
        return "invalid JSON: the line ends before the object is complete (truncated line?)";
    std::string what = e.what();
    auto pos = what.find("syntax error");
    return "invalid JSON at column " + std::to_string(e.byte + column0) + ": " +
           (pos == std::string::npos ? what : what.substr(pos));
}

/// "UTF-16" or "UTF-32" when `content` (a file's start) has that encoding's byte-order mark or,
/// without one, the NUL bytes its ASCII characters have; nullptr otherwise. UTF-8 JSONL never
/// starts so: FF and FE never occur in UTF-8, and a line may not hold a NUL byte.
const char *wideEncoding(std::string_view content)
{
    using namespace std::string_view_literals;
    if (content.starts_with("\xFF\xFE\0\0"sv) || content.starts_with("\0\0\xFE\xFF"sv))
        return "UTF-32";
    if (content.starts_with("\xFF\xFE"sv) || content.starts_with("\xFE\xFF"sv))
        return "UTF-16";
    if (content.size() < 4)
        return nullptr;
    auto nul = [&](std::size_t at) { return content[at] == '\0'; };
    if ((!nul(0) && nul(1) && nul(2) && nul(3)) || (nul(0) && nul(1) && nul(2) && !nul(3)))
        return "UTF-32";
    if ((!nul(0) && nul(1) && !nul(2) && nul(3)) || (nul(0) && !nul(1) && nul(2) && !nul(3)))
        return "UTF-16";
    return nullptr;
}

} // namespace

std::vector<JsonlPart> splitJsonl(std::string_view content, std::size_t parts, bool countLines)
{
    std::int64_t firstColumn = 1;
    if (content.starts_with("\xEF\xBB\xBF")) {
        content.remove_prefix(3);
        firstColumn = 4;
    }
    if (wideEncoding(content))
        parts = 1; // reported once, by the part that starts the file
    std::vector<JsonlPart> out;
    std::int64_t line = 1;
    auto push = [&](std::string_view text) {
        out.push_back({text, line, out.empty() ? firstColumn : 1, out.empty()});
    };
    for (std::size_t p = parts; p > 1 && !content.empty(); --p) {
        std::size_t cut = content.find('\n', content.size() / p);
        if (cut == std::string_view::npos)
            break;
        ++cut;
        const std::string_view head = content.substr(0, cut);
        push(head);
        if (countLines)
            line += static_cast<std::int64_t>(std::count(head.begin(), head.end(), '\n'));
        content.remove_prefix(cut);
    }
    push(content);
    return out;
}

std::size_t readJsonlLines(std::string_view fileName, const JsonlPart &part, ImportBatch &batch,
                           std::vector<Diagnostic> &diagnostics, LineReading reading)
{
    const std::string file(fileName);
    auto report = [&](std::int64_t line, std::string field, std::string message) {
        if (diagnostics.size() < kMaxDiagnostics)
            diagnostics.push_back({file, line, std::move(field), std::move(message)});
    };
    if (part.startsFile)
        if (const char *encoding = wideEncoding(part.text)) {
            report(1, "line", std::string("the file is ") + encoding + ", not UTF-8; save it as UTF-8");
            return 0;
        }
    std::string_view rest = part.text;
    std::int64_t lineNo = part.firstLine - 1;
    std::size_t records = 0;
    bool firstLine = true;
    while (!rest.empty()) {
        ++lineNo;
        // Bytes of the file before the line's first, which columns count: a BOM, on the first line.
        const std::size_t column0 = firstLine ? static_cast<std::size_t>(part.firstColumn - 1) : 0;
        firstLine = false;
        const std::size_t nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl);
        rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
        if (line.ends_with('\r'))
            line.remove_suffix(1);
        if (line.find_first_not_of(" \t") == std::string_view::npos)
            continue;
        if (auto nul = line.find('\0'); nul != std::string_view::npos) {
            report(lineNo, "line",
                   "contains a NUL byte at column " + std::to_string(column0 + nul + 1) +
                       " (is this a binary file?)");
            continue;
        }
        if (auto bad = utf8::firstInvalid(line)) {
            report(lineNo, "line",
                   "invalid UTF-8 at column " + std::to_string(column0 + *bad + 1) +
                       " (save the file as UTF-8)");
            continue;
        }
        SourceRef source{file, lineNo}; // moved into the batch with its record
        if (reading == LineReading::Fast && fast::readLine(line, source, batch)) {
            ++records;
            continue;
        }
        if (auto field = nestedTooDeep(line)) {
            report(lineNo, std::move(*field),
                   "nested deeper than " + std::to_string(kMaxNesting) + " levels");
            continue;
        }
        json object;
        try {
            object = json::parse(line);
        } catch (const json::parse_error &e) {
            report(lineNo, "line", lineSnippetError(e, line.size(), column0));
            continue;
        } catch (const json::exception &e) {
            // A number too large for a double ("1e400") is out_of_range, not a parse_error.
            std::string what = e.what();
            if (auto close = what.find("] "); close != std::string::npos)
                what.erase(0, close + 2);
            report(lineNo, "line", "invalid JSON: " + what);
            continue;
        }
        if (!object.is_object()) {
            report(lineNo, "line", "expected a JSON object {\"kind\":…}, found " + typeName(object));
            continue;
        }
        ++records;
        LineReader reader(file, lineNo, object, diagnostics);
        auto kind = reader.string(object, "", "kind", true);
        if (!kind)
            continue;
        if (*kind == "document") {
            if (auto d = readDocument(reader))
                batch.documents.push_back({std::move(source), std::move(*d)});
        } else if (*kind == "item") {
            if (auto i = readItem(reader))
                batch.items.push_back({std::move(source), std::move(*i)});
        } else if (*kind == "label") {
            bool kindGiven = false;
            if (auto l = readLabel(reader, kindGiven)) {
                batch.labels.push_back({std::move(source), std::move(*l)});
                batch.labelKindGiven.push_back(kindGiven);
            }
        } else if (*kind == "rater") {
            if (auto r = readRater(reader))
                batch.raters.push_back({std::move(source), std::move(*r)});
        } else {
            reader.error("kind",
                         "unknown kind " + excerpt(*kind) + " (allowed: document, item, label, rater)");
        }
    }
    return records;
}

void finishJsonlFile(std::string_view fileName, std::string_view content, std::size_t records,
                     std::size_t diagnosticsBefore, ImportBatch &batch, std::vector<Diagnostic> &diagnostics)
{
    finishJsonlFile(fileName, Sha256::hex(content), static_cast<std::int64_t>(content.size()), records,
                    diagnosticsBefore, batch, diagnostics);
}

void finishJsonlFile(std::string_view fileName, std::string sha256, std::int64_t bytes, std::size_t records,
                     std::size_t diagnosticsBefore, ImportBatch &batch, std::vector<Diagnostic> &diagnostics)
{
    batch.files.push_back({std::string(fileName), std::move(sha256), bytes});
    if (records == 0 && diagnostics.size() == diagnosticsBefore && diagnostics.size() < kMaxDiagnostics)
        diagnostics.push_back(
            {std::string(fileName), 0, "file", "is empty: no documents, items or labels to import"});
}

void readJsonl(std::string_view fileName, std::string_view content, ImportBatch &batch,
               std::vector<Diagnostic> &diagnostics)
{
    // `diagnostics` may already hold other files' problems; only this file's count for "empty".
    const std::size_t diagnosticsBefore = diagnostics.size();
    const std::size_t records = readJsonlLines(fileName, splitJsonl(content, 1).front(), batch, diagnostics);
    finishJsonlFile(fileName, content, records, diagnosticsBefore, batch, diagnostics);
}

void sortDiagnostics(std::vector<Diagnostic> &diagnostics, const std::vector<std::string> &files)
{
    auto fileIndex = [&](const std::string &file) {
        return static_cast<std::size_t>(std::find(files.begin(), files.end(), file) - files.begin());
    };
    std::vector<std::pair<std::size_t, std::int64_t>> keys;
    keys.reserve(diagnostics.size());
    for (const Diagnostic &d : diagnostics)
        keys.emplace_back(fileIndex(d.file), d.line);
    std::vector<std::size_t> order(diagnostics.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
    std::vector<Diagnostic> sorted;
    sorted.reserve(diagnostics.size());
    for (std::size_t i : order)
        sorted.push_back(std::move(diagnostics[i]));
    diagnostics = std::move(sorted);
}

namespace {

/// Writes canonical JSON directly: fixed key order, compact, UTF-8 kept as is, control characters
/// escaped. Much faster than building a DOM, and import computes a canonical line per record.
class JsonWriter
{
public:
    JsonWriter() { m_out.reserve(256); }

    JsonWriter &open()
    {
        m_out += '{';
        m_first = true;
        return *this;
    }
    JsonWriter &close()
    {
        m_out += '}';
        m_first = false;
        return *this;
    }
    JsonWriter &openArray()
    {
        m_out += '[';
        m_first = true;
        return *this;
    }
    JsonWriter &closeArray()
    {
        m_out += ']';
        m_first = false;
        return *this;
    }
    /// Starts a member of the enclosing object (or an element of an array when key is empty).
    JsonWriter &key(std::string_view k)
    {
        if (!m_first)
            m_out += ',';
        m_first = false;
        if (!k.empty()) {
            string(k);
            m_out += ':';
            m_first = true; // the value follows directly
        }
        return *this;
    }
    JsonWriter &string(std::string_view v)
    {
        static constexpr char kHex[] = "0123456789abcdef";
        m_out += '"';
        const char *const begin = v.data(), *const end = v.data() + v.size();
        std::size_t run = 0;
        // plainRun finds exactly the characters that need escaping, 16 bytes at a time.
        for (std::size_t i = std::size_t(fast::plainRun(begin, end) - begin); i < v.size();
             i = std::size_t(fast::plainRun(begin + i + 1, end) - begin)) {
            const unsigned char c = static_cast<unsigned char>(v[i]);
            m_out.append(v.data() + run, i - run);
            run = i + 1;
            switch (c) {
            case '"':
                m_out += "\\\"";
                break;
            case '\\':
                m_out += "\\\\";
                break;
            case '\n':
                m_out += "\\n";
                break;
            case '\r':
                m_out += "\\r";
                break;
            case '\t':
                m_out += "\\t";
                break;
            case '\b':
                m_out += "\\b";
                break;
            case '\f':
                m_out += "\\f";
                break;
            default:
                m_out += "\\u00";
                m_out += kHex[c >> 4];
                m_out += kHex[c & 15];
            }
        }
        m_out.append(v.data() + run, v.size() - run);
        m_out += '"';
        m_first = false;
        return *this;
    }
    JsonWriter &raw(std::string_view json)
    {
        m_out += json;
        m_first = false;
        return *this;
    }
    JsonWriter &boolean(bool v) { return raw(v ? "true" : "false"); }
    JsonWriter &integer(std::int64_t v) { return raw(std::to_string(v)); }
    /// Shortest text that reads back as the same double; whole numbers without a fraction.
    JsonWriter &number(double v)
    {
        if (std::floor(v) == v && std::fabs(v) < 9e15)
            return integer(static_cast<std::int64_t>(v));
        char buf[64];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
        return raw(std::string_view(buf, ec == std::errc() ? std::size_t(end - buf) : 0));
    }

    JsonWriter &member(std::string_view k, std::string_view v) { return key(k).string(v); }
    JsonWriter &optional(std::string_view k, const std::optional<std::string> &v)
    {
        return v ? member(k, *v) : *this;
    }
    JsonWriter &optionalRaw(std::string_view k, const std::optional<std::string> &json)
    {
        return json ? key(k).raw(*json) : *this;
    }

    std::string take() { return std::move(m_out); }

private:
    std::string m_out;
    bool m_first = true;
};

} // namespace

std::string toJsonLine(const Rater &rater)
{
    JsonWriter w;
    w.open().member("kind", "rater").member("id", rater.id).member("rater_kind", toString(rater.kind));
    w.optional("name", rater.name).optionalRaw("config", rater.configJson);
    return w.close().take();
}

std::string toJsonLine(const Document &document)
{
    JsonWriter w;
    w.open().member("kind", "document").member("id", document.id).optional("title", document.title);
    w.member("text", document.text).optionalRaw("meta", document.metaJson);
    return w.close().take();
}

std::string toJsonLine(const Item &item)
{
    JsonWriter w;
    w.open().member("kind", "item").member("id", item.id).member("document", item.documentId);
    w.member("question", item.question).member("question_type", toString(item.type));
    w.key("answerable").boolean(item.answerable);
    if (item.evidencePosition)
        w.key("evidence_position").number(*item.evidencePosition);
    w.optional("reference_answer", item.referenceAnswer);
    w.key("answers").open();
    for (Slot slot : kSlots) {
        w.key(toString(slot)).open().member("system", item.answer(slot).system);
        w.member("text", item.answer(slot).text).close();
    }
    w.close().optionalRaw("meta", item.metaJson);
    return w.close().take();
}

std::string toJsonLine(const LabelRevision &label) { return toJsonLine(label, label.raterKind); }

std::string toJsonLine(const LabelRevision &label, RaterKind raterKind)
{
    // Facets in a fixed order, whatever order they were given in.
    auto find = [&](Facet facet, std::optional<Slot> slot) -> const FacetValue * {
        for (const FacetValue &v : label.values)
            if (v.facet == facet && v.slot == slot)
                return &v;
        return nullptr;
    };
    JsonWriter w;
    w.open().member("kind", "label").member("item", label.itemId).member("rater", label.raterId);
    w.member("rater_kind", toString(raterKind));
    // An empty value withdraws the facet and is written as null.
    auto choice = [&](std::string_view key, const FacetValue &v) {
        if (v.value.empty())
            w.key(key).raw("null");
        else
            w.member(key, v.value);
    };
    if (const FacetValue *v = find(Facet::Preference, std::nullopt))
        choice("preference", *v);
    bool criteria = false;
    for (Facet facet : kCriteria) {
        if (const FacetValue *v = find(facet, std::nullopt)) {
            if (!criteria)
                w.key("criteria").open();
            criteria = true;
            choice(criterionKey(facet), *v);
        }
    }
    if (criteria)
        w.close();
    for (Facet facet : {Facet::Faithful, Facet::NoInfo}) {
        bool any = false;
        for (Slot slot : kSlots) {
            const FacetValue *v = find(facet, slot);
            if (!v)
                continue;
            if (!any)
                w.key(facet == Facet::Faithful ? "faithful" : "no_info").open();
            any = true;
            if (v->value.empty())
                w.key(toString(slot)).raw("null");
            else if (facet == Facet::Faithful)
                w.key(toString(slot)).boolean(v->value == kFaithful);
            else
                w.member(toString(slot), v->value);
        }
        if (any)
            w.close();
    }
    if (label.evidence) {
        w.key("evidence").openArray();
        for (const EvidenceSpan &span : *label.evidence) {
            w.key({}).open().member("answer", toString(span.answer));
            w.key("start")
                .integer(span.start)
                .key("end")
                .integer(span.end)
                .optional("note", span.note)
                .close();
        }
        w.closeArray();
    }
    w.optional("note", label.note).optional("created_at", label.createdAt);
    if (label.timeSpentS)
        w.key("time_spent_s").number(*label.timeSpentS);
    w.optional("shown", label.shownOrder);
    return w.close().take();
}

std::optional<std::string> canonicalJsonObject(std::string_view text)
{
    if (nestedTooDeep(text))
        return std::nullopt;
    try {
        json v = json::parse(text);
        if (!v.is_object())
            return std::nullopt;
        return v.dump();
    } catch (const json::exception &) {
        return std::nullopt;
    }
}

} // namespace concord::model
