#include "server/api/entity_set_endpoint.hpp"

#include <nlohmann/json.hpp>

#include "server/api/entity_set_query.hpp"
#include "server/api/operation_json.hpp"
#include "server/http/json_response.hpp"
#include "server/http/query_string.hpp"

namespace stagehand {

namespace http = boost::beast::http;
using nlohmann::json;

namespace {

constexpr const char* set_path = "/api/data/v9.2/backgroundoperations";

/// The row with only the `select`ed columns and the key, which OData always
/// returns; all of them without a `$select`.
json selected(const operation_record& rec,
              const std::vector<std::string>& select,
              const prefer_header& prefer) {
  auto row = entity_row(rec);
  if (prefer.formatted_values)
    add_code_labels(row, "backgroundoperationstatecode",
                    "backgroundoperationstatuscode", rec.status);
  if (select.empty())
    return row;
  json out{{"backgroundoperationid", row.at("backgroundoperationid")}};
  for (auto& name : select)
    for (auto& key : {name, name + formatted_value_suffix})
      if (row.contains(key))
        out[key] = row.at(key);
  return out;
}

/// `res` with `Preference-Applied` acknowledging the annotations asked for.
http_response acknowledged(http_response res, const prefer_header& prefer) {
  if (prefer.formatted_values)
    res.set("Preference-Applied",
            "odata.include-annotations=" + prefer.include_annotations);
  return res;
}

} // namespace

entity_set_endpoint::entity_set_endpoint(operation_store& store,
                                         const operation_scheduler& scheduler,
                                         skiptoken tokens)
  : store_(store), scheduler_(scheduler), tokens_(std::move(tokens)) {}

http_response entity_set_endpoint::get(const std::string& query,
                                       const principal& who,
                                       const prefer_header& prefer) {
  auto parsed = entity_set_query::parse(query, tokens_);
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
  json body{{"@odata.context", context(parsed->select)}};
  if (parsed->count)
    body["@odata.count"] = store_.count(q);
  auto value = json::array();
  for (auto& rec : records)
    value.push_back(selected(rec, parsed->select, prefer));
  body["value"] = std::move(value);
  if (more)
    body["@odata.nextLink"]
      = scheduler_.base_url() + set_path + "?" + parsed->next_params
        + "$skiptoken="
        + tokens_.encode(q.position_of(records.back()), parsed->binding);
  return acknowledged(json_response(http::status::ok, body), prefer);
}

http_response entity_set_endpoint::one(const operation_record& rec,
                                       const std::string& query,
                                       const prefer_header& prefer) {
  auto given = parse_query(query);
  if (given)
    for (auto& [name, value] : *given)
      if (name != "$select")
        return error_response(http::status::bad_request, "BadRequest",
                              "The query option '" + name
                                + "' does not apply to one row; only "
                                  "'$select' does.");
  auto parsed = entity_set_query::parse(query, tokens_);
  if (!parsed)
    return error_response(http::status::bad_request, "BadRequest",
                          error_text(parsed.error()));
  auto body = selected(rec, parsed->select, prefer);
  body["@odata.context"] = context(parsed->select) + "/$entity";
  return acknowledged(json_response(http::status::ok, body), prefer);
}

json entity_set_endpoint::row(const operation_record& rec,
                              const prefer_header& prefer) const {
  auto body = selected(rec, {}, prefer);
  body["@odata.context"] = context({}) + "/$entity";
  return body;
}

std::string
entity_set_endpoint::context(const std::vector<std::string>& select) const {
  auto out
    = scheduler_.base_url() + "/api/data/v9.2/$metadata#backgroundoperations";
  if (select.empty())
    return out;
  std::string columns;
  for (auto& name : select)
    columns += (columns.empty() ? "" : ",") + name;
  return out + "(" + columns + ")";
}

} // namespace stagehand
