// `stagehand_bench`: runs every scenario against Stagehand and its two
// baselines (the raw CAF floor and a hand-written asio thread pool), prints
// a table of figures with their ratios, and writes JSON plus plot data.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "benchmarks/common/distributed_table.hpp"
#include "benchmarks/common/http_api_requests.hpp"
#include "benchmarks/common/measure.hpp"
#include "benchmarks/common/scenarios.hpp"
#include "benchmarks/common/soak_series.hpp"

using namespace stagehand::bench;

namespace {

constexpr double none = std::numeric_limits<double>::quiet_NaN();

/// One figure, measured for each implementation in the same run.
struct row {
  std::string scenario;
  std::string metric;
  std::string unit;
  bool higher_is_better = false;
  double stagehand = none;
  double raw_caf = none;
  double thread_pool = none;
};

/// Settings of a run: the full suite, or the quick smoke test.
struct settings {
  bool quick = false;
  std::vector<std::size_t> throughput_sessions;
  std::int64_t throughput_tasks;
  std::int64_t latency_tasks;
  int isolation_sleepers;
  std::int64_t isolation_probes;
  std::int64_t isolation_baseline_probes;
  std::size_t scale_sessions;
  std::size_t queue_sessions;
  std::int64_t timeout_tasks;
  http_api_counts http_requests;
  distributed_counts distributed;
  /// The soak's length, and its floor's: a floor does not drift.
  std::chrono::seconds soak{0};
  std::chrono::seconds soak_floor{0};

