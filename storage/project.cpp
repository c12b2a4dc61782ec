#include "project.h"

#include "backgroundsync.h"
#include "importplan.h"
#include "labelquery.h"
#include "labelrows.h"
#include "schema.h"
#include "sha256.h"
#include "sqlite.h"

#include <sqlite3.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <system_error>
#include <thread>
#include <unordered_map>

#include <fcntl.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace concord::storage {

using model::Error;
namespace fs = std::filesystem;

namespace {

constexpr int kBusyTimeoutMs = 5000;

std::string plural(std::int64_t n, const char *word)
{
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string utcNow()
{
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

/// With CONCORD_IMPORT_PHASES set in the environment, import prints how long each phase took to
/// stderr (the breakdown in docs/performance.md comes from it).
class PhaseTimer
{
public:
    void start()
    {
        m_on = std::getenv("CONCORD_IMPORT_PHASES") != nullptr;
        m_last = Clock::now();
        m_lastCpu = cpuSeconds();
    }
    void lap(const char *phase)
    {
        if (!m_on)
            return;
        const auto now = Clock::now();
        const double cpu = cpuSeconds();
        std::fprintf(stderr, "import phase %-10s %7.3f s wall %7.3f s cpu\n", phase,
                     std::chrono::duration<double>(now - m_last).count(), cpu - m_lastCpu);
        m_last = now;
        m_lastCpu = cpu;
    }

    /// A figure within a phase, e.g. how long one thread waited for another.
    void note(const char *what, double seconds) const
    {
        if (m_on)
            std::fprintf(stderr, "import       %-28s %7.3f s\n", what, seconds);
    }

    using Clock = std::chrono::steady_clock;

private:
    static double cpuSeconds()
    {
        rusage usage{};
        getrusage(RUSAGE_SELF, &usage);
        return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
               double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    }
    bool m_on = false;
    Clock::time_point m_last;
    double m_lastCpu = 0;
};

thread_local PhaseTimer phases;

/// Makes a rename or link in `folder` survive a power cut (best effort: not every file system can).
void syncDirectory(const fs::path &folder)
{
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

/// Removes a database file and what SQLite keeps beside it (journal, WAL, shared memory).
void removeDatabaseFiles(const std::string &path)
{
    std::error_code ignored;
    for (const char *suffix : {"", "-wal", "-shm", "-journal"})
        fs::remove(path + suffix, ignored);
}

/// Whether the disk holding `path` has (next to) no room left: SQLite's I/O errors then mean a
/// full disk, whatever its message says.
bool noSpaceLeft(const std::string &path)
{
    struct statvfs disk
    {
    };
    if (::statvfs(fs::absolute(path).parent_path().c_str(), &disk) != 0)
        return false;
    // A read-only medium (squashfs, a CD image) reports no free space without being full.
    if (disk.f_flag & ST_RDONLY)
        return false;
    return std::uint64_t(disk.f_bavail) * disk.f_frsize < 64u * 1024u;
}

bool hasProjectExtension(const std::string &path) { return fs::path(path).extension() == ".concord"; }

/// Reads the first bytes of the file: an SQLite database starts with "SQLite format 3\0".
bool looksLikeSqlite(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    char header[16] = {};
    in.read(header, sizeof header);
    return in.gcount() == 16 && std::string_view(header, 16) == std::string_view("SQLite format 3\0", 16);
}

void configure(Database &db)
{
    sqlite3_busy_timeout(db.handle(), kBusyTimeoutMs);
    db.exec("PRAGMA foreign_keys = ON");

    // WAL with synchronous=FULL: a committed transaction is on disk before COMMIT returns, so a
    // label the UI showed as saved survives a kill -9 of the app and a power cut.
    Statement wal(db, "PRAGMA journal_mode = WAL");
    wal.step();
    db.exec("PRAGMA synchronous = FULL");
}

constexpr std::size_t kBulkRows = 20000;

/// A large import, while it runs: foreign keys are not checked by SQLite (the plan has resolved
/// every reference, and each id bound comes from this transaction's lookups or inserts). Into a
/// project without items or labels yet (a first load), and when no other connection has it open,
/// the project is also written through a rollback journal instead of the WAL: the pages are
/// written once rather than to the WAL and again by the checkpoint (15% of a 140 MB import). The
/// price is that, until the import ends, other programs cannot open the project (they are told
/// it is in use), which matters little while it is still empty; a project with content stays in
/// WAL, where readers see it as it was until the import commits. Both settings cannot change
/// inside a transaction; they are restored when the import ends, however it ends, and
/// configure() sets them again on every open. A kill during the import leaves a hot journal that
/// SQLite rolls back on the next open, as it would a WAL.
class BulkWrite
{
public:
    BulkWrite(Database &db, bool on) : m_db(db), m_on(on)
    {
        if (!m_on)
            return;
        m_db.exec("PRAGMA foreign_keys = OFF");
        try {
            Statement empty(m_db,
                            "SELECT NOT EXISTS(SELECT 1 FROM items) AND NOT EXISTS(SELECT 1 FROM labels)");
            m_firstLoad = empty.step() && empty.int64(0) != 0;
            empty.reset();
            if (m_firstLoad) {
                Statement mode(m_db, "PRAGMA journal_mode = DELETE");
                m_journal = mode.step() && mode.textView(0) == "delete";
            }
        } catch (const SqliteError &) {
            m_journal = false; // another connection has the project open: stay in WAL
        }
    }
    ~BulkWrite()
    {
        if (!m_on)
            return;
        // Each on its own: a failure of one must not keep the other from being restored.
        try {
            m_db.exec("PRAGMA foreign_keys = ON");
        } catch (const SqliteError &) {
        }
        if (m_journal) {
            try {
                Statement wal(m_db, "PRAGMA journal_mode = WAL");
                wal.step();
            } catch (const SqliteError &) {
                // A reader holds the file: it stays in rollback-journal mode (as durable: every
                // commit is synced) until the next open, when configure() switches it back.
            }
        }
    }
    BulkWrite(const BulkWrite &) = delete;
    BulkWrite &operator=(const BulkWrite &) = delete;

    /// The project had neither items nor labels when the import began.
    bool firstLoad() const { return m_firstLoad; }

private:
    Database &m_db;
    bool m_on;
    bool m_firstLoad = false;
    bool m_journal = false;
};

/// ProjectLookup over the project file, with prepared statements reused across calls.
class SqliteLookup final : public model::ProjectLookup
{
public:
    explicit SqliteLookup(Database &db)
        : m_document(
              db, "SELECT d.record_hash, t.length FROM documents d JOIN document_texts t ON t.id = d.text_id "
                  "WHERE d.ext_id = ?"),
          m_item(db, "SELECT i.record_hash, t.length FROM items i JOIN documents d ON d.id = i.document_id "
                     "JOIN document_texts t ON t.id = d.text_id WHERE i.ext_id = ?"),
          m_rater(db, "SELECT kind, name, config FROM raters WHERE ext_id = ?"),
          m_label(db, "SELECT 1 FROM labels WHERE key = ?"),
          m_hasDocuments(exists(db, "SELECT EXISTS(SELECT 1 FROM documents)")),
          m_hasItems(exists(db, "SELECT EXISTS(SELECT 1 FROM items)")),
          m_hasRaters(exists(db, "SELECT EXISTS(SELECT 1 FROM raters)")),
          m_hasLabels(exists(db, "SELECT EXISTS(SELECT 1 FROM labels)"))
    {
    }

    std::optional<model::ExistingDocument> document(const std::string &id) override
    {
        if (!m_hasDocuments)
            return std::nullopt;
        m_document.reset();
        m_document.bind(1, id);
        if (!m_document.step())
            return std::nullopt;
        return model::ExistingDocument{m_document.text(0), m_document.int64(1)};
    }

    std::optional<model::ExistingItem> item(const std::string &id) override
    {
        if (!m_hasItems)
            return std::nullopt;
        m_item.reset();
        m_item.bind(1, id);
        if (!m_item.step())
            return std::nullopt;
        return model::ExistingItem{m_item.text(0), m_item.int64(1)};
    }

    std::optional<model::Rater> rater(const std::string &id) override
    {
        if (!m_hasRaters)
            return std::nullopt;
        m_rater.reset();
        m_rater.bind(1, id);
        if (!m_rater.step())
            return std::nullopt;
        model::Rater r;
        r.id = id;
        r.kind = model::parseRaterKind(m_rater.textView(0)).value_or(model::RaterKind::Human);
        r.name = m_rater.optionalText(1);
        r.configJson = m_rater.optionalText(2);
        return r;
    }

    bool hasLabelRevision(const std::string &key) override
    {
        if (!m_hasLabels)
            return false;
        m_label.reset();
        m_label.bindBlob(1, key);
        return m_label.step();
    }

    /// False when every table it would ask was empty: it then never touches the connection and
    /// may be used on another thread than the one writing.
    bool readsProject() const { return m_hasDocuments || m_hasItems || m_hasRaters || m_hasLabels; }

private:
    // Import plans inside the transaction that writes, so a table that is empty now stays empty
    // while it plans; asking an empty table is skipped (200,000 labels asked 200,000 times).
    static bool exists(Database &db, const char *sql)
    {
        Statement s(db, sql);
        s.step();
        return s.int64(0) != 0;
    }

    Statement m_document, m_item, m_rater, m_label;
    bool m_hasDocuments, m_hasItems, m_hasRaters, m_hasLabels;
};

std::int64_t lookupId(Database &db, const char *sql, const std::string &extId)
{
    Statement s(db, sql);
    s.bind(1, extId);
    if (!s.step())
        throw SqliteError(SQLITE_INTERNAL, "missing row for \"" + extId + "\"");
    return s.int64(0);
}

/// Binds an import's six counts (documents, items, labels: added, unchanged) from parameter
/// `first` on, in the column order of the imports table.
Statement &bindCounts(Statement &s, int first, const ImportSummary &summary)
{
    return s.bind(first, summary.documentsAdded)
        .bind(first + 1, summary.documentsUnchanged)
        .bind(first + 2, summary.itemsAdded)
        .bind(first + 3, summary.itemsUnchanged)
        .bind(first + 4, summary.labelsAdded)
        .bind(first + 5, summary.labelsUnchanged);
}

/// The imports row of an import, with its counts.
std::int64_t logImport(Database &db, const ImportSummary &summary)
{
    Statement log(db, "INSERT INTO imports(imported_at, documents_added, documents_unchanged, items_added, "
                      "items_unchanged, labels_added, labels_unchanged) VALUES (?,?,?,?,?,?,?)");
    bindCounts(log.bind(1, utcNow()), 2, summary).run();
    return db.lastInsertRowId();
}

/// Sets the counts of an imports row written before they were known (a streamed import).
void updateImportCounts(Database &db, std::int64_t importId, const ImportSummary &summary)
{
    Statement update(db, "UPDATE imports SET documents_added = ?, documents_unchanged = ?, items_added = ?, "
                         "items_unchanged = ?, labels_added = ?, labels_unchanged = ? WHERE id = ?");
    bindCounts(update, 1, summary).bind(7, importId).run();
}

void logFiles(Database &db, std::int64_t importId, const std::vector<model::ImportedFile> &files)
{
    Statement log(db, "INSERT INTO import_files(import_id, file_name, file_hash, bytes) VALUES (?,?,?,?)");
    for (const model::ImportedFile &f : files)
        log.bind(1, importId).bind(2, f.name).bind(3, f.sha256).bind(4, f.bytes).run();
}

/// Adds the counts of one plan to an import's summary.
void count(ImportSummary &summary, const model::ImportPlan &plan)
{
    summary.documentsAdded += static_cast<std::int64_t>(plan.documents.size());
    summary.documentsUnchanged += plan.documentsUnchanged;
    summary.itemsAdded += static_cast<std::int64_t>(plan.items.size());
    summary.itemsUnchanged += plan.itemsUnchanged;
    summary.labelsAdded += static_cast<std::int64_t>(plan.labels.size());
    summary.labelsUnchanged += plan.labelsUnchanged;
    summary.ratersAdded += static_cast<std::int64_t>(plan.raters.size());
}

/// Writes planned rows inside the caller's transaction. One writer takes every plan of an import
/// in order (the parts of a streamed import): the ids of what earlier plans added stay known, as
/// PlannedLabel's indexes require. Text is bound without copying: plans point into the batch,
/// which outlives each write.
class ImportWriter
{
public:
    ImportWriter(Database &db, std::int64_t importId)
        : m_db(db), m_importId(importId),
          m_insertText(db, "INSERT INTO document_texts(hash, text, length) VALUES (?,?,?) "
                           "ON CONFLICT(hash) DO NOTHING"),
          m_textId(db, "SELECT id FROM document_texts WHERE hash = ?"),
          m_insertDocument(db, "INSERT INTO documents(ext_id, title, text_id, meta, record_hash) "
                               "VALUES (?,?,?,?,?)"),
          m_insertItem(db, "INSERT INTO items(ext_id, document_id, question, question_type, answerable, "
                           "evidence_position, reference_answer, meta, record_hash) "
                           "VALUES (?,?,?,?,?,?,?,?,?)"),
          m_insertAnswer(db, "INSERT INTO answers(item_id, slot, system, text) VALUES (?,?,?,?)"),
          m_insertRater(db, "INSERT INTO raters(ext_id, kind, name, config) VALUES (?,?,?,?)"),
          m_insertLabel(db, insertLabelSql()), m_insertEvidence(db, kInsertEvidenceSql)
    {
    }

    void write(const model::ImportPlan &plan)
    {
        writeDocuments(plan);
        writeItems(plan);
        writeRaters(plan);
        writeLabels(plan);
    }

    void writeDocuments(const model::ImportPlan &plan)
    {
        for (const model::PlannedDocument &d : plan.documents) {
            m_insertText.bindKept(1, d.textHash).bindKept(2, d.document->text).bind(3, d.length).run();
            m_textId.bindKept(1, d.textHash);
            m_textId.step();
            const std::int64_t tid = m_textId.int64(0);
            m_textId.reset();
            m_insertDocument.bindKept(1, d.document->id)
                .bindKept(2, d.document->title)
                .bind(3, tid)
                .bindKept(4, d.document->metaJson)
                .bindKept(5, d.recordHash)
                .run();
            m_documentIds.emplace(d.document->id, m_db.lastInsertRowId());
        }
    }

    void writeItems(const model::ImportPlan &plan)
    {
        for (const model::PlannedItem &p : plan.items) {
            const model::Item &item = *p.item;
            const std::int64_t documentId =
                knownId(m_documentIds, item.documentId, "SELECT id FROM documents WHERE ext_id = ?");
            m_insertItem.bindKept(1, item.id)
                .bind(2, documentId)
                .bindKept(3, item.question)
                .bindKept(4, model::toString(item.type))
                .bind(5, item.answerable ? 1 : 0)
                .bind(6, item.evidencePosition)
                .bindKept(7, item.referenceAnswer)
                .bindKept(8, item.metaJson)
                .bindKept(9, p.recordHash)
                .run();
            const std::int64_t itemId = m_db.lastInsertRowId();
            m_addedItemIds.push_back(itemId);
            for (model::Slot slot : model::kSlots)
                m_insertAnswer.bind(1, itemId)
                    .bindKept(2, model::toString(slot))
                    .bindKept(3, item.answer(slot).system)
                    .bindKept(4, item.answer(slot).text)
                    .run();
        }
    }

    void writeRaters(const model::ImportPlan &plan)
    {
        for (const model::Rater &r : plan.raters) {
            m_insertRater.bind(1, r.id)
                .bind(2, model::toString(r.kind))
                .bind(3, r.name)
                .bind(4, r.configJson)
                .run();
            m_addedRaterIds.push_back(m_db.lastInsertRowId());
        }
    }

    /// After writeRaters() of the same plan: labels name the raters it added by index.
    void writeLabels(const model::ImportPlan &plan)
    {
        for (const model::PlannedLabel &p : plan.labels) {
            const model::LabelRevision &label = *p.label;
            const std::int64_t raterId =
                p.rater >= 0 ? m_addedRaterIds[std::size_t(p.rater)]
                             : knownId(m_raterIds, label.raterId, "SELECT id FROM raters WHERE ext_id = ?");
            const std::int64_t itemId =
                p.item >= 0 ? m_addedItemIds[std::size_t(p.item)]
                            : knownId(m_itemIds, label.itemId, "SELECT id FROM items WHERE ext_id = ?");
            bindLabel(m_insertLabel, raterId, itemId, label, m_importId, p.key);
            m_insertLabel.run();
            if (!label.evidence)
                continue;
            insertEvidence(m_insertEvidence, m_db.lastInsertRowId(), *label.evidence);
        }
    }

private:
    /// The row id of `extId` as kept in `ids`, or else looked up in the project once (`sql`).
    std::int64_t knownId(std::unordered_map<std::string, std::int64_t> &ids, const std::string &extId,
                         const char *sql)
    {
        if (auto it = ids.find(extId); it != ids.end())
            return it->second;
        return ids[extId] = lookupId(m_db, sql, extId);
    }

    Database &m_db;
    std::int64_t m_importId;
    Statement m_insertText, m_textId, m_insertDocument, m_insertItem, m_insertAnswer, m_insertRater,
        m_insertLabel, m_insertEvidence;
    // Ids of what this import added, by plan index; the ext_id maps also hold what the project had.
    std::unordered_map<std::string, std::int64_t> m_documentIds, m_itemIds, m_raterIds;
    std::vector<std::int64_t> m_addedItemIds, m_addedRaterIds;
};

constexpr std::string_view kItemSelect =
    "SELECT i.ext_id, d.ext_id, i.question, i.question_type, i.answerable, i.evidence_position, "
    "i.reference_answer, i.meta, a.system, a.text, b.system, b.text "
    "FROM items i JOIN documents d ON d.id = i.document_id "
    "JOIN answers a ON a.item_id = i.id AND a.slot = 'A' JOIN answers b ON b.item_id = i.id AND b.slot = 'B'";

constexpr std::string_view kDocumentSelect =
    "SELECT d.ext_id, d.title, t.text, d.meta FROM documents d JOIN document_texts t ON t.id = d.text_id";

template <typename T> void appendAll(std::vector<T> &to, std::vector<T> &&from)
{
    if (to.empty())
        to = std::move(from);
    else
        to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

void appendBatch(model::ImportBatch &to, model::ImportBatch &&from)
{
    appendAll(to.files, std::move(from.files));
    appendAll(to.raters, std::move(from.raters));
    appendAll(to.documents, std::move(from.documents));
    appendAll(to.items, std::move(from.items));
    appendAll(to.labels, std::move(from.labels));
    to.labelKindGiven.insert(to.labelKindGiven.end(), from.labelKindGiven.begin(), from.labelKindGiven.end());
}

/// A file's bytes, read into a buffer that is not zero-filled first.
struct FileBytes
{
    std::unique_ptr<char[]> data;
    std::size_t size = 0;
    std::string_view view() const { return {data.get(), size}; }
};

/// Reads the whole file; on failure, says why. A large regular file is read by two threads at
/// once (the copy out of the page cache and the first touch of the buffer are most of the time);
/// anything else — a pipe such as `<(zcat x.gz)`, /dev/stdin, a file whose size changes while it
/// is read — is read from start to end, as long as it goes on (a stream up to its first NUL byte).
std::optional<std::string> readWholeFile(const std::string &path, FileBytes &out)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::string("cannot be read (") + std::strerror(errno) + ")";
    struct Closer
    {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st
    {
    };
    if (::fstat(fd, &st) != 0)
        return std::string("cannot be read (") + std::strerror(errno) + ")";

    // Reads [from, to) at those offsets; the errno of a failed read, or 0 for the end of the file
    // before `to`, or -1 when all was read.
    auto readRange = [&](std::size_t from, std::size_t to) {
        while (from < to) {
            const ssize_t n = ::pread(fd, out.data.get() + from, to - from, static_cast<off_t>(from));
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                return errno;
            if (n == 0)
                return 0;
            from += static_cast<std::size_t>(n);
        }
        return -1;
    };
    constexpr std::size_t kTwoThreadsFrom = 16u * 1024u * 1024u;
    const auto size = static_cast<std::size_t>(st.st_size);
    if (S_ISREG(st.st_mode) && size >= kTwoThreadsFrom && std::thread::hardware_concurrency() > 1) {
        out.data.reset(new char[size]);
        out.size = size;
        int first = -1, second = -1;
        {
            std::jthread other([&] { second = readRange(size / 2, size); });
            first = readRange(0, size / 2);
        }
        if (first == -1 && second == -1)
            return std::nullopt;
        if (first > 0 || second > 0)
            return std::string("cannot be read (") + std::strerror(first > 0 ? first : second) + ")";
        // It became shorter meanwhile: read it again from the start, as it is now.
    }
    std::size_t capacity = std::max<std::size_t>(S_ISREG(st.st_mode) ? size + 1 : 0, 1u << 16);
    out.data.reset(new char[capacity]);
    out.size = 0;
    for (;;) {
        if (out.size == capacity) {
            auto bigger = std::unique_ptr<char[]>(new char[capacity * 2]);
            std::memcpy(bigger.get(), out.data.get(), out.size);
            out.data = std::move(bigger);
            capacity *= 2;
        }
        const ssize_t n = ::read(fd, out.data.get() + out.size, capacity - out.size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return std::string("cannot be read (") + std::strerror(errno) + ")";
        if (n == 0)
            return std::nullopt;
        // A stream with a NUL byte (`import p /dev/zero`, a binary file piped in) is refused at
        // that byte's line; reading on could fill memory without ever reaching a line's end.
        if (!S_ISREG(st.st_mode))
            if (const void *nul = std::memchr(out.data.get() + out.size, '\0', static_cast<std::size_t>(n))) {
                out.size = static_cast<std::size_t>(static_cast<const char *>(nul) - out.data.get()) + 1;
                return std::nullopt;
            }
        out.size += static_cast<std::size_t>(n);
    }
}

/// Reads one JSONL file into `batch`, large files in two halves on two threads.
void readFile(const std::string &path, std::string_view content, model::ImportBatch &batch,
              std::vector<model::Diagnostic> &diagnostics)
{
    constexpr std::size_t kParallelFrom = 4u * 1024u * 1024u;
    const std::size_t diagnosticsBefore = diagnostics.size();
    const std::size_t threads =
        content.size() >= kParallelFrom ? std::max(1u, std::thread::hardware_concurrency()) : 1;
    const std::vector<model::JsonlPart> parts = model::splitJsonl(content, std::min<std::size_t>(threads, 8));
    std::vector<model::ImportBatch> batches(parts.size());
    std::vector<std::vector<model::Diagnostic>> problems(parts.size());
    std::vector<std::size_t> records(parts.size(), 0);
    std::string sha256;
    {
        std::vector<std::jthread> workers;
        // The file's hash (for the import log) is worth a thread of its own: 140 MB take 0.1 s.
        workers.emplace_back([&] { sha256 = model::Sha256::hex(content); });
        for (std::size_t i = 1; i < parts.size(); ++i)
            workers.emplace_back(
                [&, i] { records[i] = model::readJsonlLines(path, parts[i], batches[i], problems[i]); });
        records[0] = model::readJsonlLines(path, parts[0], batches[0], problems[0]);
    }
    std::size_t total = 0;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        total += records[i];
        appendBatch(batch, std::move(batches[i]));
        for (model::Diagnostic &d : problems[i])
            if (diagnostics.size() < model::kMaxDiagnostics)
                diagnostics.push_back(std::move(d));
    }
    model::finishJsonlFile(path, std::move(sha256), static_cast<std::int64_t>(content.size()), total,
                           diagnosticsBefore, batch, diagnostics);
}

/// Columns of kItemSelect: ext_id, document ext_id, question, question_type, answerable, evidence_position,
/// reference_answer, meta, system A, text A, system B, text B.
model::Item readItem(const Statement &s)
{
    model::Item item;
    item.id = s.text(0);
    item.documentId = s.text(1);
    item.question = s.text(2);
    item.type = model::parseQuestionType(s.textView(3)).value_or(model::QuestionType::FactRecall);
    item.answerable = s.int64(4) != 0;
    item.evidencePosition = s.optionalReal(5);
    item.referenceAnswer = s.optionalText(6);
    item.metaJson = s.optionalText(7);
    item.answers[0] = {s.text(8), s.text(9)};
    item.answers[1] = {s.text(10), s.text(11)};
    return item;
}

/// Columns of kDocumentSelect: ext_id, title, text, meta.
model::Document readDocument(const Statement &s)
{
    model::Document d;
    d.id = s.text(0);
    d.title = s.optionalText(1);
    d.text = s.text(2);
    d.metaJson = s.optionalText(3);
    return d;
}

/// On a first load (BulkWrite::firstLoad), building the indexes of the items and labels tables once from all
/// their rows is quicker than keeping them up to date row by row (measured: 0.1 s of 0.6 s for
/// 200,000 labels). Drops them inside the import's transaction, which puts them back if it rolls
/// back; createIndexes() runs the same CREATE INDEX statements again before the commit.
class IndexRebuild
{
public:
    IndexRebuild(Database &db, bool on) : m_db(db)
    {
        if (!on)
            return;
        Statement indexes(db, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                              "AND tbl_name IN ('items', 'labels') ORDER BY name");
        while (indexes.step())
            m_indexes.emplace_back(indexes.text(0), indexes.text(1));
        indexes.reset();
        for (const auto &[name, sql] : m_indexes)
            db.exec("DROP INDEX \"" + name + "\"");
    }
    void createIndexes() const
    {
        for (const auto &[name, sql] : m_indexes)
            m_db.exec(sql);
    }

private:
    Database &m_db;
    std::vector<std::pair<std::string, std::string>> m_indexes;
};

/// Lowers the calling thread's priority by `nice`. The writing thread is a streamed import's
/// critical path (one SQLite connection writes on one thread); the threads that parse and plan
/// ahead of it give way to it, so that on a machine with two cores it is never the one waiting
/// for a core. Parsing, which is furthest ahead, gives way most. Measured: 5% of the whole import.
void yieldToWriter(int nice)
{
    const auto self = static_cast<id_t>(gettid());
    errno = 0;
    const int now = getpriority(PRIO_PROCESS, self);
    if (errno == 0)
        setpriority(PRIO_PROCESS, self, std::min(19, now + nice));
}

/// The agreement report's input, kept after an import that added labels. A cache: whatever goes
/// wrong (even a thread that cannot start) leaves the committed import as it is.
void keepInput(Project &project)
{
    try {
        keepAgreementInput(project);
    } catch (const std::exception &) {
    }
}

/// Imports larger than this are streamed (Project::importStreaming).
constexpr std::size_t kStreamFrom = 4u * 1024u * 1024u;

/// A run of lines of one file in a streamed import, from parsing to writing.
struct StreamPart
{
    StreamPart(std::size_t f, model::JsonlPart l) : file(f), lines(l) {}
    std::size_t file; ///< index among the import's files
    model::JsonlPart lines;
    // Set by the thread that parses or plans the part, under ImportStream::mutex.
    model::ImportBatch batch;
    std::vector<model::Diagnostic> problems;
    std::size_t records = 0;
    bool parsed = false;
    model::ImportPlan plan;
    bool planned = false;
};

/// Frees the plan and the document texts of a written part, so that the parts parsed after it
/// reuse that memory instead of taking fresh pages (140 MB file: peak 433 MB instead of 500). The
/// planner keeps pointing to each record's id and source (see ImportPlanner::plan), which stay.
/// Freeing the labels and the items' texts as well brings the peak to 305 MB, but the million
/// frees cost more than the page faults they save (4% of the import, measured): not done.
void freeWritten(StreamPart &part)
{
    // Swapped with empty values: `x = {}`, and a string's move assignment from an empty one, keep
    // the capacity.
    auto release = [](auto &x) { std::remove_reference_t<decltype(x)>().swap(x); };
    release(part.plan.documents);
    release(part.plan.items);
    release(part.plan.raters);
    release(part.plan.labels);
    model::ImportBatch &batch = part.batch;
    for (auto &[source, document] : batch.documents) {
        release(document.text);
        document.title.reset();
        document.metaJson.reset();
    }
}

/// The parts of a streamed import and what the threads working on them share.
class ImportStream
{
public:
    std::vector<StreamPart> parts; ///< fixed before any thread starts
    std::atomic<std::size_t> nextToParse{0};
    std::size_t written = 0; ///< parts written, under the mutex

    /// Frees the parts written since the last call (a parsing thread calls it: memory freed by
    /// the thread that allocated it is quickest to free and to reuse).
    void freeWrittenParts()
    {
        std::size_t from = 0, to = 0;
        {
            std::lock_guard lock(m_mutex);
            from = m_freed;
            to = m_freed = written;
        }
        for (std::size_t i = from; i < to; ++i)
            freeWritten(parts[i]);
    }

    /// Applies `change` to a part under the lock and wakes every waiting thread.
    template <typename F> void publish(F change)
    {
        {
            std::lock_guard lock(m_mutex);
            change();
        }
        m_changed.notify_all();
    }
    /// Waits until `ready()` holds; false when the import stopped first.
    template <typename F> bool waitFor(F ready)
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_stopped.load() || ready(); });
        return !m_stopped.load();
    }
    void stop()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stopped = true;
        }
        m_changed.notify_all();
    }
    bool stopped() const { return m_stopped.load(); }

