#include "server/operations_api.hpp"

#include <cctype>
#include <chrono>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/fmt/fmt.h>

#include "runtime/guid.hpp"
#include "runtime/errc.hpp"
#include "server/json_response.hpp"
#include "server/notification_payload.hpp"
#include "server/prefer_header.hpp"
#include "server/sha256.hpp"
#include "runtime/wall_clock.hpp"

namespace stagehand {

namespace http = boost::beast::http;
using nlohmann::json;

namespace {

// -- paths and texts ----------------------------------------------------------

constexpr const char* submit_prefix = "/api/data/v9.2/";
constexpr const char* status_prefix = "/api/backgroundoperation/";
constexpr const char* list_path = "/api/backgroundoperations";
constexpr const char* webhooks_path = "/api/webhooks";

/// SPEC.md §3 asks clients to poll at most once a minute.
constexpr const char* retry_after_seconds = "60";

constexpr std::size_t default_top = 100;
constexpr std::size_t max_top = 1000;
constexpr std::size_t max_idempotency_key = 255;

std::string not_found_text(const std::string& id) {
  return "Could not find item '" + id + "'.";
}

constexpr const char* terminal_text
  = "Canceling background operation is not allowed after it is in terminal "
    "state.";

bool starts_with_nocase(const std::string& text, const char* prefix) {
  std::size_t i = 0;
  for (; prefix[i] != '\0'; ++i)
    if (i >= text.size()
        || std::tolower(static_cast<unsigned char>(text[i])) != prefix[i])
      return false;
  return true;
}

std::string tail_after(const std::string& path, const char* prefix) {
  return path.substr(std::char_traits<char>::length(prefix));
}

/// Percent-decodes one query component; `+` is a space.
bool url_decode(const std::string& in, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] == '%') {
      if (i + 2 >= in.size() || !std::isxdigit(static_cast<unsigned char>(in[i + 1]))
          || !std::isxdigit(static_cast<unsigned char>(in[i + 2])))
        return false;
      out += static_cast<char>(std::stoi(in.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return true;
}

std::string url_encode(const std::string& in) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 0xF];
    }
  }
  return out;
}

/// Parses a whole non-negative decimal number.
bool parse_count(const std::string& text, std::int64_t& out) {
  if (text.empty() || text.size() > 18)
    return false;
  for (auto c : text)
    if (!std::isdigit(static_cast<unsigned char>(c)))
      return false;
  out = std::stoll(text);
  return true;
}

/// The text of a check's or binding's error, which carries it as context.
std::string describe_text(const caf::error& err) {
  auto& ctx = err.context();
  if (ctx.match_elements<std::string>())
    return ctx.get_as<std::string>(0);
  return describe(err);
}

// -- JSON shapes --------------------------------------------------------------

json pairs(const dictionary& dict) {
  auto out = json::array();
  for (auto& [key, value] : dict)
    out.push_back({{"Key", key}, {"Value", value}});
  return out;
}

json time_or_null(const std::optional<std::int64_t>& ms) {
  return ms ? json(format_time(*ms)) : json(nullptr);
}

/// `0` when the error did not come from the platform, as SPEC.md §3 says,
/// otherwise the platform's code.
json error_code_of(const operation_record& rec) {
  return error_code_json(rec.error_code);
}

/// A failure the client should see: a failed operation, or one canceled
/// after an attempt failed.
bool shows_error(const operation_record& rec) {
  return rec.status == operation_status::failed
         || (rec.status == operation_status::canceled
             && !rec.error_message.empty());
}

