#include "server/api/admin_endpoint.hpp"

#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>

#include "core/errc.hpp"
#include "core/wall_clock.hpp"
#include "server/admin/admin_asset.hpp"
#include "server/api/canonical_id.hpp"
#include "server/api/operation_json.hpp"
#include "server/http/json_response.hpp"

namespace stagehand {

namespace http = boost::beast::http;
using nlohmann::json;

namespace {

/// The page may load only itself: no inline script, no other origin, no
/// frame around it, so a value shown on it cannot run as code.
constexpr const char* page_policy
  = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

http_response asset_response(const std::string& path) {
  auto* asset = find_admin_asset(path);
  if (asset == nullptr)
    return error_response(http::status::not_found, "NotFound",
                          "The admin page has no file '" + path + "'.");
  http_response res{http::status::ok, 11};
  res.set(http::field::content_type, std::string{asset->content_type});
  res.set("Content-Security-Policy", page_policy);
  res.set("X-Content-Type-Options", "nosniff");
  res.set(http::field::cache_control, "no-cache");
  res.body() = std::string{asset->body};
  res.prepare_payload();
  return res;
}

/// A session id as the path gives it: decimal digits that fit.
std::optional<session_id> parse_session_id(const std::string& text) {
  if (text.empty() || text.size() > 19)
    return std::nullopt;
  session_id id = 0;
  for (auto c : text) {
    if (c < '0' || c > '9')
      return std::nullopt;
    id = id * 10 + static_cast<session_id>(c - '0');
  }
  return id;
}

json task_json(const page_task_board::task& t) {
  json out{{"taskid", t.id},
           {"pageid", t.page},
           {"codeunit", t.codeunit},
           {"tag", t.tag},
           {"since", format_time(t.since)}};
  if (t.running)
    out["node"] = t.node;
  return out;
}

} // namespace

admin_endpoint::admin_endpoint(operation_store& store,
                               const operation_scheduler& scheduler)
  : store_(store), scheduler_(scheduler), sampler_(history_, [&scheduler] {
      return scheduler.counters().snapshot();
    }) {}

void admin_endpoint::set_sources(admin_sources sources) {
  sources_ = std::move(sources);
}

void admin_endpoint::set_runtime_counters(std::function<counters()> fn) {
  counters_ = std::move(fn);
}

void admin_endpoint::set_node_loads(
  std::function<std::vector<node_load>()> fn) {
  node_loads_ = std::move(fn);
}

std::vector<route> admin_endpoint::routes() {
  using verb = http::verb;
  auto admin = [](http_response (admin_endpoint::*view)() const,
                  const admin_endpoint* self) {
    return admin_route{[self, view](route_call& call, const principal&) {
      call.reply((self->*view)());
    }};
  };
  return {
    {verb::get, "/admin", http_route::admin_page,
     open_route{[](route_call& call) {
       call.reply(asset_response("/admin"));
     }}},
    {verb::get, "/admin/{file}", http_route::admin_page,
     open_route{[](route_call& call) {
       call.reply(asset_response("/admin/" + call.param));
     }}},
    {verb::get, "/api/admin/sessions", http_route::admin,
     admin(&admin_endpoint::sessions, this)},
    {verb::get, "/api/admin/backgroundsessions", http_route::admin,
     admin(&admin_endpoint::background_sessions, this)},
    {verb::post, "/api/admin/backgroundsessions({id})/stop", http_route::admin,
     admin_route{[this](route_call& call, const principal&) {
       call.reply(stop(call.param));
     }}},
    {verb::get, "/api/admin/pagetasks", http_route::admin,
     admin(&admin_endpoint::page_tasks, this)},
    {verb::get, "/api/admin/nodes", http_route::admin,
     admin(&admin_endpoint::nodes, this)},
    {verb::get, "/api/admin/rates", http_route::admin,
     admin(&admin_endpoint::rates, this)},
    {verb::get, "/api/admin/operations({id})", http_route::admin,
     admin_route{[this](route_call& call, const principal&) {
       call.reply(operation(call.param));
     }}},
  };
}

http_response admin_endpoint::sessions() const {
  auto value = json::array();
  if (sources_.sessions)
    for (auto& s : sources_.sessions())
      value.push_back(
        {{"sessionid", s.id},
         {"userid", s.user_id},
         {"clienttype", to_string(s.client)},
         {"company", s.database_name},
         {"logindatetime",
          format_time(std::chrono::duration_cast<std::chrono::milliseconds>(
                        s.login_datetime.time_since_epoch())
                        .count())},
         {"serverinstanceid", s.server_instance_id},
         {"uniqueid", s.unique_id}});
  return json_response(http::status::ok, {{"value", std::move(value)}});
}

http_response admin_endpoint::background_sessions() const {
  auto value = json::array();
  if (sources_.background_sessions)
    for (auto& r : sources_.background_sessions->rows())
      value.push_back({{"sessionid", r.id},
                       {"tag", r.tag},
                       {"codeunit", r.codeunit},
                       {"userid", r.user},
                       {"company", r.company},
                       {"state", label(r.now)},
                       {"since", format_time(r.since)},
                       {"comment", r.comment}});
  return json_response(http::status::ok, {{"value", std::move(value)}});
}

http_response admin_endpoint::stop(const std::string& given) const {
  auto id = parse_session_id(given);
  if (!id)
    return error_response(http::status::bad_request, "BadRequest",
                          "'" + given
                            + "' is not a session id: it must be a number.");
  auto stopped = sources_.stop_session ? sources_.stop_session(*id)
                                       : caf::expected<bool>{false};
  if (!stopped)
    return error_response(http::status::service_unavailable, "StopFailed",
                          "Background session " + given
                            + " could not be stopped: "
                            + describe(stopped.error()));
  if (!*stopped)
    return error_response(http::status::not_found, "NotFound",
                          "Background session " + given
                            + " is not active: it ended, or never ran.");
  return json_response(http::status::ok, {{"stopped", true}});
}

http_response admin_endpoint::page_tasks() const {
  auto stats = counters_ ? counters_() : counters{};
  auto parents = json::array();
  if (sources_.page_tasks)
    for (auto& p : sources_.page_tasks->parents()) {
      auto running = json::array();
      auto queued = json::array();
      for (auto& t : p.running)
        running.push_back(task_json(t));
      for (auto& t : p.queued)
        queued.push_back(task_json(t));
      parents.push_back({{"sessionid", p.id},
                         {"running", std::move(running)},
                         {"queued", std::move(queued)}});
    }
  return json_response(http::status::ok,
                       {{"activechildsessions", stats.active_child_sessions},
                        {"queuedtasks", stats.queued_tasks},
                        {"sessions", std::move(parents)}});
}

http_response admin_endpoint::nodes() const {
  auto value = json::array();
  if (node_loads_)
    for (auto& n : node_loads_())
      value.push_back({{"name", n.name},
                       {"running", n.running},
                       {"capacity", n.capacity},
                       {"losttotal", n.lost_total},
                       {"lastheardseconds", n.last_heard_seconds},
                       {"lost", !n.live}});
  return json_response(http::status::ok, {{"value", std::move(value)}});
}

http_response admin_endpoint::rates() const {
  auto samples = json::array();
  for (auto& r : history_.rates())
    samples.push_back({{"time", format_time(r.time)},
                       {"submitted", r.submitted},
                       {"succeeded", r.succeeded},
                       {"failed", r.failed}});
  auto totals = scheduler_.counters().snapshot();
  return json_response(http::status::ok, {{"intervalseconds", 1},
                                          {"samples", std::move(samples)},
                                          {"totals",
                                           {{"submitted", totals.submitted},
                                            {"succeeded", totals.succeeded},
                                            {"failed", totals.failed},
                                            {"canceled", totals.canceled}}}});
}

http_response admin_endpoint::operation(const std::string& given) const {
  auto rec = store_.find(canonical_id(given));
  if (!rec)
    return error_response(http::status::not_found, "NotFound",
                          "Could not find item '" + given + "'.");
  auto row = entity_row(*rec);
  add_code_labels(row, "backgroundoperationstatecode",
                  "backgroundoperationstatuscode", rec->status);
  row["errorname"] = rec->error_code;
  row["callbackurl"] = rec->callback_url;
  row["idempotencykey"] = rec->idempotency_key;
  row["cancelrequested"] = rec->cancel_requested;
  row["nextattempttime"] = rec->next_attempt_time
                             ? json(format_time(*rec->next_attempt_time))
                             : json(nullptr);
  row["deliveryfailure"] = rec->delivery_failure;
  row["notified"] = rec->notified;
  row["location"] = scheduler_.location_of(rec->id);
  return json_response(http::status::ok, row);
}

} // namespace stagehand
