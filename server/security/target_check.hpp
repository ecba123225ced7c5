#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <caf/error.hpp>

#include "server/security/callback_allowlist.hpp"

namespace stagehand {

/// Decides whether the server may ever post to a URL, a submit's callback or
/// a webhook, before the request that names it is accepted. A host name
/// needs a DNS lookup, which can take seconds; on an HTTP thread it would
/// stall every connection that thread serves. So lookups run on an
/// io_context and a thread of this check's own, each within a deadline, and
/// the verdict comes back through a callback, as the HTTP answer does.
///
/// A URL that does not parse, or whose host is an IP literal, is decided at
/// once, on the caller's thread: that needs no lookup. A lookup that misses
/// its deadline fails the check with `unresolvable_host` ("... cannot be
/// resolved: the lookup took longer than 5000 ms").
class target_check {
public:
  // -- member types -----------------------------------------------------------

  using address = callback_allowlist::address;

  /// Receives the verdict: none, or why the URL is refused. Must not throw.
  using verdict = std::function<void(caf::error)>;

  using lookup_done
    = std::function<void(boost::system::error_code, std::vector<address>)>;

  /// Starts looking up a host's addresses without blocking, and calls `done`
  /// once, from any thread. Replaceable, so that tests need no DNS and can
  /// make a lookup as slow as they like.
  using lookup = std::function<void(boost::asio::io_context& ioc,
                                    const std::string& host, lookup_done done)>;

  /// How long a lookup may take before the check fails.
  static constexpr std::chrono::milliseconds default_deadline{5000};

  /// How many lookups may run at once, counting those whose check already
  /// gave up: the resolver cannot cancel one, and each holds memory. Past
  /// it a check fails at once with `lookups_busy` (503), so a client that
  /// names slow hosts cannot make the queue grow without bound. Checks of a
  /// host whose lookup is running wait for that one (a `$batch` names one
  /// host in many URLs), so the cap counts hosts, not checks.
  static constexpr std::size_t max_lookups = 64;

  /// How many checks may wait for one lookup: one full `$batch`, and a
  /// bound on what a host whose lookup hangs can hold.
  static constexpr std::size_t max_checks_per_lookup = 1000;

  // -- construction -----------------------------------------------------------

  explicit target_check(callback_allowlist allowlist,
                        std::chrono::milliseconds deadline = default_deadline,
                        lookup resolve = system_lookup);

  target_check(const target_check&) = delete;
  target_check& operator=(const target_check&) = delete;

  /// Calls `shutdown`.
  ~target_check();

  /// Asio's `async_resolve`, on `ioc`.
  static void system_lookup(boost::asio::io_context& ioc,
                            const std::string& host, lookup_done done);

  // -- checks -----------------------------------------------------------------

  /// Decides on `url` and calls `done` exactly once: at once when no lookup
  /// is needed, otherwise from the check's thread when the lookup ends or its
  /// deadline passes, whichever comes first. After `shutdown`, and for a
  /// check still waiting when it comes, the verdict is
  /// `delivery_errc::cancelled`.
  void check(const std::string& url, verdict done);

  /// Answers every waiting check with `delivery_errc::cancelled` and stops
  /// the thread. A lookup in progress is abandoned, not awaited. Idempotent.
  void shutdown();

private:
  struct pending;

  /// Starts `p`'s deadline on the check's thread.
  void arm(const std::shared_ptr<pending>& p);

  /// Looks up `host`, then judges every check that waits for it.
  void resolve(const std::string& host);

  void finish(const std::shared_ptr<pending>& p, caf::error err);

  const callback_allowlist allowlist_;
  const std::chrono::milliseconds deadline_;
  lookup resolve_;
  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type>
    work_;
  /// Checks waiting for their lookup; only the check's thread touches it.
  std::set<std::shared_ptr<pending>> pending_;
  std::mutex mtx_;
  bool stopped_ = false;
  /// Host → the checks waiting for its lookup, for each lookup started and
  /// not yet returned; guarded by `mtx_`.
  std::map<std::string, std::vector<std::shared_ptr<pending>>> lookups_;
  std::thread thread_;
};

} // namespace stagehand