    /// Stops the stream and joins its threads when the import leaves, however it leaves.
    class StopOnExit
    {
    public:
        StopOnExit(ImportStream &s, std::vector<std::jthread> &t) : m_stream(s), m_threads(t) {}
        ~StopOnExit()
        {
            m_stream.stop();
            for (std::jthread &t : m_threads)
                if (t.joinable())
                    t.join();
        }
        StopOnExit(const StopOnExit &) = delete;
        StopOnExit &operator=(const StopOnExit &) = delete;

    private:
        ImportStream &m_stream;
        std::vector<std::jthread> &m_threads;
    };

private:
    std::mutex m_mutex;
    std::size_t m_freed = 0; ///< parts freed by freeWrittenParts()
    std::condition_variable m_changed;
    std::atomic<bool> m_stopped{false};
};

} // namespace

Error sqliteFailure(const std::string &path, int code, const std::string &message)
{
    switch (code & 0xff) {
    case SQLITE_NOTADB:
        return {Error::Code::NotAProject,
                path + ": not a Concord project (the file is not an SQLite database)"};
    case SQLITE_CORRUPT:
        return {Error::Code::Corrupt, path + ": the project file is damaged (" + message +
                                          "); restore it from a backup or export what is readable"};
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return {Error::Code::Locked, path +
                                         ": the project is in use by another program that is writing to it; "
                                         "try again when it has finished"};
    case SQLITE_READONLY:
        return {Error::Code::ReadOnly, path + ": the project cannot be written here (the file, its folder "
                                              "or its disk is read-only); nothing was changed"};
    case SQLITE_CANTOPEN: {
        // Say which: SQLite's "unable to open database file" does not.
        const fs::path folder = fs::absolute(path).parent_path();
        std::error_code ec;
        if (!fs::is_directory(folder, ec))
            return {Error::Code::Io, path + ": the folder " + folder.string() + " does not exist"};
        if (::access(folder.c_str(), W_OK) != 0)
            return {Error::Code::ReadOnly,
                    path + ": the folder " + folder.string() +
                        " is read-only (a read-only share or disk?); Concord writes its "
                        "-wal and -shm files beside the project, so copy the project "
                        "to a folder you can write to"};
        return {Error::Code::Io, path + ": cannot open the project file (" + message + ")"};
    }
    case SQLITE_FULL:
        return {Error::Code::Io, path + ": the disk is full; nothing was written"};
    case SQLITE_IOERR:
        if (noSpaceLeft(path))
            return {Error::Code::Io, path + ": the disk is full (no space left in " +
                                         fs::absolute(path).parent_path().string() +
                                         "); free some space and try again; nothing was written"};
        return {Error::Code::Io, path + ": a disk read or write failed (" + message + ")"};
    default:
        return {Error::Code::Internal, path + ": " + message};
    }
}

