#pragma once
/// @file curltransport.h
/// model::HttpTransport over libcurl's multi interface: every request runs on ONE worker thread
/// that owns the multi handle and all easy handles, however many are in flight; callers only
/// queue requests and collect responses, from any one thread. TLS verification is always on
/// (peer and host). Redirects are not followed (a POST must not be replayed elsewhere). Headers
/// of requests, which may carry keys, are never logged or kept after the request is sent.

#include "httptransport.h"
#include "result.h"

#include <memory>

namespace concord::storage {

class CurlTransport final : public model::HttpTransport
{
public:
    struct Options
    {
        int maxConnections = 32; ///< also the most requests on the wire at once
        std::string userAgent = "concord";
        /// A longer reply fails the request with HttpResponse::Failure::TooLarge.
        std::size_t maxResponseBytes = 64u * 1024u * 1024u;
    };

    /// Starts the worker thread. Fails only when libcurl cannot be initialised.
    static model::Result<std::unique_ptr<CurlTransport>> create(const Options &options);
    ~CurlTransport() override; ///< abandons what is in flight and joins the worker
    CurlTransport(const CurlTransport &) = delete;
    CurlTransport &operator=(const CurlTransport &) = delete;

    void start(std::uint64_t tag, model::HttpRequest request) override;
    std::vector<Completed> collect(std::chrono::milliseconds timeout) override;
    void abandonAll() override;

private:
    struct Worker;
    explicit CurlTransport(std::unique_ptr<Worker> worker);
    std::unique_ptr<Worker> m_worker;
};

} // namespace concord::storage
