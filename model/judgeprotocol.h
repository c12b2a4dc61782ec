#pragma once
/// @file judgeprotocol.h
/// The judge's wire protocol, as pure functions: the JSON Schema of each step's reply, the exact
/// request body for OpenAI Chat Completions and Anthropic Messages, reading a reply body into the
/// verdict JSON it carries, validating that JSON against the schema (always, whatever the server
/// promised) and classifying HTTP outcomes for retries. No I/O.
///
/// Request bodies are deterministic byte for byte (fixed key order, compact): their SHA-256 is the
/// cache key of a call, so equal configurations and prompts never reach the server twice.

#include "httptransport.h"
#include "judge.h"
#include "result.h"
#include "vocabulary.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace concord::model {

/// The JSON Schema of `step`'s reply, compact. Without `lengthLimits`, maxLength and maxItems are
/// left out (what OpenAI's strict mode accepts); replies are always checked with them.
std::string replySchema(JudgeStep step, bool lengthLimits = true);

/// `{base}/v1/chat/completions` or `{base}/v1/messages`.
std::string endpointUrl(const JudgeConfig &config);

/// The exact body sent for one call.
std::string requestBody(const JudgeConfig &config, JudgeStep step, const Prompt &prompt);

/// Content type, and the key when there is one (Bearer for OpenAI, x-api-key and
/// anthropic-version for Anthropic). An empty key sends no authentication header.
std::vector<HttpHeader> requestHeaders(const JudgeConfig &config, std::string_view apiKey);

/// The cache key of a call: SHA-256 of "POST <url>\n<body>" (the body alone would let two
/// servers that host the same model name share replies).
std::string requestHash(std::string_view url, std::string_view body);

struct TokenUsage
{
    std::optional<std::int64_t> promptTokens;
    std::optional<std::int64_t> completionTokens;
};

/// What a 2xx reply body carries: the verdict JSON text, or why there is none usable.
struct CompletionReading
{
    std::optional<std::string> payload; ///< the verdict object as JSON text
    std::string failure;                ///< set when payload is not: cut off, refused, empty, ...
    TokenUsage usage;                   ///< as far as the body reports it, also on failure
    /// The reply stopped at max_tokens (a failure): the same request would only be cut off again.
    bool cutOff = false;
};

/// Reads the body of a successful (2xx) reply. A reply cut off at max_tokens (OpenAI
/// finish_reason "length", Anthropic stop_reason "max_tokens"), a refusal, empty content, or a
/// body of the wrong shape is a failure with a reason. OpenAI content is read leniently: after a
/// leading <think>...</think> block, the whole content, else the inside of the first ``` fence, else
/// the first balanced {...} that parses as a JSON object (prose around it ignored); without one the
/// content is the payload, for the parser to reject. Anthropic's verdict is the `input` of the
/// forced tool_use block.
CompletionReading readCompletion(JudgeApi api, std::string_view body);

/// The server's own message in an error body (OpenAI, Anthropic and llama-server shapes), or
/// the start of the body.
std::string errorMessage(std::string_view body);

/// A position in the order the answers were shown: answer 1, answer 2, or neither.
enum class Shown { First, Second, Tie };

/// The preference reply, in shown positions.
struct PreferenceReply
{
    std::string explanation;
    Shown relevance = Shown::Tie;
    Shown comprehensiveness = Shown::Tie;
    Shown conciseness = Shown::Tie;
    Shown overall = Shown::Tie;
};

struct ClaimsReply
{
    std::vector<std::string> claims;
};

enum class ClaimVerdict { Supported, Unsupported, Contradicted };
std::string_view toString(ClaimVerdict v); ///< "supported", "unsupported", "contradicted"
std::optional<ClaimVerdict> parseClaimVerdict(std::string_view s);

struct ClaimCheck
{
    int number = 0; ///< 1-based, as the claims were listed
    std::string reasoning;
    std::string quote;
    ClaimVerdict verdict = ClaimVerdict::Unsupported;
};

