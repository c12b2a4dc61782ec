#pragma once
/// @file sqlite.h
/// RAII over the SQLite C API: a connection, a prepared statement and a transaction that rolls
/// back unless committed. Failures throw SqliteError; storage/ catches it at its public boundary
/// and converts it to a model::Error, so no exception leaves this layer.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace concord::storage {

class SqliteError : public std::runtime_error
{
public:
    SqliteError(int code, const std::string &message) : std::runtime_error(message), m_code(code) {}
    /// The primary result code (SQLITE_BUSY, SQLITE_CORRUPT, SQLITE_NOTADB, ...).
    int code() const { return m_code & 0xff; }

private:
    int m_code;
};

class Database
{
public:
    /// Immutable: read-only, and SQLite is told that nothing changes the file while it is open,
    /// so it takes no locks and needs no -shm file: for a project on a read-only folder or disk,
    /// whose WAL was checkpointed (no -wal file beside it).
    enum class Mode { ReadWrite, ReadWriteCreate, ReadOnly, Immutable };

    Database(const std::string &path, Mode mode);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    void exec(std::string_view sql);
    std::int64_t lastInsertRowId() const;
    int changes() const;
    sqlite3 *handle() const { return m_db; }
    const std::string &path() const { return m_path; }
    Mode mode() const { return m_mode; }

    /// Throws SqliteError for `rc` unless it is SQLITE_OK / SQLITE_ROW / SQLITE_DONE.
    void check(int rc) const;

private:
    sqlite3 *m_db = nullptr;
    std::string m_path;
    Mode m_mode;
};

class Statement
{
public:
    Statement(Database &db, std::string_view sql);
    ~Statement();
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    // SQLite uses 1-based indexing for bind, 0-based for column.
    Statement &bind(int index, std::int64_t value);
    Statement &bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement &bind(int index, double value);
    Statement &bind(int index, std::string_view value);
    Statement &bind(int index, const char *value) { return bind(index, std::string_view(value)); }
    Statement &bind(int index, const std::string &value) { return bind(index, std::string_view(value)); }
    Statement &bindNull(int index);
    Statement &bindBlob(int index, std::string_view bytes);
    /// Binds text without copying it: the bytes must stay alive and unchanged until the statement
    /// is next reset or re-bound (run() resets). For bulk inserts of text that already lives in
    /// memory; bind() copies.
    Statement &bindKept(int index, std::string_view value);
    Statement &bindKept(int index, const std::string &value)
    {
        return bindKept(index, std::string_view(value));
    }
    Statement &bindKept(int index, const std::optional<std::string> &value)
    {
        return value ? bindKept(index, std::string_view(*value)) : bindNull(index);
    }
    // A temporary would be gone before the statement runs.
    Statement &bindKept(int index, std::string &&value) = delete;
    Statement &bindKept(int index, std::optional<std::string> &&value) = delete;
    template <typename T> Statement &bind(int index, const std::optional<T> &value)
    {
        return value ? bind(index, *value) : bindNull(index);
    }

    /// Advances to the next row; false when the statement is done.
    bool step();
    /// Runs a statement that returns no rows, then resets it for reuse.
    void run();
    /// Resets the statement and sets every parameter back to NULL.
    void reset();
    /// Sets every parameter back to NULL: one call where binding NULL to each would be many.
    void clearBindings();

    int columnCount() const;
    bool isNull(int column) const;
    std::int64_t int64(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    std::string_view textView(int column) const; ///< valid until the next step or reset
    std::string_view blobView(int column) const; ///< valid until the next step or reset
    std::optional<std::string> optionalText(int column) const;
    std::optional<double> optionalReal(int column) const;

private:
    Database &m_db;
    sqlite3_stmt *m_stmt = nullptr;
};

/// BEGIN IMMEDIATE on construction; ROLLBACK in the destructor unless commit() ran.
class Transaction
{
public:
    explicit Transaction(Database &db);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;
    void commit();

private:
    Database &m_db;
    bool m_done = false;
};

} // namespace concord::storage
