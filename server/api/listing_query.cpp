#include "server/api/listing_query.hpp"

#include <limits>

#include <caf/sec.hpp>

#include "server/http/query_string.hpp"

namespace stagehand {

namespace {

caf::error bad(std::string why) {
  return caf::make_error(caf::sec::invalid_argument, std::move(why));
}

} // namespace

caf::expected<listing_query> listing_query::parse(const std::string& text) {
  listing_query result;
  result.query.top = default_top;
  auto params = parse_query(text);
  if (!params)
    return std::move(params.error());
  for (auto& [key, value] : *params) {
    std::int64_t n = 0;
    if (key == "status") {
      operation_status s;
      if (!parse_decimal(value, 99, n)
          || !from_status_code(static_cast<int>(n), s))
        return bad("'status' must be a status code: 0, 20, 22, 30, 31 or 32.");
      result.query.status = s;
    } else if (key == "name") {
      result.query.name = value;
    } else if (key == "top") {
      if (!parse_decimal(value, max_top, n) || n < 1)
        return bad("'top' must be a number from 1 to 1000.");
      result.query.top = static_cast<std::size_t>(n);
    } else if (key == "after") {
      if (!parse_decimal(value, std::numeric_limits<std::int64_t>::max(), n))
        return bad("'after' must be a cursor from 'next'.");
      result.query.after = n;
      continue;
    } else {
      return bad("Unknown query parameter '" + key + "'.");
    }
    result.next_params += key + "=" + percent_encode(value) + "&";
  }
  return result;
}

} // namespace stagehand
