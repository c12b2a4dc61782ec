#include "judgecommand.h"

#include "args.h"
#include "curltransport.h"
#include "judgekeys.h"
#include "judgerunner.h"
#include "judgetemplates.h"
#include "project.h"

#include <QCoreApplication>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <atomic>
#include <charconv>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <variant>

#ifndef CONCORD_VERSION
#define CONCORD_VERSION "0.0.0"
#endif

namespace concord::app {

const char *const kJudgeSynopsis =
    "judge PROJECT.concord --model NAME [--base-url URL] [--api openai|anthropic] [OPTIONS...]";

const char *const kJudgeHelp =
    "Run an LLM judge over the project's items (docs/judge.md). Each judge configuration (API, base URL,\n"
    "model, parameters, prompt templates) is one rater, judge:<model>:<hash>; its verdicts are stored as "
    "its\n"
    "labels, with every reply kept. Items already judged are skipped, and every reply is cached by the hash\n"
    "of its request: an interrupted run continues where it stopped, and a repeated run sends nothing.\n\n"
    "  --model NAME            the model, as the server names it (required)\n"
    "  --base-url URL          the server, e.g. http://127.0.0.1:8080 (a trailing /v1 is accepted);\n"
    "                          defaults to the profile's\n"
    "  --api openai|anthropic  OpenAI Chat Completions (also llama-server, Ollama, vLLM, LM Studio) or\n"
    "                          Anthropic Messages (default: openai)\n"
    "  --profile NAME          openai, anthropic, llama-server, ollama, vllm, lmstudio or\n"
    "                          openai-compatible: how the reply's JSON Schema is sent, the default URL,\n"
    "                          key variable and context (default: from --api and --base-url)\n"
    "  --tasks LIST            preference,faithful,no_info (default: all three)\n"
    "  --concurrency N         requests in flight at once (default 8)\n"
    "  --limit N               only the first N items (of --items, or of the project)\n"
    "  --items ID,...          only these items\n"
    "  --timeout S             seconds for one request (default 300)\n"
    "  --max-context TOKENS    the model's context window: items whose prompt may not fit are refused,\n"
    "                          never shortened (default: the profile's; none for local servers)\n"
    "  --key-env NAME          the environment variable holding the API key (default OPENAI_API_KEY or\n"
    "                          ANTHROPIC_API_KEY); when it is unset, the key stored in the OS keychain for\n"
    "                          the profile (Judge dialog, Store in Keychain) is used. None is needed for\n"
    "                          local servers. Keys are never written to the project.\n"
    "  --max-tokens N          the reply budget of one call (default 2048)\n"
    "  --temperature T         (default 0)   --seed N|none (default 20240601; sent where the API has one)\n"
    "  --schema-forms LIST     how the JSON Schema is sent to an OpenAI-compatible server: json_schema,\n"
    "                          json_object or none, plus top_level and/or no_length_limits\n"
    "  --on-inconsistent tie|first   the verdict when the two orders disagree (default tie)\n"
    "  --quote-policy strict|lenient whether a supported claim needs its quote found in the document\n"
    "                          (default strict)\n"
    "  --prompts DIR           prompt templates (<step>.v<N>.txt) replacing the built-in ones\n"
    "  --retries N             retries of a transient failure (429, 5xx, timeouts; default 6); a 429\n"
    "                          pauses every request for the server's Retry-After (at most 300 s)\n"
    "  --estimate              send nothing: print the calls and tokens the run would take\n"
    "  --json                  print the summary as JSON\n\n"
    "Exit status: 0 when every task ended judged or recorded as failed (with its reason), 1 when the run\n"
    "was stopped (the key was refused, quota or spend limit, rate limited beyond the retries, server\n"
    "unreachable), 2 for bad arguments,\n"
    "130 when interrupted.";

namespace {

std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

extern "C" void onInterrupt(int signal)
{
    g_interrupted.store(true);
    std::signal(signal, SIG_DFL); // a second Ctrl-C ends the process at once
}

int fail(const std::string &message, int code)
{
    std::cerr << "concord: " << message << '\n';
    return code;
}

template <typename T> std::optional<T> parseNumber(const std::string &s)
{
    T value{};
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size())
        return std::nullopt;
    return value;
}

std::vector<std::string> splitList(const std::string &s)
{
    std::vector<std::string> out;
    std::stringstream in(s);
    for (std::string part; std::getline(in, part, ',');)
        if (!part.empty())
            out.push_back(part);
    return out;
}

struct JudgeArgs
{
    std::string project;
    bool json = false;
    bool estimate = false; ///< only say what the run would take
    storage::JudgeRunOptions run;
    std::string keyEnv;
    std::string profile; ///< its id names the key in the OS keychain
};

/// Reads `<step>.v<N>.txt` files from `dir`: the newest version of each step found replaces the
/// built-in template.
std::variant<std::vector<model::PromptTemplate>, std::string> loadTemplates(const std::string &dir)
{
    std::vector<model::PromptTemplate> templates = model::builtinTemplates();
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        return "--prompts " + dir + ": not a folder";
    std::map<model::JudgeStep, std::pair<int, std::filesystem::path>> newest;
    for (const auto &entry : std::filesystem::directory_iterator(dir, ec)) {
        const auto parsed = model::parseTemplateFileName(entry.path().filename().string());
        if (!parsed)
            continue;
        auto &slot = newest[parsed->first];
        if (parsed->second > slot.first)
            slot = {parsed->second, entry.path()};
    }
    if (ec)
        return "--prompts " + dir + ": " + ec.message();
    if (newest.empty())
        return "--prompts " + dir + ": no template files (named like preference.v2.txt)";
    for (const auto &[step, found] : newest) {
        std::ifstream in(found.second, std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        if (!in)
            return found.second.string() + ": cannot be read";
        auto t = model::parsePromptTemplate(step, found.first, text.str());
        if (!t)
            return found.second.string() + ": " + t.error().message;
        for (model::PromptTemplate &existing : templates)
            if (existing.step == step)
                existing = std::move(*t);
    }
    return templates;
}

std::variant<JudgeArgs, std::string> parse(const std::vector<std::string> &given)
{
    static const std::vector<std::string> valued = {
        "--model",           "--base-url",     "--api",         "--profile", "--tasks",
        "--concurrency",     "--limit",        "--items",       "--timeout", "--max-context",
        "--key-env",         "--max-tokens",   "--temperature", "--seed",    "--schema-forms",
        "--on-inconsistent", "--quote-policy", "--prompts",     "--retries"};
    std::map<std::string, std::string> o;
    JudgeArgs out;
    std::vector<std::string> args = given;
    std::vector<std::string> positional = takeNamesAfterDoubleDash(args);
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string name = args[i], value;
        if (name.size() < 2 || name[0] != '-') {
            positional.push_back(name);
            continue;
        }
        const auto eq = name.find('=');
        if (eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        if (name == "--json" && eq == std::string::npos) {
            out.json = true;
            continue;
        }
        if (name == "--estimate" && eq == std::string::npos) {
            out.estimate = true;
            continue;
        }
        if (std::find(valued.begin(), valued.end(), name) == valued.end())
            return "unknown option " + name + " (see concord judge --help)";
        if (eq == std::string::npos) {
            if (i + 1 >= args.size())
                return name + " needs a value";
            value = args[++i];
        }
        o[name] = value;
    }
    if (positional.size() != 1)
        return "judge takes one project (see concord judge --help)";
    out.project = positional[0];
    if (!o.count("--model") || o["--model"].empty())
        return "--model is required: the model's name as the server knows it";

    // The profile: given, or inferred from the API and the server.
    std::optional<model::JudgeApi> api;
    if (o.count("--api")) {
        api = model::parseJudgeApi(o["--api"]);
        if (!api)
            return "--api must be openai or anthropic";
    }
    std::string profileName;
    if (o.count("--profile"))
        profileName = o["--profile"];
    else if (api == model::JudgeApi::Anthropic)
        profileName = "anthropic";
    else if (o.count("--base-url") && o["--base-url"].find("api.openai.com") != std::string::npos)
        profileName = "openai";
    else if (o.count("--base-url"))
        profileName = "openai-compatible";
    else
        return "--base-url is required (or --profile with a default server: " + model::builtinProfileNames() +
               ")";
    const auto profile = model::builtinProfile(profileName);
    if (!profile)
        return "unknown profile \"" + profileName + "\" (one of: " + model::builtinProfileNames() + ")";
    if (api && *api != profile->api)
        return "--api " + o["--api"] + " does not match the " + profile->name + " profile";

    model::JudgeConfig &c = out.run.config;
    c.api = profile->api;
    c.model = o["--model"];
    c.baseUrl = model::normaliseBaseUrl(o.count("--base-url") ? o["--base-url"] : profile->defaultBaseUrl);
    if (c.baseUrl.empty())
        return "--base-url is required for the " + profile->name + " profile";
    if (const auto problem = model::baseUrlProblem(c.baseUrl))
        return "--base-url " + *problem;
    c.forms = profile->forms;
    c.maxTokensField = profile->maxTokensField;
    if (!profile->seed)
        c.seed.reset();
    out.keyEnv = o.count("--key-env") ? o["--key-env"] : profile->keyEnv;
    // The base URL is stored in the project and hashed into the rater id: no secret may ride in it.
    if (const auto secret = model::baseUrlSecret(c.baseUrl))
        return "--base-url " + *secret +
               ", which would be stored in the project with the judge's configuration; pass the API key in "
               "$" +
               out.keyEnv + " (or the variable --key-env names) or the OS keychain instead";
    out.profile = profileName;
    out.run.maxContext = profile->maxContext;
    out.run.raterName = c.model + " (" + std::string(model::toString(c.api)) + ", " + c.baseUrl + ")";

    if (o.count("--tasks")) {
        out.run.tasks.clear();
        for (const std::string &t : splitList(o["--tasks"])) {
            const auto task = model::parseJudgeTask(t);
            if (!task)
                return "unknown task \"" + t + "\" (preference, faithful, no_info)";
            out.run.tasks.push_back(*task);
        }
        if (out.run.tasks.empty())
            return "--tasks needs at least one of preference, faithful, no_info";
    }
    auto positive = [&](const char *name, std::int64_t max) -> std::variant<std::int64_t, std::string> {
        const auto v = parseNumber<std::int64_t>(o[name]);
        if (!v || *v < 1 || *v > max)
            return std::string(name) + " must be a whole number from 1 to " + std::to_string(max);
        return *v;
    };
    struct IntOption
    {
        const char *name;
        std::int64_t max;
    };
    for (const IntOption &io : {IntOption{"--concurrency", 256}, IntOption{"--limit", std::int64_t(1) << 40},
                                IntOption{"--max-context", 100000000}, IntOption{"--max-tokens", 1000000}}) {
        if (!o.count(io.name))
            continue;
        auto v = positive(io.name, io.max);
        if (auto *error = std::get_if<std::string>(&v))
            return *error;
        const std::int64_t n = std::get<std::int64_t>(v);
        if (std::string_view(io.name) == "--concurrency")
            out.run.concurrency = static_cast<int>(n);
        else if (std::string_view(io.name) == "--limit")
            out.run.limit = n;
        else if (std::string_view(io.name) == "--max-context")
            out.run.maxContext = n;
        else
            c.maxTokens = n;
    }
    if (o.count("--retries")) {
        const auto v = parseNumber<int>(o["--retries"]);
        if (!v || *v < 0 || *v > 20)
            return "--retries must be a whole number from 0 to 20";
        out.run.maxTransientRetries = *v;
    }
    if (o.count("--items")) {
        out.run.items = splitList(o["--items"]);
        if (out.run.items.empty())
            return "--items needs item ids, separated by commas";
    }
    if (o.count("--timeout")) {
        const auto v = parseNumber<double>(o["--timeout"]);
        if (!v || !(*v > 0) || *v > 86400)
            return "--timeout must be a number of seconds above 0";
        out.run.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(*v * 1000)));
    }
    if (o.count("--temperature")) {
        const auto v = parseNumber<double>(o["--temperature"]);
        if (!v || *v < 0 || *v > 2)
            return "--temperature must be a number from 0 to 2";
        c.temperature = *v;
    }
    if (o.count("--seed")) {
        if (o["--seed"] == "none") {
            c.seed.reset();
        } else {
            const auto v = parseNumber<std::int64_t>(o["--seed"]);
            if (!v)
                return "--seed must be a whole number or none";
            c.seed = *v;
        }
    }
    if (o.count("--schema-forms")) {
        model::SchemaForms forms{false, false, false, true};
        for (const std::string &f : splitList(o["--schema-forms"])) {
            if (f == "json_schema")
                forms.responseFormatJsonSchema = true;
            else if (f == "json_object")
                forms.responseFormatJsonObject = true;
            else if (f == "top_level")
                forms.topLevelJsonSchema = true;
            else if (f == "no_length_limits")
                forms.lengthLimits = false;
            else if (f != "none")
                return "unknown schema form \"" + f +
                       "\" (json_schema, json_object, none, top_level, no_length_limits)";
        }
        if (forms.responseFormatJsonSchema && forms.responseFormatJsonObject)
            return "--schema-forms: json_schema and json_object are two spellings of response_format; choose "
                   "one";
        c.forms = forms;
    }
    if (o.count("--on-inconsistent")) {
        const auto v = model::parseOnInconsistent(o["--on-inconsistent"]);
        if (!v)
            return "--on-inconsistent must be tie or first";
        c.onInconsistent = *v;
    }
    if (o.count("--quote-policy")) {
        const auto v = model::parseQuotePolicy(o["--quote-policy"]);
        if (!v)
            return "--quote-policy must be strict or lenient";
        c.quotePolicy = *v;
    }
    if (o.count("--prompts")) {
        auto templates = loadTemplates(o["--prompts"]);
        if (auto *error = std::get_if<std::string>(&templates))
            return *error;
        c.templates = std::move(std::get<std::vector<model::PromptTemplate>>(templates));
    } else {
        c.templates = model::builtinTemplates();
    }
    if (c.templates.size() != model::kJudgeSteps.size())
        return "this build lacks a built-in prompt template";
    return out;
}

