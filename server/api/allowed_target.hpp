#pragma once

#include <functional>
#include <optional>
#include <string>

#include "server/http/request_handler.hpp"
#include "server/security/target_check.hpp"

namespace stagehand {

/// The answer to a request whose callback or webhook URL got the verdict
/// `refused`: none if it is allowed, otherwise 400 "The `what` URL is not
/// allowed: <why>." (503 if the server is shutting down or has too many
/// lookups running).
std::optional<http_response> refusal_of(const std::string& what,
                                        const caf::error& refused);

/// The verdict handler of a request that names a callback or webhook URL:
/// runs `then` if the URL is allowed, and otherwise answers `reply` with
/// `refusal_of`. It may run on the check's thread, so an exception from
/// `then` answers 500 rather than escaping into that thread.
target_check::verdict when_allowed(const std::string& what, http_reply reply,
                                   std::function<void()> then);

} // namespace stagehand
