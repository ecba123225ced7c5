#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "messages/dictionary.hpp"
#include "server/operations/operation_status.hpp"

namespace stagehand {

/// One row of the system database's `operations` table: every column of
/// SPEC.md §3 plus what the server needs to run, retry, cancel, deduplicate
/// and notify. Times are milliseconds since the epoch.
struct operation_record {
  /// Insertion order; the listing's cursor.
  std::int64_t seq = 0;
  std::string id;
  std::string name;
  std::string display_name;
  dictionary inputs;
  dictionary outputs;
  operation_status status = operation_status::waiting_for_resources;
  std::optional<std::int64_t> start_time;
  std::optional<std::int64_t> end_time;
  std::int64_t retry_count = 0;
  /// Empty when the error did not come from the platform.
  std::string error_code;
  std::string error_message;
  std::string run_as;
  std::int64_t created_on = 0;
  std::int64_t ttl_seconds = 0;
  std::string callback_url;
  std::string idempotency_key;
  /// SHA-256 of the operation name and the canonical input JSON.
  std::string body_hash;
  bool cancel_requested = false;
  /// When a Ready operation may run (at once for new ones, later for retries).
  std::optional<std::int64_t> next_attempt_time;
  /// The last delivery failure of its callback or webhooks, if any.
  std::string delivery_failure;
  /// True once its completion was handed to the notifier and it reported
  /// back; until then a restart notifies again.
  bool notified = false;
};

} // namespace stagehand
