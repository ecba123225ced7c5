#pragma once

#include <cstddef>
#include <chrono>
#include <cstdint>
#include <vector>

#include "benchmarks/common/http_load.hpp"
#include "benchmarks/common/measure.hpp"

namespace stagehand::bench {

/// One function per scenario and implementation; each file under
/// benchmarks/<scenario>/ defines one of them.

// -- throughput: tasks/s, `sessions` × 5 empty tasks in flight ---------------

double throughput_stagehand(std::size_t sessions, std::int64_t tasks);
/// The same through the actor API: a subscriber actor per session.
double throughput_stagehand_actors(std::size_t sessions, std::int64_t tasks);
double throughput_raw_caf(std::size_t sessions, std::int64_t tasks);
double throughput_thread_pool(std::size_t sessions, std::int64_t tasks);

// -- latency: µs per task, one page, one task after another -------------------

std::vector<double> latency_stagehand(std::int64_t tasks);
std::vector<double> latency_raw_caf(std::int64_t tasks);
std::vector<double> latency_thread_pool(std::int64_t tasks);

// -- isolation: µs per probe task while `sleepers` sessions × 5 tasks sleep
//    100 ms each. A baseline may starve its probe; after `isolation_window`
//    it stops and counts the probe still waiting as taking that long so far.

inline constexpr std::chrono::seconds isolation_window{10};

std::vector<double> isolation_stagehand(int sleepers, std::int64_t probes);
std::vector<double> isolation_raw_caf(int sleepers, std::int64_t probes);
std::vector<double> isolation_thread_pool(int sleepers, std::int64_t probes);

// -- session_scale: memory and speed of opening sessions with a page ---------

struct scale_result {
  double bytes_per_session = 0;
  double opens_per_second = 0;
};

/// Runs `open_all`, which opens `sessions` sessions with a page each and
/// returns once all are open, and measures what it costs.
template <class OpenAll>
scale_result measure_opening(std::size_t sessions, OpenAll open_all) {
  auto rss_before = rss_bytes();
  auto start = clock_type::now();
  open_all();
  auto seconds = micros(clock_type::now() - start) / 1e6;
  auto rss_after = rss_bytes();
  return {static_cast<double>(rss_after - rss_before) / sessions,
          sessions / seconds};
}

scale_result session_scale_stagehand(std::size_t sessions);
scale_result session_scale_raw_caf(std::size_t sessions);
scale_result session_scale_thread_pool(std::size_t sessions);

// -- queue_memory: bytes per queued task, `sessions` × 100 queued -------------

double queue_memory_stagehand(std::size_t sessions);
double queue_memory_thread_pool(std::size_t sessions);

// -- timeouts: µs between a timeout's deadline and its error -----------------

std::vector<double> timeouts_stagehand(std::int64_t tasks);
std::vector<double> timeouts_raw_caf(std::int64_t tasks);
std::vector<double> timeouts_thread_pool(std::int64_t tasks);

// -- point_read: µs per child session that reads one record, one after
//    another, against the same read on a bare SQLite connection ------------

std::vector<double> point_read_stagehand(std::int64_t reads);
std::vector<double> point_read_sqlite(std::int64_t reads);

// -- http_api: asynchronous submits (`POST` answering 202), then status
//    `GET`s of the submitted ids, over loopback keep-alive connections ------

struct http_api_counts {
  std::int64_t submits = 0;
  std::int64_t gets = 0;
  std::size_t connections = 0;
  /// Operations one client submits and then polls to their end.
  std::int64_t end_to_end = 0;
  /// Synchronous submits, one after another.
  std::int64_t round_trips = 0;
  /// `$batch` requests of `http_api_batch_limit` submits each.
  std::int64_t batches = 0;
};

struct http_api_result {
  http_load::result submits;
  http_load::result gets;
  /// `GET /healthz` on the same connections right after the status GETs:
  /// what a GET costs the server without the operation behind it.
  http_load::result healthz;
};

http_api_result http_api_stagehand(const http_api_counts& n);
http_api_result http_api_beast_floor(const http_api_counts& n);

// -- http_api with one client on one connection, each answer awaited before
//    the next request, as a worker of a job queue uses its broker. Peers
//    measured on this machine (issue 23): Celery 5.2 953 ops/s end to end
//    and a 1.19/5.7 ms p50/p99 round trip; BullMQ 2,733 ops/s and
//    0.98/5.3 ms; BullMQ's addBulk about 12,000 jobs/s ----------------------

struct http_api_end_to_end_result {
  /// From the first submit until every operation was seen Succeeded.
  double operations_per_second = 0;
  /// The asynchronous submits alone.
  double submits_per_second = 0;
};

/// `operations` asynchronous Echo submits, then status polls until every
/// one reached Succeeded.
http_api_end_to_end_result http_api_end_to_end_stagehand(
  std::int64_t operations);

/// µs per synchronous Echo submit, each answered once its operation ended.
std::vector<double> http_api_round_trip_stagehand(std::int64_t submits);

/// Submits accepted per second through `batches` `$batch` requests.
double http_api_batch_stagehand(std::int64_t batches);

/// The floor under all three: `requests` submits one after another.
http_load::result http_api_sequential_beast_floor(std::int64_t requests);

// -- soak: synchronous Echo submits (each answered 200 once its operation
//    ended) on `soak_connections` keep-alive connections for minutes, to
//    see whether latency or memory drifts with time and how long the
//    longest stall is; the floor answers the same requests for seconds ----

/// Connections of the soak and of its floor: a small pool of workers.
inline constexpr std::size_t soak_connections = 4;

struct soak_result {
  http_load::timed_result load;
  /// VmRSS of this process, which holds the server, before the first
  /// request and after the last answer.
  std::size_t rss_start = 0;
  std::size_t rss_end = 0;
};

soak_result soak_stagehand(std::chrono::seconds duration);
http_load::timed_result soak_beast_floor(std::chrono::seconds duration);

// -- distributed: empty tasks placed on `stagehand worker` processes over
//    loopback, beside placement local; cancels and queued tasks the same
//    way; and how soon a lost worker is seen --------------------------------

struct distributed_counts {
  /// Pages (one per session), each keeping 5 tasks in flight: enough to
  /// fill two workers of 8 slots and keep their queues non-empty.
  std::size_t sessions = 0;
  /// Tasks for tasks/s, and tasks one after another for the latency.
  std::int64_t tasks = 0;
  std::int64_t latency_tasks = 0;
  /// Workers lost per signal for the detection times.
  int detection_trials = 0;
  /// Cancels timed, one after another, on each side.
  int cancel_trials = 0;
  /// Sessions that each queue `queued_per_session` tasks behind 5 running.
  std::size_t queued_sessions = 0;
};

struct distributed_result {
  double tasks_per_second = 0;
  /// µs from enqueue to completion trigger, one task at a time.
  std::vector<double> latencies;
};

/// `workers` 0 is placement local on a coordinator without workers; else
/// placement remote on that many workers. `tls` puts the door and every
/// worker on mutual TLS.
distributed_result distributed_stagehand(int workers, bool tls,
                                         const distributed_counts& n);

struct detection_result {
  /// ms from the signal to the node table's `live == false`.
  std::vector<double> lost_ms;
  /// ms from the signal to the error event of the task that ran there.
  std::vector<double> task_error_ms;
};

/// Starts a worker per trial, runs a long task on it, sends `sig` (SIGKILL
/// or SIGSTOP) and times the coordinator's noticing.
detection_result lost_node_detection(int sig, int trials);

/// µs from each cancel call to the page's `cancelled` event (acknowledged)
/// of a running wait task: placement local with `workers` 0, else remote.
std::vector<double> cancel_round_trip(int workers, int trials);

struct queued_result {
  /// The coordinator's RSS growth per queued task.
  double bytes_per_queued_task = 0;
  /// Queued tasks completed per second once their sessions' slots freed.
  double tasks_per_second = 0;
};

/// Tasks each session queues in `queued_drain`: the default queue limit.
inline constexpr int queued_per_session = 100;

/// `sessions` × `queued_per_session` empty tasks queued behind 5 running
/// wait tasks each: their memory, then how fast they drain. Placement as for
/// the cancels.
queued_result queued_drain(int workers, std::size_t sessions);

} // namespace stagehand::bench
