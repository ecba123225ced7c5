#include "server/operation_scheduler.hpp"

#include <algorithm>
#include <condition_variable>
#include <vector>

#include "messages/attempt_parameter.hpp"
#include "runtime/wall_clock.hpp"

namespace stagehand {

namespace {

/// How long the scheduler pauses starting attempts after the runner refused
/// one (its queue is full), unless an attempt ends first.
constexpr std::int64_t saturation_pause_ms = 250;

/// How long shutdown waits for stopped attempts to report before it marks
/// them for retry itself (a codeunit may ignore cancellation).
constexpr auto stop_wait = std::chrono::seconds(5);

/// After a failure of the database itself, the next try.
constexpr std::int64_t error_pause_ms = 1000;

const char* interrupted_text = "The server stopped while the operation ran.";

} // namespace

struct operation_scheduler::shared_state {
  std::mutex mtx;
  std::condition_variable cv;
  std::vector<std::pair<std::string, operation_result>> results;
  /// Operation id → attempt, for every attempt the runner has not ended.
  std::map<std::string, std::uint64_t> running;
  /// Attempts between their claim and the runner's answer.
  std::size_t starting = 0;
  bool woken = false;
  bool draining = false;
  bool stopping = false;
};

operation_scheduler::operation_scheduler(
  const config& cfg, std::shared_ptr<operation_store> store,
  const operation_registry& registry, operation_runner& runner,
  std::shared_ptr<spdlog::logger> log)
  : cfg_(cfg), store_(std::move(store)), registry_(registry), runner_(runner),
    log_(std::move(log)), retry_(cfg), state_(std::make_shared<shared_state>()) {
}

operation_scheduler::~operation_scheduler() {
  if (!shut_down_)
    shutdown(caf::timespan{0});
}

void operation_scheduler::set_completion_sink(completion_sink sink) {
  sink_ = std::move(sink);
}

void operation_scheduler::start(std::string location_base) {
  location_base_ = std::move(location_base);
  auto now = now_ms();
  store_->requeue_interrupted(std::nullopt,
                              static_cast<std::int64_t>(retry_.max_retries()),
                              interrupted_text, now);
  for (auto& rec : store_->unnotified())
    complete(rec);
  thread_ = std::thread{[this] { run(); }};
}

void operation_scheduler::wake() {
  std::lock_guard<std::mutex> guard{state_->mtx};
  state_->woken = true;
  state_->cv.notify_all();
}

std::string operation_scheduler::location_of(const std::string& id) const {
  return location_base_ + "/api/backgroundoperation/" + id;
}

// -- requests -----------------------------------------------------------------

operation_store::cancel_outcome
operation_scheduler::cancel(const std::string& id,
                            const std::optional<std::string>& run_as) {
  auto outcome = store_->cancel(id, run_as, now_ms());
  using kind = operation_store::cancel_outcome::kind;
  if (outcome.what == kind::canceled || outcome.what == kind::canceling)
    log_->info("operation_id={} name={} event=cancel_requested outcome={}", id,
               outcome.record.name,
               outcome.what == kind::canceled ? "canceled" : "canceling");
  if (outcome.what == kind::canceled)
    complete(outcome.record);
  return outcome;
}

void operation_scheduler::await(const std::string& id, waiter fn) {
  auto once = std::make_shared<std::atomic<bool>>(false);
  {
    std::lock_guard<std::mutex> guard{waiters_mtx_};
    waiters_.emplace(id, [once, fn = std::move(fn)](const operation_record& r) {
      if (!once->exchange(true))
        fn(r);
    });
  }
  // It may have ended before the waiter was in place.
  if (auto rec = store_->find(id); rec && is_terminal(rec->status))
    answer_waiters(id, *rec);
}

void operation_scheduler::answer_waiters(const std::string& id,
                                         const operation_record& rec) {
  std::vector<waiter> due;
  {
    std::lock_guard<std::mutex> guard{waiters_mtx_};
    auto [first, last] = waiters_.equal_range(id);
    for (auto i = first; i != last; ++i)
      due.push_back(std::move(i->second));
    waiters_.erase(first, last);
  }
  for (auto& fn : due)
    fn(rec);
}

// -- the scheduler thread -----------------------------------------------------

void operation_scheduler::run() {
  auto next_purge = now_ms();
  for (;;) {
    std::vector<std::pair<std::string, operation_result>> results;
    bool draining = false;
    bool stopping = false;
    {
      std::lock_guard<std::mutex> guard{state_->mtx};
      results.swap(state_->results);
      state_->woken = false;
      draining = state_->draining;
      stopping = state_->stopping;
    }
    auto wake_at = now_ms() + error_pause_ms;
    try {
      for (auto& [id, result] : results)
        handle(id, std::move(result));
      if (stopping)
        return;
      auto now = now_ms();
      if (saturated_until_ && *saturated_until_ <= now)
        saturated_until_.reset();
      if (!draining)
        dispatch(now);
      if (now >= next_purge) {
        auto batch = cfg_.operation_ttl_purge_batch;
        auto purged = store_->purge_expired(now, batch);
        if (purged > 0)
          log_->debug("event=ttl_purge deleted={}", purged);
        // A full batch may mean more are due: the next loop deletes the
        // next batch, after requests had their turn at the database.
        next_purge = purged == batch
                       ? now
                       : now
                           + std::chrono::duration_cast<
                               std::chrono::milliseconds>(
                               cfg_.operation_ttl_purge_interval)
                               .count();
      }
      wake_at = next_purge;
      if (saturated_until_)
        wake_at = std::min(wake_at, *saturated_until_);
      else if (auto due = store_->next_due(); due && !draining)
        wake_at = std::min(wake_at, *due);
    } catch (const std::exception& e) {
      log_->error("event=scheduler_failed reason=\"{}\"", e.what());
    }
    std::unique_lock<std::mutex> guard{state_->mtx};
    state_->cv.wait_for(guard,
                        std::chrono::milliseconds(
                          std::max<std::int64_t>(0, wake_at - now_ms())),
                        [this] {
                          return state_->woken || state_->stopping
                                 || !state_->results.empty();
                        });
  }
}

void operation_scheduler::dispatch(std::int64_t now) {
  while (!saturated_until_) {
    // Counted as starting before the claim, so that shutdown, which stops
    // only what it knows to run, waits for a start in flight.
    {
      std::lock_guard<std::mutex> guard{state_->mtx};
      if (state_->draining)
        return;
      ++state_->starting;
    }
    std::optional<std::uint64_t> started;
    auto rec = store_->claim_next(now);
    if (rec)
      started = start_attempt(*rec, now);
    {
      std::lock_guard<std::mutex> guard{state_->mtx};
      --state_->starting;
      if (started)
        state_->running.emplace(rec->id, *started);
      state_->cv.notify_all();
    }
    if (!rec)
      return;
  }
}

std::optional<std::uint64_t>
operation_scheduler::start_attempt(const operation_record& rec,
                                   std::int64_t now) {
  auto def = registry_.find(rec.name);
  if (def == nullptr) {
    if (auto ended = store_->finish(
          rec.id, operation_status::failed, {}, "",
          "The operation '" + rec.name + "' is no longer registered.", now))
      complete(*ended);
    return std::nullopt;
  }
  operation_run run{def->codeunit, rec.inputs, rec.run_as, def->limit};
  run.inputs[attempt_parameter] = std::to_string(rec.retry_count);
  auto done = [st = state_, id = rec.id](operation_result result) {
    std::lock_guard<std::mutex> guard{st->mtx};
    st->results.emplace_back(id, std::move(result));
    st->cv.notify_all();
  };
  auto attempt = runner_.start(std::move(run), std::move(done));
  if (!attempt) {
    store_->release(rec.id, now);
    saturated_until_ = now + saturation_pause_ms;
    log_->debug("operation_id={} name={} event=start_refused reason=\"{}\"",
               rec.id, rec.name, caf::to_string(attempt.error()));
    return std::nullopt;
  }
  log_->debug("operation_id={} name={} event=attempt_started attempt={} "
              "session_id={} run_as=\"{}\"",
              rec.id, rec.name, rec.retry_count + 1, *attempt, rec.run_as);
  return *attempt;
}

void operation_scheduler::handle(const std::string& id,
                                 operation_result result) {
  {
    std::lock_guard<std::mutex> guard{state_->mtx};
    state_->running.erase(id);
    state_->cv.notify_all();
  }
  saturated_until_.reset();
  auto now = now_ms();
  using what = operation_result::status;
  if (result.what == what::succeeded) {
    if (auto rec = store_->finish(id, operation_status::succeeded,
                                  result.outputs, "", "", now))
      complete(*rec);
    return;
  }
  if (result.what == what::stopped) {
    log_->info("operation_id={} event=attempt_stopped", id);
    for (auto& rec : store_->requeue_interrupted(
           id, static_cast<std::int64_t>(retry_.max_retries()),
           interrupted_text, now))
      complete(rec);
    return;
  }
  if (result.error_message.empty() && result.what == what::timed_out)
    result.error_message = "The operation exceeded its execution limit.";
  // A cancel may land between reading and writing; the store's conditional
  // updates then match nothing and the loop decides again. A cancel request
  // is only ever set, so this ends after two rounds at most.
  for (;;) {
    auto cur = store_->find(id);
    if (!cur || state_code(cur->status) != 2)
      return;
    std::optional<operation_record> ended;
    if (cur->cancel_requested) {
      ended = store_->finish(id, operation_status::canceled, {},
                             result.error_code, result.error_message, now);
    } else if (static_cast<std::size_t>(cur->retry_count)
               < retry_.max_retries()) {
      auto retry = static_cast<std::size_t>(cur->retry_count) + 1;
      auto delay = std::chrono::duration_cast<std::chrono::milliseconds>(
                     retry_.delay(retry))
                     .count();
      if (store_->schedule_retry(id, now + delay, result.error_code,
                                 result.error_message)) {
        log_->info("operation_id={} name={} event=retry_scheduled retry={} "
                   "delay_ms={} error=\"{}\"",
                   id, cur->name, retry, delay, result.error_message);
        return;
      }
      continue;
    } else {
      ended = store_->finish(id, operation_status::failed, {},
                             result.error_code, result.error_message, now);
    }
    if (ended) {
      complete(*ended);
      return;
    }
  }
}

void operation_scheduler::complete(const operation_record& rec) {
  log_->info("operation_id={} name={} event=completed status={} "
             "retry_count={}",
             rec.id, rec.name, status_code(rec.status), rec.retry_count);
  answer_waiters(rec.id, rec);
  if (!sink_) {
    store_->mark_notified(rec.id, "");
    return;
  }
  operation_completion c{rec.id, rec.name, location_of(rec.id), rec.status,
                         "", "", rec.callback_url};
  if (rec.status != operation_status::succeeded) {
    c.error_code = rec.error_code;
    c.error_message = rec.error_message;
  }
  sink_(c, [store = store_, log = log_, id = rec.id](const std::string& failure) {
    try {
      store->mark_notified(id, failure);
    } catch (const std::exception& e) {
      log->error("operation_id={} event=mark_notified_failed reason=\"{}\"",
                 id, e.what());
    }
  });
}

// -- shutdown -----------------------------------------------------------------

void operation_scheduler::shutdown(caf::timespan grace) {
  if (shut_down_)
    return;
  shut_down_ = true;
  std::map<std::string, std::uint64_t> left;
  {
    std::unique_lock<std::mutex> guard{state_->mtx};
    state_->draining = true;
    state_->cv.notify_all();
    if (thread_.joinable()) {
      auto idle = [this] {
        return state_->running.empty() && state_->starting == 0;
      };
      if (!state_->cv.wait_for(guard, grace, idle)) {
        state_->cv.wait_for(guard, stop_wait,
                            [this] { return state_->starting == 0; });
        auto stopping = state_->running;
        guard.unlock();
        for (auto& [id, attempt] : stopping)
          runner_.stop(attempt, "The server is shutting down.");
        guard.lock();
        state_->cv.wait_for(guard, stop_wait, idle);
      }
    }
    left = state_->running;
    state_->stopping = true;
    state_->cv.notify_all();
  }
  if (thread_.joinable())
    thread_.join();
  try {
    // Attempts that ignored the stop: their results will go nowhere, so
    // they count as interrupted now, as after a crash.
    for (auto& [id, attempt] : left) {
      log_->warn("operation_id={} session_id={} event=attempt_abandoned", id,
                 attempt);
      for (auto& rec : store_->requeue_interrupted(
             id, static_cast<std::int64_t>(retry_.max_retries()),
             interrupted_text, now_ms()))
        complete(rec);
    }
    std::multimap<std::string, waiter> waiting;
    {
      std::lock_guard<std::mutex> guard{waiters_mtx_};
      waiting.swap(waiters_);
    }
    for (auto& [id, fn] : waiting) {
      auto rec = store_->find(id);
      fn(rec ? *rec : operation_record{});
    }
    store_->checkpoint();
  } catch (const std::exception& e) {
    log_->error("event=shutdown_failed reason=\"{}\"", e.what());
  }
  log_->info("event=scheduler_stopped abandoned={}", left.size());
}

} // namespace stagehand
