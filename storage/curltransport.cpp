#include "curltransport.h"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace concord::storage {

using model::Error;
using model::HttpResponse;

namespace {

struct EasyDeleter
{
    void operator()(CURL *h) const { curl_easy_cleanup(h); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

struct MultiDeleter
{
    void operator()(CURLM *h) const { curl_multi_cleanup(h); }
};
using MultiHandle = std::unique_ptr<CURLM, MultiDeleter>;

struct SlistDeleter
{
    void operator()(curl_slist *l) const { curl_slist_free_all(l); }
};
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;

/// libcurl's global state, initialised once per process and never torn down (other libraries in
/// the process may use libcurl too).
bool initialiseCurl()
{
    static const bool ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    return ok;
}

/// One request on the wire, owned by the worker thread.
struct Transfer
{
    std::uint64_t tag = 0;
    EasyHandle easy;
    HeaderList headers;
    std::string body; ///< CURLOPT_POSTFIELDS points into it
    HttpResponse response;
    std::size_t maxBytes = 0;
    bool tooLarge = false;
    char error[CURL_ERROR_SIZE] = {};
    std::chrono::steady_clock::time_point started;
};

std::size_t onBody(char *data, std::size_t size, std::size_t count, void *user)
{
    auto *t = static_cast<Transfer *>(user);
    const std::size_t n = size * count;
    if (t->response.body.size() + n > t->maxBytes) {
        t->tooLarge = true;
        return 0; // makes libcurl fail the transfer with CURLE_WRITE_ERROR
    }
    t->response.body.append(data, n);
    return n;
}

std::size_t onHeader(char *data, std::size_t size, std::size_t count, void *user)
{
    auto *t = static_cast<Transfer *>(user);
    const std::size_t n = size * count;
    std::string_view line(data, n);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
        line.remove_suffix(1);
    if (line.starts_with("HTTP/")) {
        t->response.headers.clear(); // a new response (after 100 Continue): keep only the final one's
        return n;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos)
        return n;
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
    t->response.headers.push_back({std::move(name), std::string(value)});
    return n;
}

/// "64 MB" for whole mebibytes, else "4096 bytes".
std::string sizeText(std::size_t bytes)
{
    constexpr std::size_t kMiB = 1024 * 1024;
    return bytes >= kMiB && bytes % kMiB == 0 ? std::to_string(bytes / kMiB) + " MB"
                                              : std::to_string(bytes) + " bytes";
}

HttpResponse::Failure failureOf(CURLcode code)
{
    switch (code) {
    case CURLE_OK:
        return HttpResponse::Failure::None;
    case CURLE_OPERATION_TIMEDOUT:
        return HttpResponse::Failure::Timeout;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return HttpResponse::Failure::Connect;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        return HttpResponse::Failure::Tls;
    default:
        return HttpResponse::Failure::Other;
    }
}

} // namespace

struct CurlTransport::Worker
{
    Options options;
    MultiHandle multi;

    std::mutex mutex;
    std::condition_variable finished;
    std::deque<std::unique_ptr<Transfer>> incoming; ///< guarded by mutex
    std::vector<Completed> done;                    ///< guarded by mutex
    bool stop = false;                              ///< guarded by mutex
    std::uint64_t abandonGeneration = 0;            ///< guarded by mutex; bumped by abandonAll()

    std::thread thread;

    void wake() { curl_multi_wakeup(multi.get()); }

