#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <caf/expected.hpp>
#include <caf/timespan.hpp>

#include "data/database.hpp"

namespace stagehand {

/// Copies a database's WAL back into its file from a thread of its own.
/// SQLite's automatic checkpoint runs inside whichever commit crosses the
/// WAL's size threshold, and with `synchronous=normal` that is the one place
/// a commit syncs: two fdatasyncs, seen to take up to 100 ms, paid by one
/// request while every other writer queued behind it (benchmarks/soak: they
/// set the p99 and the stalls). A writer that has this thread moves SQLite's
/// automatic checkpoint far up; the thread checkpoints PASSIVE on its own
/// connection, which waits for no writer and no reader, so that commits
/// do not pay for copying and syncing the bulk of the WAL.
///
/// SQLite starts a WAL over only when a writer begins while every frame is
/// copied back, which under steady load never happens by itself: a
/// checkpoint on another connection always trails the commits made while it
/// ran, and the WAL grew by 100 MB a minute. So after each checkpoint the
/// thread calls `catch_up`, which has the writer copy the few frames
/// committed meanwhile, between two of its transactions.
class wal_checkpointer {
public:
  /// Opens a connection to `path` and, every `interval` on a thread of its
  /// own until destroyed, checkpoints, then calls `catch_up` (if any).
  static caf::expected<std::unique_ptr<wal_checkpointer>>
  start(const std::string& path, caf::timespan interval,
        caf::timespan busy_timeout, synchronous_mode synchronous,
        std::function<void()> catch_up = {});

  wal_checkpointer(const wal_checkpointer&) = delete;
  wal_checkpointer& operator=(const wal_checkpointer&) = delete;

  /// Stops the thread after the checkpoint it may be running.
  ~wal_checkpointer();

  /// Checkpoints that ran, so that a test can wait for one.
  std::size_t checkpoints() const noexcept {
    return checkpoints_.load();
  }

private:
  wal_checkpointer(std::unique_ptr<database> db, caf::timespan interval,
                   std::function<void()> catch_up);

  void run();

  std::unique_ptr<database> db_;
  caf::timespan interval_;
  std::function<void()> catch_up_;
  std::mutex mtx_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::atomic<std::size_t> checkpoints_{0};
  std::thread thread_;
};

} // namespace stagehand