std::string tasksText(const std::vector<model::JudgeTask> &tasks)
{
    std::string out;
    for (model::JudgeTask t : tasks)
        out += (out.empty() ? "" : ", ") + std::string(model::toString(t));
    return out;
}

/// One updating line on a terminal; elsewhere (logs, CI) a line every ten seconds of a long run.
class ProgressLine
{
public:
    ProgressLine() : m_tty(isatty(STDERR_FILENO) == 1), m_last(std::chrono::steady_clock::now()) {}

    void show(const storage::JudgeProgress &p)
    {
        const auto now = std::chrono::steady_clock::now();
        if (!m_tty && now - m_last < std::chrono::seconds(10))
            return;
        m_last = now;
        std::ostringstream line;
        line << "judged " << p.judged << "/" << p.tasks << ", failed " << p.failed << ", requests "
             << p.requests << ", cached " << p.cachedCalls << ", in flight " << p.inFlight;
        if (p.waitingRetry)
            line << ", waiting to retry " << p.waitingRetry;
        if (p.rateLimitPauseS > 0)
            line << ", rate limited: sending again in "
                 << static_cast<long long>(std::ceil(p.rateLimitPauseS)) << " s";
        if (m_tty) {
            const std::string text = line.str();
            std::cerr << '\r' << text << std::string(m_width > text.size() ? m_width - text.size() : 0, ' ')
                      << std::flush;
            m_width = text.size();
        } else {
            std::cerr << "concord: " << line.str() << '\n';
        }
    }

