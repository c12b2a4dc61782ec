#include "judge.h"

#include "sha256.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace concord::model {

namespace {

template <typename E, std::size_t N> using Names = std::array<std::pair<E, std::string_view>, N>;

constexpr Names<JudgeApi, 2> kApiNames{{{JudgeApi::OpenAi, "openai"}, {JudgeApi::Anthropic, "anthropic"}}};
constexpr Names<JudgeTask, 3> kTaskNames{{
    {JudgeTask::Preference, "preference"},
    {JudgeTask::Faithful, "faithful"},
    {JudgeTask::NoInfo, "no_info"},
}};
constexpr Names<JudgeStep, 4> kStepNames{{
    {JudgeStep::Preference, "preference"},
    {JudgeStep::Claims, "claims"},
    {JudgeStep::Verify, "verify"},
    {JudgeStep::NoInfo, "no_info"},
}};
constexpr Names<CallPart, 5> kPartNames{{
    {CallPart::Both, ""},
    {CallPart::AB, "AB"},
    {CallPart::BA, "BA"},
    {CallPart::A, "A"},
    {CallPart::B, "B"},
}};
constexpr Names<OnInconsistent, 2> kInconsistentNames{
    {{OnInconsistent::Tie, "tie"}, {OnInconsistent::First, "first"}}};
constexpr Names<QuotePolicy, 2> kQuotePolicyNames{
    {{QuotePolicy::Strict, "strict"}, {QuotePolicy::Lenient, "lenient"}}};

template <typename E, std::size_t N> std::string_view nameOf(E e, const Names<E, N> &names)
{
    for (const auto &[value, name] : names)
        if (value == e)
            return name;
    return {};
}

template <typename E, std::size_t N> std::optional<E> parseName(std::string_view s, const Names<E, N> &names)
{
    for (const auto &[value, name] : names)
        if (name == s)
            return value;
    return std::nullopt;
}

/// The placeholders each step's template must use (and the only ones it may use).
std::vector<std::string_view> placeholdersOf(JudgeStep step)
{
    switch (step) {
    case JudgeStep::Preference:
    case JudgeStep::NoInfo:
        return {"document", "question", "answer_1", "answer_2"};
    case JudgeStep::Claims:
        return {"question", "answer"};
    case JudgeStep::Verify:
        return {"document", "question", "claims"};
    }
    return {};
}

std::string_view trim(std::string_view s)
{
    const auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!s.empty() && isSpace(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back()))
        s.remove_suffix(1);
    return s;
}

/// Calls `f(name)` for each `{{name}}` in `text`, in order.
template <typename F> void forEachPlaceholder(std::string_view text, F f)
{
    for (std::size_t at = text.find("{{"); at != std::string_view::npos; at = text.find("{{", at + 2)) {
        const std::size_t close = text.find("}}", at + 2);
        if (close == std::string_view::npos)
            return;
        f(text.substr(at + 2, close - at - 2));
    }
}

std::string_view valueOf(std::string_view name, const PromptValues &v, bool &known)
{
    known = true;
    if (name == "document")
        return v.document;
    if (name == "question")
        return v.question;
    if (name == "answer_1")
        return v.answer1;
    if (name == "answer_2")
        return v.answer2;
    if (name == "answer")
        return v.answer;
    if (name == "claims")
        return v.claims;
    known = false;
    return {};
}

std::string render(std::string_view text, const PromptValues &values)
{
    std::string out;
    out.reserve(text.size() + values.document.size() + values.answer1.size() + values.answer2.size() +
                values.answer.size() + values.claims.size());
    std::size_t from = 0;
    for (std::size_t at = text.find("{{"); at != std::string_view::npos; at = text.find("{{", from)) {
        const std::size_t close = text.find("}}", at + 2);
        if (close == std::string_view::npos)
            break;
        bool known = false;
        const std::string_view value = valueOf(text.substr(at + 2, close - at - 2), values, known);
        if (!known) {
            out.append(text.substr(from, at + 2 - from));
            from = at + 2;
            continue;
        }
        out.append(text.substr(from, at - from));
        out.append(value);
        from = close + 2;
    }
    out.append(text.substr(from));
    return out;
}

} // namespace

std::string_view toString(JudgeApi a) { return nameOf(a, kApiNames); }
std::string_view toString(JudgeTask t) { return nameOf(t, kTaskNames); }
std::string_view toString(JudgeStep s) { return nameOf(s, kStepNames); }
std::string_view toString(CallPart p) { return nameOf(p, kPartNames); }
std::string_view toString(OnInconsistent o) { return nameOf(o, kInconsistentNames); }
std::string_view toString(QuotePolicy q) { return nameOf(q, kQuotePolicyNames); }
std::optional<JudgeApi> parseJudgeApi(std::string_view s) { return parseName(s, kApiNames); }
std::optional<JudgeTask> parseJudgeTask(std::string_view s) { return parseName(s, kTaskNames); }
std::optional<JudgeStep> parseJudgeStep(std::string_view s) { return parseName(s, kStepNames); }
std::optional<CallPart> parseCallPart(std::string_view s) { return parseName(s, kPartNames); }
std::optional<OnInconsistent> parseOnInconsistent(std::string_view s)
{
    return parseName(s, kInconsistentNames);
}
std::optional<QuotePolicy> parseQuotePolicy(std::string_view s) { return parseName(s, kQuotePolicyNames); }

