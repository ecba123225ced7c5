#include "server/api/entity_set_endpoint.hpp"

#include <nlohmann/json.hpp>

#include "server/api/entity_set_query.hpp"
#include "server/api/operation_json.hpp"
#include "server/api/skiptoken.hpp"
#include "server/http/json_response.hpp"

namespace stagehand {

namespace http = boost::beast::http;
using nlohmann::json;

namespace {

constexpr const char* set_path = "/api/data/v9.2/backgroundoperations";

/// The row with only the `select`ed columns and the key, which OData always
/// returns; all of them without a `$select`.
json selected(const operation_record& rec,
              const std::vector<std::string>& select) {
  auto row = entity_row(rec);
  if (select.empty())
    return row;
  json out{{"backgroundoperationid", row.at("backgroundoperationid")}};
  for (auto& name : select)
    out[name] = row.at(name);
  return out;
}

} // namespace

entity_set_endpoint::entity_set_endpoint(operation_store& store,
                                         const operation_scheduler& scheduler)
  : store_(store), scheduler_(scheduler) {}

http_response entity_set_endpoint::get(const std::string& query,
                                       const principal& who) {
  auto parsed = entity_set_query::parse(query);
  if (!parsed)
    return error_response(http::status::bad_request, "BadRequest",
                          error_text(parsed.error()));
  auto& q = parsed->query;
  if (!who.admin)
    q.run_as = who.user;
  // One row more than the page tells whether another page follows, so the
  // last page has no link to an empty one.
  ++q.top;
  auto records = store_.query(q);
  --q.top;
  auto more = records.size() > q.top;
  if (more)
    records.pop_back();
  auto context = scheduler_.base_url() + "/api/data/v9.2/$metadata#backgroundoperations";
  if (!parsed->select.empty()) {
    std::string columns;
    for (auto& name : parsed->select)
      columns += (columns.empty() ? "" : ",") + name;
    context += "(" + columns + ")";
  }
  json body{{"@odata.context", context}};
  if (parsed->count)
    body["@odata.count"] = store_.count(q);
  auto value = json::array();
  for (auto& rec : records)
    value.push_back(selected(rec, parsed->select));
  body["value"] = std::move(value);
  if (more)
    body["@odata.nextLink"]
      = scheduler_.base_url() + set_path + "?" + parsed->next_params
        + "$skiptoken="
        + skiptoken::encode(q.position_of(records.back()), parsed->binding);
  return json_response(http::status::ok, body);
}

} // namespace stagehand