  explicit settings(bool quick_run) : quick(quick_run) {
    if (quick) {
      throughput_sessions = {1, 10, 100};
      throughput_tasks = 20'000;
      latency_tasks = 2'000;
      isolation_sleepers = 4;
      isolation_probes = 50;
      isolation_baseline_probes = 3;
      scale_sessions = 5'000;
      queue_sessions = 500;
      timeout_tasks = 5'000;
      http_requests = {2'000, 2'000, 4, 300, 200, 2};
      distributed = {10, 10'000, 1'000, 3, 50, 100};
      soak = std::chrono::seconds{5};
      soak_floor = std::chrono::seconds{2};
    } else {
      throughput_sessions = {1, 10, 100, 1'000, 10'000};
      throughput_tasks = 200'000;
      latency_tasks = 20'000;
      isolation_sleepers = 20;
      isolation_probes = 1'000;
      isolation_baseline_probes = 5;
      scale_sessions = 100'000;
      queue_sessions = 10'000;
      timeout_tasks = 100'000;
      http_requests = {30'000, 50'000, 4, 5'000, 2'000, 20};
      distributed = {10, 50'000, 5'000, 20, 500, 100};
      soak = std::chrono::seconds{180};
      soak_floor = std::chrono::seconds{10};
    }
  }
};

void progress(const std::string& what) {
  std::cerr << "[bench] " << what << std::endl;
}

std::string format(double x) {
  if (std::isnan(x))
    return "-";
  std::ostringstream out;
  if (std::abs(x) >= 100)
    out << std::fixed << std::setprecision(0) << x;
  else
    out << std::fixed << std::setprecision(2) << x;
  return out.str();
}

std::string ratio(double ours, double base) {
  if (std::isnan(ours) || std::isnan(base) || base == 0)
    return "-";
  return format(ours / base) + "x";
}

void print_table(const std::vector<row>& rows) {
  std::cout << std::left << std::setw(14) << "scenario" << std::setw(36)
            << "figure" << std::right << std::setw(13) << "stagehand"
            << std::setw(13) << "raw CAF" << std::setw(13) << "thread pool"
            << std::setw(11) << "vs CAF" << std::setw(11) << "vs pool"
            << "  unit\n";
  for (auto& r : rows)
    std::cout << std::left << std::setw(14) << r.scenario << std::setw(36)
              << r.metric << std::right << std::setw(13) << format(r.stagehand)
              << std::setw(13) << format(r.raw_caf) << std::setw(13)
              << format(r.thread_pool) << std::setw(11)
              << ratio(r.stagehand, r.raw_caf) << std::setw(11)
              << ratio(r.stagehand, r.thread_pool) << "  " << r.unit
              << (r.higher_is_better ? " (higher is better)" : "") << '\n';
}

nlohmann::json to_json(const row& r) {
  auto num = [](double x) {
    return std::isnan(x) ? nlohmann::json(nullptr) : nlohmann::json(x);
  };
  return {{"scenario", r.scenario},
          {"figure", r.metric},
          {"unit", r.unit},
          {"higher_is_better", r.higher_is_better},
          {"stagehand", num(r.stagehand)},
          {"raw_caf", num(r.raw_caf)},
          {"thread_pool", num(r.thread_pool)}};
}

/// Writes sorted samples at 200 quantiles: the latency CDF plot's data.
void write_cdf(const std::string& path, const std::vector<double>& a,
               const std::vector<double>& b, const std::vector<double>& c) {
  std::ofstream out{path};
  out << "# quantile stagehand_us raw_caf_us thread_pool_us\n";
  for (int i = 0; i <= 200; ++i) {
    auto q = i / 200.0;
    out << q << ' ' << percentile(a, q) << ' ' << percentile(b, q) << ' '
        << percentile(c, q) << '\n';
  }
}

/// Where a scenario puts its figures and plot data.
struct sink {
  const settings& s;
  const std::string& out_dir;
  std::vector<row>& rows;
  std::vector<local_row>& local_rows;
};

void throughput(sink& out) {
  std::ofstream tput{out.out_dir + "/throughput.dat"};
  tput << "# sessions stagehand raw_caf thread_pool stagehand_actors "
          "(tasks/s)\n";
  for (auto p : out.s.throughput_sessions) {
    progress("throughput P=" + std::to_string(p));
    row r{"throughput", "tasks/s, P=" + std::to_string(p), "tasks/s", true};
    r.stagehand = throughput_stagehand(p, out.s.throughput_tasks);
    r.raw_caf = throughput_raw_caf(p, out.s.throughput_tasks);
    r.thread_pool = throughput_thread_pool(p, out.s.throughput_tasks);
    // The same work through the actor API (a subscriber actor per session),
    // against the baselines of this run.
    row a{"throughput", "tasks/s, P=" + std::to_string(p) + ", actor API",
          "tasks/s", true};
    a.stagehand = throughput_stagehand_actors(p, out.s.throughput_tasks);
    a.raw_caf = r.raw_caf;
    a.thread_pool = r.thread_pool;
    tput << p << ' ' << r.stagehand << ' ' << r.raw_caf << ' ' << r.thread_pool
         << ' ' << a.stagehand << '\n';
    out.rows.push_back(r);
    out.rows.push_back(a);
  }
}

void latency(sink& out) {
  progress("latency");
  auto lat_s = latency_stagehand(out.s.latency_tasks);
  auto lat_c = latency_raw_caf(out.s.latency_tasks);
  auto lat_t = latency_thread_pool(out.s.latency_tasks);
  for (auto [name, q] : {std::pair{"p50", 0.5}, std::pair{"p99", 0.99},
                         std::pair{"p99.9", 0.999}})
    out.rows.push_back({"latency", std::string{name} + " enqueue->trigger",
                        "us", false, percentile(lat_s, q), percentile(lat_c, q),
                        percentile(lat_t, q)});
  write_cdf(out.out_dir + "/latency_cdf.dat", lat_s, lat_c, lat_t);
}

void isolation(sink& out) {
  progress("isolation (baselines block their threads: this takes a while)");
  auto& s = out.s;
  auto iso_s = isolation_stagehand(s.isolation_sleepers, s.isolation_probes);
  auto iso_c
    = isolation_raw_caf(s.isolation_sleepers, s.isolation_baseline_probes);
  auto iso_t
    = isolation_thread_pool(s.isolation_sleepers, s.isolation_baseline_probes);
  out.rows.push_back(
    {"isolation",
     "probe p99, " + std::to_string(s.isolation_sleepers) + "x5 sleeping", "us",
     false, percentile(iso_s, 0.99), percentile(iso_c, 0.99),
     percentile(iso_t, 0.99)});
}

void session_scale(sink& out) {
  auto n = out.s.scale_sessions;
  progress("session_scale N=" + std::to_string(n));
  auto scale_s = session_scale_stagehand(n);
  auto scale_c = session_scale_raw_caf(n);
  auto scale_t = session_scale_thread_pool(n);
  auto label = ", N=" + std::to_string(n);
  out.rows.push_back({"session_scale", "bytes per session+page" + label, "B",
                      false, scale_s.bytes_per_session,
                      scale_c.bytes_per_session, scale_t.bytes_per_session});
  out.rows.push_back({"session_scale", "opens/s" + label, "opens/s", true,
                      scale_s.opens_per_second, scale_c.opens_per_second,
                      scale_t.opens_per_second});
}

void queue_memory(sink& out) {
  auto n = out.s.queue_sessions;
  progress("queue_memory sessions=" + std::to_string(n));
  out.rows.push_back(
    {"queue_memory", "bytes per queued task, " + std::to_string(n) + "x100",
     "B", false, queue_memory_stagehand(n), none, queue_memory_thread_pool(n)});
}

void timeouts(sink& out) {
  auto n = out.s.timeout_tasks;
  progress("timeouts tasks=" + std::to_string(n));
  auto to_s = timeouts_stagehand(n);
  auto to_c = timeouts_raw_caf(n);
  auto to_t = timeouts_thread_pool(n);
  for (auto [name, q] : {std::pair{"p50", 0.5}, std::pair{"p99", 0.99}})
    out.rows.push_back({"timeouts", std::string{name} + " lateness", "us",
                        false, percentile(to_s, q), percentile(to_c, q),
                        percentile(to_t, q)});
}

void point_read(sink& out) {
  progress("point_read");
  auto reads = out.s.latency_tasks;
  auto pr_s = point_read_stagehand(reads);
  auto pr_q = point_read_sqlite(reads);
  // The bare SQLite floor goes in the baseline column; no thread pool row.
  for (auto [name, q] : {std::pair{"p50", 0.5}, std::pair{"p99", 0.99}})
    out.rows.push_back({"point_read",
                        std::string{name} + " child read; base=SQLite", "us",
                        false, percentile(pr_s, q), percentile(pr_q, q), none});
}

/// One client on one connection, each answer awaited, against the floor
/// answering the same client's submits one after another: a job queue's
/// figures (the peers' are in scenarios.hpp).
void http_api_one_client(sink& out) {
  auto& n = out.s.http_requests;
  progress("http_api one client: end_to_end=" + std::to_string(n.end_to_end)
           + " round_trips=" + std::to_string(n.round_trips)
           + " batches=" + std::to_string(n.batches) + "x"
           + std::to_string(http_api_batch_limit));
  auto e2e = http_api_end_to_end_stagehand(n.end_to_end);
  auto sync = http_api_round_trip_stagehand(n.round_trips);
  auto bulk = http_api_batch_stagehand(n.batches);
  auto floor = http_api_sequential_beast_floor(n.end_to_end);
  auto base = floor.requests_per_second;
  out.rows.push_back({"http_api", "e2e ops/s, 1 client; base=seq.", "ops/s",
                      true, e2e.operations_per_second, base, none});
  out.rows.push_back({"http_api", "e2e submits/s; base=seq.", "requests/s",
                      true, e2e.submits_per_second, base, none});
  for (auto [label, q] : {std::pair{"p50", 0.5}, std::pair{"p99", 0.99}})
    out.rows.push_back(
      {"http_api", std::string{label} + " sync submit; base=seq.", "us", false,
       percentile(sync, q), percentile(floor.latencies, q), none});
  // The floor answers no $batch: its base is single submits one by one.
  out.rows.push_back({"http_api", "$batch items/s; base=seq. POST/s", "items/s",
                      true, bulk, base, none});
}

void http_api(sink& out) {
  auto& n = out.s.http_requests;
  progress("http_api submits=" + std::to_string(n.submits)
           + " gets=" + std::to_string(n.gets)
           + " connections=" + std::to_string(n.connections));
  auto ours = http_api_stagehand(n);
  auto floor = http_api_beast_floor(n);
  // The bare Beast floor goes in the baseline column; no thread pool row.
  for (auto [what, ours_load, floor_load] :
       {std::tuple{"submit", &ours.submits, &floor.submits},
        std::tuple{"GET", &ours.gets, &floor.gets}}) {
    auto name = std::string{what};
    out.rows.push_back({"http_api", name + "s/s; base=Beast", "requests/s",
                        true, ours_load->requests_per_second,
                        floor_load->requests_per_second, none});
    for (auto [label, q] : {std::pair{"p50", 0.5}, std::pair{"p99", 0.99}})
      out.rows.push_back({"http_api", std::string{label} + " " + name, "us",
                          false, percentile(ours_load->latencies, q),
                          percentile(floor_load->latencies, q), none});
  }
  out.rows.push_back({"http_api", "status GETs/s; base=/healthz", "requests/s",
                      true, ours.gets.requests_per_second,
                      ours.healthz.requests_per_second, none});
  http_api_one_client(out);
}

/// Synchronous submits for minutes against the floor's seconds: whether
/// latency or memory drifts and how long the worst stall is (soak.dat has
/// them per second).
void soak(sink& out) {
  progress("soak " + std::to_string(out.s.soak.count()) + "s, floor "
           + std::to_string(out.s.soak_floor.count()) + "s");
  auto ours = soak_stagehand(out.s.soak);
  auto floor = soak_beast_floor(out.s.soak_floor);
  write_soak_series(out.out_dir + "/soak.dat", ours.load);
  out.rows.push_back({"soak", "sync submits/s; base=Beast", "requests/s", true,
                      ours.load.requests_per_second,
                      floor.requests_per_second, none});
  for (auto [label, q] : {std::pair{"p50", 0.5}, std::pair{"p99", 0.99},
                          std::pair{"p99.9", 0.999}, std::pair{"max", 1.0}})
    out.rows.push_back({"soak", std::string{label} + " sync submit", "us",
                        false, percentile(ours.load.latencies, q),
                        percentile(floor.latencies, q), none});
  constexpr double mib = 1 << 20;
  out.rows.push_back({"soak", "RSS at the end; base=at the start", "MiB",
                      false, ours.rss_end / mib, ours.rss_start / mib, none});
}

void distributed(sink& out) {
  // Its figures have the local placement as their baseline, not raw CAF or
  // the thread pool: a table of their own (benchmarks/common/).
  out.local_rows = run_distributed(out.s.distributed);
}

/// Every scenario, in the order the suite runs them.
const std::vector<std::pair<std::string, void (*)(sink&)>> scenarios{
  {"throughput", throughput},     {"latency", latency},
  {"isolation", isolation},       {"session_scale", session_scale},
  {"queue_memory", queue_memory}, {"timeouts", timeouts},
  {"point_read", point_read},     {"http_api", http_api},
  {"soak", soak},                 {"distributed", distributed},
};

} // namespace

