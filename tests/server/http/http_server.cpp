// Tests server/http/http_server.hpp and the connection limits it enforces, over
// real loopback sockets, with a handler that answers every request 200: the
// connection cap (503), the header timeout (slow-loris), the idle keep-alive
// wait that the header timeout must not cut short, malformed Content-Length
// values, and the latency of rejected requests. The backoff after a failed
// accept is in http_server_accept.cpp.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <thread>

#include <nlohmann/json.hpp>

#include "server/http/http_server.hpp"
#include "tests/support/http_server_fixture.hpp"
#include "tests/support/raw_socket.hpp"

using namespace stagehand;
using namespace std::chrono_literals;
using test::get_request;
using test::raw_socket;
using test::server_with_limits;
using clock_type = std::chrono::steady_clock;

namespace {

http_server::limits with_header_timeout(std::chrono::milliseconds t) {
  http_server::limits lim;
  lim.connection.header_timeout = t;
  return lim;
}

std::string error_message(const raw_socket::response& res) {
  return nlohmann::json::parse(res.body()).at("error").at("message");
}

/// The `stagehand_http_request_duration_seconds_sum` of `route`.
double latency_sum(const std::string& metrics, const std::string& route) {
  auto key = "stagehand_http_request_duration_seconds_sum{route=\"" + route
             + "\"} ";
  auto at = metrics.find(key);
  BOOST_REQUIRE_MESSAGE(at != std::string::npos, "no " << key << metrics);
  return std::stod(metrics.substr(at + key.size()));
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(server_http_server, server_with_limits)

// -- the connection cap -------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_connection_over_the_cap_gets_503_and_is_closed) {
  http_server::limits lim;
  lim.max_connections = 2;
  start(lim);
  // Two connections, each served once and kept alive: both are counted.
  raw_socket first{port()};
  raw_socket second{port()};
  for (auto* s : {&first, &second}) {
    BOOST_REQUIRE(s->send(get_request));
    BOOST_CHECK_EQUAL(s->read_response().result_int(), 200u);
  }
  raw_socket third{port()};
  BOOST_REQUIRE(third.send(get_request));
  auto res = third.read_response();
  BOOST_CHECK_EQUAL(res.result_int(), 503u);
  BOOST_CHECK(!res.keep_alive());
  BOOST_CHECK_EQUAL(res[boost::beast::http::field::connection], "close");
  BOOST_CHECK_NE(error_message(res).find("http-max-connections"),
                 std::string::npos);
  BOOST_CHECK(third.closed_within(3s));
  BOOST_CHECK_EQUAL(handler.requests, 2);
  BOOST_CHECK_NE(metrics_text().find(
                   "stagehand_http_connections_refused_total 1\n"),
                 std::string::npos);
  // A closed connection frees its place.
  first.close();
  auto until = clock_type::now() + 5s;
  for (;;) {
    raw_socket next{port()};
    BOOST_REQUIRE(next.send(get_request));
    if (next.read_response().result_int() == 200)
      break;
    BOOST_REQUIRE_MESSAGE(clock_type::now() < until,
                          "a closed connection never freed its place");
    std::this_thread::sleep_for(10ms);
  }
  BOOST_CHECK(second.send(get_request));
  BOOST_CHECK_EQUAL(second.read_response().result_int(), 200u);
}

BOOST_AUTO_TEST_CASE(refusals_are_capped_too) {
  http_server::limits lim;
  lim.max_connections = 1;
  start(lim);
  raw_socket served{port()};
  BOOST_REQUIRE(served.send(get_request));
  BOOST_CHECK_EQUAL(served.read_response().result_int(), 200u);
  // Answered 503, then held open by the client: the one refusal in flight.
  raw_socket refused{port()};
  BOOST_CHECK_EQUAL(refused.read_response().result_int(), 503u);
  raw_socket dropped{port()};
  BOOST_CHECK(dropped.closed_within(3s));
  BOOST_CHECK_EQUAL(dropped.unread(), 0u);
  BOOST_CHECK_NE(metrics_text().find(
                   "stagehand_http_connections_refused_total 2\n"),
                 std::string::npos);
  // The held refusal ends after its drain timeout, and frees its place.
  auto until = clock_type::now() + http_connection::refused_drain_timeout + 5s;
  for (;;) {
    raw_socket next{port()};
    if (!next.closed_within(100ms) || next.unread() > 0) {
      BOOST_CHECK_EQUAL(next.read_response().result_int(), 503u);
      break;
    }
    BOOST_REQUIRE_MESSAGE(clock_type::now() < until,
                          "a held refusal never freed its place");
  }
}

// -- the header timeout -------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_header_dribbled_past_the_timeout_closes_the_connection) {
  start(with_header_timeout(300ms));
  raw_socket loris{port()};
  auto began = clock_type::now();
  BOOST_REQUIRE(loris.send("GET /x HTTP/1.1\r\nHost: t\r\nX-Slow: "));
  bool closed = false;
  while (!closed && clock_type::now() - began < 5s) {
    loris.send("a");
    closed = loris.closed_within(50ms);
  }
  auto after = clock_type::now() - began;
  BOOST_REQUIRE_MESSAGE(closed, "a dribbling client kept its connection 5 s");
  BOOST_CHECK_MESSAGE(after >= 290ms, "closed too early");
  BOOST_CHECK_MESSAGE(after < 2s, "closed too late");
  BOOST_CHECK_EQUAL(handler.requests, 0);
}

