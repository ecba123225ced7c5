#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <caf/error.hpp>
#include <caf/expected.hpp>
#include <spdlog/logger.h>

#include "server/security/callback_allowlist.hpp"
#include "server/http/http_client.hpp"
#include "server/operations/retry_policy.hpp"

namespace stagehand {

/// Delivers callbacks and business events (webhooks) when operations
/// complete. Receivers are other people's servers: they go down, answer
/// slowly or fail for a while. So each delivery runs on the notifier's own
/// threads, never on a request's or a CAF scheduler's, and is retried with
/// exponential backoff and jitter; and its outcome comes back exactly once,
/// to be recorded on the operation, even when the server shuts down first.
///
/// Delivery is at least once: a receiver that processed a request but
/// answered too late, or with a 5xx, gets it again. Receivers should
/// deduplicate on the payload's operation id. Pending retries live in memory
/// only; a crash loses them.
class notifier {
public:
  // -- member types -----------------------------------------------------------

  using clock = std::chrono::steady_clock;

  enum class kind { callback, webhook };

  /// When to try again. With the defaults, the waits are about 1, 2, 4, 8,
  /// 16, 32 and 60 s: eight attempts over about two minutes, long enough to
  /// ride out a receiver's restart.
  struct retry_schedule {
    /// Attempts in all, the first one included.
    std::uint32_t max_attempts = 8;
    /// The wait after the first failed attempt.
    std::chrono::milliseconds initial_backoff{1000};
    /// Each further wait is this many times the one before...
    double factor = 2.0;
    /// ...up to this.
    std::chrono::milliseconds max_backoff{60000};
    /// Each wait is shortened by a random fraction of up to this much, so
    /// that deliveries that failed together do not all retry together.
    double jitter = 0.2;

    /// The schedule as a policy: the wait after `n` failed attempts is
    /// `policy().delay(n)`.
    retry_policy policy() const;
  };

  struct settings {
    /// The HMAC key of the signature header (see signature.hpp).
    std::string secret;
    callback_allowlist allowlist;
    retry_schedule retry;
    http_client::timeouts timeouts;
    /// CA certificates (PEM) that https receivers may be signed by, besides
    /// the system's; empty: the system's only. See `make_client_tls`.
    std::string ca_file;
    /// Deliveries in flight at once. Each holds a thread while it waits for
    /// its receiver; deliveries due beyond that wait their turn.
    std::size_t threads = 2;

    /// Fails with `delivery_errc::bad_setting` naming the first bad value.
    caf::error validate() const;
  };

  struct delivery {
    /// The operation it reports on, for logs.
    std::string operation_id;
    kind what = kind::callback;
    std::string url;
    /// Sent byte for byte, and signed as such.
    std::string body;
  };

  enum class outcome {
    /// The receiver answered 2xx.
    delivered,
    /// Retrying cannot help: the receiver answered another 4xx or a 3xx
    /// (redirects are not followed, they could lead past the allowlist), or
    /// the URL is malformed or not allowed.
    rejected,
    /// Every attempt failed with a failed name lookup, a connection error, a
    /// timeout, a 408, a 429 or a 5xx.
    gave_up,
    /// The notifier shut down first.
    shutdown,
  };

  struct delivery_result {
    outcome result = outcome::delivered;
    /// Attempts made, each one a resolution and, if that passed, a POST.
    std::uint32_t attempts = 0;
    /// The last response's status code; 0 if there was none.
    unsigned last_status = 0;
    /// For the operation's record; empty when delivered.
    std::string error;
  };

  using callback = std::function<void(delivery_result)>;

  // -- construction -----------------------------------------------------------

  /// Starts the threads. Fails if `s.validate()` does, or with
  /// `delivery_errc::bad_ca_file` if `s.ca_file` cannot be loaded. `log`
  /// must not be null.
  static caf::expected<std::unique_ptr<notifier>>
  make(settings s, std::shared_ptr<spdlog::logger> log);

  notifier(const notifier&) = delete;
  notifier& operator=(const notifier&) = delete;

  /// Calls `shutdown`.
  ~notifier();

  // -- deliveries -------------------------------------------------------------

  /// Queues `d` for its first attempt. `on_done` runs exactly once, on one of
  /// the notifier's threads, or on the caller's if the notifier has shut
  /// down. It must not block long, and must not call `shutdown`.
  void deliver(delivery d, callback on_done);

  /// Stops promptly: cancels the requests in flight and the waits between
  /// attempts, joins the threads, and reports every delivery not yet done as
  /// `outcome::shutdown` ("server shutdown"). Later deliveries are reported so
  /// at once. A host name lookup in progress cannot be cancelled and ends
  /// first. Idempotent; must not be called from `on_done`.
  void shutdown();

private:
  // -- implementation ---------------------------------------------------------

  struct job {
    delivery d;
    callback on_done;
    std::uint32_t attempts = 0;
    unsigned last_status = 0;
    std::string last_error;
  };

  notifier(settings s, std::shared_ptr<boost::asio::ssl::context> tls,
           std::shared_ptr<spdlog::logger> log);

  void work(http_client& client);

  /// One attempt. Returns the final result, or nothing if the job should be
  /// tried again.
  std::optional<delivery_result> attempt(job& j, http_client& client);

  /// Signs `body` with the current time and POSTs it.
  caf::expected<unsigned> post(const callback_allowlist::target& to,
                               const std::string& body,
                               http_client& client) const;

  /// The wait before the next attempt of `j`, with jitter.
  clock::duration next_wait(const job& j) const;

  delivery_result stopped(const job& j) const;

  void finish(job& j, delivery_result r);

  const settings settings_;
  const retry_policy retry_;
  std::shared_ptr<spdlog::logger> log_;
  std::vector<std::unique_ptr<http_client>> clients_;
  std::vector<std::thread> threads_;
  std::once_flag shutdown_once_;
  std::mutex mtx_;
  std::condition_variable cv_;
  /// Jobs by the time they are due; equal times keep their order.
  std::multimap<clock::time_point, job> queue_;
  bool stopping_ = false;
};

std::string to_string(notifier::kind x);

std::string to_string(notifier::outcome x);

} // namespace stagehand