int main(int argc, char** argv) {
  bool quick = false;
  std::string only;
  std::string out_dir = "benchmarks/results";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--quick") {
      quick = true;
    } else if (arg == "--out" && i + 1 < argc) {
      out_dir = argv[++i];
    } else if (arg == "--only" && i + 1 < argc) {
      only = argv[++i];
    } else {
      std::cerr << "usage: stagehand_bench [--quick] [--only SCENARIO] "
                   "[--out DIR]\n";
      return 2;
    }
  }
  // Every .dat file and the JSON go there: a missing folder would lose them
  // without a word.
  std::error_code made;
  std::filesystem::create_directories(out_dir, made);
  if (made) {
    std::cerr << "stagehand_bench: cannot create " << out_dir << ": "
              << made.message() << '\n';
    return 2;
  }
  auto known = std::any_of(scenarios.begin(), scenarios.end(), [&](auto& x) {
    return x.first == only;
  });
  if (!only.empty() && !known) {
    std::cerr << "stagehand_bench: unknown scenario '" << only
              << "'; scenarios are:";
    for (auto& x : scenarios)
      std::cerr << ' ' << x.first;
    std::cerr << '\n';
    return 2;
  }
  settings s{quick};
  std::vector<row> rows;
  std::vector<local_row> local_rows;
  sink out{s, out_dir, rows, local_rows};
  // A scenario that fails (a worker that cannot join, say) is reported and
  // the rest still run; the exit status tells CI.
  int status = 0;
  for (auto& [name, run] : scenarios) {
    if (!only.empty() && only != name)
      continue;
    try {
      run(out);
    } catch (const std::exception& e) {
      std::cerr << "[bench] " << name << " failed: " << e.what() << std::endl;
      status = 1;
    }
  }

  if (!rows.empty())
    print_table(rows);
  print_distributed(std::cout, local_rows);
  nlohmann::json doc{{"quick", quick},
                     {"hardware_threads", std::thread::hardware_concurrency()},
                     {"figures", nlohmann::json::array()}};
  for (auto& r : rows)
    doc["figures"].push_back(to_json(r));
  doc["distributed"] = nlohmann::json::array();
  for (auto& r : local_rows)
    doc["distributed"].push_back(to_json(r));
  std::ofstream{out_dir + "/latest.json"} << doc.dump(2) << '\n';
  return status;
}
