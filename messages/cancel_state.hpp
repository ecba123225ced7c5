#pragma once

#include <cstdint>
#include <string>

namespace stagehand {

/// How far a cancel of running work got. A cancel of work in this process
/// takes effect at once; one of work on a worker must cross the network, so
/// the page, the log and `/metrics` tell whether the worker confirmed it.
enum class cancel_state : std::uint8_t {
  /// Sent to the worker; no answer yet.
  requested,
  /// The worker set the codeunit's token, or the work was local or queued.
  acknowledged,
  /// No acknowledgement within `cancel-ack-timeout` (or the worker was
  /// lost): the slot was freed anyway, and a late result is dropped.
  forced,
};

std::string to_string(cancel_state x);

} // namespace stagehand
