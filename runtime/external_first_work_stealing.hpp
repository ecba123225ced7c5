#pragma once

#include <mutex>

#include <caf/policy/work_stealing.hpp>

namespace stagehand {

/// CAF's work-stealing policy, except that a job enqueued from outside the
/// workers goes to the FRONT of a worker's queue. CAF 0.17 appends such jobs
/// to the back, behind every job the workers queued themselves; when spawning
/// thousands of sessions has left seconds of work queued, a due timer (the
/// clock thread delivers it) or a codeunit result (a pool thread delivers it)
/// waited those seconds. Jobs from inside a worker are still put in front
/// (CAF's `internal_enqueue`), and idle workers still steal from the back, so
/// the backlog keeps draining. The coordinator's shutdown jobs go through the
/// worker's own `external_enqueue`, which stays at the back.
class external_first_work_stealing : public caf::policy::work_stealing {
public:
  // -- scheduling -------------------------------------------------------------

  /// Hides `work_stealing::central_enqueue`, which the coordinator calls for
  /// every job scheduled without a worker as its execution context.
  template <class Coordinator>
  void central_enqueue(Coordinator* self, caf::resumable* job) {
    auto w = self->worker_by_id(d(self).next_worker++ % self->num_workers());
    auto& data = d(w);
    data.queue.prepend(job);
    // The same wake-up as CAF's: a sleeping worker checks its queue under
    // this lock before it waits, so it either sees the job or gets notified.
    std::unique_lock<std::mutex> guard{data.waitdata.lock};
    if (data.waitdata.sleeping && !data.queue.empty())
      data.waitdata.cv.notify_one();
  }
};

} // namespace stagehand
