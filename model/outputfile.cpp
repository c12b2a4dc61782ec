#include "outputfile.h"

#include <filesystem>
#include <fstream>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

namespace concord::model {

namespace fs = std::filesystem;

std::string sameAsProject(const std::string &output, const std::string &project)
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
            return written.error().message;
        out.flush();
        return out ? std::string() : output + ": writing failed";
    }
    // A temporary file of this run's own beside the target, renamed over it at the end.
    std::string name = target.string() + ".part.XXXXXX";
    std::vector<char> buffer(name.begin(), name.end());
    buffer.push_back('\0');
    const int fd = ::mkstemp(buffer.data());
    if (fd < 0)
        return output + ": cannot write here";
    const std::string temporary(buffer.data());
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
        if (auto written = write(out); !written)
            return failAndClean(written.error().message);
        out.close();
        if (!out)
            return failAndClean(output + ": writing the export failed (disk full?)");
    }
    fs::rename(temporary, target, ec);
    if (ec)
        return failAndClean(output + ": " + ec.message());
    return {};
}

} // namespace concord::model
