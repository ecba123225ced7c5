#include "data/company.hpp"

#include <chrono>

#include "core/errc.hpp"

namespace stagehand {

namespace {

/// How often a waiting borrower looks at its cancellation token. The token
/// has its own condition variable, so this bounds the delay, not correctness.
constexpr auto cancel_poll = std::chrono::milliseconds(5);

} // namespace

// -- reader_lease -------------------------------------------------------------

reader_lease::reader_lease(std::shared_ptr<company> owner,
                           std::unique_ptr<database> db)
  : owner_(std::move(owner)), db_(std::move(db)) {}

reader_lease::~reader_lease() {
  if (owner_ && db_)
    owner_->give_back(std::move(db_));
}

// -- company ------------------------------------------------------------------

company::company(std::string name, std::string path,
                 std::shared_ptr<const table_catalog> catalog,
                 std::size_t pool_size, caf::timespan busy_timeout,
                 synchronous_mode synchronous)
  : name_(std::move(name)), path_(std::move(path)),
    catalog_(std::move(catalog)), pool_size_(pool_size),
    busy_timeout_(busy_timeout), synchronous_(synchronous),
    log_writer_(
      [this] {
        auto opened = open_writer();
        if (!opened)
          throw database_error{describe(opened.error())};
        return std::move(*opened);
      },
      group_commit::limits{}) {}

caf::expected<std::unique_ptr<database>> company::open_writer() const {
  return database::open(path_, access_mode::read_write, catalog_, busy_timeout_,
                        false, synchronous_);
}

void company::with_log_writer(const std::function<void(database&)>& write) {
  log_writer_.run(write);
}

reader_lease company::acquire_reader(cancellation_token& token) {
  std::unique_ptr<database> db;
  {
    std::unique_lock<std::mutex> guard{mtx_};
    if (idle_.empty() && lent_ >= pool_size_) {
      ++waiting_;
      while (idle_.empty() && lent_ >= pool_size_ && !token.cancelled())
        cv_.wait_for(guard, cancel_poll);
      --waiting_;
    }
    if (token.cancelled())
      throw task_cancelled{};
    ++lent_;
    if (!idle_.empty()) {
      db = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!db) {
    // Opened outside the lock: opening reads the schema and may wait on I/O.
    auto opened
      = database::open(path_, access_mode::read_only, catalog_, busy_timeout_);
    if (!opened) {
      give_back(nullptr);
      throw database_error{describe(opened.error())};
    }
    db = std::move(*opened);
  }
  return reader_lease{shared_from_this(), std::move(db)};
}

std::size_t company::readers_in_use() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return lent_;
}

std::size_t company::readers_waiting() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return waiting_;
}

void company::give_back(std::unique_ptr<database> db) {
  if (db)
    db->rollback();
  {
    std::lock_guard<std::mutex> guard{mtx_};
    --lent_;
    if (db)
      idle_.push_back(std::move(db));
  }
  cv_.notify_one();
}

} // namespace stagehand
