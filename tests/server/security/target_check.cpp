// Tests server/security/target_check.hpp: URL checks decide at once when no
// lookup is needed, otherwise off the caller's thread within a deadline; and on
// a real server a slow lookup holds up no other request.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include "server/http/delivery_errc.hpp"
#include "server/security/target_check.hpp"
#include "tests/support/server_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;
using namespace std::chrono_literals;

namespace {

using address = target_check::address;

/// A lookup that tells the test it started and answers only when told.
struct held_lookup {
  std::mutex mtx;
  std::promise<void> started;
  std::optional<target_check::lookup_done> done;

  target_check::lookup fn() {
    return [this](boost::asio::io_context&, const std::string&,
                  target_check::lookup_done d) {
      std::lock_guard<std::mutex> guard{mtx};
      done = std::move(d);
      started.set_value();
    };
  }

  void answer(std::vector<address> addresses) {
    std::lock_guard<std::mutex> guard{mtx};
    BOOST_REQUIRE(done);
    (*done)({}, std::move(addresses));
  }
};

/// A lookup that never answers.
void silent_lookup(boost::asio::io_context&, const std::string&,
                   target_check::lookup_done) {}

callback_allowlist loopback_and(const std::string& name) {
  auto list = callback_allowlist::make({"127.0.0.0/8", name});
  BOOST_REQUIRE(list);
  return std::move(*list);
}

/// Checks `url` and waits, up to 10 s, for the verdict.
caf::error verdict_of(target_check& check, const std::string& url) {
  auto p = std::make_shared<std::promise<caf::error>>();
  auto f = p->get_future();
  check.check(url, [p](caf::error err) {
    p->set_value(std::move(err));
  });
  BOOST_REQUIRE_MESSAGE(f.wait_for(10s) == std::future_status::ready,
                        "no verdict on " << url << " within 10 s");
  return f.get();
}

const std::string callback_url = "http://hooks.test:9/cb";

} // namespace

BOOST_AUTO_TEST_SUITE(server_target_check)

// -- the check on its own -----------------------------------------------------

BOOST_AUTO_TEST_CASE(without_a_lookup_the_verdict_comes_at_once) {
  target_check check{callback_allowlist{}, 10s, silent_lookup};
  auto caller = std::this_thread::get_id();
  for (auto* url : {"http://127.0.0.1:9/", "http://10.0.0.1/", "ftp://x/"}) {
    std::optional<std::thread::id> answered_on;
    caf::error verdict;
    check.check(url, [&](caf::error err) {
      answered_on = std::this_thread::get_id();
      verdict = std::move(err);
    });
    BOOST_REQUIRE_MESSAGE(answered_on, url << " was not decided at once");
    BOOST_CHECK(*answered_on == caller);
    if (std::string{url} == "http://127.0.0.1:9/")
      BOOST_CHECK(!verdict);
    else
      BOOST_CHECK(verdict);
  }
}

BOOST_AUTO_TEST_CASE(a_name_is_judged_by_the_addresses_it_resolves_to) {
  auto resolve_to = [](const char* addr) {
    return [addr](boost::asio::io_context&, const std::string&,
                  target_check::lookup_done done) {
      done({}, {boost::asio::ip::make_address(addr)});
    };
  };
  target_check inside{callback_allowlist{}, 10s, resolve_to("127.0.0.2")};
  BOOST_CHECK(!verdict_of(inside, "http://somewhere.test/"));
  target_check outside{callback_allowlist{}, 10s, resolve_to("10.1.2.3")};
  auto refused = verdict_of(outside, "http://somewhere.test/");
  BOOST_CHECK(is(refused, delivery_errc::target_refused));
  BOOST_CHECK_EQUAL(describe_delivery(refused),
                    "The URL 'http://somewhere.test/' is not allowed: "
                    "somewhere.test resolves to 10.1.2.3, which is not in the "
                    "callback allowlist.");
}

