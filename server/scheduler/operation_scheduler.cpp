#include "server/scheduler/operation_scheduler.hpp"

#include <algorithm>

#include "core/wall_clock.hpp"
#include "server/scheduler/operation_scheduler_state.hpp"

namespace stagehand {

using namespace scheduling;

operation_scheduler::operation_scheduler(const operation_settings& settings,
                                         std::shared_ptr<operation_store> store,
                                         const operation_registry& registry,
                                         operation_runner& runner,
                                         std::shared_ptr<spdlog::logger> log)
  : settings_(settings), store_(std::move(store)), registry_(registry),
    runner_(runner), log_(std::move(log)), retry_(settings),
    state_(std::make_shared<shared_state>()) {}

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
  auto ended = store_->recover_interrupted(
    static_cast<std::int64_t>(retry_.max_retries()), interrupted_text, now);
  if (auto due = store_->next_due())
    due_.insert(*due);
  std::set<std::string> ended_now;
  for (auto& rec : ended) {
    ended_now.insert(rec.id);
    complete(rec);
  }
  // Ended in an earlier run: reported again, but not counted as ending now.
  for (auto& rec : store_->unnotified())
    if (ended_now.count(rec.id) == 0)
      report(rec);
  thread_ = std::thread{[this] {
    run();
  }};
}

void operation_scheduler::wake() {
  std::lock_guard<std::mutex> guard{state_->mtx};
  state_->woken = true;
  state_->cv.notify_all();
}

void operation_scheduler::submitted(std::uint64_t n) {
  counters_.count_submitted(n);
  wake();
}

std::string operation_scheduler::location_of(const std::string& id) const {
  return location_base_ + "/api/data/v9.2/backgroundoperations(" + id + ")";
}

// -- requests -----------------------------------------------------------------

operation_store::cancel_outcome
operation_scheduler::cancel(const std::string& id,
                            const std::optional<std::string>& run_as,
                            bool stop_running) {
  auto outcome = store_->cancel(id, run_as, now_ms());
  using kind = operation_store::cancel_outcome::kind;
  if (outcome.what == kind::canceled || outcome.what == kind::canceling)
    log_->info("operation_id={} name={} event=cancel_requested outcome={}", id,
               outcome.record.name,
               outcome.what == kind::canceled ? "canceled" : "canceling");
  if (outcome.what == kind::canceled) {
    // It may have been claimed, its attempt waiting for a session slot:
    // that attempt never begins.
    std::optional<std::uint64_t> waiting;
    {
      std::lock_guard<std::mutex> guard{state_->mtx};
      if (auto i = state_->running.find(id); i != state_->running.end())
        waiting = i->second.id;
      else if (state_->starting > 0)
        state_->canceled_while_starting.insert(id);
    }
    if (waiting) {
      log_->debug("session_type=Background session_id={} operation_id={} "
                  "event=waiting_attempt_stopped",
                  *waiting, id);
      runner_.stop(*waiting, canceled_text);
    }
    complete(outcome.record);
  }
  if (outcome.what == kind::canceling && stop_running) {
    std::optional<std::uint64_t> attempt;
    {
      std::lock_guard<std::mutex> guard{state_->mtx};
      if (auto i = state_->running.find(id); i != state_->running.end())
        attempt = i->second.id;
    }
    // Its ending, with the cancel on record, makes it Canceled.
    if (attempt) {
      log_->info("session_type=Background session_id={} operation_id={} "
                 "event=running_attempt_stopped",
                 *attempt, id);
      runner_.stop(*attempt, stopped_by_cancel_text);
    }
  }
  return outcome;
}

void operation_scheduler::await(const std::string& id, waiter fn) {
  auto once = std::make_shared<std::atomic<bool>>(false);
  auto closing = false;
  {
    std::lock_guard<std::mutex> guard{waiters_mtx_};
    closing = closing_;
    if (!closing)
      waiters_.emplace(id,
                       [once, fn = std::move(fn)](const operation_record& r) {
                         if (!once->exchange(true))
                           fn(r);
                       });
  }
  // Shutting down: nothing more starts, so it hears where it stands now.
  if (closing) {
    auto rec = store_->find(id);
    fn(rec ? *rec : operation_record{});
    return;
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
    std::vector<std::string> started;
    std::vector<std::pair<std::string, operation_result>> results;
    bool draining = false;
    bool stopping = false;
    {
      std::lock_guard<std::mutex> guard{state_->mtx};
      started.swap(state_->started);
      results.swap(state_->results);
      state_->woken = false;
      draining = state_->draining;
      stopping = state_->stopping;
    }
    auto wake_at = now_ms() + error_pause_ms;
    auto failed = false;
    try {
      if (!started.empty() || !results.empty())
        settle(std::move(started), std::move(results));
      if (stopping)
        return;
      auto now = now_ms();
      if (saturated_until_ && *saturated_until_ <= now)
        saturated_until_.reset();
      if (!draining)
        dispatch(now);
      if (now >= next_purge) {
        auto batch = settings_.ttl_purge_batch;
        auto purged = store_->purge_expired(now, batch);
        if (purged > 0)
          log_->debug("event=ttl_purge deleted={}", purged);
        // A full batch may mean more are due: the next loop deletes the
        // next batch, after requests had their turn at the database.
        next_purge
          = purged == batch
              ? now
              : now
                  + std::chrono::duration_cast<std::chrono::milliseconds>(
                      settings_.ttl_purge_interval)
                      .count();
      }
      wake_at = next_purge;
      if (saturated_until_)
        wake_at = std::min(wake_at, *saturated_until_);
      else if (auto due = next_due(now); due && !draining)
        wake_at = std::min(wake_at, *due);
    } catch (const std::exception& e) {
      log_->error("event=scheduler_failed reason=\"{}\"", e.what());
      failed = true;
    }
    std::unique_lock<std::mutex> guard{state_->mtx};
    state_->cv.wait_for(
      guard,
      std::chrono::milliseconds(std::max<std::int64_t>(0, wake_at - now_ms())),
      [this, failed] {
        // After a failure, what it kept for the next try
        // waits out the pause instead of spinning.
        return state_->stopping
               || (!failed
                   && (state_->woken || !state_->results.empty()
                       || !state_->started.empty()));
      });
  }
}

