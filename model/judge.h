#pragma once
/// @file judge.h
/// The LLM judge as a rater: what it is asked (tasks and the calls they make), how it is
/// configured, and the identity a configuration gives it. A judge configuration — provider, base
/// URL, model, sampling parameters, how the reply's schema is sent, policies and the exact prompt
/// templates — is one rater, `judge:<model>:<8 hex digits of the configuration's SHA-256>`, with
/// the whole configuration stored on the rater. Keys are never part of a configuration.

#include "result.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace concord::model {

/// The wire format: OpenAI Chat Completions (also llama-server, Ollama, vLLM, LM Studio) or
/// Anthropic Messages.
enum class JudgeApi { OpenAi, Anthropic };

/// What the judge is asked about an item. Each task ends in one label row of the judge.
enum class JudgeTask {
    Preference, ///< which answer is better, overall and per criterion, asked in both orders
    Faithful,   ///< per answer: is every claim supported by the document
    NoInfo,     ///< per answer: answered, hallucinated, declined correctly or wrongly
};
inline constexpr std::array kJudgeTasks = {JudgeTask::Preference, JudgeTask::Faithful, JudgeTask::NoInfo};

/// One kind of model call; each has its own prompt template and reply schema.
enum class JudgeStep {
    Preference, ///< document, question, two answers -> verdicts (one call per order)
    Claims,     ///< question, one answer -> the answer's claims (no document: it is cheap)
    Verify,     ///< document, question, claims -> a verdict and a quote per claim
    NoInfo,     ///< document, question, both answers -> does the document answer; does each decline
};
inline constexpr std::array kJudgeSteps = {JudgeStep::Preference, JudgeStep::Claims, JudgeStep::Verify,
                                           JudgeStep::NoInfo};

/// Which call of a task: the order for preference, the answer for claims and verify.
enum class CallPart { Both, AB, BA, A, B };

/// What the final preference is when the two orders disagree after mapping back.
enum class OnInconsistent {
    Tie,   ///< the verdict is a tie (the default: a position-dependent preference is no preference)
    First, ///< the verdict of the first order (answer A shown first)
};

/// Whether a claim the judge calls supported also needs its quote to be found in the document.
enum class QuotePolicy {
    Strict,  ///< supported only with a located quote (the default: an invented quote proves nothing)
    Lenient, ///< the judge's word is taken; the quote is located when it can be
};

std::string_view toString(JudgeApi a);       ///< "openai", "anthropic"
std::string_view toString(JudgeTask t);      ///< "preference", "faithful", "no_info"
std::string_view toString(JudgeStep s);      ///< "preference", "claims", "verify", "no_info"
std::string_view toString(CallPart p);       ///< "", "AB", "BA", "A", "B"
std::string_view toString(OnInconsistent o); ///< "tie", "first"
std::string_view toString(QuotePolicy q);    ///< "strict", "lenient"
std::optional<JudgeApi> parseJudgeApi(std::string_view s);
std::optional<JudgeTask> parseJudgeTask(std::string_view s);
std::optional<JudgeStep> parseJudgeStep(std::string_view s);
std::optional<CallPart> parseCallPart(std::string_view s);
std::optional<OnInconsistent> parseOnInconsistent(std::string_view s);
std::optional<QuotePolicy> parseQuotePolicy(std::string_view s);

/// How an OpenAI-compatible server is told the JSON Schema of the reply. Servers differ: OpenAI,
/// Ollama, vLLM and LM Studio take `response_format {type: json_schema, json_schema: {name,
/// strict, schema}}`; llama-server builds before late 2024 reject that form (HTTP 500) and honour
/// `response_format {type: json_object, schema}` and a top-level `json_schema`. Whatever is sent,
/// the reply is validated against the full schema by Concord.
struct SchemaForms
{
    bool responseFormatJsonSchema = true; ///< response_format {type: json_schema, ...}
    bool responseFormatJsonObject =
        false;                       ///< response_format {type: json_object, schema}; excludes the above
    bool topLevelJsonSchema = false; ///< "json_schema": schema at the top of the body
    /// Send maxLength / maxItems. Grammar-constrained servers need them, or a free-text field runs
    /// on to max_tokens; OpenAI's strict mode rejects them. Concord checks them on the reply either way.
    bool lengthLimits = true;

    bool operator==(const SchemaForms &) const = default;
};

/// A prompt template, as a text file `<step>.v<version>.txt`: an optional comment header (lines
/// starting with '#'), then `=== system ===` and `=== user ===` sections. Placeholders are
/// `{{document}}`, `{{question}}`, `{{answer_1}}`, `{{answer_2}}`, `{{answer}}` and `{{claims}}`;
/// which ones a step needs is checked by parsePromptTemplate().
struct PromptTemplate
{
    JudgeStep step = JudgeStep::Preference;
    int version = 1;
    std::string text;   ///< the whole file, as stored in the project
    std::string system; ///< the system section, trimmed
    std::string user;   ///< the user section, trimmed

