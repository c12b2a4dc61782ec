#pragma once
/// @file judgejob.h
/// One judge task on one item, as a small state machine with no I/O: it says which calls to make,
/// takes each call's verdict JSON, asks for follow-up calls (claims, then their verification),
/// and when done gives the label row and the details worth keeping.
///
/// - Preference runs in both orders (AB: answer A shown first; BA: swapped). Each verdict is
///   mapped back to the item's answers; where the orders agree that is the verdict, otherwise the
///   configuration's OnInconsistent decides (a tie by default). Both raw verdicts are kept.
/// - Faithful extracts each answer's claims (a call without the document), then verifies them
///   against the document with a quote each; every quote is located in the document. An answer is
///   faithful iff every claim is supported (under QuotePolicy::Strict, with a located quote); an
///   answer without claims is faithful.
/// - NoInfo asks whether the document answers the question and whether each answer declines;
///   the outcome is derived in code by deriveOutcome().

#include "domain.h"
#include "judge.h"
#include "judgeprotocol.h"
#include "quotelocator.h"
#include "result.h"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace concord::model {

struct JudgeCall
{
    JudgeStep step = JudgeStep::Preference;
    CallPart part = CallPart::Both;
    Prompt prompt;
};

/// A shown position mapped back to the item's answers: in order BA, "answer 1" is answer B.
Choice mapShown(Shown shown, CallPart order);

/// answered / hallucinated / declined_correctly / declined_wrongly from the two questions asked.
Outcome deriveOutcome(bool documentContainsAnswer, bool answerDeclines);

/// "1. first claim\n2. second claim" — how claims are listed in the verification prompt.
std::string numberedClaims(const std::vector<std::string> &claims);

struct PreferenceOutcome
{
    std::array<PreferenceReply, 2> replies; ///< [0] order AB, [1] order BA; in shown positions
    std::array<std::string, 2> payloads;    ///< the verdict JSON of each order, as received
    /// Per order, mapped to the item's answers: overall, relevance, comprehensiveness, conciseness.
    std::array<std::array<Choice, 4>, 2> mapped{};
    std::array<Choice, 4> final{}; ///< the label's values, same order
    bool consistent = false;       ///< the two overall verdicts agree after mapping back
};

struct CheckedClaim
{
    std::string claim;
    ClaimCheck check;
    LocatedQuote located;
    bool supported = false; ///< the verdict that counts, under the quote policy
};

struct FaithfulOutcome
{
    std::array<std::vector<CheckedClaim>, 2> claims; ///< by Slot
    std::array<bool, 2> faithful{};
};

struct NoInfoOutcome
{
    NoInfoReply reply;
    std::string payload;
    std::array<Outcome, 2> outcomes{};
};

class JudgeJob
{
public:
    /// `config` must outlive the job.
    JudgeJob(JudgeTask task, Item item, const JudgeConfig &config);

    JudgeTask task() const { return m_task; }
    const Item &item() const { return m_item; }

    /// The calls to make first.
    std::vector<JudgeCall> start(const Document &document) const;

    /// Takes the verdict JSON of a finished call. Returns the calls it makes possible (maybe
    /// none), or why the payload cannot be used — the job is then unchanged and the call can be
    /// retried.
    Result<std::vector<JudgeCall>> accept(JudgeStep step, CallPart part, std::string_view payload,
                                          const Document &document);

    bool finished() const;

    /// The judge's label row for this task; only once finished().
    LabelRevision label(const std::string &raterId) const;

    /// The task's details once finished(); nullptr before, or for another task.
    const PreferenceOutcome *preference() const { return m_preference ? &*m_preference : nullptr; }
    const FaithfulOutcome *faithful() const { return finished() && m_faithful ? &*m_faithful : nullptr; }
    const NoInfoOutcome *noInfo() const { return m_noInfo ? &*m_noInfo : nullptr; }

private:
    JudgeCall preferenceCall(const Document &document, CallPart order) const;
    JudgeCall claimsCall(Slot slot) const;
    JudgeCall verifyCall(const Document &document, Slot slot) const;
    JudgeCall noInfoCall(const Document &document) const;
    void finishPreference();

    JudgeTask m_task;
    Item m_item;
    const JudgeConfig &m_config;

    // Preference: the verdict of each order as it arrives.
    std::array<std::optional<PreferenceReply>, 2> m_orders;
    std::array<std::string, 2> m_orderPayloads;
    std::optional<PreferenceOutcome> m_preference;

    // Faithful: the claims of each answer, then their checks.
    std::array<std::optional<std::vector<std::string>>, 2> m_claims;
    std::array<bool, 2> m_verified{};
    std::optional<FaithfulOutcome> m_faithful; ///< filled answer by answer

    std::optional<NoInfoOutcome> m_noInfo;
};

} // namespace concord::model
