#include "judgejob.h"

#include "utf8.h"

namespace concord::model {

namespace {

constexpr std::size_t index(CallPart order) { return order == CallPart::BA ? 1 : 0; }
constexpr std::size_t index(Slot slot) { return static_cast<std::size_t>(slot); }

std::optional<Slot> slotOf(CallPart part)
{
    if (part == CallPart::A)
        return Slot::A;
    if (part == CallPart::B)
        return Slot::B;
    return std::nullopt;
}

Error unexpected(JudgeStep step, CallPart part)
{
    return makeError(Error::Code::Internal, "unexpected reply for step " + std::string(toString(step)) +
                                                " part \"" + std::string(toString(part)) + "\"");
}

} // namespace

Choice mapShown(Shown shown, CallPart order)
{
    if (shown == Shown::Tie)
        return Choice::Tie;
    const bool first = shown == Shown::First;
    if (order == CallPart::BA)
        return first ? Choice::B : Choice::A;
    return first ? Choice::A : Choice::B;
}

Outcome deriveOutcome(bool documentContainsAnswer, bool answerDeclines)
{
    if (documentContainsAnswer)
        return answerDeclines ? Outcome::DeclinedWrongly : Outcome::Answered;
    return answerDeclines ? Outcome::DeclinedCorrectly : Outcome::Hallucinated;
}

std::string numberedClaims(const std::vector<std::string> &claims)
{
    std::string out;
    for (std::size_t i = 0; i < claims.size(); ++i) {
        if (i)
            out += '\n';
        out += std::to_string(i + 1);
        out += ". ";
        out += claims[i];
    }
    return out;
}

JudgeJob::JudgeJob(JudgeTask task, Item item, const JudgeConfig &config)
    : m_task(task), m_item(std::move(item)), m_config(config)
{
}

JudgeCall JudgeJob::preferenceCall(const Document &document, CallPart order) const
{
    const bool swapped = order == CallPart::BA;
    PromptValues v;
    v.document = document.text;
    v.question = m_item.question;
    v.answer1 = m_item.answer(swapped ? Slot::B : Slot::A).text;
    v.answer2 = m_item.answer(swapped ? Slot::A : Slot::B).text;
    return {JudgeStep::Preference, order, renderPrompt(m_config.templateFor(JudgeStep::Preference), v)};
}

JudgeCall JudgeJob::claimsCall(Slot slot) const
{
    PromptValues v;
    v.question = m_item.question;
    v.answer = m_item.answer(slot).text;
    return {JudgeStep::Claims, slot == Slot::A ? CallPart::A : CallPart::B,
            renderPrompt(m_config.templateFor(JudgeStep::Claims), v)};
}

JudgeCall JudgeJob::verifyCall(const Document &document, Slot slot) const
{
    const std::string claims = numberedClaims(*m_claims[index(slot)]);
    PromptValues v;
    v.document = document.text;
    v.question = m_item.question;
    v.claims = claims;
    return {JudgeStep::Verify, slot == Slot::A ? CallPart::A : CallPart::B,
            renderPrompt(m_config.templateFor(JudgeStep::Verify), v)};
}

JudgeCall JudgeJob::noInfoCall(const Document &document) const
{
    PromptValues v;
    v.document = document.text;
    v.question = m_item.question;
    v.answer1 = m_item.answer(Slot::A).text;
    v.answer2 = m_item.answer(Slot::B).text;
    return {JudgeStep::NoInfo, CallPart::Both, renderPrompt(m_config.templateFor(JudgeStep::NoInfo), v)};
}

std::vector<JudgeCall> JudgeJob::start(const Document &document) const
{
    switch (m_task) {
    case JudgeTask::Preference:
        return {preferenceCall(document, CallPart::AB), preferenceCall(document, CallPart::BA)};
    case JudgeTask::Faithful:
        return {claimsCall(Slot::A), claimsCall(Slot::B)};
    case JudgeTask::NoInfo:
        return {noInfoCall(document)};
    }
    return {};
}

Result<std::vector<JudgeCall>> JudgeJob::accept(JudgeStep step, CallPart part, std::string_view payload,
                                                const Document &document)
{
    switch (step) {
    case JudgeStep::Preference: {
        if (m_task != JudgeTask::Preference || (part != CallPart::AB && part != CallPart::BA))
            return unexpected(step, part);
        auto reply = parsePreferenceReply(payload);
        if (!reply)
            return reply.error();
        m_orders[index(part)] = std::move(*reply);
        m_orderPayloads[index(part)] = std::string(payload);
        if (m_orders[0] && m_orders[1])
            finishPreference();
        return std::vector<JudgeCall>{};
    }
    case JudgeStep::Claims: {
        const auto slot = slotOf(part);
        if (m_task != JudgeTask::Faithful || !slot)
            return unexpected(step, part);
        auto reply = parseClaimsReply(payload);
        if (!reply)
            return reply.error();
        if (!m_faithful)
            m_faithful.emplace();
        m_claims[index(*slot)] = std::move(reply->claims);
        if (m_claims[index(*slot)]->empty()) {
            m_verified[index(*slot)] = true; // nothing claimed, nothing unsupported
            m_faithful->faithful[index(*slot)] = true;
            return std::vector<JudgeCall>{};
        }
        return std::vector<JudgeCall>{verifyCall(document, *slot)};
    }
    case JudgeStep::Verify: {
        const auto slot = slotOf(part);
        if (m_task != JudgeTask::Faithful || !slot || !m_claims[index(*slot)] || !m_faithful)
            return unexpected(step, part);
        const std::vector<std::string> &claims = *m_claims[index(*slot)];
        auto reply = parseVerifyReply(payload, claims.size());
        if (!reply)
            return reply.error();
        std::vector<CheckedClaim> checked;
        bool faithful = true;
        for (ClaimCheck &check : reply->checks) {
            CheckedClaim c;
            c.claim = claims[static_cast<std::size_t>(check.number - 1)];
            c.located = locateQuote(document.text, check.quote);
            c.supported =
                check.verdict == ClaimVerdict::Supported &&
                (m_config.quotePolicy == QuotePolicy::Lenient || c.located.match != QuoteMatch::None);
            faithful = faithful && c.supported;
            c.check = std::move(check);
            checked.push_back(std::move(c));
        }
        m_faithful->claims[index(*slot)] = std::move(checked);
        m_faithful->faithful[index(*slot)] = faithful;
        m_verified[index(*slot)] = true;
        return std::vector<JudgeCall>{};
    }
    case JudgeStep::NoInfo: {
        if (m_task != JudgeTask::NoInfo)
            return unexpected(step, part);
        auto reply = parseNoInfoReply(payload);
        if (!reply)
            return reply.error();
        NoInfoOutcome o;
        o.reply = std::move(*reply);
        o.payload = std::string(payload);
        for (Slot slot : kSlots)
            o.outcomes[index(slot)] =
                deriveOutcome(o.reply.documentContainsAnswer, o.reply.declines[index(slot)]);
        m_noInfo = std::move(o);
        return std::vector<JudgeCall>{};
    }
    }
    return unexpected(step, part);
}

void JudgeJob::finishPreference()
{
    PreferenceOutcome o;
    for (std::size_t i = 0; i < 2; ++i) {
        const CallPart order = i == 0 ? CallPart::AB : CallPart::BA;
        const PreferenceReply &r = *m_orders[i];
        o.replies[i] = r;
        o.payloads[i] = m_orderPayloads[i];
        o.mapped[i] = {mapShown(r.overall, order), mapShown(r.relevance, order),
                       mapShown(r.comprehensiveness, order), mapShown(r.conciseness, order)};
    }
    o.consistent = o.mapped[0][0] == o.mapped[1][0];
    for (std::size_t k = 0; k < 4; ++k) {
        if (o.mapped[0][k] == o.mapped[1][k])
            o.final[k] = o.mapped[0][k];
        else
            o.final[k] = m_config.onInconsistent == OnInconsistent::First ? o.mapped[0][k] : Choice::Tie;
    }
    m_preference = std::move(o);
}

bool JudgeJob::finished() const
{
    switch (m_task) {
    case JudgeTask::Preference:
        return m_preference.has_value();
    case JudgeTask::Faithful:
        return m_verified[0] && m_verified[1];
    case JudgeTask::NoInfo:
        return m_noInfo.has_value();
    }
    return false;
}

LabelRevision JudgeJob::label(const std::string &raterId) const
{
    LabelRevision l;
    l.itemId = m_item.id;
    l.raterId = raterId;
    l.raterKind = RaterKind::Judge;
    if (const PreferenceOutcome *p = preference()) {
        const std::array<Facet, 4> facets = {Facet::Preference, Facet::Relevance, Facet::Comprehensiveness,
                                             Facet::Conciseness};
        for (std::size_t k = 0; k < 4; ++k)
            l.values.push_back({facets[k], std::nullopt, std::string(toString(p->final[k]))});
    }
    if (const FaithfulOutcome *f = faithful()) {
        l.evidence.emplace();
        for (Slot slot : kSlots) {
            l.values.push_back(
                {Facet::Faithful, slot, std::string(f->faithful[index(slot)] ? kFaithful : kUnfaithful)});
            for (const CheckedClaim &c : f->claims[index(slot)])
                if (c.located.match != QuoteMatch::None)
                    l.evidence->push_back({slot, c.located.start, c.located.end,
                                           "claim " + std::to_string(c.check.number) + ", " +
                                               std::string(toString(c.check.verdict)) + ": " + c.claim});
        }
    }
    if (const NoInfoOutcome *n = noInfo())
        for (Slot slot : kSlots)
            l.values.push_back({Facet::NoInfo, slot, std::string(toString(n->outcomes[index(slot)]))});
    return l;
}

} // namespace concord::model
