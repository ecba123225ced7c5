// Tests server/deliveries/notifier.hpp against real receivers on loopback:
// signed deliveries, retries on 5xx and 429, permanent 4xx, refused
// connections, the allowlist, many deliveries at once, settings, the retry
// schedule, and the log. Shutdown is in notifier_shutdown.cpp. Backoffs are
// milliseconds; tests wait on the outcomes themselves, never on a clock.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <future>
#include <sstream>

#include <spdlog/sinks/ostream_sink.h>

#include "core/log.hpp"
#include "server/http/delivery_errc.hpp"
#include "server/operations/notification_payload.hpp"
#include "server/deliveries/notifier.hpp"
#include "server/security/signature.hpp"
#include "tests/support/http_receiver.hpp"
#include "tests/support/notifier_harness.hpp"

using namespace stagehand;
using namespace std::chrono_literals;
using test::callback_to;
using test::fast;
using test::http_receiver;
using test::make;
using test::probe;
using test::secret;
using outcome = notifier::outcome;

namespace {

/// The request's signature verifies against `body` with the test's secret.
bool signed_ok(const http_receiver::request& req, const std::string& body) {
  auto err = verify(secret, req.header("x-stagehand-timestamp"), body,
                    req.header("x-stagehand-signature"),
                    std::chrono::system_clock::now());
  BOOST_TEST(!err, describe_delivery(err));
  return !err;
}

} // namespace

BOOST_AUTO_TEST_SUITE(server_notifier)

BOOST_AUTO_TEST_CASE(delivers_a_signed_callback) {
  http_receiver receiver;
  auto n = make(fast());
  probe p;
  auto d = callback_to(receiver.url("/done?op=1"));
  n->deliver(d, p.callback());
  auto r = p.get();
  BOOST_TEST(to_string(r.result) == "delivered");
  BOOST_TEST(r.attempts == 1u);
  BOOST_TEST(r.last_status == 200u);
  BOOST_TEST(r.error == "");
  auto requests = receiver.requests();
  BOOST_REQUIRE(requests.size() == 1u);
  BOOST_TEST(requests[0].target == "/done?op=1");
  BOOST_TEST(requests[0].body == d.body);
  BOOST_TEST(signed_ok(requests[0], d.body));
  BOOST_TEST(requests[0].header("x-stagehand-signature").rfind("sha256=", 0)
             == 0u);
  // Another secret does not verify it.
  BOOST_TEST(is(verify("wrong", requests[0].header("x-stagehand-timestamp"),
                       d.body, requests[0].header("x-stagehand-signature"),
                       std::chrono::system_clock::now()),
                delivery_errc::bad_signature));
}

BOOST_AUTO_TEST_CASE(retries_5xx_and_429_then_succeeds) {
  http_receiver receiver;
  receiver.answer({500, 429, 503});
  auto n = make(fast(5));
  probe p;
  auto d = callback_to(receiver.url());
  n->deliver(d, p.callback());
  auto r = p.get();
  BOOST_TEST(to_string(r.result) == "delivered");
  BOOST_TEST(r.attempts == 4u);
  BOOST_TEST(r.last_status == 200u);
  auto requests = receiver.requests();
  BOOST_REQUIRE(requests.size() == 4u);
  for (const auto& req : requests) {
    BOOST_TEST(req.body == d.body);
    BOOST_TEST(signed_ok(req, d.body));
  }
}

BOOST_AUTO_TEST_CASE(a_4xx_or_3xx_fails_for_good) {
  http_receiver receiver;
  receiver.answer({404, 301});
  auto n = make(fast());
  probe not_found;
  n->deliver(callback_to(receiver.url()), not_found.callback());
  auto r = not_found.get();
  BOOST_TEST(to_string(r.result) == "rejected");
  BOOST_TEST(r.attempts == 1u);
  BOOST_TEST(r.last_status == 404u);
  BOOST_TEST(r.error == "The receiver answered HTTP 404.");
  probe moved;
  n->deliver(callback_to(receiver.url()), moved.callback());
  BOOST_TEST(moved.get().last_status == 301u);
  n->shutdown();
  BOOST_TEST(receiver.requests().size() == 2u);
  BOOST_TEST(not_found.calls == 1);
  BOOST_TEST(moved.calls == 1);
}

BOOST_AUTO_TEST_CASE(gives_up_on_refused_connections_and_reports_once) {
  auto url = "http://127.0.0.1:" + std::to_string(http_receiver::unused_port())
             + "/hook";
  auto n = make(fast(3));
  probe p;
  n->deliver(callback_to(url), p.callback());
  auto r = p.get();
  BOOST_TEST(to_string(r.result) == "gave_up");
  BOOST_TEST(r.attempts == 3u);
  BOOST_TEST(r.last_status == 0u);
  BOOST_TEST(r.error
             == "Gave up after 3 attempts: POST to '" + url
                  + "' failed: connecting: Connection refused.");
  n->shutdown();
  BOOST_TEST(p.calls == 1);
}

BOOST_AUTO_TEST_CASE(gives_up_on_persistent_5xx) {
  http_receiver receiver;
  receiver.answer({500, 502, 500});
  auto n = make(fast(3));
  probe p;
  n->deliver(callback_to(receiver.url()), p.callback());
  auto r = p.get();
  BOOST_TEST(to_string(r.result) == "gave_up");
  BOOST_TEST(r.attempts == 3u);
  BOOST_TEST(r.last_status == 500u);
  BOOST_TEST(r.error
             == "Gave up after 3 attempts: the receiver answered HTTP "
                "500.");
  BOOST_TEST(receiver.requests().size() == 3u);
}

