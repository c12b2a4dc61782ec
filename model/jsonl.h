#pragma once
/// @file jsonl.h
/// JSONL v1, Concord's interchange format (docs/format.md): reading a file into an ImportBatch
/// with diagnostics that name file, line and field, and writing records in canonical form.
/// Reading checks each line on its own; cross-references (an item's document, a label's item,
/// evidence offsets against document length) are checked by planImport() in importplan.h.

#include "domain.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace concord::model {

/// A problem with the user's input: rendered as `FILE:LINE: field: message`.
struct Diagnostic
{
    std::string file;
    std::int64_t line = 0; ///< 1-based; 0 when the problem concerns the whole file
    std::string field;     ///< dotted path of the JSON field, or "line", "file"
    std::string message;

    std::string toString() const;
};

/// Where a record came from, for diagnostics found later.
struct SourceRef
{
    std::string file;
    std::int64_t line = 0;
};

template <typename T> struct Sourced
{
    SourceRef source;
    T value;
};

struct ImportedFile
{
    std::string name;
    std::string sha256;
    std::int64_t bytes = 0;
};

/// Everything read from one or more JSONL files, in file and line order.
struct ImportBatch
{
    std::vector<ImportedFile> files;
    std::vector<Sourced<Rater>> raters;
    std::vector<Sourced<Document>> documents;
    std::vector<Sourced<Item>> items;
    std::vector<Sourced<LabelRevision>> labels;
    /// Parallel to `labels`: whether the line gave rater_kind (otherwise it defaults to human, or
    /// to the kind the rater already has).
    std::vector<bool> labelKindGiven;
};

/// A document's text may not exceed this many bytes (the workspace shows documents whole).
inline constexpr std::size_t kMaxDocumentBytes = 32u * 1024u * 1024u;
/// A line may nest arrays and objects this deep; a deeper line is refused ("nested deeper than").
inline constexpr std::size_t kMaxNesting = 512;
/// Reading stops collecting diagnostics after this many (the CLI prints the first 50).
inline constexpr std::size_t kMaxDiagnostics = 1000;

/// Parses the bytes of one JSONL v1 file (splitJsonl + readJsonlLines + finishJsonlFile). Accepts a leading
/// UTF-8 BOM, CRLF line ends and blank lines. Appends what it reads to `batch` and what is wrong to
/// `diagnostics`; a caller must not write anything when diagnostics is non-empty.
void readJsonl(std::string_view fileName, std::string_view content, ImportBatch &batch,
               std::vector<Diagnostic> &diagnostics);

/// A run of whole lines of a JSONL file, for reading a large file in several pieces at once.
struct JsonlPart
{
    std::string_view text;
    std::int64_t firstLine = 1;
    /// Column of text's first byte: 4 after a UTF-8 BOM, as columns count the file's bytes.
    std::int64_t firstColumn = 1;
    /// Whether text starts the file: a UTF-16 or UTF-32 file is then reported as a whole.
    bool startsFile = false;
};

/// Splits `content` (without its BOM) into at most `parts` runs of whole lines of similar size;
/// a file in UTF-16 or UTF-32 into one part.
/// With `countLines` false the parts' firstLine is left at 1, which saves a pass over the content
/// for a caller that reads parts only to fall back to a counted split when a line has a problem.
std::vector<JsonlPart> splitJsonl(std::string_view content, std::size_t parts, bool countLines = true);
/// How lines are read. Fast: a strict scanner reads each line straight into its record and hands
/// any line it does not accept as it stands (a problem, or something unusual) to the checked path,
/// which reads it through a JSON DOM and words the diagnostics. Both give the same records and the
/// same diagnostics for every input; CheckedOnly exists so that tests can show it.
enum class LineReading { Fast, CheckedOnly };

/// Reads the lines of one part; returns how many records (non-blank lines) it held. Parts may be
/// read concurrently into separate batches and appended in order.
std::size_t readJsonlLines(std::string_view fileName, const JsonlPart &part, ImportBatch &batch,
                           std::vector<Diagnostic> &diagnostics, LineReading reading = LineReading::Fast);
/// Records the file in the batch (name, SHA-256, size) and reports it when it held no records.
/// `diagnosticsBefore` is the size of `diagnostics` before this file was read.
void finishJsonlFile(std::string_view fileName, std::string_view content, std::size_t records,
                     std::size_t diagnosticsBefore, ImportBatch &batch, std::vector<Diagnostic> &diagnostics);
/// The same with the file's SHA-256 (lower-case hex) computed by the caller, e.g. while the
/// parts were being read.
void finishJsonlFile(std::string_view fileName, std::string sha256, std::int64_t bytes, std::size_t records,
                     std::size_t diagnosticsBefore, ImportBatch &batch, std::vector<Diagnostic> &diagnostics);

/// Orders diagnostics as a reader of the files meets them: by file, in the order of `files` (any
/// other file after them), then by line; those of one line keep their order. Reading finds them
/// line by line, but planImport() kind by kind.
void sortDiagnostics(std::vector<Diagnostic> &diagnostics, const std::vector<std::string> &files);

/// Canonical JSONL v1 lines (no trailing newline). Import followed by export reproduces them.
std::string toJsonLine(const Rater &rater);
std::string toJsonLine(const Document &document);
std::string toJsonLine(const Item &item);
std::string toJsonLine(const LabelRevision &label);
/// The line of `label` as if its raterKind were `raterKind` (import writes the rater's known kind).
std::string toJsonLine(const LabelRevision &label, RaterKind raterKind);

/// Canonical text of a JSON object given as text (keys sorted, compact), or std::nullopt when
/// `json` is not a JSON object or nests deeper than kMaxNesting.
std::optional<std::string> canonicalJsonObject(std::string_view json);

} // namespace concord::model
