#include "server/api/entity_set_query.hpp"

#include <algorithm>
#include <map>

#include <caf/sec.hpp>

#include "server/api/operation_json.hpp"
#include "server/api/skiptoken.hpp"
#include "server/http/json_response.hpp"
#include "server/http/query_string.hpp"
#include "server/odata/filter_grammar.hpp"
#include "server/odata/sql_emitter.hpp"
#include "server/operations/operation_columns.hpp"

namespace stagehand {

namespace {

caf::error bad(const std::string& why) {
  return caf::make_error(caf::sec::invalid_argument, why);
}

/// The options in the order the next link repeats them.
const std::vector<std::string>& known_options() {
  static const std::vector<std::string> names{
    "$select", "$filter", "$orderby", "$top", "$count", "$skiptoken"};
  return names;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (auto& name : names)
    out += (out.empty() ? "" : ", ") + name;
  return out;
}

std::string trimmed(const std::string& text) {
  auto first = text.find_first_not_of(' ');
  if (first == std::string::npos)
    return {};
  return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

caf::error read_select(const std::string& value, entity_set_query& out) {
  std::size_t start = 0;
  while (start <= value.size()) {
    auto end = std::min(value.find(',', start), value.size());
    auto name = trimmed(value.substr(start, end - start));
    start = end + 1;
    auto& columns = entity_columns();
    if (std::find(columns.begin(), columns.end(), name) == columns.end())
      return bad("The query option '$select' names '" + name
                 + "', which is not a column of backgroundoperations; use "
                   "one or more of "
                 + joined(columns) + ", separated by commas.");
    if (std::find(out.select.begin(), out.select.end(), name)
        == out.select.end())
      out.select.push_back(name);
  }
  return {};
}

caf::error read_orderby(const std::string& value, entity_query& q) {
  auto text = trimmed(value);
  auto space = text.find(' ');
  auto column = text.substr(0, space);
  auto direction
    = space == std::string::npos ? std::string{} : trimmed(text.substr(space));
  if ((column != "createdon" && column != "endtime")
      || (!direction.empty() && direction != "asc" && direction != "desc"))
    return bad("The query option '$orderby' takes createdon or endtime, "
               "optionally followed by asc or desc; one column only.");
  q.order = column == "endtime" ? entity_query::order_by::end_time
                                : entity_query::order_by::created_on;
  q.descending = direction == "desc";
  return {};
}

} // namespace

caf::expected<entity_set_query>
entity_set_query::parse(const std::string& text, const skiptoken& tokens) {
  auto params = parse_query(text);
  if (!params)
    return params.error();
  std::map<std::string, std::string> given;
  for (auto& [key, value] : *params) {
    auto& known = known_options();
    if (std::find(known.begin(), known.end(), key) == known.end())
      return bad("The query option '" + key + "' is not supported; use "
                 + joined(known) + ".");
    if (!given.emplace(key, value).second)
      return bad("The query option '" + key + "' is given more than once.");
  }
  entity_set_query out;
  out.query.top = default_top;
  if (auto i = given.find("$select"); i != given.end())
    if (auto err = read_select(i->second, out))
      return err;
  if (auto i = given.find("$filter"); i != given.end()) {
    auto filter = parse_filter(i->second, operation_filter_columns());
    if (!filter)
      return bad("The query option '$filter' is invalid: "
                 + error_text(filter.error()));
    out.query.filter = emit_sql(*filter, sql_dialect{});
  }
  if (auto i = given.find("$orderby"); i != given.end())
    if (auto err = read_orderby(i->second, out.query))
      return err;
  if (auto i = given.find("$top"); i != given.end()) {
    std::int64_t n = 0;
    if (!parse_decimal(i->second, max_top, n) || n < 1)
      return bad("The query option '$top' takes a number from 1 to "
                 + std::to_string(max_top) + ".");
    out.query.top = static_cast<std::size_t>(n);
  }
  if (auto i = given.find("$count"); i != given.end()) {
    if (i->second != "true" && i->second != "false")
      return bad("The query option '$count' takes true or false.");
    out.count = i->second == "true";
  }
  auto value_of = [&given](const char* name) {
    auto i = given.find(name);
    return i != given.end() ? i->second : std::string{};
  };
  out.binding = value_of("$filter") + "\n" + value_of("$orderby");
  if (auto i = given.find("$skiptoken"); i != given.end()) {
    auto at = tokens.decode(i->second, out.binding);
    if (!at)
      return at.error();
    out.query.after = *at;
  }
  for (auto& name : known_options())
    if (auto i = given.find(name); i != given.end() && name != "$skiptoken")
      out.next_params += name + "=" + percent_encode(i->second) + "&";
  return out;
}

} // namespace stagehand
