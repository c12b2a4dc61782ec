#include "sqlite.h"

#include <sqlite3.h>

namespace concord::storage {

namespace {

/// `file:` URI of a file path for SQLite: '%', '?' and '#' (and non-ASCII bytes) percent-encoded.
std::string fileUri(const std::string &path)
{
    static const char *hex = "0123456789ABCDEF";
    std::string uri = "file:";
    for (const char c : path) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '%' || c == '?' || c == '#' || u < 0x20 || u >= 0x80) {
            uri += '%';
            uri += hex[u >> 4];
            uri += hex[u & 0xf];
        } else {
            uri += c;
        }
    }
    return uri;
}

} // namespace

Database::Database(const std::string &path, Mode mode) : m_path(path), m_mode(mode)
{
    // Before SQLite initialises (the first open): no memory statistics, which Concord never reads
    // and which take a global mutex on every allocation (about 4% of a large import).
    static const bool configured = [] { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK; }();
    (void)configured;
    int flags = SQLITE_OPEN_NOMUTEX;
    switch (mode) {
    case Mode::ReadWrite:
        flags |= SQLITE_OPEN_READWRITE;
        break;
    case Mode::ReadWriteCreate:
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        break;
    case Mode::ReadOnly:
        flags |= SQLITE_OPEN_READONLY;
        break;
    case Mode::Immutable:
        flags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
        break;
    }
    const std::string name = mode == Mode::Immutable ? fileUri(path) + "?immutable=1" : path;
    const int rc = sqlite3_open_v2(name.c_str(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        throw SqliteError(rc, message);
    }
    sqlite3_extended_result_codes(m_db, 1);
}

Database::~Database() { sqlite3_close_v2(m_db); }

void Database::check(int rc) const
{
    if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE)
        return;
    throw SqliteError(rc, sqlite3_errmsg(m_db));
}

void Database::exec(std::string_view sql)
{
    char *error = nullptr;
    const std::string copy(sql);
    const int rc = sqlite3_exec(m_db, copy.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        std::string message = error ? error : sqlite3_errstr(rc);
        sqlite3_free(error);
        throw SqliteError(sqlite3_extended_errcode(m_db), message);
    }
}

std::int64_t Database::lastInsertRowId() const { return sqlite3_last_insert_rowid(m_db); }
int Database::changes() const { return sqlite3_changes(m_db); }

Statement::Statement(Database &db, std::string_view sql) : m_db(db)
{
    db.check(sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr));
}

Statement::~Statement() { sqlite3_finalize(m_stmt); }

Statement &Statement::bind(int index, std::int64_t value)
{
    m_db.check(sqlite3_bind_int64(m_stmt, index, value));
    return *this;
}

Statement &Statement::bind(int index, double value)
{
    m_db.check(sqlite3_bind_double(m_stmt, index, value));
    return *this;
}

Statement &Statement::bind(int index, std::string_view value)
{
    // An empty string_view may have a null data(); SQLite would bind that as NULL, not ''.
    const char *data = value.data() ? value.data() : "";
    m_db.check(sqlite3_bind_text64(m_stmt, index, data, value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
    return *this;
}

Statement &Statement::bindKept(int index, std::string_view value)
{
    const char *data = value.data() ? value.data() : "";
    m_db.check(sqlite3_bind_text64(m_stmt, index, data, value.size(), SQLITE_STATIC, SQLITE_UTF8));
    return *this;
}

Statement &Statement::bindBlob(int index, std::string_view bytes)
{
    m_db.check(
        sqlite3_bind_blob64(m_stmt, index, bytes.data() ? bytes.data() : "", bytes.size(), SQLITE_TRANSIENT));
    return *this;
}

Statement &Statement::bindNull(int index)
{
    m_db.check(sqlite3_bind_null(m_stmt, index));
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    const int code = sqlite3_extended_errcode(m_db.handle());
    const std::string message = sqlite3_errmsg(m_db.handle());
    sqlite3_reset(m_stmt);
    throw SqliteError(code, message);
}

void Statement::run()
{
    while (step()) {
    }
    reset();
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

void Statement::clearBindings() { sqlite3_clear_bindings(m_stmt); }

int Statement::columnCount() const { return sqlite3_column_count(m_stmt); }
bool Statement::isNull(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }
std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(m_stmt, column); }
double Statement::real(int column) const { return sqlite3_column_double(m_stmt, column); }

std::string_view Statement::textView(int column) const
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    if (!p)
        return {};
    return {p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column))};
}

std::string_view Statement::blobView(int column) const
{
    const auto *p = static_cast<const char *>(sqlite3_column_blob(m_stmt, column));
    if (!p)
        return {};
    return {p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column))};
}

std::string Statement::text(int column) const { return std::string(textView(column)); }

std::optional<std::string> Statement::optionalText(int column) const
{
    if (isNull(column))
        return std::nullopt;
    return text(column);
}

std::optional<double> Statement::optionalReal(int column) const
{
    if (isNull(column))
        return std::nullopt;
    return real(column);
}

Transaction::Transaction(Database &db) : m_db(db) { m_db.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction()
{
    if (!m_done)
        sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit()
{
    m_db.exec("COMMIT");
    m_done = true;
}

} // namespace concord::storage
