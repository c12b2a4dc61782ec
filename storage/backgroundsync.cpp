#include "backgroundsync.h"

#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <system_error>

#include <pthread.h>

namespace concord::storage {

namespace {

/// A file opened read-only through a VFS, never created; closed through it.
class VfsFile
{
public:
    /// `name` is a file name SQLite made (sqlite3_db_filename, sqlite3_filename_wal), as xOpen
    /// requires; it outlives this object.
    VfsFile(sqlite3_vfs *vfs, const char *name, int type) : m_vfs(vfs), m_name(name), m_type(type) {}
    ~VfsFile() { close(); }
    VfsFile(const VfsFile &) = delete;
    VfsFile &operator=(const VfsFile &) = delete;

    /// Opens the file if it is not yet open, then syncs it. Failures are left to SQLite's own
    /// sync at COMMIT, which reports them.
    bool sync()
    {
        if (!m_file) {
            if (!m_storage)
                m_storage = std::make_unique<std::byte[]>(std::size_t(m_vfs->szOsFile));
            auto *file = reinterpret_cast<sqlite3_file *>(m_storage.get());
            file->pMethods = nullptr;
            int flags = 0;
            const int rc = m_vfs->xOpen(m_vfs, m_name, file, SQLITE_OPEN_READONLY | m_type, &flags);
            if (file->pMethods)
                m_file = file; // to be closed, even when xOpen failed (SQLite's rule)
            if (rc != SQLITE_OK) {
                close();
                return false;
            }
        }
        return m_file->pMethods->xSync(m_file, SQLITE_SYNC_NORMAL) == SQLITE_OK;
    }

private:
    void close()
    {
        if (m_file)
            m_file->pMethods->xClose(m_file);
        m_file = nullptr;
    }

    sqlite3_vfs *m_vfs;
    const char *m_name;
    int m_type;
    std::unique_ptr<std::byte[]> m_storage;
    sqlite3_file *m_file = nullptr; // open
};

} // namespace

BackgroundSync::BackgroundSync(Database &db)
{
    sqlite3_filename name = sqlite3_db_filename(db.handle(), "main");
    sqlite3_vfs *vfs = nullptr;
    if (!name || !*name ||
        sqlite3_file_control(db.handle(), "main", SQLITE_FCNTL_VFS_POINTER, &vfs) != SQLITE_OK || !vfs)
        return; // an in-memory or temporary database: nothing on disk to sync
    // The WAL only in WAL mode: a first load writes through a rollback journal, and no WAL.
    bool wal = false;
    try {
        Statement mode(db, "PRAGMA journal_mode");
        wal = mode.step() && mode.textView(0) == "wal";
    } catch (const SqliteError &) {
    }
    const char *walName = wal ? sqlite3_filename_wal(name) : nullptr;
    try {
        m_thread = std::jthread([this, vfs, name, walName](std::stop_token stop) {
            pthread_setname_np(pthread_self(), "concord-sync");
            try {
                VfsFile mainFile(vfs, name, SQLITE_OPEN_MAIN_DB);
                std::unique_ptr<VfsFile> walFile;
                if (walName)
                    walFile = std::make_unique<VfsFile>(vfs, walName, SQLITE_OPEN_WAL);
                // Only a sleep that a stop request ends at once: nothing else notifies it.
                std::mutex sleeping;
                std::condition_variable_any wake;
                std::unique_lock lock(sleeping);
                for (;;) {
                    wake.wait_for(lock, stop, std::chrono::milliseconds(100), [] { return false; });
                    if (stop.stop_requested())
                        return;
                    if (mainFile.sync())
                        ++m_syncs;
                    if (walFile)
                        (void)walFile->sync();
                }
            } catch (const std::exception &) {
                // Out of memory: stop syncing early; the COMMIT syncs everything as it always does.
            }
        });
    } catch (const std::system_error &) {
        // No thread: the import goes on without early syncs.
    }
}

void BackgroundSync::stop()
{
    if (m_thread.joinable()) {
        m_thread.request_stop();
        m_thread.join();
    }
}

int BackgroundSync::syncs() const { return m_syncs.load(); }

} // namespace concord::storage
