#include "server/deliveries/completion_deliveries.hpp"

#include <mutex>
#include <random>

#include "server/http/delivery_errc.hpp"
#include "server/security/hex.hpp"
#include "server/operations/notification_payload.hpp"

namespace stagehand {

namespace {

/// 32 bytes from the system's entropy source, as 64 hex digits.
std::string random_secret() {
  std::random_device rd;
  std::string bytes;
  for (int i = 0; i < 32; ++i)
    bytes += static_cast<char>(rd() & 0xFF);
  return to_hex(bytes);
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
make_notifier(const delivery_settings& deliveries,
              const security_settings& security,
              std::shared_ptr<spdlog::logger> log) {
  notifier::settings s;
  s.secret = deliveries.secret;
  if (s.secret.empty()) {
    s.secret = random_secret();
    log->warn("event=random_delivery_secret hint=\"set "
              "stagehand.delivery-secret so that receivers can verify "
              "signatures\"");
  }
  auto allowlist = callback_allowlist::configured(security.callback_allowlist);
  if (!allowlist)
    return allowlist.error();
  s.allowlist = std::move(*allowlist);
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  s.retry.max_attempts = static_cast<std::uint32_t>(deliveries.max_attempts);
  s.retry.initial_backoff
    = duration_cast<milliseconds>(deliveries.initial_backoff);
  s.retry.max_backoff = duration_cast<milliseconds>(deliveries.max_backoff);
  s.threads = deliveries.threads;
  s.ca_file = deliveries.ca_file;
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