/// Every stored column, for the listing.
json full_record(const operation_record& rec, const std::string& location) {
  return {{"backgroundoperationid", rec.id},
          {"name", rec.name},
          {"displayname", rec.display_name},
          {"inputparameters", pairs(rec.inputs)},
          {"outputparameters", pairs(rec.outputs)},
          {"backgroundoperationstatecode", state_code(rec.status)},
          {"backgroundoperationstatuscode", status_code(rec.status)},
          {"starttime", time_or_null(rec.start_time)},
          {"endtime", time_or_null(rec.end_time)},
          {"retrycount", rec.retry_count},
          {"errorcode", error_code_of(rec)},
          {"errormessage", rec.error_message},
          {"runas", rec.run_as},
          {"createdon", format_time(rec.created_on)},
          {"ttlinseconds", rec.ttl_seconds},
          {"callbackurl", rec.callback_url},
          {"idempotencykey", rec.idempotency_key},
          {"bodyhash", rec.body_hash},
          {"cancelrequested", rec.cancel_requested},
          {"nextattempttime", time_or_null(rec.next_attempt_time)},
          {"deliveryfailure", rec.delivery_failure},
          {"notified", rec.notified},
          {"location", location}};
}

http_response unauthorized() {
  auto res = error_response(http::status::unauthorized, "Unauthorized",
                            "A valid 'Authorization: Bearer <key>' header is "
                            "required.");
  res.set(http::field::www_authenticate, "Bearer");
  return res;
}

http_response not_found(const std::string& id) {
  return error_response(http::status::not_found, "NotFound",
                        not_found_text(id));
}

http_response bad_request(const std::string& message) {
  return error_response(http::status::bad_request, "BadRequest", message);
}

/// Parses the body as JSON; an empty body is an empty object.
bool parse_body(const std::string& body, json& out) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
    out = json::object();
    return true;
  }
  out = json::parse(body, nullptr, false);
  return !out.is_discarded();
}

} // namespace

operations_api::operations_api(const config& cfg, operation_store& store,
                               const operation_registry& registry,
                               operation_scheduler& scheduler,
                               http_metrics& metrics)
  : cfg_(cfg), store_(store), registry_(registry), scheduler_(scheduler),
    metrics_(metrics), keys_(cfg.api_keys) {}

void operations_api::set_target_check(target_check check) {
  check_target_ = std::move(check);
}

void operations_api::set_runtime_counters(std::function<counters()> fn) {
  runtime_counters_ = std::move(fn);
}

// -- routing ------------------------------------------------------------------

http_route operations_api::route_of(const std::string& path) const {
  if (path == "/healthz")
    return http_route::healthz;
  if (path == "/metrics")
    return http_route::metrics;
  if (path.size() > std::char_traits<char>::length(submit_prefix)
      && starts_with_nocase(path, submit_prefix))
    return http_route::submit;
  if (path.size() > std::char_traits<char>::length(status_prefix)
      && starts_with_nocase(path, status_prefix))
    return http_route::status;
  if (path == list_path)
    return http_route::list;
  if (path == webhooks_path)
    return http_route::webhooks;
  return http_route::other;
}

void operations_api::handle(http_request req, http_reply reply) {
  auto started = std::chrono::steady_clock::now();
  auto target = std::string{req.target()};
  auto q = target.find('?');
  auto path = target.substr(0, q);
  auto query = q == std::string::npos ? std::string{} : target.substr(q + 1);
  auto route = route_of(path);
  if (route == http_route::status && req.method() == http::verb::delete_)
    route = http_route::cancel;
  http_reply timed = [this, route, started,
                      reply = std::move(reply)](http_response res) {
    metrics_.record(route, res.result_int(),
                    std::chrono::steady_clock::now() - started);
    reply(std::move(res));
  };
  const principal* who = nullptr;
  // Routes match the /api/ prefix in any case, so the key check must too.
  if (starts_with_nocase(path, "/api/")) {
    who = keys_.authenticate(std::string{req[http::field::authorization]});
    if (who == nullptr)
      return timed(unauthorized());
  }
  try {
    dispatch(route, path, query, req, who, timed);
  } catch (const std::exception& e) {
    timed(error_response(http::status::internal_server_error, "InternalError",
                         e.what()));
  }
}

