#include "server/deliveries/notifier.hpp"

#include <caf/make_message.hpp>
#include <pthread.h>

#include "server/http/client_tls.hpp"
#include "server/http/delivery_errc.hpp"
#include "server/security/signature.hpp"

namespace stagehand {

namespace {

caf::error bad_setting(std::string name, std::string why) {
  return make_error(delivery_errc::bad_setting,
                    caf::make_message(std::move(name), std::move(why)));
}

/// Statuses worth another attempt: the receiver is overloaded, restarting or
/// failing for now. Any other status is its final word.
bool transient(unsigned status) {
  return status == 408 || status == 429 || status >= 500;
}

std::string attempts_text(std::uint32_t n) {
  return std::to_string(n) + (n == 1 ? " attempt" : " attempts");
}

} // namespace

std::string to_string(notifier::kind x) {
  return x == notifier::kind::callback ? "callback" : "webhook";
}

std::string to_string(notifier::outcome x) {
  switch (x) {
  case notifier::outcome::delivered:
    return "delivered";
  case notifier::outcome::rejected:
    return "rejected";
  case notifier::outcome::gave_up:
    return "gave_up";
  case notifier::outcome::shutdown:
    return "shutdown";
  }
  return "unknown";
}

// -- settings -----------------------------------------------------------------

retry_policy notifier::retry_schedule::policy() const {
  return {max_attempts > 0 ? max_attempts - 1 : 0, initial_backoff, factor,
          max_backoff, jitter};
}

caf::error notifier::settings::validate() const {
  if (secret.empty())
    return bad_setting("secret", "it must not be empty");
  if (retry.max_attempts < 1)
    return bad_setting("retry.max_attempts", "it must be at least 1");
  if (retry.initial_backoff.count() < 0)
    return bad_setting("retry.initial_backoff", "it must not be negative");
  if (retry.max_backoff < retry.initial_backoff)
    return bad_setting("retry.max_backoff",
                       "it must not be less than the initial backoff");
  if (!(retry.factor >= 1.0))
    return bad_setting("retry.factor", "it must be at least 1");
  if (!(retry.jitter >= 0.0 && retry.jitter <= 1.0))
    return bad_setting("retry.jitter", "it must be from 0 to 1");
  if (timeouts.connect.count() <= 0)
    return bad_setting("timeouts.connect", "it must be positive");
  if (timeouts.response.count() <= 0)
    return bad_setting("timeouts.response", "it must be positive");
  if (threads < 1)
    return bad_setting("threads", "it must be at least 1");
  return {};
}

// -- construction -------------------------------------------------------------

caf::expected<std::unique_ptr<notifier>>
notifier::make(settings s, std::shared_ptr<spdlog::logger> log) {
  if (auto err = s.validate())
    return err;
  auto tls = make_client_tls(s.ca_file);
  if (!tls)
    return tls.error();
  return std::unique_ptr<notifier>{
    new notifier(std::move(s), std::move(*tls), std::move(log))};
}

notifier::notifier(settings s, std::shared_ptr<boost::asio::ssl::context> tls,
                   std::shared_ptr<spdlog::logger> log)
  : settings_(std::move(s)), retry_(settings_.retry.policy()),
    log_(std::move(log)) {
  for (std::size_t i = 0; i < settings_.threads; ++i)
    clients_.push_back(std::make_unique<http_client>(settings_.timeouts, tls));
  for (auto& client : clients_)
    threads_.emplace_back([this, c = client.get()] {
      pthread_setname_np(pthread_self(), "stagehand.hook");
      work(*c);
    });
}

notifier::~notifier() {
  shutdown();
}

// -- deliveries ---------------------------------------------------------------

void notifier::deliver(delivery d, callback on_done) {
  job j;
  j.d = std::move(d);
  j.on_done = std::move(on_done);
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (!stopping_) {
      log_->debug("operation_id={} kind={} url=\"{}\" event=queued",
                  j.d.operation_id, to_string(j.d.what), j.d.url);
      queue_.emplace(clock::now(), std::move(j));
      cv_.notify_one();
      return;
    }
  }
  finish(j, stopped(j));
}

void notifier::shutdown() {
  std::call_once(shutdown_once_, [this] {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      stopping_ = true;
    }
    cv_.notify_all();
    for (auto& client : clients_)
      client->cancel();
    for (auto& thread : threads_)
      thread.join();
    // The threads are gone, so whatever is left is not in flight anywhere.
    decltype(queue_) left;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      left.swap(queue_);
    }
    for (auto& entry : left)
      finish(entry.second, stopped(entry.second));
  });
}

