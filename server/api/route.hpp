#pragma once

#include <functional>
#include <string>
#include <variant>

#include <boost/beast/http/verb.hpp>

#include "server/http/http_route.hpp"
#include "server/security/principal.hpp"
#include "server/api/route_call.hpp"

namespace stagehand {

// -- who may call a route ----------------------------------------------------
// The kind of an entry decides whether its handler gets a principal, so a
// handler that needs a caller cannot be reached without one: there is no
// null principal to check for, and no path prefix that decides.

/// Anyone may call it, with or without a key; the handler learns no caller.
struct open_route {
  std::function<void(route_call&)> handler;
};

/// Only a request with a configured bearer key reaches the handler.
struct keyed_route {
  std::function<void(route_call&, const principal&)> handler;
};

/// Only a request with an administrator's key reaches the handler; another
/// valid key answers 403.
struct admin_route {
  std::function<void(route_call&, const principal&)> handler;
};

/// One line of the API's route table: a method, a path pattern, the label
/// that metrics count it under, and who may call it with which handler.
/// A pattern is a canonical path whose segments match exactly, except one
/// segment that holds `{name}`: `{name}` alone matches any one non-empty
/// segment, and with literal text around it, as in `backgroundoperations({id})`,
/// a segment with that text around a non-empty part.
struct route {
  boost::beast::http::verb method;
  std::string pattern;
  http_route label;
  std::variant<open_route, keyed_route, admin_route> access;
};

} // namespace stagehand