BOOST_AUTO_TEST_CASE(a_connection_that_sends_nothing_is_closed) {
  start(with_header_timeout(200ms));
  raw_socket silent{port()};
  BOOST_CHECK(silent.closed_within(3s));
}

BOOST_AUTO_TEST_CASE(a_slow_header_within_the_timeout_is_served) {
  start(with_header_timeout(2s));
  raw_socket slow{port()};
  for (char c : get_request) {
    BOOST_REQUIRE(slow.send(std::string(1, c)));
    std::this_thread::sleep_for(1ms);
  }
  BOOST_CHECK_EQUAL(slow.read_response().result_int(), 200u);
}

BOOST_AUTO_TEST_CASE(idle_keep_alive_time_does_not_count_against_the_header) {
  start(with_header_timeout(200ms));
  raw_socket client{port()};
  BOOST_REQUIRE(client.send(get_request));
  BOOST_CHECK_EQUAL(client.read_response().result_int(), 200u);
  // Idle for twice the header timeout: the idle timeout (60 s) applies.
  BOOST_CHECK(!client.closed_within(400ms));
  // The next header's clock starts at its first byte, so a header in two
  // parts, 50 ms apart, is in time.
  BOOST_REQUIRE(client.send(get_request.substr(0, 10)));
  std::this_thread::sleep_for(50ms);
  BOOST_REQUIRE(client.send(get_request.substr(10)));
  BOOST_CHECK_EQUAL(client.read_response().result_int(), 200u);
  BOOST_CHECK_EQUAL(handler.requests, 2);
}

// -- bad Content-Length -------------------------------------------------------

BOOST_AUTO_TEST_CASE(an_out_of_range_content_length_is_400_naming_it) {
  start({});
  for (std::string length :
       {"Content-Length: 99999999999999999999\r\n", "Content-Length: -1\r\n",
        "Content-Length: 5\r\nContent-Length: 6\r\n",
        "Content-Length: 5, 6\r\n", "Content-Length: 1e3\r\n"}) {
    BOOST_TEST_CONTEXT(length) {
      raw_socket s{port()};
      BOOST_REQUIRE(s.send("POST /x HTTP/1.1\r\nHost: t\r\n" + length
                           + "\r\nhello"));
      auto res = s.read_response();
      BOOST_CHECK_EQUAL(res.result_int(), 400u);
      auto body = nlohmann::json::parse(res.body());
      BOOST_CHECK_EQUAL(body.at("error").at("code"), "BadRequest");
      BOOST_CHECK_NE(error_message(res).find("Content-Length"),
                     std::string::npos);
    }
  }
  BOOST_CHECK_EQUAL(handler.requests, 0);
}

BOOST_AUTO_TEST_CASE(a_rejected_request_s_latency_runs_from_its_first_byte) {
  start({});
  auto before_connect = clock_type::now();
  raw_socket s{port()};
  auto before_first = clock_type::now();
  BOOST_REQUIRE(s.send("POST /x HTTP/1.1\r\nHost: t\r\n"));
  std::this_thread::sleep_for(200ms); // the pause under test, not a wait
  auto before_second = clock_type::now();
  BOOST_REQUIRE(s.send("Content-Length: -1\r\n\r\n"));
  BOOST_CHECK_EQUAL(s.read_response().result_int(), 400u);
  auto seconds = latency_sum(metrics_text(), "other");
  auto fetched = clock_type::now();
  auto in_s = [](auto d) {
    return std::chrono::duration<double>(d).count();
  };
  // Certain: the server measured inside the connection's life before the
  // metrics were served. (Client-side "sent to answered" is not: the server
  // may stop its clock after its write, once the client already has the
  // answer; 0.2008 > 0.2005 was seen.)
  BOOST_CHECK_LE(seconds, in_s(fetched - before_connect));
  // Not certain: how late the server reads the first part. On time, the
  // latency spans the pause; from the complete header, as a wrong server
  // would measure, it is about 0. Half the pause tells them apart and gives
  // the server's read 100 ms of scheduling delay; a bound of the whole pause
  // failed (0.148 < 0.15) when that read came 2 ms after the send.
  BOOST_CHECK_GE(seconds, in_s(before_second - before_first) / 2);
}
BOOST_AUTO_TEST_SUITE_END()
