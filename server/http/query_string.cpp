#include "server/http/query_string.hpp"

#include <cctype>

#include <caf/sec.hpp>

namespace stagehand {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

} // namespace

bool percent_decode(std::string_view in, std::string& out,
                    bool plus_is_space) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+' && plus_is_space) {
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

bool parse_decimal(const std::string& text, std::int64_t max,
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

std::string percent_encode(std::string_view in) {
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

caf::expected<query_parameters> parse_query(std::string_view text) {
  query_parameters out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('&', start);
    if (end == std::string_view::npos)
      end = text.size();
    auto part = text.substr(start, end - start);
    start = end + 1;
    if (part.empty())
      continue;
    auto eq = part.find('=');
    std::string name;
    std::string value;
    if (!percent_decode(part.substr(0, eq), name, true)
        || !percent_decode(eq == std::string_view::npos ? std::string_view{}
                                                        : part.substr(eq + 1),
                           value, true))
      return caf::make_error(caf::sec::invalid_argument,
                             "The query string is not validly encoded.");
    out.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

} // namespace stagehand
