#include "outputfile.h"

#include <atomic>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string_view>
#include <vector>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

namespace concord::model {

namespace fs = std::filesystem;

namespace {

/// Whether removeTemporaryOnInterrupt() was called, and the temporary files being written now
/// (empty slots when none; writeOutputFiles() writes several before renaming any); read by the
/// signal handler, so fixed buffers and no allocation. Used by one thread, the command line's.
std::atomic<bool> g_removeOnInterrupt{false};
constexpr std::size_t kGuardSlots = 4;
char g_temporary[kGuardSlots][4096] = {};
constexpr int kInterrupts[] = {SIGINT, SIGTERM, SIGHUP};
// While any guard is active: how many, and the handlers the first one replaced.
int g_activeGuards = 0;
struct sigaction g_before[std::size(kInterrupts)] = {};
struct sigaction g_beforeFileSize = {};

extern "C" void removeTemporaryAndEnd(int signal)
{
    for (const char *temporary : g_temporary)
        if (temporary[0] != '\0')
            ::unlink(temporary); // async-signal-safe
    ::signal(signal, SIG_DFL);
    ::raise(signal); // ends the process as the signal would have (exit status 128 + signal)
}

/// A temporary file of this run's own (mkstemp), made with the interrupts already set to remove
/// it (when asked for), so no moment is left where Ctrl-C would leave it behind; a file too large
/// for the process's limit (`ulimit -f`) fails the write instead of ending the process. The
/// handlers before the first guard are put back when the last one ends.
class GuardedTemporary
{
public:
    explicit GuardedTemporary(const std::string &pattern)
    {
        char *slot = nullptr;
        if (g_removeOnInterrupt && pattern.size() < sizeof g_temporary[0])
            for (char *candidate : g_temporary)
                if (candidate[0] == '\0') {
                    slot = candidate;
                    break;
                }
        if (slot == nullptr) {
            std::vector<char> buffer(pattern.begin(), pattern.end());
            buffer.push_back('\0');
            m_fd = ::mkstemp(buffer.data());
            if (m_fd >= 0)
                m_name = buffer.data();
            return;
        }
        // The handler reads the name from the buffer mkstemp fills in: set before the file exists.
        std::memcpy(slot, pattern.c_str(), pattern.size() + 1);
        if (g_activeGuards++ == 0) {
            struct sigaction action
            {
            };
            action.sa_handler = removeTemporaryAndEnd;
            sigemptyset(&action.sa_mask);
            for (std::size_t i = 0; i < std::size(kInterrupts); ++i) {
                // An interrupt the program ignores (nohup) stays ignored.
                if (::sigaction(kInterrupts[i], nullptr, &g_before[i]) == 0 &&
                    g_before[i].sa_handler != SIG_IGN)
                    ::sigaction(kInterrupts[i], &action, nullptr);
            }
            struct sigaction ignore
            {
            };
            ignore.sa_handler = SIG_IGN;
            sigemptyset(&ignore.sa_mask);
            ::sigaction(SIGXFSZ, &ignore, &g_beforeFileSize); // the write fails with EFBIG instead
        }
        m_slot = slot;
        m_fd = ::mkstemp(slot);
        if (m_fd >= 0)
            m_name = slot;
        else
            slot[0] = '\0';
    }
    ~GuardedTemporary()
    {
        if (m_slot == nullptr)
            return;
        m_slot[0] = '\0';
        if (--g_activeGuards == 0) {
            ::sigaction(SIGXFSZ, &g_beforeFileSize, nullptr);
            for (std::size_t i = 0; i < std::size(kInterrupts); ++i)
                ::sigaction(kInterrupts[i], &g_before[i], nullptr);
        }
    }
    GuardedTemporary(const GuardedTemporary &) = delete;
    GuardedTemporary &operator=(const GuardedTemporary &) = delete;

