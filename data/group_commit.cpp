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
  // A leader waiting for a fuller batch wants to know.
  if (leading_ && limits_.max_wait.count() > 0)
    cv_.notify_all();
  while (!w.done) {
    if (leading_) {
      cv_.wait(guard);
      continue;
    }
    leading_ = true;
    if (limits_.max_wait.count() > 0 && queue_.size() < limits_.max_batch)
      cv_.wait_for(guard, limits_.max_wait,
                   [this] { return queue_.size() >= limits_.max_batch; });
    std::deque<write*> batch;
    while (!queue_.empty() && batch.size() < limits_.max_batch
           && !(queue_.front()->alone && !batch.empty())) {
      batch.push_back(queue_.front());
      queue_.pop_front();
      if (batch.back()->alone)
        break;
    }
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

void group_commit::commit(std::deque<write*>& batch) {
  try {
    run_all(batch);
    return;
  } catch (...) {
    if (open_)
      db_.reset();
    if (batch.size() == 1) {
      batch.front()->error = std::current_exception();
      return;
    }
  }
  // One write failed and took the others' transaction with it: each runs
  // again alone, so that only the faulty one fails.
  for (auto* w : batch) {
    std::deque<write*> one{w};
    try {
      run_all(one);
    } catch (...) {
      if (open_)
        db_.reset();
      w->error = std::current_exception();
    }
  }
}

void group_commit::run_all(std::deque<write*>& batch) {
  auto& db = connection();
  if (batch.front()->alone) {
    batch.front()->work(db);
    return;
  }
  db.begin();
  try {
    for (auto* w : batch)
      w->work(db);
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
