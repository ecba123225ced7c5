#include "apps/worker_command.hpp"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <thread>

#include <unistd.h>

#include <pthread.h>

#include "core/errc.hpp"
#include "runtime/worker.hpp"
#include "samples/sample_codeunits.hpp"

namespace stagehand::apps {

std::optional<host_port> parse_host_port(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    return std::nullopt;
  auto host = text.substr(0, colon);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']')
      return std::nullopt;
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string::npos) {
    return std::nullopt; // an IPv6 address needs its brackets
  }
  auto digits = text.substr(colon + 1);
  if (digits.size() > 5
      || digits.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  auto port = std::stoul(digits);
  if (port == 0 || port > 65535)
    return std::nullopt;
  return host_port{host, static_cast<std::uint16_t>(port)};
}

int run_worker(config& cfg, const std::string& address, std::ostream& out,
               std::ostream& err) {
  auto target = parse_host_port(address);
  if (!target) {
    err << "worker: expected HOST:PORT of a coordinator, e.g. "
           "127.0.0.1:4710, got '"
        << address << "'\n";
    return 2;
  }
  // Block the shutdown signals before any thread exists, so that every
  // thread inherits the mask and only sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  worker w{cfg};
  if (auto e = samples::register_sample_codeunits(w.codeunits())) {
    err << ("worker: " + describe(e) + "\n") << std::flush;
    return 1;
  }
  if (auto e = w.join(target->host, target->port)) {
    // One write: the log's own thread may be writing to stderr meanwhile.
    err << ("worker: cannot join " + address + ": " + describe(e) + "\n")
        << std::flush;
    // Not through the destructors: CAF 0.17.6's actor system can wait for
    // ever at shutdown for a connection attempt the join gave up on (a door
    // that accepts and never answers its handshake), and a worker that
    // cannot join must end within 5 s.
    std::fflush(nullptr);
    ::_exit(1);
  }
  out << "joined " << address << " as " << w.node_name() << " (coordinator "
      << w.coordinator() << ")" << std::endl;
  std::atomic<bool> signalled{false};
  std::thread watch{[&] {
    int received = 0;
    sigwait(&signals, &received);
    signalled = true;
    w.leave();
  }};
  auto why = w.wait();
  // Read before the watch is woken below, which sets the flag too.
  bool by_signal = signalled;
  if (!by_signal)
    pthread_kill(watch.native_handle(), SIGTERM); // ends its sigwait
  watch.join();
  if (why && !by_signal) {
    err << ("worker: " + describe(why) + "\n") << std::flush;
    return 1;
  }
  return 0;
}

} // namespace stagehand::apps
