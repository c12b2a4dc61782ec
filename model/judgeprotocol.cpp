#include "judgeprotocol.h"

#include "jsonschema.h"
#include "sha256.h"
#include "utf8.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <set>

namespace concord::model {

namespace {

using json = nlohmann::ordered_json;

constexpr std::string_view kAnthropicVersion = "2023-06-01";

// Free-text limits. Grammar-constrained servers stop a field at its maxLength; without one a
// model that loops runs on to max_tokens. Generous enough never to cut a sensible explanation.
constexpr int kExplanationChars = 3000;
constexpr int kClaimChars = 500;
constexpr int kQuoteChars = 800;
constexpr int kReasoningChars = 800;
constexpr int kMaxClaims = 25;

json text(int maxLength, bool limits, const char *description)
{
    json s = {{"type", "string"}, {"description", description}};
    if (limits)
        s["maxLength"] = maxLength;
    return s;
}

json choice(const char *description)
{
    return {{"type", "string"}, {"enum", {"1", "2", "tie"}}, {"description", description}};
}

json object(json properties)
{
    json required = json::array();
    for (auto it = properties.begin(); it != properties.end(); ++it)
        required.push_back(it.key());
    return {{"type", "object"},
            {"properties", std::move(properties)},
            {"required", std::move(required)},
            {"additionalProperties", false}};
}

/// The reply schemas. Property order is generation order for grammar-constrained servers, so
/// reasoning always comes before the verdict it supports.
json schemaOf(JudgeStep step, bool limits)
{
    switch (step) {
    case JudgeStep::Preference: {
        json p;
        p["explanation"] =
            text(kExplanationChars, limits, "Compare the answers on each criterion before deciding.");
        p["relevance"] = choice("Which answer addresses the question more directly.");
        p["comprehensiveness"] =
            choice("Which answer covers more of what the document says on the question.");
        p["conciseness"] = choice("Which answer says it with less that is unneeded.");
        p["overall"] = choice("Which answer is better overall.");
        return object(std::move(p));
    }
    case JudgeStep::Claims: {
        json claims = {{"type", "array"},
                       {"items", text(kClaimChars, limits, "One self-contained factual claim.")}};
        if (limits)
            claims["maxItems"] = kMaxClaims;
        json p;
        p["claims"] = std::move(claims);
        return object(std::move(p));
    }
    case JudgeStep::Verify: {
        json check;
        check["claim_number"] = {{"type", "integer"}, {"minimum", 1}};
        check["reasoning"] = text(kReasoningChars, limits, "What the document says about the claim.");
        check["quote"] =
            text(kQuoteChars, limits, "The exact passage of the document, copied verbatim; empty if none.");
        check["verdict"] = {{"type", "string"}, {"enum", {"supported", "unsupported", "contradicted"}}};
        json claims = {{"type", "array"}, {"items", object(std::move(check))}};
        if (limits)
            claims["maxItems"] = kMaxClaims;
        json p;
        p["claims"] = std::move(claims);
        return object(std::move(p));
    }
    case JudgeStep::NoInfo: {
        json p;
        p["reasoning"] =
            text(kExplanationChars, limits, "Where the document answers the question, or why it does not.");
        p["document_contains_answer"] = {{"type", "boolean"}};
        p["answer_1_declines"] = {{"type", "boolean"}};
        p["answer_2_declines"] = {{"type", "boolean"}};
        return object(std::move(p));
    }
    }
    return json::object();
}

const json &fullSchema(JudgeStep step)
{
    static const std::array<json, 4> schemas = {
        schemaOf(JudgeStep::Preference, true), schemaOf(JudgeStep::Claims, true),
        schemaOf(JudgeStep::Verify, true), schemaOf(JudgeStep::NoInfo, true)};
    return schemas[static_cast<std::size_t>(step)];
}

std::string schemaName(JudgeStep step) { return "concord_" + std::string(toString(step)); }

std::string dump(const json &j)
{
    // Replace rather than throw on ill-formed UTF-8: project texts are checked on import, but a
    // body must never take the judge down.
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string excerpt(std::string_view s, std::size_t max = 160)
{
    // Never a UTF-8 sequence cut in half (nor, as before, a whole last character dropped).
    std::string out(utf8::prefix(s, max));
    std::replace_if(
        out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
    return s.size() > max ? out + "..." : out;
}

std::optional<std::int64_t> integerAt(const json &j, const char *object, const char *key)
{
    auto o = j.find(object);
    if (o == j.end() || !o->is_object())
        return std::nullopt;
    auto v = o->find(key);
    if (v == o->end() || !v->is_number_integer())
        return std::nullopt;
    return v->get<std::int64_t>();
}

std::string stringAt(const json &j, const char *key)
{
    auto v = j.find(key);
    return v != j.end() && v->is_string() ? v->get<std::string>() : std::string();
}

std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

/// Removes a Markdown code fence around the whole content (```json ... ```), which some models
/// add when the server does not constrain the output.
std::string_view unfence(std::string_view s)
{
    s = trimmed(s);
    if (!s.starts_with("```"))
        return s;
    const std::size_t firstLine = s.find('\n');
    if (firstLine == std::string_view::npos)
        return s;
    std::string_view inner = s.substr(firstLine + 1);
    inner = trimmed(inner);
    if (inner.ends_with("```"))
        inner.remove_suffix(3);
    return trimmed(inner);
}

/// Where the JSON value that starts at `s[at]` with '{' ends (the index of its '}'), counting
/// braces outside strings; npos when it does not close.
std::size_t balancedEnd(std::string_view s, std::size_t at)
{
    int depth = 0;
    bool inString = false;
    for (std::size_t i = at; i < s.size(); ++i) {
        const char c = s[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '{') {
            ++depth;
        } else if (c == '}' && --depth == 0) {
            return i;
        }
    }
    return std::string_view::npos;
}

bool isJsonObject(std::string_view s) { return s.starts_with('{') && json::accept(s.begin(), s.end()); }

/// The verdict object in a model's free-text content. Models the server does not hold to a grammar
/// wrap it: a leading <think>...</think> block (reasoning models), a Markdown fence (also on one
/// line), prose before or after. Tried in turn: the whole content, the inside of the first fence,
/// then each balanced {...} from the left; the first that parses as a JSON object is the verdict.
/// Without one, the content is returned unfenced, so that the parse error shows what was there.
std::string_view verdictObject(std::string_view content)
{
    std::string_view s = trimmed(content);
    if (s.starts_with("<think>"))
        if (const std::size_t end = s.find("</think>"); end != std::string_view::npos)
            s = trimmed(s.substr(end + std::string_view("</think>").size()));
    if (isJsonObject(s))
        return s;
    if (const std::size_t open = s.find("```"); open != std::string_view::npos) {
        std::string_view rest = s.substr(open + 3);
        std::size_t tag = 0; // the language, as in ```json
        while (tag < rest.size() && std::isalnum(static_cast<unsigned char>(rest[tag])))
            ++tag;
        rest.remove_prefix(tag);
        if (const std::size_t close = rest.find("```"); close != std::string_view::npos)
            if (const std::string_view inner = trimmed(rest.substr(0, close)); isJsonObject(inner))
                return inner;
    }
    // Bounded, so that a long reply full of braces costs little: a verdict comes early.
    constexpr int kMaxCandidates = 64;
    int tried = 0;
    for (std::size_t at = s.find('{'); at != std::string_view::npos && tried < kMaxCandidates;
         at = s.find('{', at + 1), ++tried) {
        const std::size_t end = balancedEnd(s, at);
        if (end == std::string_view::npos)
            continue;
        if (const std::string_view candidate = s.substr(at, end - at + 1); isJsonObject(candidate))
            return candidate;
    }
    return unfence(s);
}

CompletionReading readOpenAi(const json &body)
{
    CompletionReading r;
    r.usage.promptTokens = integerAt(body, "usage", "prompt_tokens");
    r.usage.completionTokens = integerAt(body, "usage", "completion_tokens");
    auto choices = body.find("choices");
    if (choices == body.end() || !choices->is_array() || choices->empty() || !(*choices)[0].is_object()) {
        r.failure = "the reply has no choices (not a Chat Completions reply?)";
        return r;
    }
    const json &first = (*choices)[0];
    const std::string finish = stringAt(first, "finish_reason");
    const json *message = nullptr;
    if (auto m = first.find("message"); m != first.end() && m->is_object())
        message = &*m;
    if (finish == "length") {
        r.failure = "the reply was cut off at max_tokens (finish_reason \"length\")";
        r.cutOff = true;
        return r;
    }
    if (message)
        if (std::string refusal = stringAt(*message, "refusal"); !refusal.empty()) {
            r.failure = "the model refused: " + excerpt(refusal);
            return r;
        }
    if (finish == "content_filter") {
        r.failure = "the provider's content filter withheld the reply (finish_reason \"content_filter\")";
        return r;
    }
    const std::string content = message ? stringAt(*message, "content") : std::string();
    const std::string_view payload = verdictObject(content);
    if (payload.empty()) {
        r.failure = "the reply is empty";
        return r;
    }
    r.payload = std::string(payload);
    return r;
}

CompletionReading readAnthropic(const json &body)
{
    CompletionReading r;
    r.usage.promptTokens = integerAt(body, "usage", "input_tokens");
    r.usage.completionTokens = integerAt(body, "usage", "output_tokens");
    const std::string stop = stringAt(body, "stop_reason");
    if (stop == "max_tokens") {
        r.failure = "the reply was cut off at max_tokens (stop_reason \"max_tokens\")";
        r.cutOff = true;
        return r;
    }
    if (stop == "refusal") {
        r.failure = "the model refused (stop_reason \"refusal\")";
        return r;
    }
    auto content = body.find("content");
    if (content == body.end() || !content->is_array()) {
        r.failure = "the reply has no content (not a Messages reply?)";
        return r;
    }
    std::string text;
    for (const json &block : *content) {
        if (!block.is_object())
            continue;
        const std::string type = stringAt(block, "type");
        if (type == "tool_use") {
            auto input = block.find("input");
            if (input == block.end() || !input->is_object()) {
                r.failure = "the tool_use block has no input object";
                return r;
            }
            r.payload = dump(*input);
            return r;
        }
        if (type == "text")
            text += stringAt(block, "text");
    }
    r.failure = trimmed(text).empty()
                    ? "the reply is empty"
                    : "the model answered in text instead of calling the tool: " + excerpt(text);
    return r;
}

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

bool containsAny(const std::string &haystack, std::initializer_list<std::string_view> needles)
{
    for (std::string_view n : needles)
        if (haystack.find(n) != std::string::npos)
            return true;
    return false;
}

/// Enum strings in another case ("Tie", "Supported") become the schema's own spelling: what the
/// model meant is plain, and asking again would cost a call.
void foldEnumCase(const json &schema, json &value)
{
    if (auto options = schema.find("enum"); options != schema.end()) {
        if (!value.is_string())
            return;
        const std::string folded = lower(value.get_ref<const std::string &>());
        for (const json &option : *options)
            if (option.is_string() && lower(option.get_ref<const std::string &>()) == folded) {
                value = option;
                return;
            }
        return;
    }
    if (value.is_object())
        if (auto properties = schema.find("properties"); properties != schema.end())
            for (auto it = value.begin(); it != value.end(); ++it)
                if (auto property = properties->find(it.key()); property != properties->end())
                    foldEnumCase(*property, it.value());
    if (value.is_array())
        if (auto items = schema.find("items"); items != schema.end())
            for (json &element : value)
                foldEnumCase(*items, element);
}

/// Parses a payload and checks it against the step's full schema.
Result<json> validated(JudgeStep step, std::string_view payload)
{
    json value;
    try {
        value = json::parse(payload);
    } catch (const json::parse_error &e) {
        // "[json.exception.parse_error.101] parse error at line 1, column 1: syntax error while
        // parsing value - invalid literal; last read: 'n'": the bracketed id says nothing to a user.
        std::string what = e.what();
        if (what.starts_with('['))
            if (const std::size_t close = what.find("] "); close != std::string::npos)
                what.erase(0, close + 2);
        return makeError(Error::Code::InvalidInput, "the reply is not valid JSON (" + excerpt(what, 200) +
                                                        "); it begins: " + excerpt(payload, 80));
    }
    if (!value.is_object())
        return makeError(Error::Code::InvalidInput,
                         "the reply is JSON but not an object: " + excerpt(payload, 80));
    foldEnumCase(fullSchema(step), value);
    if (auto problem = schemaViolation(fullSchema(step), value))
        return makeError(Error::Code::InvalidInput, "the reply breaks the schema: " + *problem);
    return value;
}

Shown shownOf(const json &v)
{
    const std::string &s = v.get_ref<const std::string &>();
    return s == "1" ? Shown::First : s == "2" ? Shown::Second : Shown::Tie;
}

} // namespace

std::string replySchema(JudgeStep step, bool lengthLimits) { return dump(schemaOf(step, lengthLimits)); }

std::string endpointUrl(const JudgeConfig &config)
{
    return config.baseUrl + (config.api == JudgeApi::Anthropic ? "/v1/messages" : "/v1/chat/completions");
}

std::string requestBody(const JudgeConfig &c, JudgeStep step, const Prompt &prompt)
{
    json body;
    body["model"] = c.model;
    if (c.api == JudgeApi::Anthropic) {
        body["max_tokens"] = c.maxTokens;
        body["temperature"] = c.temperature;
        if (!prompt.system.empty())
            body["system"] = prompt.system;
        body["messages"] = json::array({{{"role", "user"}, {"content", prompt.user}}});
        json tool;
        tool["name"] = schemaName(step);
        tool["description"] = "Record your judgement. Always call this tool exactly once.";
        tool["input_schema"] = schemaOf(step, true);
        body["tools"] = json::array({std::move(tool)});
        body["tool_choice"] = {{"type", "tool"}, {"name", schemaName(step)}};
        return dump(body);
    }
    json messages = json::array();
    if (!prompt.system.empty())
        messages.push_back({{"role", "system"}, {"content", prompt.system}});
    messages.push_back({{"role", "user"}, {"content", prompt.user}});
    body["messages"] = std::move(messages);
    body["temperature"] = c.temperature;
    if (c.seed)
        body["seed"] = *c.seed;
    body[c.maxTokensField] = c.maxTokens;
    const json schema = schemaOf(step, c.forms.lengthLimits);
    if (c.forms.responseFormatJsonObject)
        body["response_format"] = {{"type", "json_object"}, {"schema", schema}};
    else if (c.forms.responseFormatJsonSchema)
        body["response_format"] = {
            {"type", "json_schema"},
            {"json_schema", {{"name", schemaName(step)}, {"strict", true}, {"schema", schema}}}};
    if (c.forms.topLevelJsonSchema)
        body["json_schema"] = schema;
    body["stream"] = false;
    return dump(body);
}

std::vector<HttpHeader> requestHeaders(const JudgeConfig &config, std::string_view apiKey)
{
    std::vector<HttpHeader> headers{{"Content-Type", "application/json"}};
    if (config.api == JudgeApi::Anthropic) {
        if (!apiKey.empty())
            headers.push_back({"x-api-key", std::string(apiKey)});
        headers.push_back({"anthropic-version", std::string(kAnthropicVersion)});
    } else if (!apiKey.empty()) {
        headers.push_back({"Authorization", "Bearer " + std::string(apiKey)});
    }
    return headers;
}

std::string requestHash(std::string_view url, std::string_view body)
{
    Sha256 h;
    h.update("POST ");
    h.update(url);
    h.update("\n");
    h.update(body);
    return h.hexDigest();
}

CompletionReading readCompletion(JudgeApi api, std::string_view body)
{
    json j;
    try {
        j = json::parse(body);
    } catch (const json::parse_error &) {
        CompletionReading r;
        r.failure = "the reply body is not JSON: " + excerpt(body, 80);
        return r;
    }
    if (!j.is_object()) {
        CompletionReading r;
        r.failure = "the reply body is not a JSON object";
        return r;
    }
    return api == JudgeApi::Anthropic ? readAnthropic(j) : readOpenAi(j);
}

std::string errorMessage(std::string_view body)
{
    try {
        const json j = json::parse(body);
        if (j.is_object()) {
            if (auto e = j.find("error"); e != j.end()) {
                if (e->is_string())
                    return excerpt(e->get<std::string>(), 300);
                if (e->is_object()) {
                    std::string message = stringAt(*e, "message");
                    std::string kind = stringAt(*e, "code");
                    if (kind.empty())
                        kind = stringAt(*e, "type");
                    if (!message.empty())
                        return excerpt(message, 300) + (kind.empty() ? "" : " (" + kind + ")");
                }
            }
            if (std::string message = stringAt(j, "message"); !message.empty())
                return excerpt(message, 300);
            if (std::string detail = stringAt(j, "detail"); !detail.empty())
                return excerpt(detail, 300);
        }
    } catch (const json::exception &) {
    }
    const std::string_view t = trimmed(body);
    return t.empty() ? std::string("no message") : excerpt(t, 300);
}

std::string_view toString(ClaimVerdict v)
{
    switch (v) {
    case ClaimVerdict::Supported:
        return "supported";
    case ClaimVerdict::Unsupported:
        return "unsupported";
    case ClaimVerdict::Contradicted:
        return "contradicted";
    }
    return {};
}

std::optional<ClaimVerdict> parseClaimVerdict(std::string_view s)
{
    for (ClaimVerdict v : {ClaimVerdict::Supported, ClaimVerdict::Unsupported, ClaimVerdict::Contradicted})
        if (toString(v) == s)
            return v;
    return std::nullopt;
}

Result<PreferenceReply> parsePreferenceReply(std::string_view payload)
{
    auto v = validated(JudgeStep::Preference, payload);
    if (!v)
        return v.error();
    PreferenceReply r;
    r.explanation = (*v)["explanation"].get<std::string>();
    r.relevance = shownOf((*v)["relevance"]);
    r.comprehensiveness = shownOf((*v)["comprehensiveness"]);
    r.conciseness = shownOf((*v)["conciseness"]);
    r.overall = shownOf((*v)["overall"]);
    return r;
}

Result<ClaimsReply> parseClaimsReply(std::string_view payload)
{
    auto v = validated(JudgeStep::Claims, payload);
    if (!v)
        return v.error();
    ClaimsReply r;
    for (const json &c : (*v)["claims"]) {
        const std::string_view claim = trimmed(c.get_ref<const std::string &>());
        if (!claim.empty())
            r.claims.emplace_back(claim);
    }
    return r;
}

Result<VerifyReply> parseVerifyReply(std::string_view payload, std::size_t claimCount)
{
    auto v = validated(JudgeStep::Verify, payload);
    if (!v)
        return v.error();
    VerifyReply r;
    std::set<int> seen;
    for (const json &c : (*v)["claims"]) {
        ClaimCheck check;
        check.number = static_cast<int>(c["claim_number"].get<double>());
        check.reasoning = c["reasoning"].get<std::string>();
        check.quote = c["quote"].get<std::string>();
        check.verdict =
            parseClaimVerdict(c["verdict"].get<std::string>()).value_or(ClaimVerdict::Unsupported);
        if (check.number < 1 || static_cast<std::size_t>(check.number) > claimCount)
            return makeError(Error::Code::InvalidInput,
                             "the reply checks claim " + std::to_string(check.number) +
                                 "; only claims 1 to " + std::to_string(claimCount) + " were listed");
        if (!seen.insert(check.number).second)
            return makeError(Error::Code::InvalidInput,
                             "the reply checks claim " + std::to_string(check.number) + " twice");
        r.checks.push_back(std::move(check));
    }
    if (seen.size() != claimCount)
        return makeError(Error::Code::InvalidInput, "the reply checks " + std::to_string(seen.size()) +
                                                        " of the " + std::to_string(claimCount) +
                                                        " claims listed");
    std::sort(r.checks.begin(), r.checks.end(),
              [](const ClaimCheck &a, const ClaimCheck &b) { return a.number < b.number; });
    return r;
}

Result<NoInfoReply> parseNoInfoReply(std::string_view payload)
{
    auto v = validated(JudgeStep::NoInfo, payload);
    if (!v)
        return v.error();
    NoInfoReply r;
    r.reasoning = (*v)["reasoning"].get<std::string>();
    r.documentContainsAnswer = (*v)["document_contains_answer"].get<bool>();
    r.declines = {(*v)["answer_1_declines"].get<bool>(), (*v)["answer_2_declines"].get<bool>()};
    return r;
}

std::optional<double> retryAfterSeconds(const HttpResponse &response)
{
    auto number = [](std::string_view s) -> std::optional<double> {
        s = trimmed(s);
        double v = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !(v >= 0))
            return std::nullopt;
        return v;
    };
    std::optional<double> seconds;
    if (auto ms = response.header("retry-after-ms"))
        if (auto v = number(*ms))
            seconds = *v / 1000.0;
    if (!seconds)
        if (auto s = response.header("retry-after"))
            seconds = number(*s); // an HTTP date does not parse as a number: left to the backoff
    if (seconds)
        return std::min(*seconds, kMaxRetryAfterS);
    return std::nullopt;
}

namespace {

double equalJitter(double first, double cap, int retry, double jitter)
{
    const double base = std::min(cap, first * std::pow(2.0, std::clamp(retry, 0, 16)));
    return base / 2.0 + std::clamp(jitter, 0.0, 1.0) * base / 2.0;
}

} // namespace

double backoffSeconds(int retry, double jitter) { return equalJitter(0.5, 8.0, retry, jitter); }

double rateLimitBackoffSeconds(int retry, double jitter) { return equalJitter(2.0, 60.0, retry, jitter); }

HttpVerdict classifyHttp(const HttpResponse &r)
{
    using F = HttpResponse::Failure;
    switch (r.failure) {
    case F::None:
        break;
    case F::Timeout:
        return {HttpDisposition::Retry, "no reply within the timeout (" + r.failureMessage + ")", {}};
    case F::Connect:
        return {HttpDisposition::Retry, "cannot reach the server (" + r.failureMessage + ")", {}};
    case F::Tls:
        return {HttpDisposition::Stop,
                "the server's TLS certificate did not verify (" + r.failureMessage + ")",
                {}};
    case F::TooLarge:
        // The same request gets the same reply, and every attempt is billed.
        return {HttpDisposition::Fail, r.failureMessage + "; not retried", {}};
    case F::Other:
        return {HttpDisposition::Retry, "the connection failed (" + r.failureMessage + ")", {}};
    }
    const long s = r.status;
    if (s >= 200 && s < 300)
        return {HttpDisposition::Read, {}, {}};
    const std::string message = errorMessage(r.body);
    const std::string http = "HTTP " + std::to_string(s) + ": " + message;
    const std::string body = lower(r.body);
    if (containsAny(body, {"context_length_exceeded", "exceed_context_size",
                           "exceeds the available context size", "maximum context length", "context window",
                           "prompt is too long", "context length", "exceed context limit", "context limit"}))
        return {HttpDisposition::Refuse,
                "the server says the prompt does not fit the model's context (" + http + ")",
                {}};
    if (s == 401)
        return {HttpDisposition::Stop, "the server refused the API key (" + http + ")", {}};
    if (s == 403)
        return {HttpDisposition::Stop, "the server forbids this request (" + http + ")", {}};
    if (s == 402 || containsAny(body, {"insufficient_quota", "exceeded your current quota",
                                       "billing_hard_limit", "billing_not_active", "credit balance",
                                       "spend limit", "spending limit", "api usage limit"}))
        return {HttpDisposition::Stop, "quota or spend limit reached (" + http + ")", {}};
    if (s == 404)
        return {HttpDisposition::Stop,
                "no such endpoint or model (" + http + "); check --base-url and --model",
                {}};
    // Only a JSON error's own message is read: a proxy's HTML error page may say anything.
    const bool jsonError = trimmed(r.body).starts_with('{');
    const std::string said = jsonError ? lower(message) : std::string();
    const bool aboutForm = containsAny(said, {"response_format", "json_schema", "json schema", "grammar"});
    if (s == 500 && (aboutForm || containsAny(said, {"invalid", "parse", "unsupported"})))
        return {HttpDisposition::Fail,
                "the server rejected the request as bad (" + http + "); not retried",
                {},
                true};
    if (s == 408 || s == 409 || s == 429 || s >= 500)
        return {HttpDisposition::Retry, http, retryAfterSeconds(r), false, s == 429};
    if (s == 413)
        return {HttpDisposition::Refuse, "the request is too large for the server (" + http + ")", {}};
    return {HttpDisposition::Fail, http, {}, aboutForm};
}

std::int64_t estimatePromptTokens(std::int64_t codePoints, std::optional<double> tokensPerCodePoint)
{
    constexpr std::int64_t kOverhead = 32; // role markers and the chat template around two messages
    const double ratio = tokensPerCodePoint ? *tokensPerCodePoint * 1.05 : 1.0 / 3.5;
    return static_cast<std::int64_t>(std::ceil(static_cast<double>(codePoints) * ratio)) + kOverhead;
}

} // namespace concord::model
