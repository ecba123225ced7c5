#include "server/api/allowed_target.hpp"

#include <exception>

#include "server/http/delivery_errc.hpp"
#include "server/http/json_response.hpp"

namespace stagehand {

namespace http = boost::beast::http;

std::optional<http_response> refusal_of(const std::string& what,
                                        const caf::error& refused) {
  if (!refused)
    return std::nullopt;
  // `is` needs an error: CAF 0.17 has no category for none.
  if (is(refused, delivery_errc::cancelled))
    return error_response(http::status::service_unavailable,
                          "ServiceUnavailable", "The server is shutting down.");
  if (is(refused, delivery_errc::lookups_busy))
    return error_response(http::status::service_unavailable,
                          "ServiceUnavailable", error_text(refused));
  return error_response(http::status::bad_request, "BadRequest",
                        "The " + what
                          + " URL is not allowed: " + error_text(refused));
}

target_check::verdict when_allowed(const std::string& what, http_reply reply,
                                   std::function<void()> then) {
  return [what, reply = std::move(reply),
          then = std::move(then)](caf::error refused) {
    if (auto res = refusal_of(what, refused))
      return reply(std::move(*res));
    try {
      then();
    } catch (const std::exception& e) {
      reply(internal_error(e));
    }
  };
}

} // namespace stagehand
