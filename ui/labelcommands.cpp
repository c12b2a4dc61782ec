#include "labelcommands.h"

#include <QCoreApplication>

namespace concord::ui {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("LabelCommand", text); }

/// The before and after values of one facet as an edit pair.
void facetEdits(LabelSession &session, const QString &itemId, model::Facet facet,
                std::optional<model::Slot> slot, const std::optional<std::string> &value, LabelEdit &doEdit,
                LabelEdit &undoEdit)
{
    const std::optional<std::string> before = model::valueOf(session.label(itemId), facet, slot);
    doEdit.values.push_back({facet, slot, value.value_or(std::string())});
    undoEdit.values.push_back({facet, slot, before.value_or(std::string())});
}

std::optional<std::string> spelling(std::optional<model::Choice> c)
{
    return c ? std::optional<std::string>(model::toString(*c)) : std::nullopt;
}

} // namespace

LabelCommand::LabelCommand(LabelSession &session, QString itemId, const QString &text)
    : QUndoCommand(text), m_session(session), m_itemId(std::move(itemId))
{
}

void LabelCommand::redo() { m_session.apply(m_itemId, m_do); }

void LabelCommand::undo() { m_session.apply(m_itemId, m_undo); }

SetPreference::SetPreference(LabelSession &session, const QString &itemId,
                             std::optional<model::Choice> choice)
    : LabelCommand(session, itemId, tr("Set preference"))
{
    facetEdits(session, itemId, model::Facet::Preference, std::nullopt, spelling(choice), m_do, m_undo);
}

SetCriterion::SetCriterion(LabelSession &session, const QString &itemId, model::Facet criterion,
                           std::optional<model::Choice> choice)
    : LabelCommand(session, itemId, tr("Set %1").arg(QString::fromLatin1(model::criterionKey(criterion))))
{
    facetEdits(session, itemId, criterion, std::nullopt, spelling(choice), m_do, m_undo);
}

SetFaithful::SetFaithful(LabelSession &session, const QString &itemId, model::Slot answer,
                         std::optional<bool> faithful)
    : LabelCommand(session, itemId, tr("Set faithfulness"))
{
    std::optional<std::string> value;
    if (faithful)
        value = std::string(*faithful ? model::kFaithful : model::kUnfaithful);
    facetEdits(session, itemId, model::Facet::Faithful, answer, value, m_do, m_undo);
}

SetOutcome::SetOutcome(LabelSession &session, const QString &itemId, model::Slot answer,
                       std::optional<model::Outcome> outcome)
    : LabelCommand(session, itemId, tr("Set outcome"))
{
    std::optional<std::string> value;
    if (outcome)
        value = std::string(model::toString(*outcome));
    facetEdits(session, itemId, model::Facet::NoInfo, answer, value, m_do, m_undo);
}

MarkEvidence::MarkEvidence(LabelSession &session, const QString &itemId, const model::EvidenceSpan &span)
    : LabelCommand(session, itemId, tr("Mark evidence"))
{
    const std::vector<model::EvidenceSpan> &before = session.label(itemId).evidence;
    std::vector<model::EvidenceSpan> after = before;
    after.push_back(span);
    m_do.evidence = std::move(after);
    m_undo.evidence = before;
}

RemoveEvidence::RemoveEvidence(LabelSession &session, const QString &itemId, int index)
    : LabelCommand(session, itemId, tr("Remove evidence"))
{
    const std::vector<model::EvidenceSpan> &before = session.label(itemId).evidence;
    std::vector<model::EvidenceSpan> after = before;
    if (index >= 0 && std::size_t(index) < after.size())
        after.erase(after.begin() + index);
    m_do.evidence = std::move(after);
    m_undo.evidence = before;
}

SetNote::SetNote(LabelSession &session, const QString &itemId, const QString &note)
    : LabelCommand(session, itemId, tr("Set note"))
{
    m_undo.note = session.label(itemId).note;
    m_do.note = note.toStdString();
}

} // namespace concord::ui
