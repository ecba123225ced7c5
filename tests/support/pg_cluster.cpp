#include "tests/support/pg_cluster.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <libpq-fe.h>

#include "tests/support/child_process.hpp"
#include "tests/support/deadline.hpp"
#include "tests/support/pg_connection.hpp"
#include "tests/support/temp_data_dir.hpp"

namespace fs = std::filesystem;

namespace stagehand::test {

namespace {

/// Debian's postgresql-15 keeps its server binaries off PATH.
const fs::path bin_dir = "/usr/lib/postgresql/15/bin";

/// A port that was free a moment ago: bound to port 0, read, released. The
/// server binds it a little later, so another process may take it first;
/// the caller retries then.
int free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  BOOST_REQUIRE_MESSAGE(fd >= 0, "socket: " << std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0
            && ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  ::close(fd);
  BOOST_REQUIRE_MESSAGE(ok, "bind a loopback port: " << std::strerror(errno));
  return ntohs(addr.sin_port);
}

/// True once `pid` has ended, without reaping it: child_process reaps it.
bool has_ended(pid_t pid) {
  siginfo_t info{};
  return ::waitid(P_PID, static_cast<id_t>(pid), &info,
                  WEXITED | WNOHANG | WNOWAIT)
           == 0
         && info.si_pid == pid;
}

/// The last `n` lines of `text`.
std::string tail(const std::string& text, int n) {
  auto pos = text.size();
  for (int i = 0; i <= n && pos > 0; ++i) {
    auto nl = text.rfind('\n', pos - 1);
    pos = nl == std::string::npos ? 0 : nl;
  }
  return text.substr(pos);
}

} // namespace

pg_cluster::pg_cluster() : dir_(std::make_unique<temp_data_dir>()) {
  for (auto program : {"initdb", "postgres"})
    BOOST_REQUIRE_MESSAGE(fs::exists(bin_dir / program),
                          (bin_dir / program).string()
                            << " is missing: run scripts/setup, which "
                               "installs Debian's postgresql-15");
  as_postgres_ = ::geteuid() == 0;
  if (as_postgres_) {
    const passwd* user = ::getpwnam("postgres");
    BOOST_REQUIRE_MESSAGE(user != nullptr,
                          "no `postgres` user to run the server as (initdb "
                          "refuses root): run scripts/setup, whose "
                          "postgresql-15 package creates it");
    BOOST_REQUIRE_MESSAGE(
      ::chown(dir_->path.c_str(), user->pw_uid, user->pw_gid) == 0,
      "chown " << dir_->path << " to postgres: " << std::strerror(errno));
  }
  data_dir_ = (dir_->path / "data").string();
  init_data_dir();
  // Another process may take the port between our probe and the server's
  // bind; a few fresh ports make that harmless.
  for (int attempt = 1;; ++attempt) {
    port_ = free_loopback_port();
    if (start())
      return;
    BOOST_REQUIRE_MESSAGE(attempt < 5, "postgres found no free port in "
                                         << attempt << " tries" << log_tail());
  }
}

pg_cluster::~pg_cluster() {
  stop();
}

std::vector<std::string> pg_cluster::command(const std::string& program) const {
  // setpriv, not runuser: it can also set the parent-death signal, and it
  // execs the program, so the pid we hold is the server's own. SIGQUIT is
  // the server's immediate shutdown, which takes its backends with it.
  std::vector<std::string> args{"/usr/bin/setpriv", "--pdeathsig", "SIGQUIT"};
  if (as_postgres_)
    args.insert(args.end(), {"--reuid", "postgres", "--regid", "postgres",
                             "--init-groups"});
  args.insert(args.end(), {"--", (bin_dir / program).string()});
  return args;
}

void pg_cluster::init_data_dir() {
  auto args = command("initdb");
  // --no-sync and, at start, fsync=off: a throwaway server needs no
  // durability, and syncing costs seconds on a loaded CI disk.
  args.insert(args.end(),
              {"-D", data_dir_, "-A", "trust", "-U", "stagehand", "-E", "UTF8",
               "--no-locale", "--no-sync", "--no-instructions"});
  child_process initdb{args};
  auto code = initdb.wait_exit(wait_limit, "initdb " + data_dir_);
  BOOST_REQUIRE_MESSAGE(code == 0, "initdb failed:" << initdb.output());
}

bool pg_cluster::start() {
  auto args = command("postgres");
  args.insert(args.end(),
              {"-D", data_dir_, "-p", std::to_string(port_), "-k",
               dir_->path.string(), "-c", "listen_addresses=127.0.0.1", "-c",
               "fsync=off", "-c", "synchronous_commit=off", "-c",
               "full_page_writes=off"});
  server_ = std::make_unique<child_process>(args);
  // Readiness is the server answering libpq, polled against a deadline:
  // PQPING_REJECT while it starts up, PQPING_NO_RESPONSE before it listens.
  auto ping = url() + "?connect_timeout=5";
  auto deadline = std::chrono::steady_clock::now() + wait_limit;
  while (PQping(ping.c_str()) != PQPING_OK) {
    if (has_ended(server_->pid())) {
      // Reaped, and its log read to the end: the pipe may still hold the
      // last lines. The next start replaces this server_.
      server_->wait_exit(wait_limit, "end");
      if (server_->err().find("Address already in use") != std::string::npos)
        return false;
      BOOST_FAIL("postgres ended before it accepted connections on port "
                 << port_ << log_tail());
    }
    BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline,
                          "postgres did not accept connections on port "
                            << port_ << " within " << wait_limit.count()
                            << " ms" << log_tail());
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

void pg_cluster::stop() noexcept {
  // pid -1 once reaped: kill(-1) would signal every process we may signal.
  if (!server_ || server_->pid() <= 0)
    return;
  // Immediate shutdown: the postmaster ends its backends and exits without
  // a checkpoint, which a throwaway server does not need. child_process
  // kills it outright if it has not ended within the wait limit.
  ::kill(server_->pid(), SIGQUIT);
  auto deadline = std::chrono::steady_clock::now() + wait_limit;
  while (!has_ended(server_->pid())
         && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  server_.reset();
}

std::string pg_cluster::url() const {
  return url("postgres");
}

std::string pg_cluster::url(const std::string& database) const {
  return "postgresql://stagehand@127.0.0.1:" + std::to_string(port_) + "/"
         + database;
}

std::string pg_cluster::create_database(const std::string& name) {
  // Checked so that the name needs no escaping in the URL either.
  auto plain = [](char c) {
    return std::islower(static_cast<unsigned char>(c))
           || std::isdigit(static_cast<unsigned char>(c)) || c == '_';
  };
  BOOST_REQUIRE_MESSAGE(
    !name.empty() && std::all_of(name.begin(), name.end(), plain),
    "database name " << name << ": use a-z, 0-9 and _ only");
  pg_connection admin{url()};
  admin.exec("CREATE DATABASE " + admin.identifier(name));
  return url(name);
}

std::string pg_cluster::log_tail() const {
  if (!server_)
    return "";
  return "\n--- the server's log, last lines:\n" + tail(server_->err(), 30);
}

} // namespace stagehand::test
