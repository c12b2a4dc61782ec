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

/// While it lives, the interrupts remove `temporary` (when asked for); the handlers before it
/// are put back after.
class InterruptGuard
{
public:
    explicit InterruptGuard(const std::string &temporary)
    {
        if (!g_removeOnInterrupt || temporary.size() >= sizeof g_temporary)
            return;
        std::memcpy(g_temporary, temporary.c_str(), temporary.size() + 1);
        struct sigaction action
        {
        };
        action.sa_handler = removeTemporaryAndEnd;
        sigemptyset(&action.sa_mask);
        for (std::size_t i = 0; i < std::size(kInterrupts); ++i) {
            // An interrupt the program ignores (nohup) stays ignored.
            if (::sigaction(kInterrupts[i], nullptr, &m_before[i]) == 0 && m_before[i].sa_handler != SIG_IGN)
                ::sigaction(kInterrupts[i], &action, nullptr);
        }
        m_active = true;
    }
    ~InterruptGuard()
    {
        if (!m_active)
            return;
        for (std::size_t i = 0; i < std::size(kInterrupts); ++i)
            ::sigaction(kInterrupts[i], &m_before[i], nullptr);
        g_temporary[0] = '\0';
    }
    InterruptGuard(const InterruptGuard &) = delete;
    InterruptGuard &operator=(const InterruptGuard &) = delete;

private:
    struct sigaction m_before[std::size(kInterrupts)] = {};
    bool m_active = false;
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

std::string refusedOutput(const std::string &output, const std::string &project)
{
    std::error_code ec;
    for (const char *suffix : {"", "-wal", "-shm", "-journal"}) {
        const fs::path companion = project + suffix;
        // The same file through another path or a link, or (not there yet: a -journal) the same
        // path once links are resolved.
        const bool same = fs::equivalent(output, companion, ec) ||
                          (fs::weakly_canonical(output, ec) == fs::weakly_canonical(companion, ec) && !ec);
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
    fs::path target = output;
    if (fs::is_symlink(fs::symlink_status(target, ec)))
        target = fs::weakly_canonical(target, ec); // the file the link points to gets the content
    const fs::file_status status = fs::status(target, ec);
    if (fs::exists(status) && !fs::is_regular_file(status)) {
        // A device, a FIFO, a process substitution: there is no file to replace.
        std::ofstream out(target, std::ios::binary);
        if (!out)
            return output + ": cannot write here";
        if (auto written = write(out); !written)
            return out ? written.error().message : output + ": writing failed (is the disk full?)";
        out.flush();
        return out ? std::string() : output + ": writing failed (is the disk full?)";
    }
    // A temporary file of this run's own beside the target, renamed over it at the end.
    std::string name = target.string() + ".part.XXXXXX";
    std::vector<char> buffer(name.begin(), name.end());
    buffer.push_back('\0');
    const int fd = ::mkstemp(buffer.data());
    if (fd < 0)
        return output + ": cannot write here";
    const std::string temporary(buffer.data());
    const InterruptGuard interrupted(temporary);
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

} // namespace concord::model
