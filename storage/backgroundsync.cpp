#include "backgroundsync.h"

#include <sqlite3.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <pthread.h>

namespace concord::storage {

namespace {

/// A file opened read-only through a VFS; closed through it.
class VfsFile
{
public:
    VfsFile(sqlite3_vfs *vfs, std::string path, int type) : m_vfs(vfs), m_path(std::move(path)), m_type(type)
    {
    }
    ~VfsFile()
    {
        if (m_open)
            m_file->pMethods->xClose(m_file);
    }
    VfsFile(const VfsFile &) = delete;
    VfsFile &operator=(const VfsFile &) = delete;

    /// Opens the file if it is not yet open (the WAL exists only once SQLite has written to it),
    /// then syncs it. Failures are left to SQLite's own sync at COMMIT, which reports them.
    bool sync()
    {
        if (!m_open) {
            if (!m_storage)
                m_storage = std::make_unique<std::byte[]>(std::size_t(m_vfs->szOsFile));
            m_file = reinterpret_cast<sqlite3_file *>(m_storage.get());
            int flags = 0;
            // xOpen leaves pMethods null when it fails: then there is nothing to close.
            m_open = m_vfs->xOpen(m_vfs, m_path.c_str(), m_file, SQLITE_OPEN_READONLY | m_type, &flags) ==
                         SQLITE_OK &&
                     m_file->pMethods;
            if (!m_open)
                return false;
        }
        return m_file->pMethods->xSync(m_file, SQLITE_SYNC_NORMAL) == SQLITE_OK;
    }

private:
    sqlite3_vfs *m_vfs;
    std::string m_path;
    int m_type;
    std::unique_ptr<std::byte[]> m_storage;
    sqlite3_file *m_file = nullptr;
    bool m_open = false;
};

} // namespace

BackgroundSync::BackgroundSync(Database &db)
{
    const char *name = sqlite3_db_filename(db.handle(), "main");
    sqlite3_vfs *vfs = nullptr;
    if (!name || !*name ||
        sqlite3_file_control(db.handle(), "main", SQLITE_FCNTL_VFS_POINTER, &vfs) != SQLITE_OK || !vfs)
        return; // an in-memory or temporary database: nothing on disk to sync
    std::string path = name;
    m_thread = std::jthread([this, vfs, path](std::stop_token stop) {
        pthread_setname_np(pthread_self(), "concord-sync");
        VfsFile mainFile(vfs, path, SQLITE_OPEN_MAIN_DB);
        VfsFile wal(vfs, path + "-wal", SQLITE_OPEN_WAL);
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_wake.wait_for(lock, stop, std::chrono::milliseconds(100), [] { return false; });
            if (stop.stop_requested())
                return;
            lock.unlock();
            const bool synced = mainFile.sync();
            (void)wal.sync();
            lock.lock();
            m_syncs += synced ? 1 : 0;
        }
    });
}

void BackgroundSync::stop()
{
    if (m_thread.joinable()) {
        m_thread.request_stop();
        m_thread.join();
    }
}

int BackgroundSync::syncs() const
{
    std::lock_guard lock(m_mutex);
    return m_syncs;
}

} // namespace concord::storage
