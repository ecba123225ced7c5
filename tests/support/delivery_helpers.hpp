#pragma once

// What the http client's suites, plain and TLS, both need: the loopback
// address, a URL that must parse, and a delivery's outcome as text.

#include <string>

#include <boost/asio/ip/address.hpp>
#include <boost/test/unit_test.hpp>
#include <caf/expected.hpp>

#include "server/http/delivery_errc.hpp"
#include "server/http/url.hpp"

namespace stagehand::test {

inline boost::asio::ip::address loopback() {
  return boost::asio::ip::make_address("127.0.0.1");
}

inline url parse(const std::string& text) {
  auto result = url::parse(text);
  BOOST_REQUIRE(result);
  return *result;
}

/// "HTTP <status>", or the delivery error's text.
inline std::string describe(const caf::expected<unsigned>& result) {
  return result ? "HTTP " + std::to_string(*result)
                : describe_delivery(result.error());
}

} // namespace stagehand::test
