#include "benchmarks/common/bench_cluster.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>

#include "benchmarks/common/stagehand_driver.hpp"
#include "services/node_table.hpp"

namespace stagehand::bench {

bench_cluster::bench_cluster(std::vector<std::string> args,
                             page_observer observer) {
  args.push_back("--stagehand.data-dir=" + data_.path().string());
  args.push_back("--stagehand.node-name=coordinator");
  // Parsed as the tool parses its command line, so that the keys mean here
  // what docs/cluster.md says they mean.
  std::vector<char*> argv{const_cast<char*>("stagehand_bench")};
  for (auto& a : args)
    argv.push_back(a.data());
  auto err = cfg_.parse(static_cast<int>(argv.size()), argv.data());
  if (!err)
    err = cfg_.validate();
  if (err)
    throw std::runtime_error("coordinator config: " + config::render(err));
  cfg_.enable_cluster();
  rt_ = make_runtime(cfg_, std::move(observer));
  auto bound = rt_->listen_for_workers(0);
  if (!bound)
    throw std::runtime_error("listen_for_workers: " + describe(bound.error()));
  port_ = *bound;
}

bench_cluster::~bench_cluster() {
  workers_.clear();
  rt_.reset();
}

std::string bench_cluster::door() const {
  return "127.0.0.1:" + std::to_string(port_);
}

bool bench_cluster::is_live(const std::string& node) const {
  auto entry = rt_->nodes().find(node);
  return entry && entry->live;
}

worker_process&
bench_cluster::start_worker(const std::string& name,
                            const std::vector<std::string>& options) {
  workers_.push_back(std::make_unique<worker_process>(door(), name, options));
  auto& w = *workers_.back();
  auto until = clock_type::now() + join_limit;
  while (!is_live(name)) {
    if (w.ended() || clock_type::now() >= until) {
      auto log = w.log();
      drop_worker(w);
      throw std::runtime_error("worker " + name + " did not join within "
                               + std::to_string(join_limit.count())
                               + " s; its log:\n" + log);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return w;
}

void bench_cluster::drop_worker(const worker_process& w) {
  workers_.erase(std::remove_if(workers_.begin(), workers_.end(),
                                [&](auto& x) { return x.get() == &w; }),
                 workers_.end());
}

} // namespace stagehand::bench