std::string ImportSummary::toString() const
{
    return "added " + plural(documentsAdded, "document") + ", " + plural(itemsAdded, "item") + ", " +
           plural(labelsAdded, "label revision") + "; unchanged " + plural(documentsUnchanged, "document") +
           ", " + plural(itemsUnchanged, "item") + ", " + plural(labelsUnchanged, "label revision") +
           (ratersAdded > 0 ? "; " + plural(ratersAdded, "new rater") : std::string());
}

Project::Project(std::string path, std::unique_ptr<Database> db)
    : m_path(std::move(path)), m_db(std::move(db))
{
}
Project::~Project() = default;

model::Result<std::unique_ptr<Project>> Project::create(const std::string &path)
{
    if (!hasProjectExtension(path))
        return Error{Error::Code::InvalidInput, path + ": a project file name must end in .concord"};
    std::error_code ec;
    if (fs::exists(path, ec))
        return Error{Error::Code::InvalidInput, path + ": already exists; choose a new file name"};
    // What this call created is removed again if creating fails (a full disk): a 0-byte file
    // left behind would block the retry ("already exists") and open as no project at all.
    try {
        auto db = std::make_unique<Database>(path, Database::Mode::ReadWriteCreate);
        // 16 KiB pages (SQLite's default is 4 KiB), set before the first write fixes it: a 100 KB
        // document takes 7 overflow pages instead of 25, and a bulk import writes a quarter of the
        // WAL frames (measured: 0.15 s of CPU less on the 140 MB benchmark file). A label saved in
        // the workspace then writes a few 16 KiB pages, still well under a millisecond.
        db->exec("PRAGMA page_size = 16384");
        db->exec("PRAGMA application_id = " + std::to_string(kApplicationId));
        configure(*db);
        migrate(*db);
        return std::unique_ptr<Project>(new Project(path, std::move(db)));
    } catch (const SqliteError &e) {
        auto failure = sqliteFailure(path, e.code(), e.what());
        removeDatabaseFiles(path); // the Database is closed by now: it went out of scope with the throw
        return failure;
    }
}

