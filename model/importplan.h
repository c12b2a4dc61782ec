#pragma once
/// @file importplan.h
/// Checks an ImportBatch against itself and against what a project already holds, and decides
/// what to add. Pure: the project is seen only through the ProjectLookup interface, which
/// storage/ implements over the project file.

#include "jsonl.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace concord::model {

struct ExistingDocument
{
    std::string recordHash;
    std::int64_t length = 0; ///< code points
};

struct ExistingItem
{
    std::string recordHash;
    std::int64_t documentLength = 0; ///< code points of the item's document
};

/// Read access to a project's current content, as import needs it.
class ProjectLookup
{
public:
    virtual ~ProjectLookup() = default;
    virtual std::optional<ExistingDocument> document(const std::string &id) = 0;
    virtual std::optional<ExistingItem> item(const std::string &id) = 0;
    virtual std::optional<Rater> rater(const std::string &id) = 0;
    virtual bool hasLabelRevision(const std::string &key) = 0;
};

struct PlannedDocument
{
    const Document *document = nullptr;
    std::string textHash;   ///< SHA-256 of the text: identical texts are stored once
    std::string recordHash; ///< identity of the whole record (text, title, meta)
    std::int64_t length = 0;
};

struct PlannedItem
{
    const Item *item = nullptr;
    std::string recordHash;
};

struct PlannedLabel
{
    const LabelRevision *label = nullptr;
    RaterKind raterKind = RaterKind::Human;
    /// Identity of this revision (the first 16 bytes of a SHA-256 of its canonical line and its
    /// occurrence number in the batch); an import that meets it again skips it.
    std::string key;
    /// Index of the label's item among the items this import adds (ImportPlan::items; with an
    /// ImportPlanner, the items of all plans made so far, in order); -1 when the item is already
    /// in the project.
    std::ptrdiff_t item = -1;
    /// The same for the label's rater (ImportPlan::raters); -1 when it is already in the project.
    std::ptrdiff_t rater = -1;
};

/// What an import adds. Pointers refer into the ImportBatch, which must outlive the plan.
struct ImportPlan
{
    std::vector<PlannedDocument> documents;
    std::vector<PlannedItem> items;
    std::vector<Rater> raters;
    std::vector<PlannedLabel> labels;
    std::int64_t documentsUnchanged = 0;
    std::int64_t itemsUnchanged = 0;
    std::int64_t labelsUnchanged = 0;
};

/// Identity of a label revision: the first 16 bytes of SHA-256(toJsonLine(label) + "#" +
/// occurrence), where `label` carries its rater's kind and `occurrence` counts earlier identical
/// lines (0 for the first). Import and the workspace both use it, so exporting a project and
/// importing the file again recognises every revision, whoever made it.
std::string labelRevisionKey(const LabelRevision &label, int occurrence);

/// Identity of a document record, independent of where the text is stored.
std::string documentRecordHash(const Document &document, const std::string &textHash);
std::string itemRecordHash(const Item &item);

/// Plans the import of `batch`. Appends every cross-reference problem to `diagnostics`; when it
/// is non-empty afterwards the plan must not be applied.
ImportPlan planImport(const ImportBatch &batch, ProjectLookup &project, std::vector<Diagnostic> &diagnostics);

/// Plans an import given in parts (runs of lines, in file order), one part at a time, so that a
/// part can be written while later ones are still being read. What earlier parts defined counts
/// as defined in this import, exactly as in one batch: PlannedLabel::item and ::rater index the
/// items and raters of all plans made so far, taken in order, and identical label lines in
/// different parts are successive occurrences.
///
/// The result equals planImport() of all parts together when no part gives a diagnostic and
/// sameAsOneBatch() stays true. A batch is planned kind by kind (every document, then every
/// item, ...), so the two differ only where a line refers to one that comes later (which gives a
/// diagnostic here, as it is not known yet) or a rater line follows a label that implied a new
/// rater (the rater rows would be in another order). A caller that sees either must plan the
/// whole batch instead.
class ImportPlanner
{
public:
    explicit ImportPlanner(ProjectLookup &project);
    ~ImportPlanner();
    ImportPlanner(const ImportPlanner &) = delete;
    ImportPlanner &operator=(const ImportPlanner &) = delete;

    /// Plans `part`, which must outlive every plan made afterwards (they may point into it).
    ImportPlan plan(const ImportBatch &part, std::vector<Diagnostic> &diagnostics);
    bool sameAsOneBatch() const { return m_sameAsOneBatch; }

private:
    struct State;
    ProjectLookup &m_project;
    std::unique_ptr<State> m_state;
    bool m_sameAsOneBatch = true;
};

} // namespace concord::model