std::optional<std::int64_t> operation_scheduler::next_due(std::int64_t now) {
  if (!due_.empty() && *due_.begin() <= now) {
    // Asked before the passed times go, so that a failure asks again.
    auto later = store_->next_due(now);
    due_.erase(due_.begin(), due_.upper_bound(now));
    if (later)
      due_.insert(*later);
  }
  if (due_.empty())
    return std::nullopt;
  return *due_.begin();
}

void operation_scheduler::complete(const operation_record& rec) {
  log_->info("operation_id={} name={} event=completed status={} "
             "retry_count={}",
             rec.id, rec.name, status_code(rec.status), rec.retry_count);
  counters_.count_ended(rec.status);
  answer_waiters(rec.id, rec);
  report(rec);
}

void operation_scheduler::report(const operation_record& rec) {
  // The ending's own write already marked it notified: nothing to deliver.
  if (rec.notified)
    return;
  if (!sink_) {
    store_->mark_notified(rec.id, "");
    return;
  }
  operation_completion c{rec.id, rec.name, location_of(rec.id), rec.status,
                         "",     "",       rec.callback_url};
  if (rec.status != operation_status::succeeded) {
    c.error_code = rec.error_code;
    c.error_message = rec.error_message;
  }
  sink_(
    c, [store = store_, log = log_, id = rec.id](const std::string& failure) {
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
  {
    std::lock_guard<std::mutex> guard{waiters_mtx_};
    closing_ = true;
  }
  std::map<std::string, shared_state::attempt> left;
  {
    std::unique_lock<std::mutex> guard{state_->mtx};
    state_->draining = true;
    state_->cv.notify_all();
    if (thread_.joinable()) {
      // A start in flight ends first (the runner answers at once), so that
      // its attempt is known here. Attempts still waiting for a session slot
      // then never begin: their operations wait for the restart, their
      // tries uncounted.
      state_->cv.wait_for(guard, stop_wait, [this] {
        return state_->starting == 0;
      });
      std::vector<std::uint64_t> waiting;
      for (auto& [id, attempt] : state_->running)
        if (!attempt.started)
          waiting.push_back(attempt.id);
      guard.unlock();
      for (auto attempt : waiting)
        runner_.stop(attempt, shutdown_text);
      guard.lock();
      auto idle = [this] {
        return state_->running.empty() && state_->starting == 0;
      };
      if (!state_->cv.wait_for(guard, grace, idle)) {
        auto stopping = state_->running;
        guard.unlock();
        for (auto& [id, attempt] : stopping)
          runner_.stop(attempt.id, shutdown_text);
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
  // Each step on its own, so that one failing row neither keeps another
  // from being settled nor leaves a waiter unanswered.
  auto guarded = [this](const char* step, auto&& f) {
    try {
      f();
    } catch (const std::exception& e) {
      log_->error("event=shutdown_failed step={} reason=\"{}\"", step,
                  e.what());
    }
  };
  // Attempts that ignored the stop: their results will go nowhere, so they
  // count as interrupted now, as after a crash.
  for (auto& [id, attempt] : left)
    guarded("abandon", [&, &id = id, &attempt = attempt] {
      log_->warn("operation_id={} session_id={} event=attempt_abandoned", id,
                 attempt.id);
      end_attempt(id, attempt_end::cause::interrupted, "", interrupted_text,
                  now_ms());
    });
  std::multimap<std::string, waiter> waiting;
  {
    std::lock_guard<std::mutex> guard{waiters_mtx_};
    waiting.swap(waiters_);
  }
  for (auto& [id, fn] : waiting) {
    std::optional<operation_record> rec;
    guarded("answer", [&, &id = id] {
      rec = store_->find(id);
    });
    // An empty record tells the waiter the server is going away.
    fn(rec ? *rec : operation_record{});
  }
  guarded("checkpoint", [this] {
    store_->checkpoint();
  });
  log_->info("event=scheduler_stopped abandoned={}", left.size());
}

} // namespace stagehand
