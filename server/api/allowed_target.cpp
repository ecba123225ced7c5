#include "server/api/allowed_target.hpp"

#include <exception>

#include "server/http/delivery_errc.hpp"
#include "server/http/json_response.hpp"

namespace stagehand {

namespace http = boost::beast::http;

target_check::verdict when_allowed(const std::string& what, http_reply reply,
                                   std::function<void()> then) {
  return [what, reply = std::move(reply),
          then = std::move(then)](caf::error refused) {
    // `is` needs an error: CAF 0.17 has no category for none.
    if (refused && is(refused, delivery_errc::cancelled))
      return reply(error_response(http::status::service_unavailable,
                                  "ServiceUnavailable",
                                  "The server is shutting down."));
    if (refused && is(refused, delivery_errc::lookups_busy))
      return reply(error_response(http::status::service_unavailable,
                                  "ServiceUnavailable", error_text(refused)));
    if (refused)
      return reply(error_response(http::status::bad_request, "BadRequest",
                                  "The " + what + " URL is not allowed: "
                                    + error_text(refused)));
    try {
      then();
    } catch (const std::exception& e) {
      reply(internal_error(e));
    }
  };
}

} // namespace stagehand