BOOST_AUTO_TEST_CASE(the_system_lookup_resolves_localhost) {
  target_check check{callback_allowlist{}};
  BOOST_CHECK(!verdict_of(check, "http://localhost:9/cb"));
}

BOOST_AUTO_TEST_CASE(a_lookup_past_its_deadline_fails_the_check) {
  target_check check{callback_allowlist{}, 50ms, silent_lookup};
  auto started = std::chrono::steady_clock::now();
  auto err = verdict_of(check, "http://slow.test/");
  BOOST_CHECK(std::chrono::steady_clock::now() - started >= 50ms);
  BOOST_CHECK(is(err, delivery_errc::unresolvable_host));
  BOOST_CHECK_EQUAL(describe_delivery(err),
                    "The host 'slow.test' of the URL 'http://slow.test/' "
                    "cannot be resolved: the lookup took longer than 50 ms.");
}

BOOST_AUTO_TEST_CASE(shutdown_answers_waiting_checks_and_later_ones) {
  target_check check{callback_allowlist{}, 10s, silent_lookup};
  auto p = std::make_shared<std::promise<caf::error>>();
  auto waiting = p->get_future();
  check.check("http://slow.test/", [p](caf::error e) {
    p->set_value(e);
  });
  check.shutdown();
  BOOST_REQUIRE_MESSAGE(waiting.wait_for(10s) == std::future_status::ready,
                        "shutdown left a check unanswered");
  BOOST_CHECK(is(waiting.get(), delivery_errc::cancelled));
  caf::error later;
  check.check("http://slow.test/", [&](caf::error e) {
    later = e;
  });
  BOOST_CHECK(is(later, delivery_errc::cancelled));
}

