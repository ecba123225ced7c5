#include "server/api/batch_request.hpp"

#include <set>

#include <caf/sec.hpp>
#include <strings.h>

#include "server/http/json_body.hpp"

namespace stagehand {

using nlohmann::json;

namespace {

caf::error problem(const std::string& text) {
  return caf::make_error(caf::sec::invalid_argument, text);
}

/// Where item `i`'s problems are named.
std::string at(std::size_t i) {
  return "requests[" + std::to_string(i) + "]";
}

/// Reads item `i`; `ids` holds the ids of the items before it.
caf::expected<batch_item> parse_item(json& value, std::size_t i,
                                     std::set<std::string>& ids) {
  if (!value.is_object())
    return problem(at(i) + " must be a JSON object.");
  batch_item item;
  for (auto& [name, member] : value.items()) {
    if (name == "id" || name == "method" || name == "url") {
      if (!member.is_string())
        return problem(at(i) + "." + name + " must be a string.");
      auto& field = name == "id"       ? item.id
                    : name == "method" ? item.method
                                       : item.url;
      field = member.get<std::string>();
    } else if (name == "headers") {
      if (!member.is_object())
        return problem(at(i) + ".headers must be a JSON object of strings.");
      for (auto& [header, text] : member.items()) {
        if (!text.is_string())
          return problem(at(i) + ".headers." + header + " must be a string.");
        item.headers.emplace_back(header, text.get<std::string>());
      }
    } else if (name == "body") {
      item.body = std::move(member);
    } else if (name == "atomicityGroup" || name == "dependsOn"
               || name == "if") {
      return problem(at(i) + "." + name
                     + " is not supported: each item of a $batch request "
                       "stands alone.");
    } else {
      return problem(at(i) + " has the unknown member '" + name
                     + "'; an item has id, method, url, headers and body.");
    }
  }
  for (auto* name : {"id", "method", "url"})
    if (!value.contains(name))
      return problem(at(i) + " has no " + name + ".");
  if (item.id.empty())
    return problem(at(i) + ".id must not be empty.");
  if (!ids.insert(item.id).second)
    return problem(at(i) + ".id '" + item.id
                   + "' is used by an earlier item; ids must be unique.");
  return item;
}

} // namespace

const std::string* batch_item::header(std::string_view name) const {
  for (auto& [key, value] : headers)
    if (key.size() == name.size()
        && strncasecmp(key.data(), name.data(), name.size()) == 0)
      return &value;
  return nullptr;
}

caf::expected<std::vector<batch_item>> parse_batch(const std::string& body) {
  auto parsed = parse_json_body(body);
  if (!parsed)
    return parsed.error();
  constexpr const char* shape
    = "The $batch request body must be a JSON object with a 'requests' "
      "array.";
  if (!parsed->is_object())
    return problem(shape);
  auto requests = parsed->find("requests");
  if (requests == parsed->end() || !requests->is_array())
    return problem(shape);
  if (parsed->size() != 1)
    return problem("The $batch request body may hold only 'requests'.");
  if (requests->size() > max_batch_items)
    return problem("The $batch request has " + std::to_string(requests->size())
                   + " requests; at most " + std::to_string(max_batch_items)
                   + " may be sent in one.");
  std::vector<batch_item> items;
  items.reserve(requests->size());
  std::set<std::string> ids;
  for (std::size_t i = 0; i < requests->size(); ++i) {
    auto item = parse_item((*requests)[i], i, ids);
    if (!item)
      return item.error();
    items.push_back(std::move(*item));
  }
  return items;
}

} // namespace stagehand