model::Result<std::unique_ptr<Project>> Project::open(const std::string &path)
{
    return openWith(path, Database::Mode::ReadWrite);
}

model::Result<std::unique_ptr<Project>> Project::openForReading(const std::string &path)
{
    auto project = openWith(path, Database::Mode::ReadWrite);
    if (project)
        return project;
    std::error_code ec;
    const auto walBytes = fs::file_size(path + "-wal", ec);
    const bool walLeft = !ec && walBytes > 0;
    if (project.error().code == Error::Code::Io && noSpaceLeft(path) && !walLeft) {
        // A full disk: SQLite could not size its -shm file. With no WAL content the file is
        // complete and is read as it is.
        auto immutable = openWith(path, Database::Mode::Immutable);
        return immutable ? std::move(immutable) : std::move(project);
    }
    if (project.error().code != Error::Code::ReadOnly)
        return project;
    // A WAL left beside the project holds committed labels: SQLite must read it, which it can on a
    // read-only folder only through the -shm file beside it. Without one, the file is complete and
    // is read as it is, with no locks and no -shm (SQLite cannot create one there).
    const bool folderWritable = ::access(fs::absolute(path).parent_path().c_str(), W_OK) == 0;
    return openWith(path, walLeft || folderWritable ? Database::Mode::ReadOnly : Database::Mode::Immutable);
}

