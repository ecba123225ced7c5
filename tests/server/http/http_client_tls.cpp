// Tests https in server/http/http_client.hpp and client_tls.hpp against real
// https receivers on loopback, with certificates that support/test_pki.hpp
// makes with the `openssl` command: delivery to a receiver the test CA
// signed, with SNI; refusal of a self-signed certificate, of one for another
// host and of the test CA without `callback-ca-file`, each naming the cause;
// the handshake's deadline and its cancellation; and CA files that cannot
// be loaded.
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <future>

#include <boost/asio/ssl/context.hpp>

#include "server/http/client_tls.hpp"
#include "server/http/delivery_errc.hpp"
#include "server/http/http_client.hpp"
#include "tests/support/deadline.hpp"
#include "tests/support/delivery_helpers.hpp"
#include "tests/support/http_receiver.hpp"
#include "tests/support/test_pki.hpp"

using namespace stagehand;
using namespace std::chrono_literals;
using test::describe;
using test::http_receiver;
using test::loopback;
using test::parse;
using test::test_pki;

namespace asio = boost::asio;

namespace {

std::shared_ptr<asio::ssl::context> trusting(const std::string& ca_file) {
  auto tls = make_client_tls(ca_file);
  BOOST_REQUIRE_MESSAGE(tls, (tls ? "" : describe_delivery(tls.error())));
  return *tls;
}

/// POSTs `{"a":1}` to `text` at 127.0.0.1 with a client that trusts
/// `ca_file` besides the system's store.
std::string post(const std::string& text, const std::string& ca_file) {
  http_client client{{}, trusting(ca_file)};
  return describe(client.post(parse(text), {loopback()}, R"({"a":1})", {}));
}

std::string refused(const std::string& text, const std::string& why) {
  return "POST to '" + text + "' failed: doing the TLS handshake: " + why + ".";
}

/// A loopback port that accepts TCP connections (the kernel completes them
/// in the backlog) and never says a word: a TLS handshake there hangs.
struct silent_listener {
  asio::io_context ioc;
  asio::ip::tcp::acceptor acceptor{ioc, {loopback(), 0}};

  std::string url() const {
    return "https://localhost:"
           + std::to_string(acceptor.local_endpoint().port()) + "/hook";
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(server_http_client_tls)

BOOST_AUTO_TEST_CASE(delivers_to_a_receiver_the_test_ca_signed) {
  test_pki pki;
  http_receiver receiver{pki.signed_by_ca()};
  auto text = receiver.url_at("localhost", "/hook?x=1");
  BOOST_TEST(post(text, pki.ca()) == "HTTP 200");
  auto requests = receiver.requests();
  BOOST_REQUIRE(requests.size() == 1u);
  BOOST_TEST(requests[0].target == "/hook?x=1");
  BOOST_TEST(requests[0].body == R"({"a":1})");
  BOOST_TEST(requests[0].server_name == "localhost");
  BOOST_TEST(requests[0].header("host")
             == "localhost:" + std::to_string(receiver.port()));
}

BOOST_AUTO_TEST_CASE(
  an_address_is_checked_against_the_certificate_without_sni) {
  test_pki pki;
  http_receiver receiver{pki.signed_by_ca()};
  BOOST_TEST(post(receiver.url(), pki.ca()) == "HTTP 200");
  auto requests = receiver.requests();
  BOOST_REQUIRE(requests.size() == 1u);
  BOOST_TEST(requests[0].server_name == "");
}

BOOST_AUTO_TEST_CASE(a_certificate_the_ca_did_not_sign_is_refused) {
  test_pki pki;
  http_receiver receiver{pki.self_signed()};
  auto text = receiver.url_at("localhost");
  auto result = [&] {
    http_client client{{}, trusting(pki.ca())};
    return client.post(parse(text), {loopback()}, "{}", {});
  }();
  BOOST_REQUIRE(!result);
  BOOST_TEST(is(result.error(), delivery_errc::http_failed));
  BOOST_TEST(describe(result)
             == refused(text, "certificate verify failed (self-signed "
                              "certificate)"));
  BOOST_TEST(receiver.requests().empty());
}

BOOST_AUTO_TEST_CASE(without_the_ca_file_the_test_ca_is_not_trusted) {
  test_pki pki;
  http_receiver receiver{pki.signed_by_ca()};
  auto text = receiver.url_at("localhost");
  BOOST_TEST(post(text, "")
             == refused(text, "certificate verify failed (unable to get "
                              "local issuer certificate)"));
  BOOST_TEST(receiver.requests().empty());
}

BOOST_AUTO_TEST_CASE(a_certificate_for_another_host_is_refused) {
  test_pki pki;
  http_receiver receiver{pki.other_host()};
  auto by_name = receiver.url_at("localhost");
  BOOST_TEST(
    post(by_name, pki.ca())
    == refused(by_name, "certificate verify failed (hostname mismatch)"));
  BOOST_TEST(post(receiver.url(), pki.ca())
             == refused(receiver.url(),
                        "certificate verify failed (IP address mismatch)"));
  BOOST_TEST(receiver.requests().empty());
}

BOOST_AUTO_TEST_CASE(a_handshake_that_never_ends_times_out) {
  test_pki pki;
  silent_listener silent;
  http_client client{{5s, 200ms}, trusting(pki.ca())};
  auto status = client.post(parse(silent.url()), {loopback()}, "{}", {});
  BOOST_TEST(describe(status)
             == "POST to '" + silent.url()
                  + "' failed: no answer within 200 ms while doing the TLS "
                    "handshake.");
}

BOOST_AUTO_TEST_CASE(cancel_ends_a_waiting_handshake_at_once) {
  test_pki pki;
  silent_listener silent;
  http_client client{{20s, 20s}, trusting(pki.ca())};
  auto start = std::chrono::steady_clock::now();
  auto pending = std::async(std::launch::async, [&] {
    return client.post(parse(silent.url()), {loopback()}, "{}", {});
  });
  // Accepted, the client has sent its hello and waits for the answer.
  asio::ip::tcp::socket peer{silent.ioc};
  bool accepted = false;
  silent.acceptor.async_accept(peer, [&](boost::system::error_code ec) {
    accepted = !ec;
  });
  silent.ioc.run_for(test::wait_limit);
  BOOST_REQUIRE_MESSAGE(accepted, "the client did not connect");
  client.cancel();
  auto status = test::get_within(std::move(pending), "the cancelled post");
  BOOST_REQUIRE(!status);
  BOOST_TEST(is(status.error(), delivery_errc::cancelled));
  BOOST_TEST(std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now() - start)
               .count()
             < 10000);
}

BOOST_AUTO_TEST_CASE(a_ca_file_that_cannot_be_loaded_is_refused_by_name) {
  test_pki pki;
  auto missing = pki.ca() + ".missing";
  auto result = make_client_tls(missing);
  BOOST_REQUIRE(!result);
  BOOST_TEST(is(result.error(), delivery_errc::bad_ca_file));
  BOOST_TEST(describe_delivery(result.error())
             == "The CA file '" + missing
                  + "' cannot be loaded: No such file or directory.");
  BOOST_TEST(ca_file_problem(missing) == "No such file or directory");
  auto junk = pki.ca() + ".junk";
  std::ofstream{junk} << "not a certificate\n";
  BOOST_TEST(ca_file_problem(junk) != "");
  BOOST_TEST(!make_client_tls(junk));
  BOOST_TEST(ca_file_problem(pki.ca()) == "");
}

BOOST_AUTO_TEST_SUITE_END()
