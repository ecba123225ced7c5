#include "server/api/route_table.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>

#include <boost/beast/http/field.hpp>

#include "server/http/json_response.hpp"

namespace stagehand {

namespace http = boost::beast::http;

namespace {

/// Calls `f` with each segment of `path` after its leading `/`.
template <class F>
void for_each_segment(std::string_view path, F&& f) {
  std::size_t start = 1;
  for (;;) {
    auto end = path.find('/', start);
    f(path.substr(start, end == std::string_view::npos ? std::string_view::npos
                                                       : end - start));
    if (end == std::string_view::npos)
      return;
    start = end + 1;
  }
}

bool is_capture(std::string_view segment) {
  auto open = segment.find('{');
  if (open == std::string_view::npos)
    return false;
  auto close = segment.find('}', open);
  return close != std::string_view::npos && close > open + 1;
}

/// How much of `pattern` is literal text: all of it but its `{name}`.
std::size_t literal_length(std::string_view pattern) {
  auto open = pattern.find('{');
  if (open == std::string_view::npos)
    return pattern.size();
  return pattern.size() - (pattern.find('}', open) + 1 - open);
}

/// Whether `segment` matches the capture segment `want`, which is a literal
/// prefix, `{name}` and a literal suffix, as in `backgroundoperations({id})`;
/// `captured` receives what stands for `{name}`, which must not be empty.
bool match_capture(std::string_view want, std::string_view segment,
                   std::string& captured) {
  auto open = want.find('{');
  auto prefix = want.substr(0, open);
  auto suffix = want.substr(want.find('}', open) + 1);
  if (segment.size() <= prefix.size() + suffix.size()
      || segment.substr(0, prefix.size()) != prefix
      || segment.substr(segment.size() - suffix.size()) != suffix)
    return false;
  captured = std::string{segment.substr(
    prefix.size(), segment.size() - prefix.size() - suffix.size())};
  return true;
}

http_response unauthorized() {
  auto res = error_response(http::status::unauthorized, "Unauthorized",
                            "A valid 'Authorization: Bearer <key>' header is "
                            "required.");
  res.set(http::field::www_authenticate, "Bearer");
  return res;
}

/// The first answer passes, later ones are dropped: a handler that answered
/// and then threw must not answer twice.
http_reply answer_once(http_reply reply) {
  auto answered = std::make_shared<std::atomic<bool>>(false);
  return [answered, reply = std::move(reply)](http_response res) {
    if (!answered->exchange(true))
      reply(std::move(res));
  };
}

} // namespace

// -- construction -------------------------------------------------------------

route_table::route_table(std::vector<route> routes, const api_key_ring& keys,
                         http_metrics& metrics)
  : routes_(std::move(routes)), keys_(keys), metrics_(metrics) {
  for (auto& entry : routes_) {
    if (auto why = path_problem(entry.pattern); !why.empty())
      throw std::invalid_argument("route pattern '" + entry.pattern
                                  + "': " + why);
    auto captures = 0;
    for_each_segment(entry.pattern, [&](std::string_view segment) {
      captures += is_capture(segment) ? 1 : 0;
    });
    if (captures > 1)
      throw std::invalid_argument("route pattern '" + entry.pattern
                                  + "' has more than one {...} segment");
  }
}

// -- matching -----------------------------------------------------------------

std::string route_table::path_problem(std::string_view path) {
  if (path.empty() || path.front() != '/')
    return "it does not start with '/'";
  if (auto encoded = path.find('%'); encoded != std::string_view::npos) {
    // Only a function call's parameters, `<name>(Text='a%20b')` at the end
    // of the path, may be encoded: no route reads them, the call's parser
    // decodes them.
    auto open = path.find('(', path.rfind('/'));
    if (open == std::string_view::npos || encoded < open || path.back() != ')')
      return "it is percent-encoded";
  }
  std::string problem;
  std::size_t index = 0;
  auto last
    = static_cast<std::size_t>(std::count(path.begin(), path.end(), '/'));
  for_each_segment(path, [&](std::string_view segment) {
    ++index;
    if (!problem.empty())
      return;
    // Only the last segment may be empty: "/api/data/v9.2/" is a path.
    if (segment.empty() && index < last)
      problem = "it has an empty segment (//)";
    else if (segment == "." || segment == "..")
      problem = "it has a dot segment (/./ or /../)";
  });
  return problem;
}

bool route_table::matches(std::string_view pattern, std::string_view path,
                          std::string& param) {
  std::vector<std::string_view> want;
  for_each_segment(pattern, [&](std::string_view s) {
    want.push_back(s);
  });
  std::size_t i = 0;
  bool ok = true;
  std::string captured;
  for_each_segment(path, [&](std::string_view segment) {
    if (!ok)
      return;
    if (i >= want.size()) {
      ok = false;
    } else if (is_capture(want[i])) {
      ok = match_capture(want[i], segment, captured);
    } else {
      ok = segment == want[i];
    }
    ++i;
  });
  if (!ok || i != want.size())
    return false;
  param = std::move(captured);
  return true;
}

// -- dispatch -----------------------------------------------------------------

route_table::resolution route_table::resolve(http::verb method,
                                             std::string_view method_name,
                                             std::string_view path) const {
  resolution out;
  if (auto problem = path_problem(path); !problem.empty()) {
    out.refusal = error_response(
      http::status::not_found, "NotFound",
      "The path '" + std::string{path} + "' is not canonical: " + problem
        + ". Paths match exactly and case-sensitively.");
    return out;
  }
  // Where patterns overlap, as `backgroundoperations({id})` and
  // `{operation}` do, the path belongs to the one with the most literal
  // text, whatever the method: its other methods answer 405.
  std::size_t best = 0;
  for (auto& entry : routes_) {
    std::string param;
    if (matches(entry.pattern, path, param))
      best = std::max(best, literal_length(entry.pattern));
  }
  const route* same_path = nullptr;
  std::string allow;
  for (auto& entry : routes_) {
    std::string param;
    if (literal_length(entry.pattern) != best
        || !matches(entry.pattern, path, param))
      continue;
    if (same_path == nullptr)
      same_path = &entry;
    if (entry.method == method) {
      out.found = &entry;
      out.param = std::move(param);
      out.label = entry.label;
      return out;
    }
    auto name = std::string{http::to_string(entry.method)};
    if (allow.find(name) == std::string::npos)
      allow += (allow.empty() ? "" : ", ") + name;
  }
  if (same_path == nullptr) {
    out.refusal = error_response(http::status::not_found, "NotFound",
                                 "Resource not found for the segment '"
                                   + std::string{path} + "'.");
    return out;
  }
  out.label = same_path->label;
  out.refusal
    = error_response(http::status::method_not_allowed, "MethodNotAllowed",
                     "The method " + std::string{method_name}
                       + " is not allowed here; use " + allow + ".");
  out.refusal.set(http::field::allow, allow);
  return out;
}

void route_table::handle(http_request req, http_reply reply) const {
  auto started = std::chrono::steady_clock::now();
  auto target = std::string{req.target()};
  auto q = target.find('?');
  auto method = req.method_string();
  auto where = resolve(req.method(), {method.data(), method.size()},
                       std::string_view{target}.substr(0, q));
  route_call call{std::move(req),
                  std::move(where.param),
                  q == std::string::npos ? std::string{} : target.substr(q + 1),
                  {}};
  call.reply = answer_once([this, label = where.label, started,
                            reply = std::move(reply)](http_response res) {
    metrics_.record(label, res.result_int(),
                    std::chrono::steady_clock::now() - started);
    reply(std::move(res));
  });
  if (where.found == nullptr)
    return call.reply(std::move(where.refusal));
  try {
    dispatch(*where.found, call);
  } catch (const std::exception& e) {
    call.reply(internal_error(e));
  }
}

void route_table::dispatch(const route& entry, route_call& call) const {
  if (auto* open = std::get_if<open_route>(&entry.access))
    return open->handler(call);
  auto* who
    = keys_.authenticate(std::string{call.req[http::field::authorization]});
  if (who == nullptr)
    return call.reply(unauthorized());
  if (auto* keyed = std::get_if<keyed_route>(&entry.access))
    return keyed->handler(call, *who);
  if (!who->admin)
    return call.reply(
      error_response(http::status::forbidden, "Forbidden",
                     "Only administrators may call "
                       + std::string{http::to_string(entry.method)} + " "
                       + entry.pattern + "."));
  std::get<admin_route>(entry.access).handler(call, *who);
}

} // namespace stagehand
