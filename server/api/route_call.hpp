#pragma once

#include <string>

#include "server/http/request_handler.hpp"

namespace stagehand {

/// One request as a route's handler receives it: the request itself, what
/// the pattern's `{...}` segment matched, the query string and the way to
/// answer. The handler owns all of it, so it may answer later, from another
/// thread, after moving what it needs out.
struct route_call {
  http_request req;

  /// The path segment that the pattern's `{...}` matched; empty if the
  /// pattern has none.
  std::string param;

  /// The query string, without its `?`; not decoded.
  std::string query;

  /// Answers the request. The first call counts; later ones are ignored.
  http_reply reply;
};

} // namespace stagehand
