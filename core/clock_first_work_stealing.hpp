#pragma once

#include <mutex>

#include <caf/policy/work_stealing.hpp>

namespace stagehand {

/// CAF's work-stealing policy, except that a job a marked thread (the clock
/// thread of `prompt_actor_clock`) schedules goes to the FRONT of a worker's
/// queue. CAF 0.17 appends every job scheduled from outside the workers to the
/// back, behind the jobs the workers queued themselves; when spawning
/// thousands of sessions has left seconds of work queued, a due timer waited
/// those seconds. Only the clock's deliveries go first: putting every outside
/// job first lets a thread that opens sessions in a loop bury older work
/// (the workers run their queue's front first) for as long as it keeps going.
/// Jobs from inside a worker still go in front (CAF's `internal_enqueue`), and
/// idle workers still steal from the back, so the backlog keeps draining.
class clock_first_work_stealing : public caf::policy::work_stealing {
public:
  // -- marking threads --------------------------------------------------------

  /// Makes every job the calling thread schedules from now on go first.
  static void schedule_first_from_this_thread() noexcept {
    first_from_this_thread() = true;
  }

  // -- scheduling -------------------------------------------------------------

  /// Hides `work_stealing::central_enqueue`, which the coordinator calls for
  /// every job scheduled without a worker as its execution context.
  template <class Coordinator>
  void central_enqueue(Coordinator* self, caf::resumable* job) {
    if (!first_from_this_thread()) {
      work_stealing::central_enqueue(self, job);
      return;
    }
    auto w = self->worker_by_id(d(self).next_worker++ % self->num_workers());
    auto& data = d(w);
    data.queue.prepend(job);
    // The same wake-up as CAF's: a sleeping worker checks its queue under
    // this lock before it waits, so it either sees the job or gets notified.
    std::unique_lock<std::mutex> guard{data.waitdata.lock};
    if (data.waitdata.sleeping && !data.queue.empty())
      data.waitdata.cv.notify_one();
  }

private:
  static bool& first_from_this_thread() noexcept {
    thread_local bool first = false;
    return first;
  }
};

} // namespace stagehand
