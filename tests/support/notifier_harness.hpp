#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <string>

#include <boost/test/unit_test.hpp>

#include "core/log.hpp"
#include "server/deliveries/notifier.hpp"
#include "server/http/delivery_errc.hpp"
#include "server/operations/notification_payload.hpp"

/// Notifiers with fast retries, the deliveries the tests give them, and a
/// probe of each delivery's outcome; the notifier's tests, split over two
/// files, share them.
namespace stagehand::test {

inline const std::string secret = "test-secret";

inline notifier::settings fast(std::uint32_t attempts = 4) {
  using namespace std::chrono_literals;
  notifier::settings s;
  s.secret = secret;
  s.retry.max_attempts = attempts;
  s.retry.initial_backoff = 1ms;
  s.retry.max_backoff = 4ms;
  s.retry.jitter = 0.5;
  s.timeouts = {5s, 20s};
  return s;
}

inline std::unique_ptr<notifier> make(notifier::settings s,
                                      std::shared_ptr<spdlog::logger> log
                                      = make_logger("off")) {
  auto result = notifier::make(std::move(s), std::move(log));
  // The message is evaluated even on success, so it must not touch error().
  BOOST_REQUIRE_MESSAGE(result,
                        (result ? "" : describe_delivery(result.error())));
  return std::move(*result);
}

/// Receives one delivery's outcome and counts how often it came.
struct probe {
  std::promise<notifier::delivery_result> promise;
  std::future<notifier::delivery_result> future = promise.get_future();
  std::atomic<int> calls{0};

  notifier::callback callback() {
    return [this](notifier::delivery_result r) {
      if (calls++ == 0)
        promise.set_value(std::move(r));
    };
  }

  notifier::delivery_result get() {
    using namespace std::chrono_literals;
    BOOST_REQUIRE(future.wait_for(20s) == std::future_status::ready);
    return future.get();
  }
};

inline notifier::delivery callback_to(const std::string& url,
                                      const std::string& id = "op-1") {
  auto body = callback_payload(id,
                               "http://127.0.0.1:8080/api/"
                               "backgroundoperation/"
                                 + id,
                               3, 30)
                .dump();
  return {id, notifier::kind::callback, url, body};
}

} // namespace stagehand::test
