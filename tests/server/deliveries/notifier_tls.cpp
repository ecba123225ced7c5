// Tests https deliveries through server/deliveries/notifier.hpp, allowlist
// and retries included, against real https receivers on loopback: a signed
// callback reaches a receiver the configured CA signed; one whose
// certificate the CA did not sign never gets the body, and the delivery's
// failure says why; a CA file that cannot be loaded stops the notifier.
#include <boost/test/unit_test.hpp>

#include "server/deliveries/notifier.hpp"
#include "server/http/delivery_errc.hpp"
#include "server/security/signature.hpp"
#include "tests/support/http_receiver.hpp"
#include "tests/support/notifier_harness.hpp"
#include "tests/support/test_pki.hpp"

using namespace stagehand;
using test::callback_to;
using test::fast;
using test::http_receiver;
using test::make;
using test::probe;
using test::test_pki;

BOOST_AUTO_TEST_SUITE(server_notifier_tls)

BOOST_AUTO_TEST_CASE(delivers_a_signed_callback_over_https) {
  test_pki pki;
  http_receiver receiver{pki.signed_by_ca()};
  auto s = fast();
  s.ca_file = pki.ca();
  auto n = make(s);
  probe p;
  // By name, as callers write it: the allowlist resolves `localhost`, and
  // the certificate must name it.
  auto d = callback_to(receiver.url_at("localhost", "/done"));
  n->deliver(d, p.callback());
  auto r = p.get();
  BOOST_TEST(to_string(r.result) == "delivered");
  BOOST_TEST(r.error == "");
  auto requests = receiver.requests();
  BOOST_REQUIRE(requests.size() == 1u);
  BOOST_TEST(requests[0].target == "/done");
  BOOST_TEST(requests[0].body == d.body);
  BOOST_TEST(requests[0].server_name == "localhost");
  BOOST_TEST(!verify(test::secret, requests[0].header("x-stagehand-timestamp"),
                     d.body, requests[0].header("x-stagehand-signature"),
                     std::chrono::system_clock::now()));
}

BOOST_AUTO_TEST_CASE(a_receiver_the_ca_did_not_sign_gets_nothing) {
  test_pki pki;
  http_receiver receiver{pki.self_signed()};
  auto s = fast(2);
  s.ca_file = pki.ca();
  auto n = make(s);
  probe p;
  auto d = callback_to(receiver.url_at("localhost", "/done"));
  n->deliver(d, p.callback());
  auto r = p.get();
  BOOST_TEST(to_string(r.result) == "gave_up");
  BOOST_TEST(r.attempts == 2u);
  BOOST_TEST(r.last_status == 0u);
  BOOST_TEST(r.error
             == "Gave up after 2 attempts: POST to '" + d.url
                  + "' failed: doing the TLS handshake: certificate verify "
                    "failed (self-signed certificate).");
  BOOST_TEST(receiver.requests().empty());
}

BOOST_AUTO_TEST_CASE(a_ca_file_that_cannot_be_loaded_stops_the_notifier) {
  auto s = fast();
  s.ca_file = "/nonexistent/stagehand-test-ca.pem";
  auto result = notifier::make(s, make_logger("off"));
  BOOST_REQUIRE(!result);
  BOOST_TEST(is(result.error(), delivery_errc::bad_ca_file));
  BOOST_TEST(describe_delivery(result.error())
             == "The CA file '/nonexistent/stagehand-test-ca.pem' cannot be "
                "loaded: No such file or directory.");
}

BOOST_AUTO_TEST_SUITE_END()
