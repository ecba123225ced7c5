#pragma once

#include <cstdint>
#include <string>

#include <caf/expected.hpp>

namespace stagehand {

/// A callback or webhook target, `http://host[:port][/path][?query]`, split
/// into what a client needs to connect and to write its request line. The
/// text comes from API callers, so parsing is strict: anything that two
/// parsers could read differently (user info, control characters, a zone
/// index) is refused with an error that names it rather than guessed at.
struct url {
  /// Always "http". Deliveries do not speak TLS yet, and sending a body meant
  /// for an https URL in clear text would be worse than refusing it, so
  /// `parse` refuses https with an error that says so.
  std::string scheme;

  /// Lower case; an IPv6 literal without its brackets.
  std::string host;

  std::uint16_t port = 80;

  /// Path and query, at least "/": the target of the request line.
  std::string target;

  /// Fails with `delivery_errc::bad_url`, naming the problem.
  static caf::expected<url> parse(const std::string& text);

  /// "host:port" for the Host header, with brackets around an IPv6 literal.
  std::string authority() const;

  /// The URL in its normal form: scheme, authority with the port, target.
  std::string str() const;
};

} // namespace stagehand
