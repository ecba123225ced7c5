#include "server/api/operations_api.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <nlohmann/json.hpp>

#include "core/guid.hpp"
#include "core/wall_clock.hpp"
#include "server/api/allowed_target.hpp"
#include "server/api/canonical_id.hpp"
#include "server/http/json_body.hpp"
#include "server/http/json_response.hpp"
#include "server/api/listing_query.hpp"
#include "server/api/metadata_document.hpp"
#include "server/api/metrics_page.hpp"
#include "server/http/prefer_header.hpp"
#include "server/http/query_string.hpp"
#include "server/operations/notification_payload.hpp"
#include "server/api/operation_json.hpp"

namespace stagehand {

namespace http = boost::beast::http;
using nlohmann::json;

namespace {

constexpr const char* list_path = "/api/backgroundoperations";

constexpr const char* entity_path = "/api/data/v9.2/backgroundoperations({id})";

constexpr const char* terminal_text
  = "Canceling background operation is not allowed after it is in terminal "
    "state.";

http_response not_found(const std::string& id) {
  return error_response(http::status::not_found, "NotFound",
                        "Could not find item '" + id + "'.");
}

http_response bad_request(const std::string& message) {
  return error_response(http::status::bad_request, "BadRequest", message);
}

constexpr const char* update_text
  = "Only a cancel may be written to a background operation: PATCH "
    "{\"backgroundoperationstatecode\":2,"
    "\"backgroundoperationstatuscode\":22}.";

/// Whether `body` is exactly the update that cancels: state 2, status 22.
bool is_cancel_update(const caf::expected<json>& body) {
  if (!body || !body->is_object() || body->size() != 2)
    return false;
  auto state = body->find("backgroundoperationstatecode");
  auto status = body->find("backgroundoperationstatuscode");
  return state != body->end() && status != body->end()
         && state->is_number_integer() && status->is_number_integer()
         && *state == 2 && *status == 22;
}

} // namespace

operations_api::operations_api(const security_settings& security,
                               const operation_settings& operations,
                               operation_store& store,
                               const operation_registry& registry,
                               operation_scheduler& scheduler,
                               http_metrics& metrics, target_check& check,
                               skiptoken tokens)
  : store_(store), registry_(registry), scheduler_(scheduler),
    metrics_(metrics), check_(check), keys_(security.api_keys),
    submit_(operations, store, registry, scheduler, check),
    entity_set_(store, scheduler, std::move(tokens)), admin_(store, scheduler),
    table_(make_routes(), keys_, metrics), batch_(submit_, check, table_) {}

void operations_api::set_runtime_counters(std::function<counters()> fn) {
  admin_.set_runtime_counters(fn);
  runtime_counters_ = std::move(fn);
}

void operations_api::set_node_loads(
  std::function<std::vector<node_load>()> fn) {
  admin_.set_node_loads(fn);
  node_loads_ = std::move(fn);
}

void operations_api::set_admin_sources(admin_sources sources) {
  admin_.set_sources(std::move(sources));
}

void operations_api::handle(http_request req, http_reply reply) {
  table_.handle(std::move(req), std::move(reply));
}

// -- the route table ----------------------------------------------------------

std::vector<route> operations_api::make_routes() {
  using verb = http::verb;
  std::vector<route> routes{
    {verb::get, "/healthz", http_route::healthz,
     open_route{[](route_call& call) {
       call.reply(json_response(http::status::ok, {{"status", "ok"}}));
     }}},
    {verb::get, "/metrics", http_route::metrics,
     open_route{[this](route_call& call) {
       call.reply(metrics_page(
         runtime_counters_ ? runtime_counters_() : counters{},
         node_loads_ ? node_loads_() : std::vector<node_load>{},
         store_.count_by_status(), metrics_, scheduler_.counters().snapshot()));
     }}},
    {verb::get, "/api/data/v9.2/", http_route::catalog,
     keyed_route{[this](route_call& call, const principal&) {
       call.reply(catalog());
     }}},
    {verb::get, "/api/data/v9.2/$metadata", http_route::catalog,
     keyed_route{[this](route_call& call, const principal&) {
       http_response res{http::status::ok, 11};
       res.set(http::field::content_type, "application/xml");
       res.set("OData-Version", "4.0");
       res.body() = metadata_document(registry_);
       res.prepare_payload();
       call.reply(std::move(res));
     }}},
    // The table as an entity set. `{operation}` matches this path too, but
    // the pattern with more literal text owns it.
    {verb::get, "/api/data/v9.2/backgroundoperations", http_route::entity_set,
     keyed_route{[this](route_call& call, const principal& who) {
       call.reply(entity_set_.get(
         call.query, who,
         prefer_header::parse(std::string{call.req["Prefer"]})));
     }}},
    {verb::post, "/api/data/v9.2/{operation}", http_route::submit,
     keyed_route{[this](route_call& call, const principal& who) {
       submit_.handle(call, who);
     }}},
    {verb::get, "/api/data/v9.2/{operation}", http_route::submit,
     keyed_route{[this](route_call& call, const principal& who) {
       submit_.handle_function(call, who);
     }}},
    // One operation, at the entity key that `Location` names, at the path
    // the platform's article polls, and at the path we first served.
    {verb::get, entity_path, http_route::status,
     keyed_route{[this](route_call& call, const principal& who) {
       call.reply(status(call.param, who,
                         prefer_header::parse(std::string{call.req["Prefer"]}),
                         &call.query));
     }}},
    {verb::delete_, entity_path, http_route::cancel, cancel_route()},
    {verb::patch, entity_path, http_route::cancel,
     keyed_route{[this](route_call& call, const principal& who) {
       call.reply(update(call.param, call.req.body(), who));
     }}},
    {verb::get, "/api/backgroundOperation/{id}", http_route::status,
     status_route()},
    {verb::delete_, "/api/backgroundOperation/{id}", http_route::cancel,
     cancel_route()},
    {verb::get, "/api/backgroundoperation/{id}", http_route::status,
     status_route()},
    {verb::delete_, "/api/backgroundoperation/{id}", http_route::cancel,
     cancel_route()},
    {verb::get, list_path, http_route::list,
     keyed_route{[this](route_call& call, const principal& who) {
       call.reply(list(call.query, who));
     }}},
    {verb::post, "/api/$batch", http_route::batch,
     keyed_route{[this](route_call& call, const principal& who) {
       batch_.handle(call, who);
     }}},
    {verb::post, "/api/webhooks", http_route::webhooks,
     admin_route{[this](route_call& call, const principal& who) {
       add_webhook(call, who);
     }}},
  };
  // The admin page's Cancel: the platform's, plus a stop of a running
  // attempt, so that the operator's cancel takes effect at once.
  routes.push_back({verb::delete_, "/api/admin/operations({id})",
                    http_route::admin,
                    admin_route{[this](route_call& call, const principal& who) {
                      call.reply(cancel(call.param, who, true));
                    }}});
  for (auto& r : admin_.routes())
    routes.push_back(std::move(r));
  return routes;
}

// -- the operations -----------------------------------------------------------

http_response operations_api::catalog() const {
  auto value = json::array();
  for (auto* def : registry_.all()) {
    auto parameters = json::array();
    for (auto& param : def->parameters)
      parameters.push_back({{"name", param.name},
                            {"type", to_string(param.type)},
                            {"required", param.required}});
    value.push_back({{"name", def->name},
                     {"displayName", def->display_name},
                     {"kind", to_string(def->kind)},
                     {"parameters", std::move(parameters)}});
  }
  return json_response(http::status::ok, {{"value", std::move(value)}});
}

// -- status, cancel, list -----------------------------------------------------

http_response operations_api::status(const std::string& given,
                                     const principal& who,
                                     const prefer_header& prefer,
                                     const std::string* entity_query) {
  auto id = canonical_id(given);
  if (!is_guid(id))
    return not_found(id);
  auto rec = store_.find(id);
  if (!rec || (!who.admin && rec->run_as != who.user))
    return not_found(id);
  if (entity_query != nullptr && !entity_query->empty())
    return entity_set_.one(*rec, *entity_query, prefer);
  auto body = status_body(*rec);
  // At the entity key, the poll answer is also the table's row, so that the
  // article's pollers and generic OData clients both read what they expect;
  // an output named like a column keeps its place, as the poll answer has it.
  if (entity_query != nullptr) {
    auto row = entity_set_.row(*rec, prefer);
    for (auto& [column, value] : row.items())
      if (!body.contains(column))
        body[column] = value;
  }
  if (prefer.formatted_values)
    add_code_labels(body, "backgroundOperationStateCode",
                    "backgroundOperationStatusCode", rec->status);
  auto res = json_response(http::status::ok, body);
  if (prefer.formatted_values)
    res.set("Preference-Applied",
            "odata.include-annotations=" + prefer.include_annotations);
  if (!is_terminal(rec->status))
    res.set(http::field::retry_after, poll_retry_after);
  return res;
}

http_response operations_api::cancel(const std::string& given,
                                     const principal& who, bool stop_running) {
  auto id = canonical_id(given);
  if (!is_guid(id))
    return not_found(id);
  auto outcome = scheduler_.cancel(
    id, who.admin ? std::nullopt : std::optional<std::string>{who.user},
    stop_running);
  using kind = operation_store::cancel_outcome::kind;
  switch (outcome.what) {
  case kind::not_found:
    return not_found(id);
  case kind::terminal:
    return bad_request(terminal_text);
  case kind::canceled:
  case kind::canceling:
    break;
  }
  return json_response(http::status::ok,
                       {{"backgroundOperationStateCode", 2},
                        {"backgroundOperationStatusCode", 22}});
}

http_response operations_api::update(const std::string& id,
                                     const std::string& body,
                                     const principal& who) {
  if (!is_cancel_update(parse_json_body(body)))
    return bad_request(update_text);
  auto res = cancel(id, who);
  if (res.result() != http::status::ok)
    return res;
  // An update answers as the platform's updates do: no content.
  http_response done{http::status::no_content, 11};
  done.prepare_payload();
  return done;
}

keyed_route operations_api::status_route() {
  return {[this](route_call& call, const principal& who) {
    call.reply(status(call.param, who,
                      prefer_header::parse(std::string{call.req["Prefer"]})));
  }};
}

keyed_route operations_api::cancel_route() {
  return {[this](route_call& call, const principal& who) {
    call.reply(cancel(call.param, who));
  }};
}

http_response operations_api::list(const std::string& query,
                                   const principal& who) {
  auto parsed = listing_query::parse(query);
  if (!parsed)
    return bad_request(error_text(parsed.error()));
  auto& q = parsed->query;
  if (!who.admin)
    q.run_as = who.user;
  auto records = store_.list(q);
  auto value = json::array();
  for (auto& rec : records)
    value.push_back(listing_row(rec, scheduler_.location_of(rec.id)));
  json body{{"value", std::move(value)}};
  if (records.size() == q.top) {
    auto cursor = std::to_string(records.back().seq);
    body["next"] = cursor;
    body["nextLink"] = scheduler_.base_url() + list_path + "?"
                       + parsed->next_params + "after=" + cursor;
  } else {
    body["next"] = nullptr;
  }
  return json_response(http::status::ok, body);
}

// -- webhooks -----------------------------------------------------------------

void operations_api::add_webhook(route_call& call, const principal& who) {
  auto& reply = call.reply;
  auto body = parse_json_body(call.req.body());
  if (!body)
    return reply(bad_request(error_text(body.error())));
  if (!body->is_object())
    return reply(bad_request("The request body must be a JSON object."));
  auto event = body->find("event");
  auto url = body->find("url");
  if (event == body->end() || !event->is_string()
      || event->get<std::string>() != operation_complete_event)
    return reply(bad_request(std::string{"'event' must be '"}
                             + operation_complete_event + "'."));
  if (url == body->end() || !url->is_string())
    return reply(bad_request("'url' must be a string."));
  webhook hook{make_guid(), operation_complete_event, url->get<std::string>(),
               who.user, now_ms()};
  check_.check(
    hook.url, when_allowed("webhook", reply, [this, hook, reply] {
      store_.add_webhook(hook);
      reply(json_response(
        http::status::created,
        {{"id", hook.id}, {"event", hook.event}, {"url", hook.url}}));
    }));
}

} // namespace stagehand