BOOST_AUTO_TEST_CASE(a_given_verdict_is_let_go_while_its_lookup_runs_on) {
  // The verdict holds the HTTP connection it answers; the check must not
  // keep it until the lookup returns, or until the check is destroyed.
  held_lookup lookup;
  target_check check{callback_allowlist{}, 20ms, lookup.fn()};
  auto sentinel = std::make_shared<int>(0);
  std::weak_ptr<int> watch = sentinel;
  auto p = std::make_shared<std::promise<caf::error>>();
  auto f = p->get_future();
  check.check("http://slow.test/", [p, sentinel](caf::error err) {
    p->set_value(std::move(err));
  });
  sentinel.reset();
  BOOST_REQUIRE_MESSAGE(f.wait_for(10s) == std::future_status::ready,
                        "no verdict within 10 s");
  BOOST_CHECK(is(f.get(), delivery_errc::unresolvable_host));
  auto until = std::chrono::steady_clock::now() + 10s;
  while (!watch.expired() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(1ms);
  BOOST_CHECK_MESSAGE(watch.expired(),
                      "the check still holds a verdict it has given");
  lookup.answer({});
  // The held callback holds the check's timer: let it go while the check,
  // and so its io_context, still exist.
  std::lock_guard<std::mutex> guard{lookup.mtx};
  lookup.done.reset();
}

BOOST_AUTO_TEST_CASE(lookups_past_the_cap_are_refused_at_once) {
  // Lookups that never return still count after their checks gave up.
  target_check check{callback_allowlist{}, 1ms, silent_lookup};
  for (std::size_t i = 0; i < target_check::max_lookups; ++i)
    BOOST_CHECK(is(verdict_of(check, "http://slow" + std::to_string(i)
                                       + ".test/"),
                   delivery_errc::unresolvable_host));
  caf::error refused;
  auto answered = false;
  check.check("http://slow.test/", [&](caf::error err) {
    answered = true;
    refused = std::move(err);
  });
  BOOST_REQUIRE_MESSAGE(answered, "the check past the cap was not refused "
                                  "at once");
  BOOST_CHECK(is(refused, delivery_errc::lookups_busy));
  BOOST_CHECK_EQUAL(describe_delivery(refused),
                    "The host of the URL 'http://slow.test/' cannot be looked "
                    "up now: too many lookups are in progress.");
}

BOOST_AUTO_TEST_CASE(a_returned_lookup_frees_its_place) {
  std::vector<target_check::lookup_done> held;
  std::mutex mtx;
  auto hold = [&](boost::asio::io_context&, const std::string&,
                  target_check::lookup_done d) {
    std::lock_guard<std::mutex> guard{mtx};
    held.push_back(std::move(d));
  };
  target_check check{callback_allowlist{}, 1ms, hold};
  for (std::size_t i = 0; i < target_check::max_lookups; ++i)
    verdict_of(check, "http://slow" + std::to_string(i) + ".test/");
  BOOST_CHECK(is(verdict_of(check, "http://slow-next.test/"),
                 delivery_errc::lookups_busy));
  {
    std::lock_guard<std::mutex> guard{mtx};
    BOOST_REQUIRE_EQUAL(held.size(), target_check::max_lookups);
    held.back()({}, {});
  }
  BOOST_CHECK(is(verdict_of(check, "http://slow-next.test/"),
                 delivery_errc::unresolvable_host));
  // The held callbacks hold the check's timers: let them go while the
  // check, and so its io_context, still exist.
  std::lock_guard<std::mutex> guard{mtx};
  held.clear();
}

BOOST_AUTO_TEST_CASE(checks_of_one_host_share_its_lookup) {
  held_lookup lookup;
  std::atomic<int> lookups{0};
  auto counted = [&](boost::asio::io_context& ioc, const std::string& host,
                     target_check::lookup_done d) {
    ++lookups;
    lookup.fn()(ioc, host, std::move(d));
  };
  target_check check{loopback_and("hooks.test"), 30s, counted};
  // More checks of one host than lookups may run: all wait for one.
  std::vector<std::future<caf::error>> verdicts;
  for (std::size_t i = 0; i < target_check::max_lookups + 10; ++i) {
    auto p = std::make_shared<std::promise<caf::error>>();
    verdicts.push_back(p->get_future());
    check.check("http://hooks.test/op?id=" + std::to_string(i),
                [p](caf::error err) { p->set_value(std::move(err)); });
  }
  BOOST_REQUIRE(lookup.started.get_future().wait_for(10s)
                == std::future_status::ready);
  lookup.answer({boost::asio::ip::make_address("127.0.0.1")});
  for (auto& v : verdicts) {
    BOOST_REQUIRE(v.wait_for(10s) == std::future_status::ready);
    auto err = v.get();
    BOOST_CHECK_MESSAGE(!err, describe_delivery(err));
  }
  BOOST_CHECK_EQUAL(lookups.load(), 1);
}

// -- on a server --------------------------------------------------------------

namespace {

/// A server with one HTTP thread whose check holds its lookup until told:
/// a blocking check would stall every other connection, and a request
/// answered after another began shows that the other asked for its checks.
struct held_lookup_server : server_fixture {
  held_lookup lookup;

  held_lookup_server() {
    make_check = [this] {
      return std::make_unique<target_check>(loopback_and("hooks.test"), 30s,
                                            lookup.fn());
    };
    start([](serve_config& cfg) {
      cfg.http.threads = 1;
    });
  }
};

} // namespace

BOOST_FIXTURE_TEST_CASE(a_slow_lookup_holds_up_no_other_request,
                        held_lookup_server) {
  auto submitted = std::async(std::launch::async, [this] {
    auto c = client();
    return c.post(
      "/api/data/v9.2/sample_Echo", "{}",
      {{"Prefer", "respond-async, callback; url=\"" + callback_url + "\""}});
  });
  BOOST_REQUIRE_MESSAGE(lookup.started.get_future().wait_for(10s)
                          == std::future_status::ready,
                        "the lookup did not start");
  auto other = client();
  BOOST_CHECK_EQUAL(other.get("/healthz").status, 200u);
  BOOST_CHECK_EQUAL(other.get("/api/backgroundoperations").status, 200u);
  BOOST_CHECK(submitted.wait_for(0s) == std::future_status::timeout);
  lookup.answer({boost::asio::ip::make_address("127.0.0.1")});
  BOOST_REQUIRE_MESSAGE(submitted.wait_for(10s) == std::future_status::ready,
                        "the submit was not answered after its lookup");
  auto res = submitted.get();
  BOOST_CHECK_EQUAL(res.status, 202u);
  BOOST_CHECK_EQUAL(res.header("preference-applied"), "callback");
  BOOST_CHECK_EQUAL(stored_count(), 1u);
}

BOOST_FIXTURE_TEST_CASE(a_batch_whose_callbacks_share_a_host_waits_for_one,
                        held_lookup_server) {
  // More distinct callback URLs than lookups may run, all on one host, as
  // a client that puts each operation's id in its callback's query sends.
  auto requests = nlohmann::json::array();
  auto items = target_check::max_lookups + 36;
  for (std::size_t i = 0; i < items; ++i)
    requests.push_back(
      {{"id", std::to_string(i)},
       {"method", "POST"},
       {"url", "/api/data/v9.2/sample_Echo"},
       {"headers",
        {{"Prefer", "respond-async, callback; url=\"" + callback_url
                      + "?item=" + std::to_string(i) + "\""}}},
       {"body", nlohmann::json::object()}});
  auto submitted = std::async(std::launch::async, [&] {
    return client().post("/api/$batch",
                         nlohmann::json{{"requests", requests}}.dump());
  });
  BOOST_REQUIRE_MESSAGE(lookup.started.get_future().wait_for(10s)
                          == std::future_status::ready,
                        "the lookup did not start");
  BOOST_REQUIRE_EQUAL(client().get("/healthz").status, 200u);
  // Nothing is answered, or stored, before the one lookup's verdict.
  BOOST_CHECK(submitted.wait_for(0s) == std::future_status::timeout);
  BOOST_CHECK_EQUAL(stored_count(), 0u);
  lookup.answer({boost::asio::ip::make_address("127.0.0.1")});
  BOOST_REQUIRE_MESSAGE(submitted.wait_for(10s) == std::future_status::ready,
                        "the batch was not answered after its lookup");
  auto res = submitted.get();
  BOOST_REQUIRE_EQUAL(res.status, 200u);
  auto responses = res.json().at("responses");
  BOOST_REQUIRE_EQUAL(responses.size(), items);
  for (auto& item : responses)
    BOOST_CHECK_MESSAGE(item.at("status") == 202, item.dump());
  BOOST_CHECK_EQUAL(stored_count(), items);
}

BOOST_FIXTURE_TEST_CASE(a_lookup_past_its_deadline_answers_400,
                        server_fixture) {
  make_check = [] {
    return std::make_unique<target_check>(loopback_and("hooks.test"), 100ms,
                                          silent_lookup);
  };
  start();
  auto c = client();
  auto res = c.post(
    "/api/data/v9.2/sample_Echo", "{}",
    {{"Prefer", "respond-async, callback; url=\"" + callback_url + "\""}});
  BOOST_CHECK_EQUAL(res.status, 400u);
  BOOST_CHECK_EQUAL(res.json().at("error").at("message"),
                    "The callback URL is not allowed: The host 'hooks.test' of "
                    "the URL 'http://hooks.test:9/cb' cannot be resolved: the "
                    "lookup took longer than 100 ms.");
  auto hook = client(admin_key).post(
    "/api/webhooks", R"({"event": "OnBackgroundOperationComplete", "url": ")"
                       + callback_url + "\"}");
  BOOST_CHECK_EQUAL(hook.status, 400u);
  BOOST_CHECK_NE(hook.json().at("error").at("message").get<std::string>().find(
                   "took longer than 100 ms"),
                 std::string::npos);
  BOOST_CHECK_EQUAL(stored_count(), 0u);
  BOOST_CHECK(
    server->store().webhooks("OnBackgroundOperationComplete").empty());
}

BOOST_AUTO_TEST_SUITE_END()
