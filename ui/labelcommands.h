#pragma once
/// @file labelcommands.h
/// Every labelling action as an undo command, named as the verb it is. redo() and undo() both go
/// through LabelSession::apply(), so an undo is saved as a new revision like any other act (the
/// history stays append-only) and the project file matches the screen after either. A value the
/// item did not have before is undone by withdrawing it.

#include "labelsession.h"

#include <QUndoCommand>

namespace concord::ui {

/// The common shape: an item, the edit that does the act and the edit that takes it back.
class LabelCommand : public QUndoCommand
{
public:
    LabelCommand(LabelSession &session, QString itemId, const QString &text);

    const QString &itemId() const { return m_itemId; }
    void redo() override;
    void undo() override;

protected:
    LabelSession &m_session;
    QString m_itemId;
    LabelEdit m_do;
    LabelEdit m_undo;
};

/// The overall preference: A, B or tie (std::nullopt withdraws it).
class SetPreference final : public LabelCommand
{
public:
    SetPreference(LabelSession &session, const QString &itemId, std::optional<model::Choice> choice);
};

/// One optional criterion (relevance, comprehensiveness, conciseness).
class SetCriterion final : public LabelCommand
{
public:
    SetCriterion(LabelSession &session, const QString &itemId, model::Facet criterion,
                 std::optional<model::Choice> choice);
};

/// Faithful (true) or unfaithful (false) for one answer.
class SetFaithful final : public LabelCommand
{
public:
    SetFaithful(LabelSession &session, const QString &itemId, model::Slot answer,
                std::optional<bool> faithful);
};

/// The no-info outcome of one answer.
class SetOutcome final : public LabelCommand
{
public:
    SetOutcome(LabelSession &session, const QString &itemId, model::Slot answer,
               std::optional<model::Outcome> outcome);
};

/// Adds a passage to the evidence list (which is saved whole: evidence replaces evidence).
class MarkEvidence final : public LabelCommand
{
public:
    MarkEvidence(LabelSession &session, const QString &itemId, const model::EvidenceSpan &span);
};

/// Removes the passage at `index` of the evidence list.
class RemoveEvidence final : public LabelCommand
{
public:
    RemoveEvidence(LabelSession &session, const QString &itemId, int index);
};

/// The item's note (an empty note clears it).
class SetNote final : public LabelCommand
{
public:
    SetNote(LabelSession &session, const QString &itemId, const QString &note);
};

} // namespace concord::ui
