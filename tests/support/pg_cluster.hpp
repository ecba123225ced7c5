#pragma once

#include <memory>
#include <string>
#include <vector>

namespace stagehand::test {

class child_process;
struct temp_data_dir;

/// A throwaway PostgreSQL server for one test or suite: `initdb` into a
/// temp dir, then `postgres` on a free loopback port, with its unix socket in
/// that dir; stopped (immediate shutdown) and removed with this object, also
/// when the test fails. CI starts no server, and the Debian package's own
/// cluster on 5432, if any, is never touched.
///
/// PostgreSQL refuses to run as root, so a root test process runs the
/// server binaries as the package's `postgres` user, with the dir chowned to
/// it; anyone else runs them as themselves. The binaries are Debian's
/// postgresql-15 (`scripts/setup` installs it); without them the constructor
/// fails the test, naming the missing path.
///
/// Construct it on the test's own thread: the server is started with a
/// parent-death signal, so that a test process killed outright does not
/// leave it running, and that signal follows the thread that started it.
class pg_cluster {
public:
  /// Starts the server; returns once it accepts connections, or fails the
  /// test with the server's log within the test's wait limit.
  pg_cluster();

  pg_cluster(const pg_cluster&) = delete;
  pg_cluster& operator=(const pg_cluster&) = delete;

  ~pg_cluster();

  /// `postgresql://stagehand@127.0.0.1:PORT/postgres`: the superuser
  /// `stagehand`, with no password (trust), on the `postgres` database.
  std::string url() const;

  /// The same server's database `database`.
  std::string url(const std::string& database) const;

  int port() const {
    return port_;
  }

  /// The server's data dir, inside the temp dir that goes with this object.
  const std::string& data_dir() const {
    return data_dir_;
  }

  /// Creates the database `name` (lowercase letters, digits and `_`);
  /// returns its URL.
  std::string create_database(const std::string& name);

  /// The last lines the server logged, for failure messages.
  std::string log_tail() const;

private:
  /// The command line that runs `program` of the server binaries as the
  /// server's user.
  std::vector<std::string> command(const std::string& program) const;

  void init_data_dir();

  /// Starts `postgres` on `port_` and waits until it answers. False if it
  /// ended because the port was taken in the meantime (then try another).
  bool start();

  /// Ends the server, if it runs, with an immediate shutdown.
  void stop() noexcept;

  std::unique_ptr<temp_data_dir> dir_;
  std::unique_ptr<child_process> server_;
  std::string data_dir_;
  bool as_postgres_ = false;
  int port_ = 0;
};

} // namespace stagehand::test
