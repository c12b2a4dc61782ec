#pragma once
/// @file result.h
/// Errors at layer boundaries are values: `Result<T>` holds either a T or an `Error`.
/// Nothing in model/ or storage/ lets an exception escape a public function.

#include <string>
#include <utility>
#include <variant>

namespace concord::model {

struct Error
{
    enum class Code {
        InvalidInput,   ///< the user gave something malformed (a file, an argument)
        NotFound,       ///< a named thing does not exist
        NotAProject,    ///< a file that is not a Concord project
        TooNew,         ///< a project written by a newer Concord
        Corrupt,        ///< a damaged project file
        Locked,         ///< another program holds the project's write lock
        Io,             ///< the operating system refused a read or write
        ReadOnly,       ///< the project cannot be written here (read-only file, folder or disk)
        Network,        ///< transport failure talking to a server
        Internal,       ///< a bug: an invariant did not hold
    };
    Code code = Code::Internal;
    std::string message;
};

/// A minimal `std::expected` (C++23) for C++20.
template <typename T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    T &value() { return std::get<0>(m_v); }
    const T &value() const { return std::get<0>(m_v); }
    T &operator*() { return value(); }
    const T &operator*() const { return value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    const Error &error() const { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

/// Result of an operation that yields nothing on success.
struct Ok
{};
using Status = Result<Ok>;

inline Error makeError(Error::Code code, std::string message)
{
    return Error{code, std::move(message)};
}

} // namespace concord::model