    void done()
    {
        if (m_tty && m_width)
            std::cerr << '\n';
    }

private:
    bool m_tty;
    std::size_t m_width = 0;
    std::chrono::steady_clock::time_point m_last;
};

void printSummary(const JudgeArgs &a, const storage::JudgeRunSummary &s)
{
    std::cout << s.raterId << "\n";
    std::cout << "  items      " << s.items << " selected; tasks " << tasksText(a.run.tasks) << "\n";
    std::cout << "  judged     " << s.counts.judged << " (" << s.judgedFromCache
              << " answered wholly from the cache)\n";
    std::cout << "  skipped    " << s.alreadyJudged << " already judged by earlier runs\n";
    std::cout << "  failed     " << s.counts.failed << "\n";
    constexpr std::size_t kShown = 20;
    for (std::size_t i = 0; i < s.failures.size() && i < kShown; ++i)
        std::cout << "    " << s.failures[i].itemId << " " << model::toString(s.failures[i].task) << ": "
                  << s.failures[i].reason << "\n";
    if (s.failures.size() > kShown)
        std::cout << "    ... and " << (s.failures.size() - kShown) << " more (table judge_outcomes)\n";
    const std::int64_t unfinished = s.counts.tasks - s.counts.judged - s.counts.failed;
    if (unfinished > 0)
        std::cout << "  unfinished " << unfinished << " (the next run does them)\n";
    std::cout << "  requests   " << s.counts.requests << " sent (" << s.retries << " retries); "
              << s.counts.cachedCalls << " calls answered from the cache\n";
    if (s.consistency) {
        char rate[32];
        std::snprintf(rate, sizeof rate, "%.1f%%", 100.0 * s.consistency->rate());
        std::cout << "  position consistency " << rate << " (" << s.consistency->consistent << " of "
                  << s.consistency->items << " items agree in both orders)\n";
    }
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.1f s", s.seconds);
    std::cout << "  time       " << seconds << "\n";
}

