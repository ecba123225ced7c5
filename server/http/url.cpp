#include "server/http/url.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

#include <boost/asio/ip/address_v6.hpp>
#include <caf/make_message.hpp>

#include "server/http/delivery_errc.hpp"

namespace stagehand {

namespace {

/// Longer URLs are refused: no callback needs more, and the limit bounds
/// what one caller can make the server store and log.
constexpr std::size_t max_length = 2048;

caf::error bad(const std::string& text, std::string why) {
  return make_error(delivery_errc::bad_url,
                    caf::make_message(text, std::move(why)));
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return s;
}

/// Letters, digits and hyphens in non-empty dot-separated labels. Percent
/// escapes and other characters that resolvers treat differently are out.
bool valid_host_name(const std::string& host) {
  if (host.empty() || host.size() > 253)
    return false;
  std::size_t label = 0;
  for (char c : host) {
    if (c == '.') {
      if (label == 0)
        return false;
      label = 0;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '-') {
      if (++label > 63)
        return false;
    } else {
      return false;
    }
  }
  return label > 0;
}

} // namespace

caf::expected<url> url::parse(const std::string& text) {
  if (text.empty())
    return bad(text, "it is empty");
  if (text.size() > max_length)
    return bad(text.substr(0, 64) + "...", "it is longer than "
                                             + std::to_string(max_length)
                                             + " characters");
  // Also keeps CR and LF out of the request line, and quotes out of logs.
  for (unsigned char c : text)
    if (c <= 0x20 || c >= 0x7f
        || std::string_view{"\"<>\\^`{|}"}.find(static_cast<char>(c))
             != std::string_view::npos)
      return bad(text, "it contains a space, a control character or another "
                       "character that must be percent-encoded");
  auto sep = text.find("://");
  if (sep == std::string::npos)
    return bad(text, "it must start with http:// or https://");
  url result;
  result.scheme = lower(text.substr(0, sep));
  if (result.scheme != "http" && result.scheme != "https")
    return bad(text, "the scheme must be http or https");
  if (result.secure())
    result.port = 443;
  auto rest = text.substr(sep + 3);
  if (rest.find('#') != std::string::npos)
    return bad(text, "a fragment (#...) is not allowed");
  auto authority_end = rest.find_first_of("/?");
  auto authority = rest.substr(0, authority_end);
  if (authority_end != std::string::npos)
    result.target = rest.substr(authority_end);
  if (result.target.empty() || result.target.front() != '/')
    result.target.insert(0, "/");
  if (authority.find('@') != std::string::npos)
    return bad(text, "user info (name@host) is not allowed");
  std::string port;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string::npos)
      return bad(text, "the IPv6 address has no closing ]");
    result.host = lower(authority.substr(1, close - 1));
    boost::system::error_code ec;
    boost::asio::ip::make_address_v6(result.host, ec);
    if (ec || result.host.find('%') != std::string::npos)
      return bad(text, "'" + result.host + "' is not a valid IPv6 address");
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':')
        return bad(text, "unexpected text after the IPv6 address");
      port = after.substr(1);
      if (port.empty())
        return bad(text, "the port is empty");
    }
  } else {
    auto colon = authority.find(':');
    result.host = lower(authority.substr(0, colon));
    if (result.host.empty())
      return bad(text, "the host is missing");
    if (!valid_host_name(result.host))
      return bad(text, "'" + result.host + "' is not a valid host name");
    if (colon != std::string::npos) {
      port = authority.substr(colon + 1);
      if (port.empty())
        return bad(text, "the port is empty");
    }
  }
  if (!port.empty()) {
    bool digits = port.size() <= 5
                  && std::all_of(port.begin(), port.end(), [](unsigned char c) {
                       return std::isdigit(c);
                     });
    auto value = digits ? std::stoul(port) : 0ul;
    if (value < 1 || value > 65535)
      return bad(text,
                 "the port '" + port + "' is not a number from 1 to 65535");
    result.port = static_cast<std::uint16_t>(value);
  }
  return result;
}

bool url::secure() const {
  return scheme == "https";
}

std::string url::authority() const {
  auto name = host.find(':') == std::string::npos ? host : "[" + host + "]";
  return name + ":" + std::to_string(port);
}

std::string url::str() const {
  return scheme + "://" + authority() + target;
}

} // namespace stagehand
