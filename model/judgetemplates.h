#pragma once
/// @file judgetemplates.h
/// The judge's built-in prompt templates: resources/judge/<step>.v<N>.txt, compiled into the
/// binary. The newest version of each step is the default; a folder of edited templates given
/// to `concord judge --prompts` replaces them step by step. The template text used by a judge is
/// stored in the project and its hash is part of the judge's configuration.

#include "embeddedtext.h"
#include "judge.h"

#include <span>
#include <vector>

namespace concord::model {

/// Every embedded template file, all versions.
std::span<const EmbeddedText> embeddedTemplateFiles();

/// The newest built-in template of each step, in JudgeStep order.
std::vector<PromptTemplate> builtinTemplates();

} // namespace concord::model