    std::string fileName() const; ///< "preference.v1.txt"
    std::string sha256() const;   ///< of `text`
};

/// Parses a template file's text for `step`; names a missing section or placeholder, or one the
/// step does not know, in the error.
Result<PromptTemplate> parsePromptTemplate(JudgeStep step, int version, std::string_view text);

/// Splits "preference.v2.txt" into step and version.
std::optional<std::pair<JudgeStep, int>> parseTemplateFileName(std::string_view fileName);

/// A prompt ready to send: the rendered sections.
struct Prompt
{
    std::string system;
    std::string user;
};

/// The values a template's placeholders take. Unused ones may be empty.
struct PromptValues
{
    std::string_view document;
    std::string_view question;
    std::string_view answer1;
    std::string_view answer2;
    std::string_view answer;
    std::string_view claims;
};

/// Substitutes placeholders in one pass, so text inside a document that looks like a placeholder
/// is left alone.
Prompt renderPrompt(const PromptTemplate &t, const PromptValues &values);

/// Everything that decides what the judge is sent and how its replies become labels. Two runs
/// with equal configurations are the same rater.
struct JudgeConfig
{
    JudgeApi api = JudgeApi::OpenAi;
    std::string baseUrl; ///< normalised: no trailing '/' nor "/v1"
    std::string model;
    double temperature = 0.0;
    std::optional<std::int64_t> seed = 20240601; ///< sent where the API has one (not Anthropic)
    std::int64_t maxTokens = 2048;               ///< the reply budget of one call
    std::string maxTokensField = "max_tokens";   ///< OpenAI's newer models want max_completion_tokens
    SchemaForms forms;                           ///< OpenAI API only
    OnInconsistent onInconsistent = OnInconsistent::Tie;
    QuotePolicy quotePolicy = QuotePolicy::Strict;
    std::vector<PromptTemplate> templates; ///< one per JudgeStep

    /// The template of `step`; templates must hold one for every step.
    const PromptTemplate &templateFor(JudgeStep step) const;
};

/// The judge protocol's own version: bumped when request building or reply interpretation
/// changes in a way that makes labels differ. Part of every configuration.
inline constexpr int kJudgeProtocolVersion = 1;

/// Removes a trailing '/' and a trailing "/v1" so that both spellings users copy from server
/// docs give the same endpoint and the same rater.
std::string normaliseBaseUrl(std::string_view url);

/// Why `url` must not be a judge's base URL, when it carries a secret: a user name and password
/// (`http://user:secret@host`) or a key-like query parameter (`?key=`, `api-key=`, `access_token=`,
/// ...). The base URL is part of the configuration, so it is stored in the project (the rater's
/// name and config) and hashed into the rater id; keys go in a request header instead
/// (docs/judge.md, Keys). nullopt when the URL carries none.
std::optional<std::string> baseUrlSecret(std::string_view url);
/// Why `url` cannot be a judge server's URL, as "must …" (the CLI and the dialog say it after the
/// option's or field's name), or std::nullopt: it must start with http:// or https:// and name a
/// host. Secrets are baseUrlSecret()'s to report.
std::optional<std::string> baseUrlProblem(std::string_view url);

/// The configuration as canonical JSON (sorted keys, compact): stored as the rater's config.
std::string configJson(const JudgeConfig &config);

/// `judge:<model>:<first 8 hex digits of SHA-256(configJson)>`.
std::string judgeRaterId(const JudgeConfig &config);

/// A provider profile: defaults for one kind of server. Profiles fill in a configuration; what is
/// sent is in the configuration, so a profile's name is not part of a rater's identity.
struct JudgeProfile
{
    std::string name;
    JudgeApi api = JudgeApi::OpenAi;
    std::string defaultBaseUrl;
    std::string keyEnv; ///< the environment variable holding the API key
    SchemaForms forms;
    std::string maxTokensField = "max_tokens";
    bool seed = true;                       ///< whether the API takes a seed
    std::optional<std::int64_t> maxContext; ///< tokens; nullopt: unknown, only the server's refusal tells
};

/// "openai", "anthropic", "llama-server", "ollama", "vllm", "lmstudio"; nullopt for others.
std::optional<JudgeProfile> builtinProfile(std::string_view name);
/// The names of the built-in profiles, comma-separated, for messages.
std::string builtinProfileNames();

/// The judge's position consistency: of the items judged in both orders, the share whose two
/// overall verdicts agree once the swapped one is mapped back (Zheng et al. 2023, "Judging
/// LLM-as-a-Judge with MT-Bench and Chatbot Arena", section 3.3).
struct PositionConsistency
{
    std::int64_t items = 0;
    std::int64_t consistent = 0;
    double rate() const { return items ? static_cast<double>(consistent) / static_cast<double>(items) : 0.0; }
};

} // namespace concord::model
