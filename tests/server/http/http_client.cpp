// Tests server/http/http_client.hpp against a real receiver on loopback: the
// request it writes, statuses, refused connections, the response timeout,
// falling through to the next address, and cancellation from another thread.
#include <boost/test/unit_test.hpp>

#include <future>

#include "server/http/client_tls.hpp"
#include "server/http/delivery_errc.hpp"
#include "server/http/http_client.hpp"
#include "tests/support/delivery_helpers.hpp"
#include "tests/support/http_receiver.hpp"

using namespace stagehand;
using namespace std::chrono_literals;
using test::describe;
using test::http_receiver;
using test::loopback;
using test::parse;

namespace {

/// The context of a client that meets no https URL here.
std::shared_ptr<boost::asio::ssl::context> system_tls() {
  auto tls = make_client_tls("");
  BOOST_REQUIRE(tls);
  return *tls;
}

} // namespace

BOOST_AUTO_TEST_SUITE(server_http_client)

BOOST_AUTO_TEST_CASE(posts_the_body_with_its_headers) {
  http_receiver receiver;
  http_client client{{}, system_tls()};
  auto status = client.post(parse(receiver.url("/hook?x=1")), {loopback()},
                            R"({"a":1})", {{"X-Test", "yes"}});
  BOOST_TEST(describe(status) == "HTTP 200");
  auto requests = receiver.requests();
  BOOST_REQUIRE(requests.size() == 1u);
  const auto& req = requests[0];
  BOOST_TEST(req.method == "POST");
  BOOST_TEST(req.target == "/hook?x=1");
  BOOST_TEST(req.body == R"({"a":1})");
  BOOST_TEST(req.header("content-type") == "application/json");
  BOOST_TEST(req.header("content-length") == "7");
  BOOST_TEST(req.header("host")
             == "127.0.0.1:" + std::to_string(receiver.port()));
  BOOST_TEST(req.header("x-test") == "yes");
}

BOOST_AUTO_TEST_CASE(returns_whatever_status_the_receiver_answers) {
  http_receiver receiver;
  receiver.answer({503, 404, 302});
  http_client client{{}, system_tls()};
  auto target = parse(receiver.url());
  BOOST_TEST(describe(client.post(target, {loopback()}, "{}", {}))
             == "HTTP 503");
  BOOST_TEST(describe(client.post(target, {loopback()}, "{}", {}))
             == "HTTP 404");
  BOOST_TEST(describe(client.post(target, {loopback()}, "{}", {}))
             == "HTTP 302");
  BOOST_TEST(describe(client.post(target, {loopback()}, "{}", {}))
             == "HTTP 200");
}

BOOST_AUTO_TEST_CASE(a_refused_connection_is_an_error_value) {
  http_client client{{}, system_tls()};
  auto text = "http://127.0.0.1:" + std::to_string(http_receiver::unused_port())
              + "/hook";
  auto status = client.post(parse(text), {loopback()}, "{}", {});
  BOOST_REQUIRE(!status);
  BOOST_TEST(is(status.error(), delivery_errc::http_failed));
  BOOST_TEST(describe(status)
             == "POST to '" + text
                  + "' failed: connecting: Connection refused.");
}

BOOST_AUTO_TEST_CASE(a_receiver_that_never_answers_times_out) {
  http_receiver receiver;
  receiver.answer({http_receiver::no_answer});
  http_client client{{5s, 200ms}, system_tls()};
  auto status = client.post(parse(receiver.url()), {loopback()}, "{}", {});
  BOOST_TEST(describe(status)
             == "POST to '" + receiver.url()
                  + "' failed: no answer within 200 ms while waiting for the "
                    "response.");
  BOOST_TEST(receiver.requests().size() == 1u);
}

BOOST_AUTO_TEST_CASE(tries_the_next_address_when_one_refuses) {
  http_receiver receiver; // listens on 127.0.0.1 only
  http_client client{{}, system_tls()};
  auto status = client.post(
    parse(receiver.url()),
    {boost::asio::ip::make_address("127.0.0.2"), loopback()}, "{}", {});
  BOOST_TEST(describe(status) == "HTTP 200");
}

BOOST_AUTO_TEST_CASE(cancel_ends_a_waiting_post_at_once) {
  http_receiver receiver;
  receiver.answer({http_receiver::no_answer});
  http_client client{{20s, 20s}, system_tls()};
  auto target = parse(receiver.url());
  auto start = std::chrono::steady_clock::now();
  auto pending = std::async(std::launch::async, [&] {
    return client.post(target, {loopback()}, "{}", {});
  });
  BOOST_REQUIRE(receiver.wait_for_requests(1));
  client.cancel();
  BOOST_REQUIRE(pending.wait_for(10s) == std::future_status::ready);
  auto status = pending.get();
  BOOST_REQUIRE(!status);
  BOOST_TEST(is(status.error(), delivery_errc::cancelled));
  BOOST_TEST(describe(status)
             == "POST to '" + receiver.url()
                  + "' was cancelled: server shutdown.");
  BOOST_TEST(std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now() - start)
               .count()
             < 10000);
  // A cancelled client stays cancelled and sends nothing more.
  BOOST_TEST(is(client.post(target, {loopback()}, "{}", {}).error(),
                delivery_errc::cancelled));
  BOOST_TEST(receiver.requests().size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
