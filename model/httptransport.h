#pragma once
/// @file httptransport.h
/// The HTTP client the judge needs, as an interface: storage/ implements it with libcurl's multi
/// interface on one worker thread (curltransport.h); tests can implement it in memory. Requests
/// are started without blocking and collected as they finish, so one caller keeps many in flight.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace concord::model {

struct HttpHeader
{
    std::string name; ///< responses: lower-case
    std::string value;
};

/// A POST of a JSON body.
struct HttpRequest
{
    std::string url;
    std::vector<HttpHeader> headers; ///< may carry a secret: never log or store them
    std::string body;
    std::chrono::milliseconds timeout{300000}; ///< the whole exchange, connection included
};

struct HttpResponse
{
    /// Why no HTTP response arrived, when none did.
    enum class Failure {
        None,     ///< a response arrived (any status)
        Timeout,  ///< no complete response within the request's timeout
        Connect,  ///< the server could not be reached (refused, unknown host, reset)
        Tls,      ///< the server's certificate did not verify
        TooLarge, ///< the reply was longer than the transport accepts; it was cut off and dropped
        Other,    ///< any other transport failure
    };
    Failure failure = Failure::None;
    std::string failureMessage;
    long status = 0;
    std::vector<HttpHeader> headers; ///< of the final response, names lower-case
    std::string body;
    std::chrono::microseconds elapsed{0};

    /// The first header named `lowerName`, if any.
    std::optional<std::string_view> header(std::string_view lowerName) const
    {
        for (const HttpHeader &h : headers)
            if (h.name == lowerName)
                return std::string_view(h.value);
        return std::nullopt;
    }
};

class HttpTransport
{
public:
    struct Completed
    {
        std::uint64_t tag = 0;
        HttpResponse response;
    };

    virtual ~HttpTransport() = default;
    /// Starts `request`; returns at once. `tag` comes back with its response.
    virtual void start(std::uint64_t tag, HttpRequest request) = 0;
    /// Waits up to `timeout` for at least one request to finish; returns every finished one (none
    /// on timeout). Each started request is returned exactly once, unless abandoned.
    virtual std::vector<Completed> collect(std::chrono::milliseconds timeout) = 0;
    /// Abandons every request in flight; they are never returned.
    virtual void abandonAll() = 0;
    /// The clock collect() waits by, which the caller schedules retries and pauses on. A fake
    /// transport may run it virtually (collect() moving it on), so that tests of long waits take
    /// no time.
    virtual std::chrono::steady_clock::time_point now() const { return std::chrono::steady_clock::now(); }
};

} // namespace concord::model