void operations_api::dispatch(http_route route, const std::string& path,
                              const std::string& query, http_request& req,
                              const principal* who, http_reply& reply) {
  auto method = req.method();
  auto wrong_method = [&](const char* allowed) {
    auto res = error_response(http::status::method_not_allowed,
                              "MethodNotAllowed",
                              "The method " + std::string{req.method_string()}
                                + " is not allowed here; use " + allowed
                                + ".");
    res.set(http::field::allow, allowed);
    reply(std::move(res));
  };
  switch (route) {
  case http_route::healthz:
    if (method != http::verb::get)
      return wrong_method("GET");
    return reply(json_response(http::status::ok, {{"status", "ok"}}));
  case http_route::metrics:
    if (method != http::verb::get)
      return wrong_method("GET");
    return reply(metrics_text());
  case http_route::submit:
    if (method != http::verb::post)
      return wrong_method("POST");
    return submit(tail_after(path, submit_prefix), req, *who, reply);
  case http_route::status:
  case http_route::cancel:
    if (method == http::verb::get)
      return reply(status(tail_after(path, status_prefix), *who));
    if (method == http::verb::delete_)
      return reply(cancel(tail_after(path, status_prefix), *who));
    return wrong_method("GET, DELETE");
  case http_route::list:
    if (method != http::verb::get)
      return wrong_method("GET");
    return reply(list(query, *who));
  case http_route::webhooks:
    if (method != http::verb::post)
      return wrong_method("POST");
    return reply(add_webhook(req, *who));
  case http_route::other:
    break;
  }
  reply(error_response(http::status::not_found, "NotFound",
                       "Resource not found for the segment '" + path + "'."));
}

// -- submit -------------------------------------------------------------------

void operations_api::submit(const std::string& name, http_request& req,
                            const principal& who, http_reply& reply) {
  auto def = registry_.find(name);
  if (def == nullptr)
    return reply(error_response(http::status::not_found, "NotFound",
                                "Resource not found for the segment '" + name
                                  + "'."));
  json body;
  if (!parse_body(req.body(), body))
    return reply(bad_request("The request body is not valid JSON."));
  auto inputs = def->bind(body);
  if (!inputs)
    return reply(bad_request(describe_text(inputs.error())));
  auto prefer = prefer_header::parse(std::string{req["Prefer"]});
  auto callback = prefer.respond_async ? prefer.callback_url : std::string{};
  if (!callback.empty())
    if (auto err = check_target_(callback))
      return reply(bad_request("The callback URL is not allowed: "
                               + describe_text(err)));
  auto key = std::string{req["Idempotency-Key"]};
  if (key.size() > max_idempotency_key)
    return reply(bad_request("The Idempotency-Key header is longer than 255 "
                             "characters."));
  auto now = now_ms();
  operation_record rec;
  rec.id = make_guid();
  rec.name = def->name;
  rec.display_name = def->display_name;
  rec.inputs = std::move(*inputs);
  rec.run_as = who.user;
  rec.created_on = now;
  rec.ttl_seconds
    = std::chrono::duration_cast<std::chrono::seconds>(cfg_.operation_ttl)
        .count();
  rec.callback_url = callback;
  rec.idempotency_key = key;
  // The parsed body dumps with sorted keys, so formatting does not count.
  rec.body_hash = sha256_hex(def->name + '\n' + body.dump() + '\n' + callback);
  rec.next_attempt_time = now;
  auto outcome = store_.insert(rec);
  using kind = operation_store::insert_outcome::kind;
  if (outcome.what == kind::key_conflict)
    return reply(error_response(
      http::status::unprocessable_entity, "IdempotencyKeyReused",
      "The Idempotency-Key '" + key
        + "' was already used with a different request."));
  auto& stored = outcome.record;
  if (outcome.what == kind::created)
    scheduler_.wake();
  auto location = scheduler_.location_of(stored.id);
  if (!prefer.respond_async) {
    scheduler_.await(stored.id, [reply = std::move(reply),
                                 location](const operation_record& done) {
      http_response res;
      switch (done.status) {
      case operation_status::succeeded: {
        auto out = json::object();
        for (auto& [k, v] : done.outputs)
          out[k] = v;
        res = json_response(http::status::ok, out);
        break;
      }
      case operation_status::failed:
        res = error_response(http::status::internal_server_error,
                             done.error_code.empty() ? "OperationFailed"
                                                     : done.error_code,
                             done.error_message);
        break;
      case operation_status::canceled:
        res = error_response(http::status::conflict, "OperationCanceled",
                             "The operation was canceled.");
        break;
      default:
        res = error_response(http::status::service_unavailable,
                             "ServiceUnavailable",
                             "The server is shutting down; the operation "
                             "runs again when it restarts.");
        res.set(http::field::location, location);
      }
      if (!done.id.empty())
        res.set("x-ms-dyn-backgroundoperationid", done.id);
      reply(std::move(res));
    });
    return;
  }
  auto res = json_response(
    http::status::accepted,
    {{"backgroundOperationId", stored.id},
     {"backgroundOperationStateCode", state_code(stored.status)},
     {"backgroundOperationStatusCode", status_code(stored.status)},
     {"location", location}});
  res.set(http::field::location, location);
  res.set("x-ms-dyn-backgroundoperationid", stored.id);
  res.set("Preference-Applied",
          stored.callback_url.empty() ? "respond-async" : "callback");
  res.set(http::field::retry_after, retry_after_seconds);
  reply(std::move(res));
}

