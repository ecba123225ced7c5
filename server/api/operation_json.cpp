#include "server/api/operation_json.hpp"

#include <nlohmann/json.hpp>

#include "core/wall_clock.hpp"
#include "server/operations/error_number.hpp"

namespace stagehand {

using nlohmann::json;

namespace {

json pairs(const dictionary& dict) {
  auto out = json::array();
  for (auto& [key, value] : dict)
    out.push_back({{"Key", key}, {"Value", value}});
  return out;
}

json time_or_null(const std::optional<std::int64_t>& ms) {
  return ms ? json(format_time(*ms)) : json(nullptr);
}

/// A failure the client should see: a failed operation, or one canceled
/// after an attempt failed.
bool shows_error(const operation_record& rec) {
  return rec.status == operation_status::failed
         || (rec.status == operation_status::canceled
             && !rec.error_message.empty());
}

} // namespace

json status_body(const operation_record& rec) {
  auto body = json::object();
  if (rec.status == operation_status::succeeded)
    for (auto& [k, v] : rec.outputs)
      body[k] = v;
  body["backgroundOperationStateCode"] = state_code(rec.status);
  body["backgroundOperationStatusCode"] = status_code(rec.status);
  if (shows_error(rec)) {
    // `0` when the error did not come from the platform (SPEC.md §3).
    body["backgroundOperationErrorCode"] = error_number(rec.error_code);
    body["backgroundOperationErrorName"] = rec.error_code;
    body["backgroundOperationErrorMessage"] = rec.error_message;
  }
  return body;
}

void add_code_labels(json& body, const std::string& state_field,
                     const std::string& status_field, operation_status status) {
  body[state_field + formatted_value_suffix] = state_label(status);
  body[status_field + formatted_value_suffix] = label(status);
}

const std::vector<std::string>& entity_columns() {
  static const std::vector<std::string> names{"backgroundoperationid",
                                              "backgroundoperationstatecode",
                                              "backgroundoperationstatuscode",
                                              "name",
                                              "displayname",
                                              "inputparameters",
                                              "outputparameters",
                                              "starttime",
                                              "endtime",
                                              "retrycount",
                                              "errorcode",
                                              "errormessage",
                                              "runas",
                                              "createdon",
                                              "ttlinseconds"};
  return names;
}

json entity_row(const operation_record& rec) {
  return {{"backgroundoperationid", rec.id},
          {"backgroundoperationstatecode", state_code(rec.status)},
          {"backgroundoperationstatuscode", status_code(rec.status)},
          {"name", rec.name},
          {"displayname", rec.display_name},
          {"inputparameters", pairs(rec.inputs)},
          {"outputparameters", pairs(rec.outputs)},
          {"starttime", time_or_null(rec.start_time)},
          {"endtime", time_or_null(rec.end_time)},
          {"retrycount", rec.retry_count},
          {"errorcode", error_number(rec.error_code)},
          {"errormessage", rec.error_message},
          {"runas", rec.run_as},
          {"createdon", format_time(rec.created_on)},
          {"ttlinseconds", rec.ttl_seconds}};
}

json listing_row(const operation_record& rec, const std::string& location) {
  auto row = entity_row(rec);
  row["errorname"] = rec.error_code;
  row["location"] = location;
  return row;
}

} // namespace stagehand
