#include "tests/fuzz/request_path.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <string>

#include <unistd.h>

#include <boost/asio/error.hpp>

#include "core/log.hpp"
#include "server/api/operations_api.hpp"
#include "samples/sample_operations.hpp"

namespace stagehand::fuzz {

namespace http = boost::beast::http;

namespace {

/// Long enough for a synchronous submit through three retries on a loaded
/// machine; an answer later than this is a lost waiter.
constexpr auto answer_deadline = std::chrono::seconds(10);

[[noreturn]] void fail(const std::string& target, const std::string& why) {
  std::fprintf(stderr, "request '%s': %s\n", target.c_str(), why.c_str());
  std::abort();
}

/// Where an answer lands; a second answer to one request aborts.
struct answer_slot {
  std::mutex mtx;
  std::condition_variable cv;
  std::optional<http_response> res;
  std::string target;
};

/// An answer that names or changes an operation: the API's routes behind a
/// key, whatever spelling reached them.
bool reveals_operations(const http_response& res) {
  auto code = res.result_int();
  if (code < 200 || code > 299)
    return false;
  auto& body = res.body();
  return code != 200 || res.count("x-ms-dyn-backgroundoperationid") > 0
         || body.find("backgroundOperation") != std::string::npos
         || body.find("\"value\"") != std::string::npos;
}

} // namespace

request_path::request_path()
  : dir_(std::filesystem::temp_directory_path()
         / ("stagehand-fuzz-" + std::to_string(::getpid()))) {
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  cfg_.log_level = "off";
  cfg_.data_dir = dir_.string();
  cfg_.http.threads = 1;
  cfg_.security.api_keys
    = {"alice-key=alice", "bob-key=bob", "root-key=root:admin"};
  cfg_.operations.retry_initial_backoff = std::chrono::milliseconds(1);
  cfg_.operations.retry_max_backoff = std::chrono::milliseconds(5);
  // Rows expire after a second and are purged often, so that the database
  // stays small over millions of inputs and the purge runs too.
  cfg_.operations.ttl = std::chrono::seconds(1);
  cfg_.operations.ttl_purge_interval = std::chrono::milliseconds(200);
  cfg_.operations.ttl_purge_batch = 1000;
  if (auto err = cfg_.validate())
    fail("(setup)", "config: " + cfg_.render(err));
  if (auto err = register_sample_operations(registry_))
    fail("(setup)", "sample operations: " + cfg_.render(err));
  auto log = make_logger(cfg_.log_level);
  auto store
    = operation_store::open((dir_ / "system.db").string(),
                            cfg_.database_busy_timeout, cfg_.http.threads);
  if (!store)
    fail("(setup)", "system.db: " + cfg_.render(store.error()));
  store_ = std::move(*store);
  scheduler_ = std::make_unique<operation_scheduler>(cfg_.operations, store_,
                                                     registry_, runner_, log);
  // No DNS while fuzzing: every host name fails its lookup at once, and
  // IP literals are judged by the default (loopback) allowlist.
  check_ = std::make_unique<target_check>(
    callback_allowlist{}, target_check::default_deadline,
    [](boost::asio::io_context&, const std::string&,
       target_check::lookup_done done) {
      done(boost::asio::error::host_not_found, {});
    });
  // A fixed key, so that a crash's input replays with the same tokens.
  api_ = std::make_unique<operations_api>(
    cfg_.security, cfg_.operations, *store_, registry_, *scheduler_, metrics_,
    *check_, skiptoken{"fuzz"});
  keys_ = std::make_unique<api_key_ring>(cfg_.security.api_keys);
  scheduler_->start("http://fuzz.invalid");
}

request_path::~request_path() {
  scheduler_->shutdown(caf::timespan{0});
  check_->shutdown();
  api_.reset();
  scheduler_.reset();
  store_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void request_path::answer(http_request req) {
  auto slot = std::make_shared<answer_slot>();
  slot->target = std::string{req.method_string()} + " "
                 + std::string{req.target()};
  auto keyed = keys_->authenticate(std::string{req[http::field::authorization]})
               != nullptr;
  api_->handle(std::move(req), [slot](http_response res) {
    std::lock_guard<std::mutex> guard{slot->mtx};
    if (slot->res)
      fail(slot->target, "answered twice");
    slot->res = std::move(res);
    slot->cv.notify_all();
  });
  std::unique_lock<std::mutex> guard{slot->mtx};
  if (!slot->cv.wait_for(guard, answer_deadline, [&] { return !!slot->res; }))
    fail(slot->target, "no answer within 10 s");
  auto& res = *slot->res;
  if (res.result_int() == 500
      && res.body().find("\"InternalError\"") != std::string::npos)
    fail(slot->target, "a handler threw: " + res.body());
  if (!keyed && reveals_operations(res))
    fail(slot->target, "answered " + std::to_string(res.result_int())
                         + " without a valid key: " + res.body());
}

} // namespace stagehand::fuzz