model::Result<std::unique_ptr<Project>> Project::openWith(const std::string &path, Database::Mode mode)
{
    const bool writable = mode == Database::Mode::ReadWrite;
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (!fs::exists(status))
        return Error{Error::Code::NotFound, path + ": no such project file"};
    if (fs::is_directory(status))
        return Error{Error::Code::InvalidInput, path + ": is a directory, not a .concord project file"};
    // A FIFO or a device would block the read below, or give SQLite something it cannot lock.
    if (!fs::is_regular_file(status))
        return Error{Error::Code::InvalidInput,
                     path +
                         ": is not a regular file (a pipe, socket or device), not a .concord project file"};
    if (!hasProjectExtension(path))
        return Error{Error::Code::InvalidInput, path + ": not a .concord project file (wrong extension)"};
    // SQLite would take an empty file for an empty database, and the check below would then call
    // it "made by another program"; no program made it.
    if (fs::file_size(path, ec) == 0 && !ec)
        return Error{Error::Code::NotAProject, path + ": the file is empty (0 bytes), not a Concord project"};
    if (!looksLikeSqlite(path))
        return Error{Error::Code::NotAProject,
                     path + ": not a Concord project (the file is not an SQLite database)"};
    const bool walBefore = fs::exists(path + "-wal", ec), shmBefore = fs::exists(path + "-shm", ec);
    try {
        auto db = std::make_unique<Database>(path, mode);
        sqlite3_busy_timeout(db->handle(), kBusyTimeoutMs);
        std::int64_t applicationId = 0;
        {
            Statement appId(*db, "PRAGMA application_id");
            appId.step();
            applicationId = appId.int64(0);
        } // finalized: an open statement would hold a read transaction and block the switch to WAL
        if (applicationId != kApplicationId)
            return Error{
                Error::Code::NotAProject,
                path + ": an SQLite database, but not a Concord project (it was made by another program)"};
        const int version = schemaVersion(*db);
        // A Concord project is at format 1 or later from its creation: 0 or less means the file
        // was changed by hand or damaged (the format would index the migration steps).
        if (version < 1)
            return Error{Error::Code::Corrupt, path + ": the project file is damaged (its format number is " +
                                                   std::to_string(version) +
                                                   "; a Concord project has 1 or more)"};
        if (version > kSchemaVersion)
            return Error{Error::Code::TooNew, path + ": made by a newer version of Concord (project format " +
                                                  std::to_string(version) + "; this version reads up to " +
                                                  std::to_string(kSchemaVersion) +
                                                  "). Update Concord to open it."};
        if (!writable && version < kSchemaVersion)
            return Error{Error::Code::ReadOnly,
                         path + ": made by an older version of Concord (project format " +
                             std::to_string(version) +
                             ") and read-only here, so it cannot be updated; copy it to a folder you "
                             "can write to and open the copy"};
        if (writable)
            configure(*db);
        else
            db->exec("PRAGMA foreign_keys = ON");
        // Touch the schema so that a damaged file is reported now rather than mid-way through work.
        Statement(*db, "SELECT count(*) FROM sqlite_master").step();
        if (writable)
            migrate(*db);
        return std::unique_ptr<Project>(new Project(path, std::move(db)));
    } catch (const SqliteError &e) {
        const int primary = e.code() & 0xff;
        if ((primary == SQLITE_FULL || primary == SQLITE_IOERR) && noSpaceLeft(path)) {
            // On a full disk SQLite made an empty -wal and a -shm it could not size, and left
            // them: this attempt's own, so they go again. Ones that were there stay, and so does
            // a -shm that another program has sized meanwhile (a WAL index in use is 32 KiB or
            // more).
            if (!walBefore && fs::file_size(path + "-wal", ec) == 0 && !ec)
                fs::remove(path + "-wal", ec);
            if (const auto shmBytes = fs::file_size(path + "-shm", ec); !shmBefore && !ec && shmBytes < 32768)
                fs::remove(path + "-shm", ec);
        }
        return sqliteFailure(path, e.code(), e.what());
    }
}

