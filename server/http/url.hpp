#pragma once

#include <cstdint>
#include <string>

#include <caf/expected.hpp>

namespace stagehand {

/// A callback or webhook target, `http[s]://host[:port][/path][?query]`, split
/// into what a client needs to connect and to write its request line. The
/// text comes from API callers, so parsing is strict: anything that two
/// parsers could read differently (user info, control characters, a zone
/// index) is refused with an error that names it rather than guessed at.
struct url {
  /// "http" or "https", in lower case. Nothing else: a delivery is a POST,
  /// and an https URL is never sent in clear text.
  std::string scheme;

  /// Lower case; an IPv6 literal without its brackets.
  std::string host;

  /// 80 for http and 443 for https unless the URL names one.
  std::uint16_t port = 80;

  /// Path and query, at least "/": the target of the request line.
  std::string target;

  /// Fails with `delivery_errc::bad_url`, naming the problem.
  static caf::expected<url> parse(const std::string& text);

  /// Whether the delivery goes over TLS: the scheme is https.
  bool secure() const;

  /// "host:port" for the Host header, with brackets around an IPv6 literal.
  std::string authority() const;

  /// The URL in its normal form: scheme, authority with the port, target.
  std::string str() const;
};

} // namespace stagehand
