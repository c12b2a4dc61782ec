#pragma once
/// @file outputfile.h
/// Where the command line writes what a user asked for with -o / --out: never over the project
/// itself, never half a file, never a mix of two runs, and never a device replaced by a file.

#include "result.h"

#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace concord::model {

/// Whether `a` and `b` are the same file through any path or link, or (one not there yet) the
/// same path once links are resolved.
bool sameFile(const std::string &a, const std::string &b);

/// Whether `output` is something written into rather than replaced: it exists and is not a
/// regular file (standard output, /dev/null, a FIFO, /dev/fd/N), through any links.
bool isStream(const std::string &output);

/// The message refusing `output` for a command on `project` when it names a directory, the
/// project file or
/// one of SQLite's files beside it (-wal, -shm, -journal), through any path or link, or an
/// existing SQLite database (another project: a report or export never replaces one); else empty.
std::string refusedOutput(const std::string &output, const std::string &project);

/// For command-line programs: from now on, an interrupt or a kill that can be caught (SIGINT,
/// SIGTERM, SIGHUP) while writeOutputFile() writes removes its temporary file before the process
/// ends as the signal would have ended it. The GUI does not ask for this (its writes run on a
/// worker thread, and its own handlers stay as they are).
void removeTemporaryOnInterrupt();

/// Writes `output` as `write` produces it, and returns a message for the user when that failed
/// (empty on success). A regular file, or a new one, is written through a temporary file of its
/// own beside it (unique, so two runs at once cannot mix) and renamed over it, keeping the old
/// file's permissions; a symbolic link keeps pointing where it did, at the new content. Anything
/// else — a device such as /dev/null, a FIFO, /dev/fd/N — is written directly.
std::string writeOutputFile(const std::string &output,
                            const std::function<model::Status(std::ostream &)> &write);
/// The same for content made beforehand (a report, a PDF, a picture).
std::string writeOutputFile(const std::string &output, std::string_view bytes);

/// Writes several files (`output`, content) as writeOutputFile() writes each, all or none: each
/// regular file's content goes to its temporary first, then any streams are written, and only then
/// are the temporaries renamed over their files. A full disk, a file size limit or an interrupt
/// while writing leaves every file as it was (a stream already written into stays written).
std::string writeOutputFiles(const std::vector<std::pair<std::string, std::string_view>> &files);

} // namespace concord::model
