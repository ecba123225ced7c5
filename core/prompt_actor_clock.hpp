#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include <caf/detail/thread_safe_actor_clock.hpp>

namespace stagehand {

/// The actor clock of a Stagehand actor system: every `delayed_send`, request
/// timeout and receive timeout goes through it.
///
/// CAF 0.17.6's own clock ships a due timer only when its event queue stays
/// empty until the earliest deadline. Under load the queue is never empty:
/// every actor that terminates posts a cancellation to it, and so does every
/// answered request. A child session ends per task, so with many tasks in
/// flight due timeouts waited for a quiet moment, a second and more (CAF
/// rewrote its clock in 0.18.6). This clock keeps the same schedule behind a
/// mutex instead, and its thread wakes at each earliest deadline whatever
/// else arrives meanwhile.
///
/// It derives from CAF's thread-safe clock only because CAF's coordinators
/// return that type from `clock()`; none of the base's queue is used.
class prompt_actor_clock : public caf::detail::thread_safe_actor_clock {
public:
  using super = caf::detail::simple_actor_clock;

  prompt_actor_clock() = default;

  prompt_actor_clock(const prompt_actor_clock&) = delete;

  prompt_actor_clock& operator=(const prompt_actor_clock&) = delete;

  ~prompt_actor_clock() override;

  // -- life cycle -------------------------------------------------------------

  /// Starts the thread that ships due timers; it first calls
  /// `on_thread_start` (if set), which the scheduler uses to mark it.
  void start(void (*on_thread_start)() = nullptr);

  /// Stops that thread and drops every pending timer.
  void stop();

  // -- caf::actor_clock -------------------------------------------------------

  void set_ordinary_timeout(time_point t, caf::abstract_actor* self,
                            caf::atom_value type, uint64_t id) override;

  void set_multi_timeout(time_point t, caf::abstract_actor* self,
                         caf::atom_value type, uint64_t id) override;

  void set_request_timeout(time_point t, caf::abstract_actor* self,
                           caf::message_id id) override;

  void cancel_ordinary_timeout(caf::abstract_actor* self,
                               caf::atom_value type) override;

  void cancel_request_timeout(caf::abstract_actor* self,
                              caf::message_id id) override;

  void cancel_timeouts(caf::abstract_actor* self) override;

  void schedule_message(time_point t, caf::strong_actor_ptr receiver,
                        caf::mailbox_element_ptr content) override;

  void schedule_message(time_point t, caf::group target,
                        caf::strong_actor_ptr sender,
                        caf::message content) override;

  void cancel_all() override;

  /// Timers waiting to be shipped.
  std::size_t pending();

private:
  /// Runs `f` under the lock, and wakes the thread if `f` moved the earliest
  /// deadline forward.
  template <class F>
  void scheduling(F&& f);

  void run();

  std::mutex mtx_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

} // namespace stagehand