std::string PromptTemplate::fileName() const
{
    return std::string(toString(step)) + ".v" + std::to_string(version) + ".txt";
}

std::string PromptTemplate::sha256() const { return Sha256::hex(text); }

Result<PromptTemplate> parsePromptTemplate(JudgeStep step, int version, std::string_view text)
{
    PromptTemplate t;
    t.step = step;
    t.version = version;
    t.text = std::string(text);
    const std::string name = t.fileName();
    constexpr std::string_view kSystem = "=== system ===";
    constexpr std::string_view kUser = "=== user ===";

    // Find the two section markers, each alone on its line.
    std::optional<std::size_t> systemAt, userAt;
    std::size_t systemBody = 0, userBody = 0;
    for (std::size_t lineStart = 0; lineStart < text.size();) {
        std::size_t lineEnd = text.find('\n', lineStart);
        if (lineEnd == std::string_view::npos)
            lineEnd = text.size();
        const std::string_view line = trim(text.substr(lineStart, lineEnd - lineStart));
        if (line == kSystem && !systemAt) {
            systemAt = lineStart;
            systemBody = lineEnd;
        } else if (line == kUser && !userAt) {
            userAt = lineStart;
            userBody = lineEnd;
        } else if (!systemAt && !userAt && !line.empty() && line.front() != '#') {
            return makeError(Error::Code::InvalidInput,
                             name +
                                 ": text before \"=== system ===\" must be comment lines starting with '#'");
        }
        lineStart = lineEnd + 1;
    }
    if (!systemAt || !userAt || *userAt < *systemAt)
        return makeError(Error::Code::InvalidInput,
                         name +
                             ": needs a \"=== system ===\" section followed by a \"=== user ===\" section");
    t.system = std::string(trim(text.substr(systemBody, *userAt - systemBody)));
    t.user = std::string(trim(text.substr(std::min(userBody, text.size()))));
    if (t.user.empty())
        return makeError(Error::Code::InvalidInput, name + ": the user section is empty");

    const std::vector<std::string_view> allowed = placeholdersOf(step);
    std::vector<std::string_view> used;
    std::string problem;
    for (const std::string *section : {&t.system, &t.user})
        forEachPlaceholder(*section, [&](std::string_view p) {
            if (std::find(allowed.begin(), allowed.end(), p) == allowed.end()) {
                if (problem.empty())
                    problem = name + ": unknown placeholder {{" + std::string(p) + "}}";
                return;
            }
            used.push_back(p);
        });
    if (!problem.empty()) {
        problem += " (this step uses";
        for (std::string_view p : allowed)
            problem += " {{" + std::string(p) + "}}";
        return makeError(Error::Code::InvalidInput, problem + ")");
    }
    for (std::string_view p : allowed)
        if (std::find(used.begin(), used.end(), p) == used.end())
            return makeError(Error::Code::InvalidInput, name + ": the placeholder {{" + std::string(p) +
                                                            "}} is missing; the judge would not see it");
    return t;
}

std::optional<std::pair<JudgeStep, int>> parseTemplateFileName(std::string_view fileName)
{
    if (!fileName.ends_with(".txt"))
        return std::nullopt;
    fileName.remove_suffix(4);
    const std::size_t dot = fileName.rfind(".v");
    if (dot == std::string_view::npos)
        return std::nullopt;
    const auto step = parseJudgeStep(fileName.substr(0, dot));
    const std::string_view digits = fileName.substr(dot + 2);
    int version = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
    if (!step || digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || version < 1)
        return std::nullopt;
    return std::pair{*step, version};
}

Prompt renderPrompt(const PromptTemplate &t, const PromptValues &values)
{
    return {render(t.system, values), render(t.user, values)};
}

const PromptTemplate &JudgeConfig::templateFor(JudgeStep step) const
{
    for (const PromptTemplate &t : templates)
        if (t.step == step)
            return t;
    // An invariant of every configuration built by the app; a stub keeps this noexcept-friendly.
    static const PromptTemplate kMissing{};
    return kMissing;
}

std::string normaliseBaseUrl(std::string_view url)
{
    std::string out(trim(url));
    while (!out.empty() && out.back() == '/')
        out.pop_back();
    if (out.ends_with("/v1"))
        out.resize(out.size() - 3);
    while (!out.empty() && out.back() == '/')
        out.pop_back();
    return out;
}