model::Status Project::saveCopy(const std::string &to)
{
    if (!hasProjectExtension(to))
        return Error{Error::Code::InvalidInput, to + ": a project file name must end in .concord"};
    std::error_code ec;
    if (fs::exists(fs::symlink_status(to, ec)))
        return Error{Error::Code::InvalidInput, to + ": already exists; choose a new file name"};
    // A temporary name beside `to`, so that the rename below cannot cross file systems.
    std::string temp = to + ".partial-XXXXXX";
    const int fd = ::mkstemp(temp.data());
    if (fd < 0)
        return sqliteFailure(to, SQLITE_CANTOPEN, std::strerror(errno));
    ::close(fd);
    try {
        {
            Database copy(temp, Database::Mode::ReadWrite);
            sqlite3_backup *backup = sqlite3_backup_init(copy.handle(), "main", m_db->handle(), "main");
            if (!backup)
                throw SqliteError(sqlite3_extended_errcode(copy.handle()), sqlite3_errmsg(copy.handle()));
            const int stepped = sqlite3_backup_step(backup, -1);
            const int finished = sqlite3_backup_finish(backup);
            if (stepped != SQLITE_DONE)
                throw SqliteError(stepped, sqlite3_errstr(stepped));
            if (finished != SQLITE_OK)
                throw SqliteError(finished, sqlite3_errstr(finished));
        } // closed: the copy is complete in the one file, which SQLite synced when it committed
        // Never over a file that appeared meanwhile: link() refuses an existing name; rename()
        // where the file system has no hard links (FAT on a USB stick).
        if (::link(temp.c_str(), to.c_str()) == 0) {
            removeDatabaseFiles(temp);
        } else if (errno == EEXIST) {
            removeDatabaseFiles(temp);
            return Error{Error::Code::InvalidInput, to + ": already exists; choose a new file name"};
        } else if (std::rename(temp.c_str(), to.c_str()) != 0) {
            const std::string why = std::strerror(errno);
            removeDatabaseFiles(temp);
            return Error{Error::Code::Io, to + ": cannot write the copy (" + why + ")"};
        }
        syncDirectory(fs::absolute(to).parent_path());
        return model::Ok{};
    } catch (const SqliteError &e) {
        removeDatabaseFiles(temp);
        return sqliteFailure(to, e.code(), e.what());
    }
}

model::Result<model::ProjectInfo> Project::info()
{
    try {
        model::ProjectInfo info;
        auto count = [&](const char *sql) {
            Statement s(*m_db, sql);
            s.step();
            return s.int64(0);
        };
        info.documents = count("SELECT count(*) FROM documents");
        info.items = count("SELECT count(*) FROM items");
        info.answers = count("SELECT count(*) FROM answers");
        info.raters = count("SELECT count(*) FROM raters");
        info.revisions = count("SELECT count(*) FROM labels");
        // Current labels: one per rater × item × facet (× answer), however many revisions it has,
        // read the way the agreement report reads them (one pass in id order, on two threads):
        // 0.1 s for 200,000 label rows, where SQL grouping them took 0.3 s.
        auto current = readCurrentLabels(*this);
        if (!current)
            return current.error();
        std::array<std::int64_t, model::kFacets.size()> byFacet{};
        for (const model::CurrentLabel &l : current->labels())
            ++byFacet[model::facetIndex(l.facet)];
        for (std::size_t f = 0; f < model::kFacets.size(); ++f) {
            info.labelsByFacet.emplace_back(std::string(model::toString(model::kFacets[f])), byFacet[f]);
            info.labels += byFacet[f];
        }
        return info;
    } catch (const SqliteError &e) {
        return sqliteFailure(m_path, e.code(), e.what());
    }
}

