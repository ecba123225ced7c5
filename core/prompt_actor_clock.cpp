#include "core/prompt_actor_clock.hpp"

#include <vector>

#include <caf/detail/set_thread_name.hpp>

namespace stagehand {

prompt_actor_clock::~prompt_actor_clock() {
  stop();
}

// -- life cycle ---------------------------------------------------------------

void prompt_actor_clock::start(void (*on_thread_start)()) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (thread_.joinable())
    return;
  stopping_ = false;
  thread_ = std::thread{[this, on_thread_start] {
    caf::detail::set_thread_name("stagehand.clock");
    if (on_thread_start != nullptr)
      on_thread_start();
    run();
  }};
}

void prompt_actor_clock::stop() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable())
    thread_.join();
  // Outside the lock: a dropped message may release the last reference to an
  // actor, and nothing it runs on the way out may find this clock locked.
  schedule_map dropped;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    dropped.swap(schedule_);
    actor_lookup_.clear();
  }
}

void prompt_actor_clock::run() {
  std::vector<unique_delayed_event_ptr> due;
  std::unique_lock<std::mutex> guard{mtx_};
  while (!stopping_) {
    if (schedule_.empty()) {
      wake_.wait(guard);
      continue;
    }
    auto next = schedule_.begin()->first;
    if (now() < next) {
      wake_.wait_until(guard, next);
      continue;
    }
    // Take every due timer out under the lock, ship them outside it, so that
    // actors scheduling timers never wait for a long batch of deliveries.
    auto t = now();
    for (auto i = schedule_.begin(); i != schedule_.end() && i->first <= t;) {
      if (i->second->backlink != actor_lookup_.end())
        actor_lookup_.erase(i->second->backlink);
      due.push_back(std::move(i->second));
      i = schedule_.erase(i);
    }
    guard.unlock();
    for (auto& x : due)
      ship(*x);
    due.clear();
    guard.lock();
  }
}

template <class F>
void prompt_actor_clock::scheduling(F&& f) {
  bool earlier = false;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    auto before = schedule_.empty() ? time_point::max()
                                    : schedule_.begin()->first;
    f();
    earlier = !schedule_.empty() && schedule_.begin()->first < before;
  }
  if (earlier)
    wake_.notify_one();
}

std::size_t prompt_actor_clock::pending() {
  std::lock_guard<std::mutex> guard{mtx_};
  return schedule_.size();
}

// -- caf::actor_clock ---------------------------------------------------------

void prompt_actor_clock::set_ordinary_timeout(time_point t,
                                              caf::abstract_actor* self,
                                              caf::atom_value type,
                                              uint64_t id) {
  scheduling([&] { super::set_ordinary_timeout(t, self, type, id); });
}

void prompt_actor_clock::set_multi_timeout(time_point t,
                                           caf::abstract_actor* self,
                                           caf::atom_value type, uint64_t id) {
  scheduling([&] { super::set_multi_timeout(t, self, type, id); });
}

void prompt_actor_clock::set_request_timeout(time_point t,
                                             caf::abstract_actor* self,
                                             caf::message_id id) {
  scheduling([&] { super::set_request_timeout(t, self, id); });
}

void prompt_actor_clock::schedule_message(time_point t,
                                          caf::strong_actor_ptr receiver,
                                          caf::mailbox_element_ptr content) {
  scheduling([&] {
    super::schedule_message(t, std::move(receiver), std::move(content));
  });
}

void prompt_actor_clock::schedule_message(time_point t, caf::group target,
                                          caf::strong_actor_ptr sender,
                                          caf::message content) {
  scheduling([&] {
    super::schedule_message(t, std::move(target), std::move(sender),
                            std::move(content));
  });
}

// A cancellation only removes entries, so the thread never needs waking. The
// entries it removes hold the cancelling actor, which is still alive, so
// freeing them under the lock cannot end an actor.

void prompt_actor_clock::cancel_ordinary_timeout(caf::abstract_actor* self,
                                                 caf::atom_value type) {
  std::lock_guard<std::mutex> guard{mtx_};
  super::cancel_ordinary_timeout(self, type);
}

void prompt_actor_clock::cancel_request_timeout(caf::abstract_actor* self,
                                                caf::message_id id) {
  std::lock_guard<std::mutex> guard{mtx_};
  super::cancel_request_timeout(self, id);
}

void prompt_actor_clock::cancel_timeouts(caf::abstract_actor* self) {
  std::lock_guard<std::mutex> guard{mtx_};
  super::cancel_timeouts(self);
}

void prompt_actor_clock::cancel_all() {
  schedule_map dropped;
  std::lock_guard<std::mutex> guard{mtx_};
  dropped.swap(schedule_);
  actor_lookup_.clear();
}

} // namespace stagehand