void printJson(const JudgeArgs &a, const storage::JudgeRunSummary &s)
{
    nlohmann::ordered_json j;
    j["rater"] = s.raterId;
    j["end"] = s.end == storage::JudgeRunSummary::End::Finished  ? "finished"
               : s.end == storage::JudgeRunSummary::End::Stopped ? "stopped"
                                                                 : "cancelled";
    if (!s.stopReason.empty())
        j["stop_reason"] = s.stopReason;
    j["items"] = s.items;
    nlohmann::ordered_json tasks = nlohmann::ordered_json::array();
    for (model::JudgeTask t : a.run.tasks)
        tasks.push_back(model::toString(t));
    j["tasks"] = tasks;
    j["to_do"] = s.counts.tasks;
    j["judged"] = s.counts.judged;
    j["judged_from_cache"] = s.judgedFromCache;
    j["already_judged"] = s.alreadyJudged;
    j["failed"] = s.counts.failed;
    nlohmann::ordered_json failures = nlohmann::ordered_json::array();
    for (const storage::JudgeFailure &f : s.failures)
        failures.push_back({{"item", f.itemId}, {"task", model::toString(f.task)}, {"reason", f.reason}});
    j["failures"] = failures;
    j["requests"] = s.counts.requests;
    j["retries"] = s.retries;
    j["cached_calls"] = s.counts.cachedCalls;
    if (s.consistency)
        j["position_consistency"] = {{"items", s.consistency->items},
                                     {"consistent", s.consistency->consistent},
                                     {"rate", s.consistency->rate()}};
    j["seconds"] = s.seconds;
    std::cout << j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
}

} // namespace

