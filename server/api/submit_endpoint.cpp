#include "server/api/submit_endpoint.hpp"

#include <chrono>

#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>

#include "core/guid.hpp"
#include "core/wall_clock.hpp"
#include "server/api/allowed_target.hpp"
#include "server/api/function_call.hpp"
#include "server/http/json_body.hpp"
#include "server/http/json_response.hpp"
#include "server/api/operation_json.hpp"
#include "server/http/prefer_header.hpp"
#include "server/security/sha256.hpp"

namespace stagehand {

namespace http = boost::beast::http;
using nlohmann::json;

namespace {

constexpr std::size_t max_idempotency_key = 255;

http_response bad_request(const std::string& message) {
  return error_response(http::status::bad_request, "BadRequest", message);
}

/// The answer of a synchronous submit, once its operation is done.
http_response outcome_of(const operation_record& done,
                         const std::string& location) {
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
    res
      = error_response(http::status::service_unavailable, "ServiceUnavailable",
                       "The server is shutting down; the operation runs "
                       "again when it restarts.");
    res.set(http::field::location, location);
  }
  if (!done.id.empty())
    res.set("x-ms-dyn-backgroundoperationid", done.id);
  return res;
}

} // namespace

submit_endpoint::submit_endpoint(const operation_settings& settings,
                                 operation_store& store,
                                 const operation_registry& registry,
                                 operation_scheduler& scheduler,
                                 target_check& check)
  : settings_(settings), store_(store), registry_(registry),
    scheduler_(scheduler), check_(check) {}

void submit_endpoint::handle(route_call& call, const principal& who) {
  submit(call, check(call.param, parse_json_body(call.req.body()),
                     std::string{call.req["Prefer"]},
                     std::string{call.req["Idempotency-Key"]}, who));
}

void submit_endpoint::handle_function(route_call& call, const principal& who) {
  submit(call, check_function(call.param, call.query,
                              std::string{call.req["Prefer"]},
                              std::string{call.req["Idempotency-Key"]}, who));
}

void submit_endpoint::submit(route_call& call,
                             std::variant<checked_submit, http_response> checked) {
  auto& reply = call.reply;
  if (auto* refused = std::get_if<http_response>(&checked))
    return reply(std::move(*refused));
  auto& ok = std::get<checked_submit>(checked);
  if (ok.rec.callback_url.empty())
    return commit(std::move(ok), reply);
  ok.respond_async = true;
  auto url = ok.rec.callback_url;
  check_.check(url, when_allowed("callback", reply,
                                 [this, ok = std::move(ok), reply] {
                                   commit(ok, reply);
                                 }));
}

std::variant<checked_submit, http_response>
submit_endpoint::check_function(const std::string& segment,
                                const std::string& query,
                                const std::string& prefer,
                                const std::string& key,
                                const principal& who) const {
  auto parsed = function_call::parse(segment, query);
  if (!parsed)
    return bad_request(error_text(parsed.error()));
  auto def = registry_.find(parsed->name);
  if (def != nullptr && def->kind == operation_kind::action) {
    auto res = error_response(http::status::method_not_allowed,
                              "MethodNotAllowed",
                              "The operation '" + def->name
                                + "' is an action; call it with POST and a "
                                  "JSON body.");
    res.set(http::field::allow, "POST");
    return res;
  }
  return check(parsed->name, std::move(parsed->inputs), prefer, key, who);
}

std::variant<checked_submit, http_response>
submit_endpoint::check(const std::string& operation, caf::expected<json> body,
                       const std::string& prefer, const std::string& key,
                       const principal& who) const {
  auto def = registry_.find(operation);
  if (def == nullptr)
    return error_response(http::status::not_found, "NotFound",
                          "Resource not found for the segment '" + operation
                            + "'.");
  if (!body)
    return bad_request(error_text(body.error()));
  auto inputs = def->bind(*body);
  if (!inputs)
    return bad_request(error_text(inputs.error()));
  auto preferred = prefer_header::parse(prefer);
  auto callback
    = preferred.respond_async ? preferred.callback_url : std::string{};
  if (key.size() > max_idempotency_key)
    return bad_request("The Idempotency-Key header is longer than 255 "
                       "characters.");
  checked_submit out;
  out.respond_async = preferred.respond_async;
  if (preferred.formatted_values)
    out.include_annotations = preferred.include_annotations;
  auto& rec = out.rec;
  rec.name = def->name;
  rec.display_name = def->display_name;
  rec.inputs = std::move(*inputs);
  rec.run_as = who.user;
  rec.ttl_seconds
    = std::chrono::duration_cast<std::chrono::seconds>(settings_.ttl).count();
  rec.callback_url = callback;
  rec.idempotency_key = key;
  // The parsed body dumps with sorted keys, so formatting does not count.
  rec.body_hash = sha256_hex(def->name + '\n' + body->dump() + '\n' + callback);
  return out;
}

std::vector<http_response>
submit_endpoint::accept_all(std::vector<operation_record> recs) {
  if (recs.empty())
    return {};
  for (auto& rec : recs)
    stamp(rec);
  auto outcomes = store_.insert_all(recs);
  std::vector<http_response> out;
  out.reserve(outcomes.size());
  std::uint64_t created = 0;
  for (auto& outcome : outcomes) {
    if (outcome.what == operation_store::insert_outcome::kind::created)
      ++created;
    out.push_back(accepted(outcome));
  }
  if (created > 0)
    scheduler_.submitted(created);
  return out;
}

void submit_endpoint::stamp(operation_record& rec) {
  auto now = now_ms();
  rec.id = make_guid();
  rec.created_on = now;
  rec.next_attempt_time = now;
}

http_response
submit_endpoint::accepted(const operation_store::insert_outcome& outcome,
                          const std::string& include_annotations) {
  using kind = operation_store::insert_outcome::kind;
  auto& stored = outcome.record;
  if (outcome.what == kind::key_conflict)
    return error_response(http::status::unprocessable_entity,
                          "IdempotencyKeyReused",
                          "The Idempotency-Key '" + stored.idempotency_key
                            + "' was already used with a different request.");
  auto location = scheduler_.location_of(stored.id);
  json body{{"backgroundOperationId", stored.id},
            {"backgroundOperationStateCode", state_code(stored.status)},
            {"backgroundOperationStatusCode", status_code(stored.status)},
            {"location", location}};
  // The platform's 202 shows the labels whether or not they were asked for.
  add_code_labels(body, "backgroundOperationStateCode",
                  "backgroundOperationStatusCode", stored.status);
  auto res = json_response(http::status::accepted, body);
  res.set(http::field::location, location);
  res.set("x-ms-dyn-backgroundoperationid", stored.id);
  std::string applied
    = stored.callback_url.empty() ? "respond-async" : "callback";
  if (!include_annotations.empty())
    applied += ", odata.include-annotations=" + include_annotations;
  res.set("Preference-Applied", applied);
  res.set(http::field::retry_after, poll_retry_after);
  return res;
}

void submit_endpoint::commit(checked_submit ok, const http_reply& reply) {
  auto& rec = ok.rec;
  stamp(rec);
  auto outcome = store_.insert(rec);
  using kind = operation_store::insert_outcome::kind;
  if (outcome.what == kind::created)
    scheduler_.submitted(1);
  if (ok.respond_async || outcome.what == kind::key_conflict)
    return reply(accepted(outcome, ok.include_annotations));
  auto location = scheduler_.location_of(outcome.record.id);
  scheduler_.await(outcome.record.id,
                   [reply, location](const operation_record& done) {
                     reply(outcome_of(done, location));
                   });
}

} // namespace stagehand
