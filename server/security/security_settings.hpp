#pragma once

#include <string>
#include <vector>

namespace stagehand {

/// Who may call `stagehand serve`, and where its callbacks may go
/// (`stagehand.api-keys`, `stagehand.callback-allowlist`).
struct security_settings {
  /// Bearer keys, each `KEY=USER` or `KEY=USER:admin`. A request's key
  /// decides its user (the operation's run-as); admins see every operation.
  std::vector<std::string> api_keys;

  /// Hosts and networks callbacks and webhooks may target; empty means
  /// loopback only. Blocks server-side request forgery.
  std::vector<std::string> callback_allowlist;
};

} // namespace stagehand