std::optional<std::string> baseUrlProblem(std::string_view url)
{
    const std::string_view u = trim(url);
    const std::size_t scheme = u.starts_with("http://") ? 7 : u.starts_with("https://") ? 8 : 0;
    if (scheme == 0)
        return std::string("must start with http:// or https://");
    if (u.size() == scheme || u[scheme] == '/' || u[scheme] == '?' || u[scheme] == '#')
        return std::string("must name a server after ") + std::string(u.substr(0, scheme));
    return std::nullopt;
}

std::optional<std::string> baseUrlSecret(std::string_view url)
{
    const std::size_t scheme = url.find("://");
    std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
    const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
    if (authority.find('@') != std::string_view::npos)
        return std::string("carries a user name or password (user:password@host)");
    std::size_t query = rest.find('?');
    if (query == std::string_view::npos)
        return std::nullopt;
    std::string_view params = rest.substr(query + 1);
    params = params.substr(0, params.find('#'));
    while (!params.empty()) {
        const std::size_t amp = params.find('&');
        const std::string_view param = params.substr(0, amp);
        std::string name(param.substr(0, param.find('=')));
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return char(std::tolower(c)); });
        // Word by word ("api-key", "access_token", "X-Api-Key"), so "monkey" or "keyboard" pass.
        std::size_t start = 0;
        while (start < name.size()) {
            std::size_t end = start;
            while (end < name.size() && std::isalnum(static_cast<unsigned char>(name[end])))
                ++end;
            const std::string_view word = std::string_view(name).substr(start, end - start);
            for (std::string_view secret :
                 {"key", "apikey", "token", "accesstoken", "secret", "password", "passwd", "pwd", "auth",
                  "authorization", "sig", "signature", "credential", "credentials"})
                if (word == secret)
                    return "carries a key-like query parameter (\"" + name + "\")";
            start = end + 1;
        }
        params = amp == std::string_view::npos ? std::string_view() : params.substr(amp + 1);
    }
    return std::nullopt;
}

std::string configJson(const JudgeConfig &c)
{
    nlohmann::json j; // std::map underneath: keys sorted, so the text is canonical
    j["api"] = toString(c.api);
    j["base_url"] = c.baseUrl;
    j["model"] = c.model;
    j["temperature"] = c.temperature;
    j["max_tokens"] = c.maxTokens;
    j["on_inconsistent"] = toString(c.onInconsistent);
    j["quote_policy"] = toString(c.quotePolicy);
    j["protocol"] = kJudgeProtocolVersion;
    if (c.api == JudgeApi::OpenAi) {
        if (c.seed)
            j["seed"] = *c.seed;
        j["max_tokens_field"] = c.maxTokensField;
        nlohmann::json forms;
        forms["response_format"] = c.forms.responseFormatJsonObject   ? "json_object"
                                   : c.forms.responseFormatJsonSchema ? "json_schema"
                                                                      : "none";
        forms["top_level_json_schema"] = c.forms.topLevelJsonSchema;
        forms["length_limits"] = c.forms.lengthLimits;
        j["schema_forms"] = forms;
    }
    nlohmann::json templates = nlohmann::json::object();
    for (const PromptTemplate &t : c.templates)
        templates[std::string(toString(t.step))] = {{"version", t.version}, {"sha256", t.sha256()}};
    j["templates"] = templates;
    return j.dump();
}

std::string judgeRaterId(const JudgeConfig &config)
{
    return "judge:" + config.model + ":" + Sha256::hex(configJson(config)).substr(0, 8);
}

std::optional<JudgeProfile> builtinProfile(std::string_view name)
{
    JudgeProfile p;
    p.name = std::string(name);
    p.keyEnv = "OPENAI_API_KEY";
    if (name == "openai") {
        p.defaultBaseUrl = "https://api.openai.com";
        p.forms.lengthLimits = false; // strict structured outputs refuse maxLength
        p.maxTokensField = "max_completion_tokens";
    } else if (name == "anthropic") {
        p.api = JudgeApi::Anthropic;
        p.defaultBaseUrl = "https://api.anthropic.com";
        p.keyEnv = "ANTHROPIC_API_KEY";
        p.seed = false;
        p.maxContext = 200000;
    } else if (name == "llama-server") {
        p.defaultBaseUrl = "http://127.0.0.1:8080";
        p.forms.responseFormatJsonSchema = false;
        p.forms.responseFormatJsonObject = true;
        p.forms.topLevelJsonSchema = true;
    } else if (name == "ollama") {
        p.defaultBaseUrl = "http://127.0.0.1:11434";
    } else if (name == "vllm") {
        p.defaultBaseUrl = "http://127.0.0.1:8000";
    } else if (name == "lmstudio") {
        p.defaultBaseUrl = "http://127.0.0.1:1234";
    } else if (name == "openai-compatible") {
        // Any other OpenAI-compatible server: the standard form, with length limits.
    } else {
        return std::nullopt;
    }
    return p;
}

std::string builtinProfileNames()
{
    return "openai, anthropic, llama-server, ollama, vllm, lmstudio, openai-compatible";
}

} // namespace concord::model
