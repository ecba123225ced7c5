#include "data/wal_checkpointer.hpp"

namespace stagehand {

caf::expected<std::unique_ptr<wal_checkpointer>>
wal_checkpointer::start(const std::string& path, caf::timespan interval,
                        caf::timespan busy_timeout,
                        synchronous_mode synchronous,
                        std::function<void()> catch_up) {
  // The system tables are not AL tables, so no catalog names them.
  auto no_tables = std::make_shared<const table_catalog>();
  auto db = database::open(path, access_mode::read_write, no_tables,
                           busy_timeout, false, synchronous);
  if (!db)
    return db.error();
  return std::unique_ptr<wal_checkpointer>{
    new wal_checkpointer(std::move(*db), interval, std::move(catch_up))};
}

wal_checkpointer::wal_checkpointer(std::unique_ptr<database> db,
                                   caf::timespan interval,
                                   std::function<void()> catch_up)
  : db_(std::move(db)), interval_(interval), catch_up_(std::move(catch_up)) {
  thread_ = std::thread{[this] { run(); }};
}

wal_checkpointer::~wal_checkpointer() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void wal_checkpointer::run() {
  std::unique_lock<std::mutex> guard{mtx_};
  while (!cv_.wait_for(guard, interval_, [this] { return stopping_; })) {
    guard.unlock();
    try {
      db_->query("PRAGMA wal_checkpoint(PASSIVE)");
      if (catch_up_)
        catch_up_();
      ++checkpoints_;
    } catch (const database_error&) {
      // A PASSIVE checkpoint fails only with the file itself; the next turn
      // tries again, and the writer's automatic checkpoint (far larger) is
      // the backstop.
    }
    guard.lock();
  }
}

} // namespace stagehand