BOOST_AUTO_TEST_CASE(checks_targets_against_the_allowlist) {
  auto n = make(fast());
  // A target that slipped past submit is refused again, without a request.
  probe p;
  n->deliver(callback_to("http://10.0.0.1:8080/cb"), p.callback());
  auto r = p.get();
  BOOST_TEST(to_string(r.result) == "rejected");
  BOOST_TEST(r.attempts == 1u);
  BOOST_TEST(r.last_status == 0u);
  BOOST_TEST(r.error
             == "The URL 'http://10.0.0.1:8080/cb' is not allowed: 10.0.0.1 "
                "is not in the callback allowlist.");
}

BOOST_AUTO_TEST_CASE(many_deliveries_on_many_threads_each_end_once) {
  http_receiver receiver;
  receiver.answer(std::vector<unsigned>(30, 500));
  auto s = fast(40);
  s.threads = 4;
  auto n = make(s);
  std::vector<std::unique_ptr<probe>> probes;
  for (int i = 0; i < 40; ++i) {
    probes.push_back(std::make_unique<probe>());
    n->deliver(callback_to(receiver.url(), "op-" + std::to_string(i)),
               probes.back()->callback());
  }
  std::uint32_t attempts = 0;
  for (auto& p : probes) {
    auto r = p->get();
    BOOST_TEST(to_string(r.result) == "delivered");
    attempts += r.attempts;
  }
  n->shutdown();
  BOOST_TEST(attempts == 70u);
  BOOST_TEST(receiver.requests().size() == 70u);
  for (auto& p : probes)
    BOOST_TEST(p->calls == 1);
}

BOOST_AUTO_TEST_CASE(a_throwing_on_done_does_not_end_the_notifier) {
  http_receiver receiver;
  auto n = make(fast());
  n->deliver(callback_to(receiver.url(), "op-throws"),
             [](notifier::delivery_result) {
               throw std::runtime_error("recording failed");
             });
  probe p;
  n->deliver(callback_to(receiver.url(), "op-next"), p.callback());
  BOOST_TEST(to_string(p.get().result) == "delivered");
}

BOOST_AUTO_TEST_CASE(logs_structured_fields) {
  http_receiver receiver;
  receiver.answer({500});
  std::ostringstream out;
  auto log = std::make_shared<spdlog::logger>(
    "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  log->set_pattern("level=%l %v");
  log->set_level(spdlog::level::info);
  auto s = fast();
  s.retry.jitter = 0;
  s.retry.initial_backoff = 2ms;
  auto n = make(s, log);
  probe p;
  n->deliver(callback_to(receiver.url(), "op-log"), p.callback());
  p.get();
  n->shutdown();
  auto text = out.str();
  auto url = receiver.url();
  BOOST_TEST(text.find("level=info operation_id=op-log kind=callback url=\""
                       + url
                       + "\" attempt=1 event=retry status=500 "
                         "wait_ms=2 error=\"the receiver answered HTTP "
                         "500\"")
               != std::string::npos,
             text);
  BOOST_TEST(text.find("level=info operation_id=op-log kind=callback url=\""
                       + url
                       + "\" attempt=2 event=delivered status=200 "
                         "error=\"\"")
               != std::string::npos,
             text);
}

BOOST_AUTO_TEST_CASE(settings_are_validated) {
  auto refusal = [](notifier::settings s) {
    auto result = notifier::make(std::move(s), make_logger("off"));
    BOOST_REQUIRE(!result);
    BOOST_TEST(is(result.error(), delivery_errc::bad_setting));
    return describe_delivery(result.error());
  };
  auto s = fast();
  s.secret.clear();
  BOOST_TEST(refusal(s)
             == "The notifier setting 'secret' is not valid: it must not be "
                "empty.");
  s = fast();
  s.retry.max_attempts = 0;
  BOOST_TEST(refusal(s).find("'retry.max_attempts'") != std::string::npos);
  s = fast();
  s.retry.factor = 0.5;
  BOOST_TEST(refusal(s).find("'retry.factor'") != std::string::npos);
  s = fast();
  s.retry.jitter = 1.5;
  BOOST_TEST(refusal(s).find("'retry.jitter'") != std::string::npos);
  s = fast();
  s.retry.max_backoff = 0ms;
  BOOST_TEST(refusal(s).find("'retry.max_backoff'") != std::string::npos);
  s = fast();
  s.timeouts.response = 0ms;
  BOOST_TEST(refusal(s).find("'timeouts.response'") != std::string::npos);
  s = fast();
  s.threads = 0;
  BOOST_TEST(refusal(s).find("'threads'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(default_schedule_doubles_up_to_a_minute) {
  notifier::retry_schedule schedule;
  BOOST_TEST(schedule.max_attempts == 8u);
  auto ms = [](caf::timespan t) {
    return static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(t).count());
  };
  auto policy = schedule.policy();
  BOOST_TEST(policy.max_retries() == 7u);
  std::vector<long> waits;
  for (std::uint32_t failed = 1; failed < schedule.max_attempts + 3; ++failed)
    waits.push_back(ms(policy.delay(failed, 0.0)));
  BOOST_TEST((waits
              == std::vector<long>{1000, 2000, 4000, 8000, 16000, 32000, 60000,
                                   60000, 60000, 60000}));
  // Jitter shortens by up to its fraction, never lengthens.
  BOOST_TEST(ms(policy.delay(1, 0.999)) >= 800);
  BOOST_TEST(ms(policy.delay(1, 0.999)) < 1000);
  schedule.factor = 1e9; // saturates at the cap, does not overflow
  BOOST_TEST(ms(schedule.policy().delay(40, 0.0)) == 60000);
}

BOOST_AUTO_TEST_SUITE_END()
