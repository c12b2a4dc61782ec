#pragma once
/// @file labelstore.h
/// What the annotation workspace reads and writes besides items and documents, as interfaces:
/// storage/ implements them over the project file, tests may implement them in memory, and ui/
/// depends only on this header. Implementations are not thread-safe: one object per thread.

#include "domain.h"
#include "jsonl.h"
#include "judgerun.h"
#include "labelling.h"
#include "repository.h"
#include "result.h"

#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace concord::model {

/// One rater's progress on one item.
struct ItemProgress
{
    std::string itemId;
    LabelStatus status = LabelStatus::Unlabelled;
};

/// How the raters of one item stand: how many raters have a current label on it, and whether any
/// two of them differ on the preference, faithfulness or outcome of an answer.
struct ItemConsensus
{
    std::string itemId;
    int raters = 0;
    bool disagreement = false;
};

/// Project settings the workspace reads (`settings` table). Values are text.
inline constexpr std::string_view kSettingBlind = "blind"; ///< "true" (default) or "false"

class LabelStore
{
public:
    virtual ~LabelStore() = default;

    virtual Result<std::vector<Rater>> raters() = 0;
    /// Adds `rater` when no rater has its id and returns the stored rater. InvalidInput when a
    /// rater with that id exists with another kind.
    virtual Result<Rater> ensureRater(const Rater &rater) = 0;

    /// Appends one revision, atomically with its evidence, and returns once it is committed. Its
    /// identity is labelRevisionKey(revision, n) for the smallest n not yet in the project, so an
    /// export of the project imported again adds nothing. NotFound for an unknown rater or item;
    /// InvalidInput for a value a facet does not take or evidence past the document's end.
    virtual Status saveRevision(const LabelRevision &revision) = 0;

    /// The rater's current label of the item (empty when the rater never labelled it).
    virtual Result<ItemLabel> currentLabel(const std::string &raterId, const std::string &itemId) = 0;
    /// The rater's status for every item the rater has revisions for, in one read; items not
    /// listed are unlabelled.
    virtual Result<std::vector<ItemProgress>> progress(const std::string &raterId) = 0;
    /// How many label revisions (rows) the rater has in the project, withdrawals included: a
    /// cheap stamp that tells a session whether another program wrote this rater's labels.
    virtual Result<std::int64_t> revisionCount(const std::string &raterId) = 0;
    /// The note of the revision that gave the rater's current value of one facet of an item (a
    /// gold decision's reason); none when that revision had none or the facet was never set.
    virtual Result<std::optional<std::string>> decisionNote(const std::string &raterId,
                                                            const std::string &itemId, Facet facet,
                                                            std::optional<Slot> slot) = 0;
    /// Every item with at least one current label, with its raters and disagreement, in one read.
    virtual Result<std::vector<ItemConsensus>> consensus() = 0;

    /// What the judge `raterId` said about the item beyond its label (empty for other raters).
    virtual Result<JudgeRationale> judgeRationale(const std::string &raterId, const std::string &itemId) = 0;

    /// A project setting, std::nullopt when not set.
    virtual Result<std::optional<std::string>> setting(const std::string &key) = 0;
    virtual Status setSetting(const std::string &key, const std::string &value) = 0;
};

/// One open connection to a project: everything the app reads and writes through one object.
class ProjectConnection : public ProjectRepository, public LabelStore
{
public:
    virtual const std::string &path() const = 0;
    /// Imports JSONL v1 files atomically: on any problem nothing is written and `diagnostics`
    /// lists them (FILE:LINE: field: message). Returns the one-line summary on success.
    /// `progress`, when given, is called on the importing thread with the share done so far
    /// (0 to 1, never decreasing).
    virtual Result<std::string> importFiles(const std::vector<std::string> &paths,
                                            std::vector<Diagnostic> &diagnostics,
                                            const std::function<void(double)> &progress) = 0;
    /// Writes the whole project as JSONL v1.
    virtual Status exportJsonl(std::ostream &out) = 0;
    /// Stops a running import or export on this connection as soon as it next touches the file
    /// (the import then writes nothing). Safe to call from any thread.
    virtual void cancel() = 0;
};

/// Opens and creates projects. Stateless and safe to call from any thread; each call returns a
/// connection of its own.
class ProjectOpener
{
public:
    virtual ~ProjectOpener() = default;
    virtual Result<std::unique_ptr<ProjectConnection>> open(const std::string &path) = 0;
    virtual Result<std::unique_ptr<ProjectConnection>> create(const std::string &path) = 0;
    /// Writes a complete copy of the project at `from` (which may be read-only) as the new project
    /// `to`, which must not exist yet: all of it, or nothing at `to`.
    virtual Status copy(const std::string &from, const std::string &to) = 0;
};

} // namespace concord::model
