#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include <caf/timespan.hpp>

namespace stagehand {

/// How callbacks and webhooks are signed and sent (`stagehand.delivery-*`).
struct delivery_settings {
  /// HMAC-SHA256 key that signs callbacks and webhooks; empty means a random
  /// one per process, which receivers cannot verify (serve warns).
  std::string secret;

  /// Delivery attempts in all, and the backoff between them (doubling).
  std::size_t max_attempts = 8;
  caf::timespan initial_backoff = std::chrono::seconds(1);
  caf::timespan max_backoff = std::chrono::minutes(1);

  /// Deliveries in flight at once, each on a thread of its own.
  std::size_t threads = 2;

  /// CA certificates (PEM) that https receivers may be signed by, besides
  /// the system's store (`stagehand.callback-ca-file`); empty: the store's
  /// only. For tests and for private networks with a CA of their own.
  std::string ca_file;
};

} // namespace stagehand
