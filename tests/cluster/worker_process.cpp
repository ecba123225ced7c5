// Tests cluster/ and `stagehand worker` with real processes on loopback: a
// worker joins a coordinator runtime in this process, and the coordinator
// sees it go: SIGTERM, kill -9, SIGSTOP, a refused join, a dead address.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <csignal>
#include <iostream>
#include <string>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "samples/sample_codeunits.hpp"
#include "tests/support/cluster_nodes.hpp"
#include "tests/support/deadline.hpp"

using namespace stagehand;
using namespace stagehand::test;
using std::chrono::milliseconds;
using clock_type = std::chrono::steady_clock;

namespace {

/// A loopback port that nothing listens on (bound, then closed).
std::uint16_t dead_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  BOOST_REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr))
                == 0);
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

long ms_since(clock_type::time_point t) {
  return static_cast<long>(
    std::chrono::duration_cast<milliseconds>(clock_type::now() - t).count());
}

/// A message type only the coordinator registers, so that its fingerprint
/// differs from the worker's.
struct only_here {
  int x = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, only_here& x) {
  return f(caf::meta::type_name("stagehand::test_only_here"), x.x);
}

} // namespace

BOOST_AUTO_TEST_SUITE(cluster_worker_process)

BOOST_AUTO_TEST_CASE(a_worker_joins_and_is_live_in_the_node_table) {
  coordinator_runtime coord;
  worker_process w{coord.door(), "w1", {"--stagehand.worker-capacity=3"}};
  auto line = w.joined();
  w.proc.wait_for_output("event=joined", milliseconds(5000),
                         "the worker's event=joined line");
  BOOST_TEST_MESSAGE("process start to joined line: "
                     << ms_since(w.started)
                     << " ms; the join itself: " << w.join_ms() << " ms");
  BOOST_CHECK_EQUAL(line, "joined " + coord.door()
                            + " as w1 (coordinator coordinator)");
  auto entry = coord.rt->nodes().find("w1");
  BOOST_REQUIRE(entry);
  BOOST_CHECK(entry->live);
  BOOST_CHECK_EQUAL(entry->capacity, 3u);
  BOOST_CHECK(entry->has(samples::wait_codeunit));
  BOOST_CHECK(!entry->has(4711));
  BOOST_CHECK_EQUAL(coord.rt->nodes().live().size(), 1u);
}

BOOST_AUTO_TEST_CASE(sigterm_ends_a_worker_with_exit_0) {
  coordinator_runtime coord;
  worker_process w{coord.door(), "w1"};
  w.joined();
  auto t0 = clock_type::now();
  BOOST_CHECK_EQUAL(w.proc.stop(SIGTERM), 0);
  BOOST_TEST_MESSAGE("SIGTERM to exit: " << ms_since(t0) << " ms");
  auto lost = coord.lost_after("w1", t0);
  BOOST_TEST_MESSAGE("SIGTERM to lost: " << lost.count() << " ms");
  BOOST_CHECK_EQUAL(coord.rt->nodes().find("w1")->lost_count, 1u);
}

BOOST_AUTO_TEST_CASE(kill_9_of_a_worker_is_seen_within_a_second) {
  coordinator_runtime coord;
  worker_process w{coord.door(), "w1"};
  w.joined();
  auto t0 = clock_type::now();
  w.proc.signal(SIGKILL);
  auto lost = coord.lost_after("w1", t0);
  BOOST_TEST_MESSAGE("kill -9 to lost: " << lost.count() << " ms");
  BOOST_CHECK_LT(lost.count(), 1000);
}

BOOST_AUTO_TEST_CASE(a_stopped_worker_is_seen_lost_within_a_second) {
  coordinator_runtime coord;
  worker_process w{coord.door(), "w1"};
  w.joined();
  auto t0 = clock_type::now();
  w.proc.signal(SIGSTOP);
  // The heartbeats (100 ms, cut off after 600 ms of silence) catch a frozen
  // process, whose connection stays open.
  auto lost = coord.lost_after("w1", t0);
  BOOST_TEST_MESSAGE("SIGSTOP to lost: " << lost.count() << " ms");
  BOOST_CHECK_GE(lost.count(), 400);
  BOOST_CHECK_LT(lost.count(), 1000);
}

BOOST_AUTO_TEST_CASE(heartbeat_keys_override_the_defaults) {
  // With CAF's own keys set longer on the coordinator, a frozen worker is
  // seen later than the defaults would: the override takes effect.
  coordinator_runtime coord{{"--middleman.heartbeat-interval=200ms",
                             "--middleman.connection-timeout=1500ms"}};
  worker_process w{coord.door(), "w1"};
  w.joined();
  auto t0 = clock_type::now();
  w.proc.signal(SIGSTOP);
  auto lost = coord.lost_after("w1", t0);
  BOOST_TEST_MESSAGE("SIGSTOP to lost with 200ms/1500ms: " << lost.count()
                                                           << " ms");
  BOOST_CHECK_GE(lost.count(), 1200);
}

