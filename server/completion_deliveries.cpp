#include "server/completion_deliveries.hpp"

#include <mutex>
#include <random>

#include "server/delivery_errc.hpp"
#include "server/notification_payload.hpp"

namespace stagehand {

namespace {

std::string random_secret() {
  std::random_device rd;
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 64; ++i)
    out += digits[rd() & 0xF];
  return out;
}

/// The deliveries of one completion that have not ended yet.
struct fan_in {
  std::mutex mtx;
  std::size_t left = 0;
  bool interrupted = false;
  std::string failures;
  delivery_finished finished;

  void done(const notifier::delivery& d, const notifier::delivery_result& r) {
    std::unique_lock<std::mutex> guard{mtx};
    if (r.result == notifier::outcome::shutdown)
      interrupted = true;
    else if (r.result != notifier::outcome::delivered)
      failures += (failures.empty() ? "" : "; ")
                  + std::string{d.what == notifier::kind::callback
                                  ? "callback "
                                  : "webhook "}
                  + d.url + ": " + r.error;
    if (--left > 0 || interrupted)
      return;
    guard.unlock();
    finished(failures);
  }
};

} // namespace

caf::expected<std::unique_ptr<notifier>>
make_notifier(const config& cfg, std::shared_ptr<spdlog::logger> log) {
  notifier::settings s;
  s.secret = cfg.delivery_secret;
  if (s.secret.empty()) {
    s.secret = random_secret();
    log->warn("event=random_delivery_secret hint=\"set "
              "stagehand.delivery-secret so that receivers can verify "
              "signatures\"");
  }
  auto allowlist = callback_allowlist::configured(cfg.callback_allowlist);
  if (!allowlist)
    return allowlist.error();
  s.allowlist = std::move(*allowlist);
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  s.retry.max_attempts = static_cast<std::uint32_t>(cfg.delivery_max_attempts);
  s.retry.initial_backoff = duration_cast<milliseconds>(
    cfg.delivery_initial_backoff);
  s.retry.max_backoff = duration_cast<milliseconds>(cfg.delivery_max_backoff);
  s.threads = cfg.delivery_threads;
  return notifier::make(std::move(s), std::move(log));
}

completion_sink
deliver_completions(notifier& out,
                    std::function<std::vector<webhook>()> subscribers) {
  return [&out, subscribers = std::move(subscribers)](
           const operation_completion& c, delivery_finished finished) {
    auto state = state_code(c.status);
    auto status = status_code(c.status);
    std::vector<notifier::delivery> deliveries;
    if (!c.callback_url.empty()) {
      auto body = c.status == operation_status::failed
                    ? callback_payload(c.id, c.location, state, status,
                                       c.error_code, c.error_message)
                    : callback_payload(c.id, c.location, state, status);
      deliveries.push_back(
        {c.id, notifier::kind::callback, c.callback_url, body.dump()});
    }
    auto event = completion_event_payload(c.name, c.id, c.location, state,
                                          status)
                   .dump();
    for (auto& hook : subscribers())
      deliveries.push_back({c.id, notifier::kind::webhook, hook.url, event});
    if (deliveries.empty()) {
      finished("");
      return;
    }
    auto pending = std::make_shared<fan_in>();
    pending->left = deliveries.size();
    pending->finished = std::move(finished);
    for (auto& d : deliveries)
      out.deliver(d, [pending, d](notifier::delivery_result r) {
        pending->done(d, r);
      });
  };
}

} // namespace stagehand
