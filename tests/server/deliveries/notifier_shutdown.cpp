// Tests server/deliveries/notifier.hpp against real receivers on loopback:
// a shutdown that is prompt and reports every delivery not yet done exactly
// once, keeping what its failed attempts learned. Retries wait an hour, so
// that a failed delivery stays queued until the test shuts the notifier down.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <future>
#include <string>

#include "server/deliveries/notifier.hpp"
#include "tests/support/http_receiver.hpp"
#include "tests/support/notifier_harness.hpp"

using namespace stagehand;
using namespace std::chrono_literals;
using test::callback_to;
using test::fast;
using test::http_receiver;
using test::make;
using test::probe;

namespace {

/// Settings whose retries wait an hour, so that a failed delivery stays
/// queued until the test shuts the notifier down.
notifier::settings slow() {
  auto s = fast(8);
  s.retry.initial_backoff = 1h;
  s.retry.max_backoff = 1h;
  s.threads = 1;
  return s;
}

} // namespace

BOOST_AUTO_TEST_SUITE(server_notifier)

BOOST_AUTO_TEST_CASE(shutdown_is_prompt_and_reports_pending_deliveries_once) {
  http_receiver flaky;
  flaky.answer({500});
  http_receiver hanging;
  hanging.answer({http_receiver::no_answer});
  auto n = make(slow());
  // Fails once and waits an hour to retry.
  probe waiting;
  n->deliver(callback_to(flaky.url(), "op-waiting"), waiting.callback());
  // With one thread, this one's success means the first is in its wait.
  probe done;
  n->deliver(callback_to(flaky.url(), "op-done"), done.callback());
  BOOST_TEST(to_string(done.get().result) == "delivered");
  // Holds the thread in a request that the receiver never answers...
  probe in_flight;
  n->deliver(callback_to(hanging.url(), "op-in-flight"), in_flight.callback());
  BOOST_REQUIRE(hanging.wait_for_requests(1));
  // ...so this one never starts.
  probe queued;
  n->deliver(callback_to(flaky.url(), "op-queued"), queued.callback());
  auto start = std::chrono::steady_clock::now();
  n->shutdown();
  BOOST_TEST(std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now() - start)
               .count()
             < 10000);
  for (auto* p : {&waiting, &in_flight, &queued}) {
    BOOST_REQUIRE(p->future.wait_for(0s) == std::future_status::ready);
    auto r = p->future.get();
    BOOST_TEST(to_string(r.result) == "shutdown");
    BOOST_TEST(r.error.find("server shutdown") != std::string::npos);
    BOOST_TEST(p->calls == 1);
  }
  BOOST_TEST(done.calls == 1);
  // A delivery after shutdown is reported at once, not dropped.
  probe late;
  n->deliver(callback_to(flaky.url(), "op-late"), late.callback());
  auto r = late.get();
  BOOST_TEST(to_string(r.result) == "shutdown");
  BOOST_TEST(r.attempts == 0u);
  BOOST_TEST(r.error == "Not delivered after 0 attempts: server shutdown.");
  n->shutdown();
  BOOST_TEST(late.calls == 1);
  BOOST_TEST(flaky.requests().size() == 2u);
}

BOOST_AUTO_TEST_CASE(shutdown_keeps_what_the_failed_attempts_learned) {
  http_receiver flaky;
  flaky.answer({503});
  probe p;
  {
    auto n = make(slow());
    n->deliver(callback_to(flaky.url(), "op-1"), p.callback());
    probe done;
    n->deliver(callback_to(flaky.url(), "op-2"), done.callback());
    done.get();
  } // the destructor shuts down
  BOOST_REQUIRE(p.future.wait_for(0s) == std::future_status::ready);
  auto r = p.future.get();
  BOOST_TEST(to_string(r.result) == "shutdown");
  BOOST_TEST(r.attempts == 1u);
  BOOST_TEST(r.last_status == 503u);
  BOOST_TEST(r.error == "Not delivered after 1 attempt: server shutdown.");
}

BOOST_AUTO_TEST_CASE(a_cancelled_last_attempt_is_a_shutdown_not_a_failure) {
  http_receiver hanging;
  hanging.answer({http_receiver::no_answer});
  auto s = slow();
  s.retry.max_attempts = 1;
  auto n = make(s);
  probe p;
  n->deliver(callback_to(hanging.url()), p.callback());
  BOOST_REQUIRE(hanging.wait_for_requests(1));
  n->shutdown();
  auto r = p.get();
  BOOST_TEST(to_string(r.result) == "shutdown");
  BOOST_TEST(r.attempts == 1u);
  BOOST_TEST(r.error == "Not delivered after 1 attempt: server shutdown.");
}
BOOST_AUTO_TEST_SUITE_END()