    std::unique_ptr<Transfer> prepare(std::uint64_t tag, model::HttpRequest &&request)
    {
        auto t = std::make_unique<Transfer>();
        t->tag = tag;
        t->body = std::move(request.body);
        t->maxBytes = options.maxResponseBytes;
        t->easy.reset(curl_easy_init());
        for (const model::HttpHeader &h : request.headers) {
            curl_slist *next = curl_slist_append(t->headers.get(), (h.name + ": " + h.value).c_str());
            if (next) {
                (void)t->headers.release();
                t->headers.reset(next);
            }
        }
        // Without this, libcurl sends "Expect: 100-continue" for large bodies and waits for it.
        if (curl_slist *next = curl_slist_append(t->headers.get(), "Expect:")) {
            (void)t->headers.release();
            t->headers.reset(next);
        }
        CURL *e = t->easy.get();
        if (!e)
            return t;
        const long timeoutMs = static_cast<long>(std::max<std::int64_t>(1, request.timeout.count()));
        curl_easy_setopt(e, CURLOPT_URL, request.url.c_str());
        curl_easy_setopt(e, CURLOPT_POST, 1L);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, t->body.data());
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(t->body.size()));
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers.get());
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, onBody);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
        curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, onHeader);
        curl_easy_setopt(e, CURLOPT_HEADERDATA, t.get());
        curl_easy_setopt(e, CURLOPT_PRIVATE, t.get());
        curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error);
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeoutMs);
        curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, std::min(timeoutMs, 30000L));
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
        curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
        curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
        curl_easy_setopt(e, CURLOPT_USERAGENT, options.userAgent.c_str());
        return t;
    }

    void complete(Transfer &t, CURLcode code)
    {
        HttpResponse &r = t.response;
        r.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                          t.started);
        if (code == CURLE_OK) {
            curl_easy_getinfo(t.easy.get(), CURLINFO_RESPONSE_CODE, &r.status);
        } else {
            r.failure = t.tooLarge ? HttpResponse::Failure::TooLarge : failureOf(code);
            r.failureMessage = t.tooLarge ? "the reply is larger than " + sizeText(t.maxBytes)
                                          : (t.error[0] ? std::string(t.error) : curl_easy_strerror(code));
            r.status = 0;
            r.headers.clear();
        }
    }

    void run()
    {
        std::unordered_map<CURL *, std::unique_ptr<Transfer>> active;
        std::uint64_t generation = 0;
        for (;;) {
            std::deque<std::unique_ptr<Transfer>> fresh;
            {
                std::lock_guard lock(mutex);
                if (stop)
                    break;
                if (abandonGeneration != generation) {
                    generation = abandonGeneration;
                    for (auto &[easy, t] : active)
                        curl_multi_remove_handle(multi.get(), easy);
                    active.clear();
                }
                fresh.swap(incoming);
            }
            for (auto &t : fresh) {
                CURL *e = t->easy.get();
                t->started = std::chrono::steady_clock::now();
                if (!e || curl_multi_add_handle(multi.get(), e) != CURLM_OK) {
                    t->response.failure = HttpResponse::Failure::Other;
                    t->response.failureMessage = "libcurl could not start the request";
                    std::lock_guard lock(mutex);
                    done.push_back({t->tag, std::move(t->response)});
                    finished.notify_all();
                    continue;
                }
                active.emplace(e, std::move(t));
            }
            int running = 0;
            curl_multi_perform(multi.get(), &running);
            int queued = 0;
            std::vector<Completed> finishedNow;
            while (CURLMsg *msg = curl_multi_info_read(multi.get(), &queued)) {
                if (msg->msg != CURLMSG_DONE)
                    continue;
                CURL *e = msg->easy_handle;
                const CURLcode code = msg->data.result;
                auto it = active.find(e);
                curl_multi_remove_handle(multi.get(), e);
                if (it == active.end())
                    continue;
                complete(*it->second, code);
                finishedNow.push_back({it->second->tag, std::move(it->second->response)});
                active.erase(it);
            }
            if (!finishedNow.empty()) {
                std::lock_guard lock(mutex);
                if (abandonGeneration == generation)
                    for (Completed &c : finishedNow)
                        done.push_back(std::move(c));
                finished.notify_all();
            }
            curl_multi_poll(multi.get(), nullptr, 0, 1000, nullptr);
        }
        for (auto &[easy, t] : active)
            curl_multi_remove_handle(multi.get(), easy);
    }
};

CurlTransport::CurlTransport(std::unique_ptr<Worker> worker) : m_worker(std::move(worker)) {}

model::Result<std::unique_ptr<CurlTransport>> CurlTransport::create(const Options &options)
{
    if (!initialiseCurl())
        return Error{Error::Code::Network, "libcurl could not be initialised"};
    auto worker = std::make_unique<Worker>();
    worker->options = options;
    worker->multi.reset(curl_multi_init());
    if (!worker->multi)
        return Error{Error::Code::Network, "libcurl could not be initialised"};
    const long connections = std::max(1, options.maxConnections);
    curl_multi_setopt(worker->multi.get(), CURLMOPT_MAX_TOTAL_CONNECTIONS, connections);
    curl_multi_setopt(worker->multi.get(), CURLMOPT_MAXCONNECTS, connections);
    Worker *w = worker.get();
    try {
        w->thread = std::thread([w] { w->run(); });
    } catch (const std::system_error &e) {
        return Error{Error::Code::Internal, std::string("cannot start the network thread: ") + e.what()};
    }
    return std::unique_ptr<CurlTransport>(new CurlTransport(std::move(worker)));
}

CurlTransport::~CurlTransport()
{
    {
        std::lock_guard lock(m_worker->mutex);
        m_worker->stop = true;
    }
    m_worker->wake();
    if (m_worker->thread.joinable())
        m_worker->thread.join();
}

void CurlTransport::start(std::uint64_t tag, model::HttpRequest request)
{
    auto t = m_worker->prepare(tag, std::move(request));
    {
        std::lock_guard lock(m_worker->mutex);
        m_worker->incoming.push_back(std::move(t));
    }
    m_worker->wake();
}

std::vector<model::HttpTransport::Completed> CurlTransport::collect(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_worker->mutex);
    m_worker->finished.wait_for(lock, timeout, [&] { return !m_worker->done.empty(); });
    std::vector<Completed> out;
    out.swap(m_worker->done);
    return out;
}

void CurlTransport::abandonAll()
{
    {
        std::lock_guard lock(m_worker->mutex);
        ++m_worker->abandonGeneration;
        m_worker->incoming.clear();
        m_worker->done.clear();
    }
    m_worker->wake();
}

} // namespace concord::storage
