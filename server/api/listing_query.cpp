#include "server/api/listing_query.hpp"

#include <cctype>
#include <limits>

#include <caf/sec.hpp>

namespace stagehand {

namespace {

caf::error bad(std::string why) {
  return caf::make_error(caf::sec::invalid_argument, std::move(why));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/// Percent-decodes one query component; `+` is a space.
bool url_decode(const std::string& in, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] == '%') {
      if (i + 2 >= in.size() || hex_value(in[i + 1]) < 0
          || hex_value(in[i + 2]) < 0)
        return false;
      out
        += static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2]));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return true;
}

std::string url_encode(const std::string& in) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 0xF];
    }
  }
  return out;
}

/// Reads a whole decimal number from 0 to `max`, refusing it before a digit
/// would take it past `max`, so no value wraps.
bool parse_number(const std::string& text, std::int64_t max,
                  std::int64_t& out) {
  if (text.empty())
    return false;
  std::int64_t value = 0;
  for (auto c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c)))
      return false;
    auto digit = c - '0';
    if (value > (max - digit) / 10)
      return false;
    value = value * 10 + digit;
  }
  out = value;
  return true;
}

} // namespace

caf::expected<listing_query> listing_query::parse(const std::string& text) {
  listing_query result;
  result.query.top = default_top;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('&', start);
    if (end == std::string::npos)
      end = text.size();
    auto part = text.substr(start, end - start);
    start = end + 1;
    if (part.empty())
      continue;
    auto eq = part.find('=');
    std::string key;
    std::string value;
    if (!url_decode(part.substr(0, eq), key)
        || !url_decode(eq == std::string::npos ? "" : part.substr(eq + 1),
                       value))
      return bad("The query string is not validly encoded.");
    std::int64_t n = 0;
    if (key == "status") {
      operation_status s;
      if (!parse_number(value, 99, n)
          || !from_status_code(static_cast<int>(n), s))
        return bad("'status' must be a status code: 0, 20, 22, 30, 31 or 32.");
      result.query.status = s;
    } else if (key == "name") {
      result.query.name = value;
    } else if (key == "top") {
      if (!parse_number(value, max_top, n) || n < 1)
        return bad("'top' must be a number from 1 to 1000.");
      result.query.top = static_cast<std::size_t>(n);
    } else if (key == "after") {
      if (!parse_number(value, std::numeric_limits<std::int64_t>::max(), n))
        return bad("'after' must be a cursor from 'next'.");
      result.query.after = n;
      continue;
    } else {
      return bad("Unknown query parameter '" + key + "'.");
    }
    result.next_params += key + "=" + url_encode(value) + "&";
  }
  return result;
}

} // namespace stagehand
