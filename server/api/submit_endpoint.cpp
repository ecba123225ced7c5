#include "server/api/submit_endpoint.hpp"

#include <chrono>

#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>

#include "core/guid.hpp"
#include "core/wall_clock.hpp"
#include "server/api/allowed_target.hpp"
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
  auto& reply = call.reply;
  auto def = registry_.find(call.param);
  if (def == nullptr)
    return reply(error_response(http::status::not_found, "NotFound",
                                "Resource not found for the segment '"
                                  + call.param + "'."));
  auto body = parse_json_body(call.req.body());
  if (!body)
    return reply(bad_request(error_text(body.error())));
  auto inputs = def->bind(*body);
  if (!inputs)
    return reply(bad_request(error_text(inputs.error())));
  auto prefer = prefer_header::parse(std::string{call.req["Prefer"]});
  auto callback = prefer.respond_async ? prefer.callback_url : std::string{};
  auto key = std::string{call.req["Idempotency-Key"]};
  if (key.size() > max_idempotency_key)
    return reply(bad_request("The Idempotency-Key header is longer than 255 "
                             "characters."));
  operation_record rec;
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
  if (callback.empty())
    return commit(std::move(rec), prefer.respond_async, reply);
  check_.check(callback, when_allowed("callback", reply,
                                      [this, rec = std::move(rec), reply] {
                                        commit(rec, true, reply);
                                      }));
}

void submit_endpoint::commit(operation_record rec, bool respond_async,
                             const http_reply& reply) {
  auto now = now_ms();
  rec.id = make_guid();
  rec.created_on = now;
  rec.next_attempt_time = now;
  auto outcome = store_.insert(rec);
  using kind = operation_store::insert_outcome::kind;
  if (outcome.what == kind::key_conflict)
    return reply(
      error_response(http::status::unprocessable_entity, "IdempotencyKeyReused",
                     "The Idempotency-Key '" + rec.idempotency_key
                       + "' was already used with a different request."));
  auto& stored = outcome.record;
  if (outcome.what == kind::created)
    scheduler_.wake();
  auto location = scheduler_.location_of(stored.id);
  if (!respond_async)
    return scheduler_.await(stored.id,
                            [reply, location](const operation_record& done) {
                              reply(outcome_of(done, location));
                            });
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
  res.set(http::field::retry_after, poll_retry_after);
  reply(std::move(res));
}

} // namespace stagehand