model::Result<ImportSummary> Project::importFiles(const std::vector<std::string> &paths,
                                                  std::vector<model::Diagnostic> &diagnostics,
                                                  ImportMemory memory,
                                                  const std::function<void(double)> &progress)
{
    phases.start();
    std::vector<std::string> names;
    std::vector<FileBytes> files;
    std::vector<std::string_view> contents;
    std::size_t bytes = 0;
    for (const std::string &path : paths) {
        std::error_code ec;
        const fs::file_status status = fs::status(path, ec);
        if (!fs::exists(status)) {
            diagnostics.push_back({path, 0, "file", "no such file"});
            continue;
        }
        if (fs::is_directory(status)) {
            diagnostics.push_back({path, 0, "file", "is a directory; give the JSONL files inside it"});
            continue;
        }
        FileBytes content;
        if (auto problem = readWholeFile(path, content)) {
            diagnostics.push_back({path, 0, "file", std::move(*problem)});
            continue;
        }
        bytes += content.size;
        names.push_back(path);
        contents.push_back(content.view());
        files.push_back(std::move(content));
    }
    phases.lap("read");
    if (!diagnostics.empty())
        return Error{Error::Code::InvalidInput, "nothing was imported"};
    // Progress never goes back, also when a streamed import falls back to one batch.
    double reported = 0;
    std::function<void(double)> forward;
    if (progress)
        forward = [&](double done) {
            if (done > reported)
                progress(reported = done);
        };
    if (bytes >= kStreamFrom) {
        if (auto streamed = importStreaming(names, contents, memory, forward)) {
            if (memory == ImportMemory::LeaveToExit)
                new std::vector<FileBytes>(std::move(files)); // NOLINT: left to the exit, see ImportMemory
            files.clear();
            phases.lap("free");
            return std::move(*streamed);
        }
        phases.lap("fallback");
    }
    model::ImportBatch batch;
    for (std::size_t f = 0; f < names.size(); ++f)
        readFile(names[f], contents[f], batch, diagnostics);
    phases.lap("parse");
    if (!diagnostics.empty())
        return Error{Error::Code::InvalidInput, "nothing was imported"};
    auto result = importBatch(batch, diagnostics, forward);
    model::sortDiagnostics(diagnostics, names);
    batch = {};
    files.clear();
    phases.lap("free");
    return result;
}

std::optional<model::Result<ImportSummary>>
Project::importStreaming(const std::vector<std::string> &names, const std::vector<std::string_view> &contents,
                         ImportMemory memory, const std::function<void(double)> &progress)
{
    // Parts of about 2 MB: small enough that writing starts almost at once, large enough that
    // handing them from thread to thread costs nothing.
    constexpr std::size_t kPartBytes = 2u * 1024u * 1024u;
    // How many parts parsing may be ahead of writing.
    constexpr std::size_t kPartsAhead = 8;
    // Line numbers are not counted: a part with a problem makes the whole import fall back to one
    // batch, which counts them for its messages.
    auto owned = std::make_unique<ImportStream>();
    ImportStream &stream = *owned;
    for (std::size_t f = 0; f < contents.size(); ++f)
        for (const model::JsonlPart &lines :
             model::splitJsonl(contents[f], contents[f].size() / kPartBytes + 1, false))
            stream.parts.emplace_back(f, lines);
    std::vector<std::string> fileHashes(contents.size());

    try {
        // 16 MB of page cache, not the batch import's 256 MB: SQLite then writes pages out while
        // the stream runs (spilling them, through the journal or the WAL, as safely as at the
        // commit) instead of all at the commit, so the write overlaps the other threads' work; and
        // the import holds 110 MB less (140 MB file: 4% faster, peak 499 MiB instead of 613).
        m_db->exec("PRAGMA cache_size = -16384");
        BulkWrite bulk(*m_db, true);
        Transaction tx(*m_db);
        BackgroundSync syncing(*m_db);
        SqliteLookup lookup(*m_db);
        model::ImportPlanner planner(lookup);
        // Plans a part once it is parsed; false when the import must be planned as one batch.
        auto planPart = [&](StreamPart &part) {
            if (!stream.waitFor([&] { return part.parsed; }) || !part.problems.empty())
                return false;
            std::vector<model::Diagnostic> problems;
            model::ImportPlan plan = planner.plan(part.batch, problems);
            if (!problems.empty() || !planner.sameAsOneBatch())
                return false;
            stream.publish([&] {
                part.plan = std::move(plan);
                part.planned = true;
            });
            return true;
        };
        // The planner asks the project nothing when it was empty, and can then run on a thread of
        // its own while this one writes; otherwise it shares this thread's connection.
        const bool planBeside = !lookup.readsProject();
        {
            std::vector<std::jthread> threads;
            ImportStream::StopOnExit stopOnExit(stream, threads);
            const unsigned parsers = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
            for (unsigned t = 0; t < parsers; ++t)
                threads.emplace_back([&] {
                    pthread_setname_np(pthread_self(), "concord-parse");
                    yieldToWriter(15);
                    try {
                        for (std::size_t i;
                             (i = stream.nextToParse++) < stream.parts.size() && !stream.stopped();) {
                            // Not further ahead of the writer than kPartsAhead: the memory of
                            // written parts is then reused instead of fresh pages taken.
                            if (!stream.waitFor([&] { return i < stream.written + kPartsAhead; }))
                                break;
                            stream.freeWrittenParts();
                            StreamPart &part = stream.parts[i];
                            model::ImportBatch batch;
                            std::vector<model::Diagnostic> problems;
                            const std::size_t records =
                                model::readJsonlLines(names[part.file], part.lines, batch, problems);
                            stream.publish([&] {
                                part.batch = std::move(batch);
                                part.problems = std::move(problems);
                                part.records = records;
                                part.parsed = true;
                            });
                        }
                    } catch (...) {
                        stream.stop(); // e.g. out of memory: the batch import decides what to say
                    }
                });
            if (planBeside)
                threads.emplace_back([&] {
                    pthread_setname_np(pthread_self(), "concord-plan");
                    yieldToWriter(5);
                    try {
                        for (StreamPart &part : stream.parts)
                            if (!planPart(part)) {
                                stream.stop();
                                return;
                            }
                    } catch (...) {
                        stream.stop();
                    }
                });

            ImportSummary summary;
            summary.streamed = true;
            const std::int64_t importId = logImport(*m_db, summary);
            const IndexRebuild rebuild(*m_db, bulk.firstLoad());
            ImportWriter writer(*m_db, importId);
            std::chrono::duration<double> waited{}, wrote{};
            std::size_t bytesWritten = 0, total = 0; // bytes of the parts, for progress
            for (const StreamPart &part : stream.parts)
                total += part.lines.text.size();
            for (StreamPart &part : stream.parts) {
                const auto t0 = PhaseTimer::Clock::now();
                if (planBeside ? !stream.waitFor([&] { return part.planned; }) : !planPart(part))
                    return std::nullopt;
                const auto t1 = PhaseTimer::Clock::now();
                writer.write(part.plan);
                count(summary, part.plan);
                stream.publish([&] { ++stream.written; });
                bytesWritten += part.lines.text.size();
                if (progress)
                    progress(0.9 * double(bytesWritten) / double(std::max<std::size_t>(total, 1)));
                waited += t1 - t0;
                wrote += PhaseTimer::Clock::now() - t1;
            }
            phases.note("writing", wrote.count());
            phases.note(planBeside ? "waiting for the planner" : "reading and planning", waited.count());
            phases.lap("stream");
            // A file without a single record is a problem the batch import words.
            std::vector<std::size_t> records(contents.size(), 0);
            for (const StreamPart &part : stream.parts)
                records[part.file] += part.records;
            if (std::count(records.begin(), records.end(), std::size_t(0)) > 0)
                return std::nullopt;
            // The files' hashes (for the import log) are taken while the indexes are built, when
            // the other threads are done and a core would otherwise be idle.
            {
                std::jthread hashing([&] {
                    pthread_setname_np(pthread_self(), "concord-hash");
                    for (std::size_t f = 0; f < contents.size(); ++f)
                        fileHashes[f] = model::Sha256::hex(contents[f]);
                });
                rebuild.createIndexes();
            }
            phases.lap("index");
            std::vector<model::ImportedFile> files;
            for (std::size_t f = 0; f < contents.size(); ++f)
                files.push_back({names[f], fileHashes[f], static_cast<std::int64_t>(contents[f].size())});
            logFiles(*m_db, importId, files);
            updateImportCounts(*m_db, importId, summary);
            syncing.stop();
            tx.commit();
            phases.lap("commit");
            if (progress)
                progress(1.0); // committed: what follows is a cache and tidying up
            if (summary.labelsAdded > 0) {
                keepInput(*this);
                phases.lap("keep");
            }
            if (memory == ImportMemory::LeaveToExit)
                (void)owned.release(); // NOLINT: left to the exit, see ImportMemory
            return summary;
        }
    } catch (const std::system_error &) {
        return std::nullopt; // no thread could be started: import as one batch
    } catch (const SqliteError &e) {
        return model::Result<ImportSummary>(sqliteFailure(m_path, e.code(), e.what()));
    }
}