// -- implementation -----------------------------------------------------------

void notifier::work(http_client& client) {
  std::unique_lock<std::mutex> lock{mtx_};
  for (;;) {
    if (stopping_)
      return;
    if (queue_.empty()) {
      cv_.wait(lock);
      continue;
    }
    auto first = queue_.begin();
    // Waiting on the condition variable, not sleeping, so that a shutdown
    // or an earlier job wakes the thread. A copy of the due time, because
    // another thread may take the job, and free its node, during the wait.
    if (auto due = first->first; due > clock::now()) {
      cv_.wait_until(lock, due);
      continue;
    }
    auto j = std::move(first->second);
    queue_.erase(first);
    lock.unlock();
    auto result = attempt(j, client);
    lock.lock();
    if (!result && !stopping_) {
      auto wait = next_wait(j);
      log_->info(
        "operation_id={} kind={} url=\"{}\" attempt={} event=retry "
        "status={} wait_ms={} error=\"{}\"",
        j.d.operation_id, to_string(j.d.what), j.d.url, j.attempts,
        j.last_status,
        std::chrono::duration_cast<std::chrono::milliseconds>(wait).count(),
        j.last_error);
      queue_.emplace(clock::now() + wait, std::move(j));
      cv_.notify_one();
      continue;
    }
    if (!result)
      result = stopped(j);
    lock.unlock();
    finish(j, std::move(*result));
    lock.lock();
  }
}

std::optional<notifier::delivery_result>
notifier::attempt(job& j, http_client& client) {
  ++j.attempts;
  auto target = settings_.allowlist.resolve(j.d.url);
  if (!target && !is(target.error(), delivery_errc::unresolvable_host))
    return delivery_result{outcome::rejected, j.attempts, 0,
                           describe_delivery(target.error())};
  auto status = target ? post(*target, j.d.body, client)
                       : caf::expected<unsigned>{std::move(target.error())};
  if (status && *status >= 200 && *status < 300)
    return delivery_result{outcome::delivered, j.attempts, *status, {}};
  if (status) {
    j.last_status = *status;
    j.last_error = "the receiver answered HTTP " + std::to_string(*status);
    if (!transient(*status))
      return delivery_result{outcome::rejected, j.attempts, *status,
                             "The receiver answered HTTP "
                               + std::to_string(*status) + "."};
  } else if (is(status.error(), delivery_errc::cancelled)) {
    // Only a shutdown cancels, and the caller reports that.
    return std::nullopt;
  } else {
    j.last_error = describe_delivery(status.error());
  }
  if (j.attempts >= settings_.retry.max_attempts)
    return delivery_result{outcome::gave_up, j.attempts, j.last_status,
                           "Gave up after " + attempts_text(j.attempts) + ": "
                             + j.last_error
                             + (status ? std::string{"."} : std::string{})};
  return std::nullopt;
}

caf::expected<unsigned> notifier::post(const callback_allowlist::target& to,
                                       const std::string& body,
                                       http_client& client) const {
  auto timestamp
    = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count());
  auto signature = sign(settings_.secret, timestamp, body);
  return client.post(to.location, to.addresses, body,
                     {{std::string{timestamp_header}, timestamp},
                      {std::string{signature_header}, std::move(signature)}});
}

notifier::clock::duration notifier::next_wait(const job& j) const {
  return retry_.delay(j.attempts);
}

notifier::delivery_result notifier::stopped(const job& j) const {
  return {outcome::shutdown, j.attempts, j.last_status,
          "Not delivered after " + attempts_text(j.attempts)
            + ": server shutdown."};
}

void notifier::finish(job& j, delivery_result r) {
  auto level = r.result == outcome::delivered ? spdlog::level::info
                                              : spdlog::level::warn;
  log_->log(level,
            "operation_id={} kind={} url=\"{}\" attempt={} event={} "
            "status={} error=\"{}\"",
            j.d.operation_id, to_string(j.d.what), j.d.url, r.attempts,
            to_string(r.result), r.last_status, r.error);
  // An exception must not escape into a notifier thread, where it would end
  // the process; the delivery is over either way.
  try {
    j.on_done(std::move(r));
  } catch (const std::exception& e) {
    log_->error("operation_id={} kind={} event=on_done_failed error=\"{}\"",
                j.d.operation_id, to_string(j.d.what), e.what());
  }
}

} // namespace stagehand