    /// The open file descriptor, or -1 when it could not be made.
    int fd() const { return m_fd; }
    const std::string &name() const { return m_name; }

private:
    char *m_slot = nullptr; ///< the guarded slot of g_temporary, when guarded
    int m_fd = -1;
    std::string m_name;
};

/// A regular file's new content, written to a temporary file beside it and not yet renamed over
/// it; the temporary is removed if it never is.
struct PreparedFile
{
    std::string output;
    fs::path target;
    std::unique_ptr<GuardedTemporary> guarded;
    bool renamed = false;
    ~PreparedFile()
    {
        if (guarded && !renamed && !guarded->name().empty()) {
            std::error_code ignored;
            fs::remove(guarded->name(), ignored);
        }
    }
};

using Writer = std::function<model::Status(std::ostream &)>;

/// Writes content made beforehand.
Writer bytesWriter(std::string_view bytes)
{
    return [bytes](std::ostream &out) {
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        return model::Status(model::Ok{});
    };
}

/// Writes into a device, a FIFO, /dev/stdout or a process substitution, where there is no file to
/// replace (a link such as /dev/fd/1 is opened as it is: it may point to a pipe).
std::string writeStream(const std::string &output, const Writer &write)
{
    std::ofstream out(output, std::ios::binary);
    if (!out)
        return output + ": cannot write here";
    if (auto written = write(out); !written)
        return out ? written.error().message : output + ": writing failed (is the disk full?)";
    out.flush();
    return out ? std::string() : output + ": writing failed (is the disk full?)";
}

/// Writes what `write` produces to a temporary file beside the regular file `output` (or where
/// its link points); a message when that failed.
std::string prepareFile(const std::string &output, const Writer &write, PreparedFile &prepared)
{
    std::error_code ec;
    prepared.output = output;
    // A link keeps pointing where it did: the file it points to (there or not yet) gets the
    // content, written beside that file.
    fs::path target = output;
    for (int hops = 0; hops < 40 && fs::is_symlink(fs::symlink_status(target, ec)); ++hops) {
        const fs::path next = fs::read_symlink(target, ec);
        if (ec)
            break;
        target = next.is_absolute() ? next : target.parent_path() / next;
    }
    prepared.target = target;
    // A temporary file of this run's own beside the target, renamed over it at the end.
    prepared.guarded = std::make_unique<GuardedTemporary>(target.string() + ".part.XXXXXX");
    const int fd = prepared.guarded->fd();
    if (fd < 0)
        return output + ": cannot write here";
    const std::string &temporary = prepared.guarded->name();
    // mkstemp makes it private (0600); give it the old file's permissions, or a new file's.
    mode_t mode = 0;
    if (struct stat old{}; ::stat(target.c_str(), &old) == 0) {
        mode = old.st_mode & 07777;
    } else {
        const mode_t mask = ::umask(0);
        ::umask(mask);
        mode = 0666 & ~mask;
    }
    (void)::fchmod(fd, mode);
    ::close(fd);
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out)
        return output + ": cannot write here";
    // The stream failing is this file's problem (a full disk), whatever the writer says.
    if (auto written = write(out); !written)
        return out ? written.error().message : output + ": writing failed (is the disk full?)";
    out.close();
    if (!out)
        return output + ": writing failed (is the disk full?)";
    return {};
}

/// Renames the prepared temporary over its target; a message when that failed.
std::string finishFile(PreparedFile &prepared)
{
    std::error_code ec;
    fs::rename(prepared.guarded->name(), prepared.target, ec);
    if (ec)
        return prepared.output + ": " + ec.message();
    prepared.renamed = true;
    return {};
}

/// Whether `path` is an existing SQLite database ("SQLite format 3\0" at its start).
bool isSqliteDatabase(const std::string &path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return false;
    std::ifstream in(path, std::ios::binary);
    char header[16] = {};
    in.read(header, sizeof header);
    return in.gcount() == 16 && std::string_view(header, 16) == std::string_view("SQLite format 3\0", 16);
}

} // namespace

void removeTemporaryOnInterrupt() { g_removeOnInterrupt = true; }

bool sameFile(const std::string &a, const std::string &b)
{
    std::error_code ec;
    if (fs::equivalent(a, b, ec))
        return true;
    const fs::path resolvedA = fs::weakly_canonical(a, ec);
    if (ec)
        return false;
    const fs::path resolvedB = fs::weakly_canonical(b, ec);
    return !ec && resolvedA == resolvedB;
}

bool isStream(const std::string &output)
{
    std::error_code ec;
    const fs::file_status status = fs::status(output, ec); // through any links
    return fs::exists(status) && !fs::is_regular_file(status) && !fs::is_directory(status);
}

std::string refusedOutput(const std::string &output, const std::string &project)
{
    std::error_code ec;
    if (fs::is_directory(output, ec))
        return output + ": is a directory; give the name of the file to write (in it, if you like)";
    // SQLite keeps its files beside the real file of a project opened through a link.
    const fs::path real = fs::weakly_canonical(project, ec);
    for (const char *suffix : {"", "-wal", "-shm", "-journal"}) {
        bool same = false;
        for (const std::string &base : {project, ec ? project : real.string()}) {
            same = same || sameFile(output, base + suffix); // a -journal may not be there yet
        }
        if (same)
            return output +
                   (*suffix ? ": is SQLite's " + std::string(suffix) + " file of the project"
                            : std::string(": is the project file itself")) +
                   "; choose another file to write";
    }
    if (isSqliteDatabase(output))
        return output + ": is an SQLite database (a Concord project?), which Concord never writes over; "
                        "choose another file to write";
    return {};
}

std::string writeOutputFile(const std::string &output,
                            const std::function<model::Status(std::ostream &)> &write)
{
    if (isStream(output))
        return writeStream(output, write);
    PreparedFile prepared;
    if (std::string failed = prepareFile(output, write, prepared); !failed.empty())
        return failed;
    return finishFile(prepared);
}

std::string writeOutputFile(const std::string &output, std::string_view bytes)
{
    return writeOutputFile(output, bytesWriter(bytes));
}

std::string writeOutputFiles(const std::vector<std::pair<std::string, std::string_view>> &files)
{
    // Every regular file's content first, each in its temporary; then the streams (which cannot
    // be taken back); then the renames, which do not fail for want of space.
    std::vector<std::unique_ptr<PreparedFile>> prepared;
    for (const auto &[output, bytes] : files) {
        if (isStream(output))
            continue;
        prepared.push_back(std::make_unique<PreparedFile>());
        if (std::string failed = prepareFile(output, bytesWriter(bytes), *prepared.back()); !failed.empty())
            return failed;
    }
    for (const auto &[output, bytes] : files)
        if (isStream(output))
            if (std::string failed = writeStream(output, bytesWriter(bytes)); !failed.empty())
                return failed;
    for (const auto &file : prepared)
        if (std::string failed = finishFile(*file); !failed.empty())
            return failed;
    return {};
}

} // namespace concord::model