// -- status, cancel, list -----------------------------------------------------

http_response operations_api::status(const std::string& id,
                                     const principal& who) {
  if (!is_guid(id))
    return not_found(id);
  auto rec = store_.find(id);
  if (!rec || (!who.admin && rec->run_as != who.user))
    return not_found(id);
  auto body = json::object();
  if (rec->status == operation_status::succeeded)
    for (auto& [k, v] : rec->outputs)
      body[k] = v;
  body["backgroundOperationStateCode"] = state_code(rec->status);
  body["backgroundOperationStatusCode"] = status_code(rec->status);
  if (shows_error(*rec)) {
    body["backgroundOperationErrorCode"] = error_code_of(*rec);
    body["backgroundOperationErrorMessage"] = rec->error_message;
  }
  auto res = json_response(http::status::ok, body);
  if (!is_terminal(rec->status))
    res.set(http::field::retry_after, retry_after_seconds);
  return res;
}

http_response operations_api::cancel(const std::string& id,
                                     const principal& who) {
  if (!is_guid(id))
    return not_found(id);
  auto outcome = scheduler_.cancel(
    id, who.admin ? std::nullopt : std::optional<std::string>{who.user});
  using kind = operation_store::cancel_outcome::kind;
  switch (outcome.what) {
  case kind::not_found:
    return not_found(id);
  case kind::terminal:
    return error_response(http::status::bad_request, "BadRequest",
                          terminal_text);
  case kind::canceled:
  case kind::canceling:
    break;
  }
  return json_response(http::status::ok,
                       {{"backgroundOperationStateCode", 2},
                        {"backgroundOperationStatusCode", 22}});
}