/// One check per claim, sorted by number.
struct VerifyReply
{
    std::vector<ClaimCheck> checks;
};

struct NoInfoReply
{
    std::string reasoning;
    bool documentContainsAnswer = true;
    std::array<bool, 2> declines{}; ///< answer 1 (A), answer 2 (B)
};

/// Each parser checks the payload against the step's full schema and reads it; the error names
/// the first violation, e.g. `$.overall: "C" is not one of "1", "2", "tie"`. Enum values in
/// another case ("Tie") are read as the schema spells them.
Result<PreferenceReply> parsePreferenceReply(std::string_view payload);
Result<ClaimsReply> parseClaimsReply(std::string_view payload);
/// Also checks that the checks number the `claimCount` claims asked about, each once.
Result<VerifyReply> parseVerifyReply(std::string_view payload, std::size_t claimCount);
Result<NoInfoReply> parseNoInfoReply(std::string_view payload);

/// What to do with an HTTP outcome before reading its body.
enum class HttpDisposition {
    Read,   ///< 2xx: read the reply
    Retry,  ///< transient: try again after a delay (408, 409, 429, 5xx, 529, timeouts, resets)
    Fail,   ///< this call fails for good; the item is recorded failed
    Refuse, ///< the prompt does not fit the model's context; the item is refused, not retried
    Stop,   ///< authentication, quota or spend limit: the whole run stops
};

struct HttpVerdict
{
    HttpDisposition disposition = HttpDisposition::Fail;
    std::string reason;                ///< for the summary and the call manifest
    std::optional<double> retryAfterS; ///< the server's own delay, when it gave one (at most 300 s)
    /// The server rejected how the request is formed (its message names response_format, a JSON
    /// schema or a grammar, or it is a 500 saying the request was bad): sending the schema in
    /// other forms (JudgeConfig::forms) may help.
    bool requestForm = false;
    /// A 429 that is not about quota: the server limits the request rate, so every call, not only
    /// this one, should wait (rateLimitBackoffSeconds() when the server gives no delay).
    bool rateLimited = false;
};

/// A 500 whose message says the request itself was bad (it names response_format, json_schema or a
/// grammar, or says "invalid" or "parse") is Fail, not Retry: llama-server answers requests it
/// cannot use with 500, and sending the same body again gets the same answer. Other 5xx are Retry.
/// A reply too large for the transport (HttpResponse::Failure::TooLarge) is Fail: asking again would
/// be billed again for the same reply.
HttpVerdict classifyHttp(const HttpResponse &response);

/// The longest server-given delay honoured: a longer Retry-After is cut to this, and the call is
/// tried again then (a per-minute limit asks for up to 60 s; an hour's wait is better left to the
/// user, who sees the run stop once the retries are spent).
constexpr double kMaxRetryAfterS = 300.0;

/// `retry-after-ms`, else `Retry-After` in seconds, at most kMaxRetryAfterS; nullopt when absent,
/// unreadable or an HTTP date (left to the backoff).
std::optional<double> retryAfterSeconds(const HttpResponse &response);

/// Exponential backoff with jitter: base 0.5 s · 2^retry, capped at 8 s; the delay is drawn from
/// [base/2, base) by `jitter` in [0, 1) ("equal jitter", so retries never bunch at zero).
double backoffSeconds(int retry, double jitter);

/// The backoff after a 429 without a delay: base 2 s · 2^retry, capped at 60 s, equal jitter, so
/// that six retries span more than a minute, the window of per-minute limits.
double rateLimitBackoffSeconds(int retry, double jitter);

/// A conservative token estimate for `codePoints` of prompt text when the server has not told us
/// its tokenizer's ratio: one token per 3.5 code points (English runs near 4) plus per-message
/// overhead. With `tokensPerCodePoint` (measured from the server's usage reports), that ratio
/// plus 5% is used instead.
std::int64_t estimatePromptTokens(std::int64_t codePoints,
                                  std::optional<double> tokensPerCodePoint = std::nullopt);

} // namespace concord::model