BOOST_AUTO_TEST_CASE(a_coordinator_that_shuts_down_says_goodbye) {
  auto coord = std::make_unique<coordinator_runtime>();
  worker_process w{coord->door(), "w1"};
  w.joined();
  coord.reset();
  BOOST_CHECK_EQUAL(w.proc.wait_exit(milliseconds(5000),
                                     "end after the coordinator's shutdown"),
                    0);
  BOOST_CHECK_MESSAGE(w.proc.err().find("event=coordinator_goodbye")
                        != std::string::npos,
                      w.proc.output());
}

BOOST_AUTO_TEST_CASE(a_lost_coordinator_ends_its_worker_naming_it) {
  // The coordinator is this test binary in a process of its own, so that it
  // can be killed without a goodbye.
  child_process coord{{"/proc/self/exe", "--run_test=coordinator_process",
                       "--log_level=nothing", "--report_level=no"}};
  std::string line;
  while ((line = coord.read_line()).rfind("door ", 0) != 0) {
  }
  worker_process w{line.substr(5), "w1"};
  w.joined();
  auto t0 = clock_type::now();
  coord.signal(SIGKILL);
  auto code = w.proc.wait_exit(milliseconds(5000), "end when its coordinator "
                                                   "went");
  BOOST_TEST_MESSAGE("coordinator kill -9 to worker exit: " << ms_since(t0)
                                                            << " ms");
  BOOST_CHECK_NE(code, 0);
  BOOST_CHECK_MESSAGE(w.proc.err().find("worker: Node coordinator was lost.")
                        != std::string::npos,
                      w.proc.output());
}

BOOST_AUTO_TEST_CASE(a_dead_address_fails_naming_it) {
  auto port = std::to_string(dead_port());
  worker_process w{"127.0.0.1:" + port, "w1"};
  // The join's own bound is what ends it (its message names the address);
  // the wait is only a deadline, wide enough for a sanitized build on a
  // loaded machine, since timing is not asserted in end-to-end tests.
  auto code
    = w.proc.wait_exit(milliseconds(15000), "give up on a dead address");
  BOOST_TEST_MESSAGE("dead address to exit: " << ms_since(w.started) << " ms");
  BOOST_CHECK_NE(code, 0);
  BOOST_CHECK_MESSAGE(w.proc.err().find("worker: cannot join 127.0.0.1:" + port
                                        + ": No coordinator reachable at")
                        != std::string::npos,
                      w.proc.output());
}

BOOST_AUTO_TEST_CASE(a_door_that_never_answers_fails_by_the_join_s_bound) {
  // A listener that accepts (the kernel does, from its backlog) and says
  // nothing: the join's own bound ends it.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  BOOST_REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr))
                == 0);
  BOOST_REQUIRE(::listen(fd, 8) == 0);
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  auto port = std::to_string(ntohs(addr.sin_port));
  worker_process w{"127.0.0.1:" + port, "w1"};
  // The join gives up after its 4.5 s bound, which the message below
  // shows (`no answer within …`); the wait is only a deadline, wide enough
  // for a sanitized build on a loaded machine.
  auto code = w.proc.wait_exit(milliseconds(15000), "give up on a mute door");
  ::close(fd);
  BOOST_TEST_MESSAGE("mute door to exit: " << ms_since(w.started) << " ms");
  BOOST_CHECK_NE(code, 0);
  BOOST_CHECK_MESSAGE(w.proc.err().find("No coordinator reachable at "
                                        "127.0.0.1:"
                                        + port + ": no answer within")
                        != std::string::npos,
                      w.proc.output());
}

BOOST_AUTO_TEST_CASE(a_second_live_node_of_one_name_is_refused) {
  coordinator_runtime coord;
  worker_process first{coord.door(), "twin"};
  first.joined();
  worker_process second{coord.door(), "twin"};
  BOOST_CHECK_NE(second.proc.wait_exit(milliseconds(5000), "be refused"), 0);
  BOOST_CHECK_MESSAGE(
    second.proc.err().find("A live node is already called 'twin'")
      != std::string::npos,
    second.proc.output());
  BOOST_CHECK(coord.is_live("twin"));
}

BOOST_AUTO_TEST_CASE(a_worker_with_other_message_types_is_refused) {
  coordinator_runtime coord{{}, [](config& cfg) {
                              cfg.add_message_type<only_here>(
                                "stagehand::test_only_here");
                            }};
  worker_process w{coord.door(), "w1"};
  BOOST_CHECK_NE(w.proc.wait_exit(milliseconds(5000), "be refused"), 0);
  BOOST_CHECK_MESSAGE(w.proc.err().find("Message-type mismatch")
                        != std::string::npos,
                      w.proc.output());
  BOOST_CHECK(!coord.rt->nodes().find("w1"));
}

BOOST_AUTO_TEST_SUITE_END()

/// The coordinator of `a_lost_coordinator_ends_its_worker_naming_it`, run
/// only as its child process (outside every suite, so that no ctest test
/// runs it): opens a door, prints `door HOST:PORT`, and waits to be killed.
BOOST_AUTO_TEST_CASE(coordinator_process, *boost::unit_test::disabled()) {
  coordinator_runtime coord;
  std::cout << "door " << coord.door() << std::endl;
  std::this_thread::sleep_for(wait_limit);
}
