// Tests server/http/http_connection.hpp through a real server: keep-alive, the
// size limits (413, 431), malformed requests, each answered with the JSON
// error shape, and that `serve`'s connection keys reach the connections.
#include <boost/test/unit_test.hpp>

#include <optional>
#include <string>
#include <thread>

#include "server/http/http_connection.hpp"
#include "tests/support/raw_socket.hpp"
#include "tests/support/server_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;

namespace {

std::string request_head(const std::string& extra) {
  return "POST /api/data/v9.2/sample_Echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
         "Authorization: Bearer "
         + std::string{alice_key} + "\r\nPrefer: respond-async\r\n" + extra;
}

void check_json_error(const api_response& res, unsigned status) {
  BOOST_CHECK_EQUAL(res.status, status);
  auto body = res.json();
  BOOST_CHECK(body.at("error").at("code").is_string());
  BOOST_CHECK(body.at("error").at("message").is_string());
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(server_http_connection, server_fixture)

BOOST_AUTO_TEST_CASE(one_connection_serves_many_requests) {
  start();
  auto c = client();
  for (int i = 0; i < 20; ++i) {
    auto res = c.get("/healthz");
    BOOST_CHECK_EQUAL(res.status, 200u);
    BOOST_CHECK_NE(res.header("connection"), "close");
  }
}

BOOST_AUTO_TEST_CASE(a_body_over_1_mib_is_413_and_stores_nothing) {
  start();
  auto c = client();
  std::string big(http_connection::body_limit + 1, 'x');
  auto res = c.raw(request_head("Content-Length: " + std::to_string(big.size())
                                + "\r\n\r\n" + big));
  check_json_error(res, 413);
  // Exactly the limit is fine (and then not JSON, so 400).
  std::string edge(http_connection::body_limit, ' ');
  edge.front() = '{';
  edge.back() = '}';
  auto ok = c.raw(request_head("Content-Length: " + std::to_string(edge.size())
                               + "\r\n\r\n" + edge));
  BOOST_CHECK_EQUAL(ok.status, 202u);
  BOOST_CHECK_EQUAL(stored_count(), 1u);
}

BOOST_AUTO_TEST_CASE(a_header_over_8_kib_is_431) {
  start();
  auto c = client();
  std::string long_value(http_connection::header_limit, 'a');
  auto res = c.raw(request_head("X-Long: " + long_value
                                + "\r\nContent-Length: 2\r\n\r\n{}"));
  check_json_error(res, 431);
  BOOST_CHECK_EQUAL(stored_count(), 0u);
}

BOOST_AUTO_TEST_CASE(garbage_is_400) {
  start();
  auto c = client();
  check_json_error(c.raw("NOT HTTP AT ALL\r\n\r\n"), 400);
}

BOOST_AUTO_TEST_CASE(an_out_of_range_content_length_is_400) {
  start();
  auto c = client();
  auto res = c.raw(request_head("Content-Length: 99999999999999999999\r\n\r\n{}"));
  check_json_error(res, 400);
  BOOST_CHECK_NE(res.json().at("error").at("message").get<std::string>().find(
                   "Content-Length"),
                 std::string::npos);
  BOOST_CHECK_EQUAL(stored_count(), 0u);
}

BOOST_AUTO_TEST_CASE(the_connection_keys_reach_the_connections) {
  using namespace std::chrono_literals;
  start([](serve_config& cfg) {
    cfg.http.max_connections = 1;
    cfg.http.header_timeout = 200ms;
  });
  // A silent connection is closed, unanswered, after the header timeout.
  auto began = std::chrono::steady_clock::now();
  {
    test::raw_socket silent{server->port()};
    BOOST_REQUIRE(silent.closed_within(3s));
    BOOST_CHECK_EQUAL(silent.unread(), 0u);
  }
  BOOST_CHECK(std::chrono::steady_clock::now() - began >= 190ms);
  // Once its place is free, one connection is served and the next refused.
  auto until = std::chrono::steady_clock::now() + 5s;
  std::optional<test::raw_socket> held;
  for (;;) {
    held.emplace(server->port());
    BOOST_REQUIRE(held->send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
    if (held->read_response().result_int() == 200)
      break;
    BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < until,
                          "the closed connection kept its place");
    std::this_thread::sleep_for(10ms);
  }
  auto refused = client().get("/healthz");
  BOOST_CHECK_EQUAL(refused.status, 503u);
  BOOST_CHECK_EQUAL(refused.json().at("error").at("code"),
                    "ServiceUnavailable");
}

BOOST_AUTO_TEST_SUITE_END()