http_response operations_api::list(const std::string& query,
                                   const principal& who) {
  operation_query q;
  q.top = default_top;
  if (!who.admin)
    q.run_as = who.user;
  std::string next_params;
  std::size_t start = 0;
  while (start <= query.size() && !query.empty()) {
    auto end = query.find('&', start);
    auto part = query.substr(start, end == std::string::npos ? std::string::npos
                                                             : end - start);
    start = end == std::string::npos ? query.size() + 1 : end + 1;
    if (part.empty())
      continue;
    auto eq = part.find('=');
    std::string key;
    std::string value;
    if (!url_decode(part.substr(0, eq), key)
        || !url_decode(eq == std::string::npos ? "" : part.substr(eq + 1),
                       value))
      return bad_request("The query string is not validly encoded.");
    std::int64_t n = 0;
    if (key == "status") {
      operation_status s;
      if (!parse_count(value, n) || !from_status_code(static_cast<int>(n), s))
        return bad_request("'status' must be a status code: 0, 20, 22, 30, "
                           "31 or 32.");
      q.status = s;
    } else if (key == "name") {
      q.name = value;
    } else if (key == "top") {
      if (!parse_count(value, n) || n < 1
          || n > static_cast<std::int64_t>(max_top))
        return bad_request("'top' must be a number from 1 to 1000.");
      q.top = static_cast<std::size_t>(n);
    } else if (key == "after") {
      if (!parse_count(value, n))
        return bad_request("'after' must be a cursor from 'next'.");
      q.after = n;
      continue;
    } else {
      return bad_request("Unknown query parameter '" + key + "'.");
    }
    next_params += key + "=" + url_encode(value) + "&";
  }
  auto records = store_.list(q);
  auto value = json::array();
  for (auto& rec : records)
    value.push_back(full_record(rec, scheduler_.location_of(rec.id)));
  json body{{"value", std::move(value)}};
  if (records.size() == q.top) {
    auto cursor = std::to_string(records.back().seq);
    body["next"] = cursor;
    body["nextLink"] = scheduler_.base_url() + list_path + "?" + next_params
                       + "after=" + cursor;
  } else {
    body["next"] = nullptr;
  }
  return json_response(http::status::ok, body);
}

// -- webhooks -----------------------------------------------------------------

http_response operations_api::add_webhook(http_request& req,
                                          const principal& who) {
  if (!who.admin)
    return error_response(http::status::forbidden, "Forbidden",
                          "Only administrators may register webhooks.");
  json body;
  if (!parse_body(req.body(), body) || !body.is_object())
    return bad_request("The request body must be a JSON object.");
  auto event = body.find("event");
  auto url = body.find("url");
  if (event == body.end() || !event->is_string()
      || event->get<std::string>() != operation_complete_event)
    return bad_request(std::string{"'event' must be '"}
                       + operation_complete_event + "'.");
  if (url == body.end() || !url->is_string())
    return bad_request("'url' must be a string.");
  if (auto err = check_target_(url->get<std::string>()))
    return bad_request("The webhook URL is not allowed: "
                       + describe_text(err));
  webhook hook{make_guid(), operation_complete_event, url->get<std::string>(),
               who.user, now_ms()};
  store_.add_webhook(hook);
  auto res = json_response(http::status::created,
                           {{"id", hook.id},
                            {"event", hook.event},
                            {"url", hook.url}});
  return res;
}

// -- metrics ------------------------------------------------------------------

http_response operations_api::metrics_text() {
  auto stats = runtime_counters_ ? runtime_counters_() : counters{};
  std::string out;
  auto gauge = [&](const char* name, const char* help, std::uint64_t value) {
    out += fmt::format("# HELP {0} {1}\n# TYPE {0} gauge\n{0} {2}\n", name,
                       help, value);
  };
  gauge("stagehand_active_child_sessions",
        "Page background tasks holding a running slot.",
        stats.active_child_sessions);
  gauge("stagehand_active_background_sessions",
        "Background sessions running, operation attempts among them.",
        stats.active_background_sessions);
  gauge("stagehand_queued_background_sessions",
        "Background sessions waiting for a slot.",
        stats.queued_background_sessions);
  gauge("stagehand_queued_tasks", "Page background tasks waiting for a slot.",
        stats.queued_tasks);
  out += "# HELP stagehand_operations Stored operations by status.\n"
         "# TYPE stagehand_operations gauge\n";
  auto counts = store_.count_by_status();
  for (auto s : {operation_status::waiting_for_resources,
                 operation_status::in_progress, operation_status::canceling,
                 operation_status::succeeded, operation_status::failed,
                 operation_status::canceled})
    out += fmt::format("stagehand_operations{{status=\"{}\",code=\"{}\"}} {}\n",
                       label(s), status_code(s), counts[s]);
  metrics_.render(out);
  http_response res{http::status::ok, 11};
  res.set(http::field::content_type, "text/plain; version=0.0.4");
  res.body() = std::move(out);
  res.prepare_payload();
  return res;
}

} // namespace stagehand
