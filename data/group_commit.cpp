#include "data/group_commit.hpp"

namespace stagehand {

group_commit::group_commit(std::unique_ptr<database> db, limits lim)
  : limits_(lim), db_(std::move(db)) {}

group_commit::group_commit(opener open, limits lim)
  : open_(std::move(open)), limits_(lim) {}

group_commit::counts group_commit::committed() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return committed_;
}

std::size_t group_commit::queued() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return queue_.size();
}

void group_commit::submit(write& w) {
  std::unique_lock<std::mutex> guard{mtx_};
  queue_.push_back(&w);
  while (!w.done) {
    if (leading_) {
      cv_.wait(guard);
      continue;
    }
    leading_ = true;
    // Taken from the queue without allocating, so that nothing between here
    // and `done` throws and leaves the others waiting for a leader.
    std::size_t n = 0;
    while (n < queue_.size() && n < limits_.max_batch
           && !(queue_[n]->alone && n > 0)) {
      ++n;
      if (queue_[n - 1]->alone)
        break;
    }
    std::vector<write*> batch(queue_.begin(), queue_.begin() + n);
    queue_.erase(queue_.begin(), queue_.begin() + n);
    guard.unlock();
    commit(batch);
    guard.lock();
    for (auto* done : batch)
      done->done = true;
    if (!batch.front()->alone) {
      ++committed_.transactions;
      committed_.writes += batch.size();
    }
    leading_ = false;
    // Wakes the callers of this batch, and one of the rest to lead the next.
    cv_.notify_all();
  }
  if (w.error)
    std::rethrow_exception(w.error);
}

void group_commit::commit(const std::vector<write*>& batch) noexcept {
  write* culprit = nullptr;
  std::exception_ptr error;
  try {
    run_all(batch.data(), batch.size(), culprit);
    return;
  } catch (...) {
    error = std::current_exception();
  }
  if (open_)
    db_.reset();
  // Not one write's fault (the connection, BEGIN or COMMIT failed): every
  // write of the batch hears it, since running them again would only wait
  // out the same busy lock once per write.
  if (culprit == nullptr || batch.size() == 1) {
    for (auto* w : batch)
      w->error = error;
    return;
  }
  // One write failed and took the others' transaction with it: each runs
  // again alone, so that only the faulty one fails.
  for (auto* w : batch) {
    write* alone = nullptr;
    try {
      run_all(&w, 1, alone);
    } catch (...) {
      if (open_)
        db_.reset();
      w->error = std::current_exception();
    }
  }
}

void group_commit::run_all(write* const* batch, std::size_t n,
                           write*& culprit) {
  auto& db = connection();
  if (batch[0]->alone) {
    culprit = batch[0];
    batch[0]->work(db);
    return;
  }
  db.begin();
  try {
    for (std::size_t i = 0; i < n; ++i) {
      culprit = batch[i];
      batch[i]->work(db);
    }
    culprit = nullptr;
    db.commit();
  } catch (...) {
    db.rollback();
    throw;
  }
}

database& group_commit::connection() {
  if (!db_)
    db_ = open_();
  return *db_;
}

} // namespace stagehand
