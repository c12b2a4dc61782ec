#pragma once
/// @file judgecommand.h
/// `concord judge PROJECT --model NAME [--base-url URL] [--api openai|anthropic] [--profile NAME]
/// [--tasks LIST] [--concurrency N] [--limit N] [--items IDS] [--timeout S] [--max-context TOKENS]
/// [--key-env NAME] ...`: runs an LLM judge over the project's items (docs/judge.md).

#include <string>
#include <vector>

namespace concord::app {

/// The command's synopsis and help text, for `concord judge --help`.
extern const char *const kJudgeSynopsis;
extern const char *const kJudgeHelp;

/// Runs the command on its arguments (those after "judge"): progress on standard error, the
/// summary on standard output. Returns 0 when every selected task ended judged or recorded as
/// failed, 1 when the run was stopped (authentication, quota, server unreachable) or the project
/// cannot be used, 2 for bad arguments, 130 when interrupted (Ctrl-C; the next run resumes).
int runJudgeCommand(const std::vector<std::string> &args);

} // namespace concord::app