model::Result<ImportSummary> Project::importContent(const std::string &name, std::string_view content,
                                                    std::vector<model::Diagnostic> &diagnostics)
{
    model::ImportBatch batch;
    model::readJsonl(name, content, batch, diagnostics);
    if (!diagnostics.empty())
        return Error{Error::Code::InvalidInput, "nothing was imported"};
    auto summary = importBatch(batch, diagnostics);
    if (!summary)
        model::sortDiagnostics(diagnostics, {name}); // line order, as importFiles gives them
    return summary;
}

model::Result<ImportSummary> Project::importBatch(const model::ImportBatch &batch,
                                                  std::vector<model::Diagnostic> &diagnostics,
                                                  const std::function<void(double)> &progress)
{
    auto report = [&](double done) {
        if (progress)
            progress(done);
    };
    try {
        // A large import touches far more pages than the default 2 MB cache holds.
        m_db->exec("PRAGMA cache_size = -262144");
        BulkWrite bulk(*m_db, batch.labels.size() + batch.items.size() >= kBulkRows);
        Transaction tx(*m_db);
        SqliteLookup lookup(*m_db);
        const model::ImportPlan plan = model::planImport(batch, lookup, diagnostics);
        phases.lap("plan");
        report(0.5);
        if (!diagnostics.empty())
            return Error{Error::Code::InvalidInput, "nothing was imported"};

        ImportSummary summary;
        count(summary, plan);
        const std::int64_t importId = logImport(*m_db, summary);
        logFiles(*m_db, importId, batch.files);
        ImportWriter writer(*m_db, importId);
        writer.writeDocuments(plan);
        phases.lap("documents");
        writer.writeItems(plan);
        phases.lap("items");
        writer.writeRaters(plan);
        writer.writeLabels(plan);
        phases.lap("labels");
        report(0.9);
        tx.commit();
        phases.lap("commit");
        report(1.0); // committed: what follows is a cache
        // The agreement report's input, kept for the first report (a cache: failures are silent).
        if (summary.labelsAdded > 0) {
            keepInput(*this);
            phases.lap("keep");
        }
        return summary;
    } catch (const SqliteError &e) {
        return sqliteFailure(m_path, e.code(), e.what());
    }
}

model::Result<std::vector<model::ItemSummary>> Project::itemSummaries()
{
    try {
        std::vector<model::ItemSummary> out;
        Statement s(*m_db, "SELECT i.ext_id, d.ext_id, i.question_type, a.system, b.system FROM items i "
                           "JOIN documents d ON d.id = i.document_id "
                           "JOIN answers a ON a.item_id = i.id AND a.slot = 'A' "
                           "JOIN answers b ON b.item_id = i.id AND b.slot = 'B' ORDER BY i.id");
        while (s.step())
            out.push_back({s.text(0), s.text(1),
                           model::parseQuestionType(s.textView(2)).value_or(model::QuestionType::FactRecall),
                           s.text(3), s.text(4)});
        return out;
    } catch (const SqliteError &e) {
        return sqliteFailure(m_path, e.code(), e.what());
    }
}

model::Result<model::Item> Project::item(const std::string &id)
{
    try {
        Statement s(*m_db, std::string(kItemSelect) + " WHERE i.ext_id = ?");
        s.bind(1, id);
        if (!s.step())
            return Error{Error::Code::NotFound, "no item \"" + id + "\" in " + m_path};
        return readItem(s);
    } catch (const SqliteError &e) {
        return sqliteFailure(m_path, e.code(), e.what());
    }
}

model::Result<model::Document> Project::document(const std::string &id)
{
    try {
        Statement s(*m_db, std::string(kDocumentSelect) + " WHERE d.ext_id = ?");
        s.bind(1, id);
        if (!s.step())
            return Error{Error::Code::NotFound, "no document \"" + id + "\" in " + m_path};
        return readDocument(s);
    } catch (const SqliteError &e) {
        return sqliteFailure(m_path, e.code(), e.what());
    }
}

model::Status Project::exportJsonl(std::ostream &out)
{
    try {
        {
            Statement s(*m_db, "SELECT ext_id, kind, name, config FROM raters ORDER BY id");
            while (s.step()) {
                model::Rater r;
                r.id = s.text(0);
                r.kind = model::parseRaterKind(s.textView(1)).value_or(model::RaterKind::Human);
                r.name = s.optionalText(2);
                r.configJson = s.optionalText(3);
                out << model::toJsonLine(r) << '\n';
            }
        }
        {
            Statement s(*m_db, std::string(kDocumentSelect) + " ORDER BY d.id");
            while (s.step())
                out << model::toJsonLine(readDocument(s)) << '\n';
        }
        {
            Statement s(*m_db, std::string(kItemSelect) + " ORDER BY i.id");
            while (s.step())
                out << model::toJsonLine(readItem(s)) << '\n';
        }
        // Label revisions in the order they were made, merged with their evidence.
        std::string sql = "SELECT l.id, i.ext_id, t.ext_id, t.kind, l.created_at, l.time_spent_s, l.note, "
                          "l.has_evidence, l.shown_order, l.cleared";
        for (const LabelColumn &c : kLabelColumns)
            sql += std::string(", l.") + c.column;
        sql += " FROM labels l JOIN items i ON i.id = l.item_id JOIN raters t ON t.id = l.rater_id ORDER BY "
               "l.id";
        Statement labels(*m_db, sql);
        Statement evidence(*m_db,
                           "SELECT label_id, slot, start, end, note FROM evidence ORDER BY label_id, seq");
        bool evidenceRow = evidence.step();
        while (labels.step()) {
            const std::int64_t id = labels.int64(0);
            model::LabelRevision label;
            label.itemId = labels.text(1);
            label.raterId = labels.text(2);
            label.raterKind = model::parseRaterKind(labels.textView(3)).value_or(model::RaterKind::Human);
            label.createdAt = labels.optionalText(4);
            label.timeSpentS = labels.optionalReal(5);
            label.note = labels.optionalText(6);
            label.shownOrder = labels.optionalText(8);
            readLabelColumns(labels, 10, labels.int64(9), label);
            if (labels.int64(7) != 0) {
                label.evidence.emplace();
                for (; evidenceRow && evidence.int64(0) == id; evidenceRow = evidence.step())
                    label.evidence->push_back(
                        {model::parseSlot(evidence.textView(1)).value_or(model::Slot::A), evidence.int64(2),
                         evidence.int64(3), evidence.optionalText(4)});
            }
            out << model::toJsonLine(label) << '\n';
        }
        out.flush();
        if (!out)
            return Error{Error::Code::Io, "writing the export failed (disk full?)"};
        return model::Ok{};
    } catch (const SqliteError &e) {
        return sqliteFailure(m_path, e.code(), e.what());
    }
}

} // namespace concord::storage
