#include "outputfile.h"

#include <atomic>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <vector>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

namespace concord::model {

namespace fs = std::filesystem;

namespace {

/// Whether removeTemporaryOnInterrupt() was called, and the temporary file being written now
/// (empty when none); read by the signal handler, so a fixed buffer and no allocation.
std::atomic<bool> g_removeOnInterrupt{false};
char g_temporary[4096] = {};
constexpr int kInterrupts[] = {SIGINT, SIGTERM, SIGHUP};

extern "C" void removeTemporaryAndEnd(int signal)
{
    if (g_temporary[0] != '\0')
        ::unlink(g_temporary); // async-signal-safe
    ::signal(signal, SIG_DFL);
    ::raise(signal); // ends the process as the signal would have (exit status 128 + signal)
}

/// A temporary file of this run's own (mkstemp), made with the interrupts already set to remove
/// it (when asked for), so no moment is left where Ctrl-C would leave it behind; a file too large
/// for the process's limit (`ulimit -f`) fails the write instead of ending the process. The
/// handlers before it are put back when it ends.
class GuardedTemporary
{
public:
    explicit GuardedTemporary(const std::string &pattern)
    {
        if (!g_removeOnInterrupt || pattern.size() >= sizeof g_temporary) {
            std::vector<char> buffer(pattern.begin(), pattern.end());
            buffer.push_back('\0');
            m_fd = ::mkstemp(buffer.data());
            if (m_fd >= 0)
                m_name = buffer.data();
            return;
        }
        struct sigaction action
        {
        };
        action.sa_handler = removeTemporaryAndEnd;
        sigemptyset(&action.sa_mask);
        // The handler reads the name from the buffer mkstemp fills in: set before the file exists.
        std::memcpy(g_temporary, pattern.c_str(), pattern.size() + 1);
        for (std::size_t i = 0; i < std::size(kInterrupts); ++i) {
            // An interrupt the program ignores (nohup) stays ignored.
            if (::sigaction(kInterrupts[i], nullptr, &m_before[i]) == 0 && m_before[i].sa_handler != SIG_IGN)
                ::sigaction(kInterrupts[i], &action, nullptr);
        }
        struct sigaction ignore
        {
        };
        ignore.sa_handler = SIG_IGN;
        sigemptyset(&ignore.sa_mask);
        ::sigaction(SIGXFSZ, &ignore, &m_beforeFileSize); // the write fails with EFBIG instead
        m_active = true;
        m_fd = ::mkstemp(g_temporary);
        if (m_fd >= 0)
            m_name = g_temporary;
        else
            g_temporary[0] = '\0';
    }
    ~GuardedTemporary()
    {
        if (!m_active)
            return;
        g_temporary[0] = '\0';
        ::sigaction(SIGXFSZ, &m_beforeFileSize, nullptr);
        for (std::size_t i = 0; i < std::size(kInterrupts); ++i)
            ::sigaction(kInterrupts[i], &m_before[i], nullptr);
    }
    GuardedTemporary(const GuardedTemporary &) = delete;
    GuardedTemporary &operator=(const GuardedTemporary &) = delete;

    /// The open file descriptor, or -1 when it could not be made.
    int fd() const { return m_fd; }
    const std::string &name() const { return m_name; }

private:
    struct sigaction m_before[std::size(kInterrupts)] = {};
    struct sigaction m_beforeFileSize = {};
    bool m_active = false;
    int m_fd = -1;
    std::string m_name;
};

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
    std::error_code ec;
    if (isStream(output)) {
        // A device, a FIFO, /dev/stdout, a process substitution: there is no file to replace,
        // and a link such as /dev/fd/1 is opened as it is (it may point to a pipe).
        std::ofstream out(output, std::ios::binary);
        if (!out)
            return output + ": cannot write here";
        if (auto written = write(out); !written)
            return out ? written.error().message : output + ": writing failed (is the disk full?)";
        out.flush();
        return out ? std::string() : output + ": writing failed (is the disk full?)";
    }
    // A link keeps pointing where it did: the file it points to (there or not yet) gets the
    // content, written beside that file.
    fs::path target = output;
    for (int hops = 0; hops < 40 && fs::is_symlink(fs::symlink_status(target, ec)); ++hops) {
        const fs::path next = fs::read_symlink(target, ec);
        if (ec)
            break;
        target = next.is_absolute() ? next : target.parent_path() / next;
    }
    // A temporary file of this run's own beside the target, renamed over it at the end.
    const GuardedTemporary guarded(target.string() + ".part.XXXXXX");
    const int fd = guarded.fd();
    if (fd < 0)
        return output + ": cannot write here";
    const std::string &temporary = guarded.name();
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
    auto failAndClean = [&](const std::string &message) {
        std::error_code ignored;
        fs::remove(temporary, ignored);
        return message;
    };
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out)
            return failAndClean(output + ": cannot write here");
        // The stream failing is this file's problem (a full disk), whatever the writer says.
        if (auto written = write(out); !written)
            return failAndClean(out ? written.error().message
                                    : output + ": writing failed (is the disk full?)");
        out.close();
        if (!out)
            return failAndClean(output + ": writing failed (is the disk full?)");
    }
    fs::rename(temporary, target, ec);
    if (ec)
        return failAndClean(output + ": " + ec.message());
    return {};
}

std::string writeOutputFile(const std::string &output, std::string_view bytes)
{
    return writeOutputFile(output, [bytes](std::ostream &out) {
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        return model::Status(model::Ok{});
    });
}

} // namespace concord::model