void printEstimate(const JudgeArgs &a, const storage::JudgeEstimate &e)
{
    if (a.json) {
        nlohmann::ordered_json j;
        j["rater"] = e.raterId;
        j["items"] = e.items;
        j["tasks"] = e.tasks;
        j["already_judged"] = e.alreadyJudged;
        j["calls"] = e.calls;
        j["cached_calls"] = e.cachedCalls;
        j["prompt_tokens"] = e.promptTokens;
        j["max_output_tokens"] = e.outputTokens;
        j["too_long"] = e.tooLong;
        j["measured"] = e.measured;
        std::cout << j.dump() << '\n';
        return;
    }
    std::cout << e.raterId << " (estimate; nothing sent)\n";
    std::cout << "  items      " << e.items << " selected; " << e.tasks << " tasks to judge, "
              << e.alreadyJudged << " already judged\n";
    std::cout << "  calls      " << e.calls << " (" << e.cachedCalls << " answered from the cache)\n";
    std::cout << "  tokens     about " << e.promptTokens << " prompt"
              << (e.measured ? " (from the server's own counts)" : " (about 3.5 characters per token)")
              << ", at most " << e.outputTokens << " output\n";
    if (e.tooLong)
        std::cout << "  too long   " << e.tooLong << " calls do not fit --max-context and would be refused\n";
}

int runJudgeCommand(const std::vector<std::string> &args)
{
    auto parsed = parse(args);
    if (auto *error = std::get_if<std::string>(&parsed))
        return fail(*error, 2);
    JudgeArgs &a = std::get<JudgeArgs>(parsed);
    if (const char *key = std::getenv(a.keyEnv.c_str()); key && *key)
        a.run.apiKey = key;

    auto project = storage::Project::open(a.project);
    if (!project)
        return fail(project.error().message,
                    project.error().code == model::Error::Code::InvalidInput ? 2 : 1);
    if (a.estimate) {
        auto e = storage::estimateJudgeRun(**project, a.run);
        if (!e)
            return fail(e.error().message, e.error().code == model::Error::Code::InvalidInput ? 2 : 1);
        printEstimate(a, *e);
        return 0;
    }
    storage::CurlTransport::Options transportOptions;
    transportOptions.maxConnections = a.run.concurrency;
    transportOptions.userAgent = "concord/" CONCORD_VERSION;
    auto transport = storage::CurlTransport::create(transportOptions);
    if (!transport)
        return fail(transport.error().message, 1);

    // The variable comes first; only without it is the OS keychain asked (QtKeychain's jobs need an
    // application object and an event loop, which the command line otherwise does without).
    int argc = 1;
    char name[] = "concord";
    char *argv[] = {name, nullptr};
    std::optional<QCoreApplication> application;
    bool keychainFailed = false;
    if (a.run.apiKey.empty()) {
        if (!QCoreApplication::instance())
            application.emplace(argc, argv);
        const ui::StoredKey stored = ui::readStoredKeyNow(QString::fromStdString(a.profile));
        if (stored.state == ui::StoredKey::State::Found) {
            a.run.apiKey = stored.key.toStdString();
            std::cerr << "concord: $" << a.keyEnv
                      << " is not set; using the key stored in the OS keychain for the " << a.profile
                      << " profile\n";
        } else if (stored.state == ui::StoredKey::State::Unavailable) {
            keychainFailed = true;
            std::cerr << "concord: $" << a.keyEnv << " is not set, and " << stored.message.toStdString()
                      << "; sending no API key\n";
        }
    }
    if (a.run.apiKey.empty() && !keychainFailed && a.run.config.baseUrl.starts_with("https://"))
        std::cerr << "concord: no API key in $" << a.keyEnv << " or in the OS keychain for the " << a.profile
                  << " profile; the server may refuse the requests\n";

    g_interrupted.store(false);
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    ProgressLine line;
    auto summary = storage::runJudge(
        **project, **transport, a.run, [&](const storage::JudgeProgress &p) { line.show(p); },
        &g_interrupted);
    line.done();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if (!summary)
        return fail(summary.error().message,
                    summary.error().code == model::Error::Code::InvalidInput ? 2 : 1);
    if (a.json)
        printJson(a, *summary);
    else
        printSummary(a, *summary);
    switch (summary->end) {
    case storage::JudgeRunSummary::End::Finished:
        return 0;
    case storage::JudgeRunSummary::End::Stopped:
        return fail("the run was stopped: " + summary->stopReason +
                        ". What was judged is saved; run again to continue.",
                    1);
    case storage::JudgeRunSummary::End::Cancelled:
        std::cerr
            << "concord: interrupted; what was judged is saved, and the next run continues from there\n";
        return 130;
    }
    return 1;
}

} // namespace concord::app
