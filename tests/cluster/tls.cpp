// Tests the cluster door over mutual TLS (caf_openssl) with real processes:
// certificates made with the `openssl` command in a temp dir, a worker whose
// certificate the cluster's CA signed joins, one from another CA is refused.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <string>

#include "tests/support/cluster_nodes.hpp"

using namespace stagehand;
using namespace stagehand::test;
using std::chrono::milliseconds;
using clock_type = std::chrono::steady_clock;

namespace {

void run(const std::string& cmd) {
  auto full = cmd + " >/dev/null 2>&1";
  BOOST_REQUIRE_MESSAGE(std::system(full.c_str()) == 0, "failed: " << cmd);
}

/// Two CAs in a temp dir, each with node certificates, as docs/cluster.md
/// makes them.
struct pki {
  temp_data_dir dir;

  std::string path(const std::string& name) const {
    return (dir.path / name).string();
  }

  void make_ca(const std::string& ca) {
    run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=" + ca
        + "' -keyout " + path(ca + ".key") + " -out " + path(ca + ".pem"));
  }

  void make_node(const std::string& ca, const std::string& node) {
    run("openssl req -newkey rsa:2048 -nodes -subj '/CN=" + node + "' -keyout "
        + path(node + ".key") + " -out " + path(node + ".csr"));
    run("openssl x509 -req -days 2 -in " + path(node + ".csr") + " -CA "
        + path(ca + ".pem") + " -CAkey " + path(ca + ".key")
        + " -CAcreateserial -out " + path(node + ".pem"));
  }

  /// The three keys for `node`, trusting `ca`.
  std::vector<std::string> keys(const std::string& ca,
                                const std::string& node) const {
    return {"--stagehand.cluster-certificate=" + path(node + ".pem"),
            "--stagehand.cluster-key=" + path(node + ".key"),
            "--stagehand.cluster-ca=" + path(ca + ".pem")};
  }

  pki() {
    make_ca("ca");
    make_ca("other-ca");
    make_node("ca", "coordinator");
    make_node("ca", "good");
    make_node("other-ca", "stranger");
  }
};

long ms_since_start(const worker_process& w) {
  return static_cast<long>(std::chrono::duration_cast<milliseconds>(
                             clock_type::now() - w.started)
                             .count());
}

} // namespace

BOOST_AUTO_TEST_SUITE(cluster_tls)

BOOST_AUTO_TEST_CASE(a_worker_of_the_same_ca_joins_over_tls) {
  pki certs;
  coordinator_runtime coord{certs.keys("ca", "coordinator")};
  worker_process w{coord.door(), "good", certs.keys("ca", "good")};
  w.joined();
  BOOST_CHECK(coord.is_live("good"));
  // The worker's log is written by its own thread, after the joined line.
  w.proc.wait_for_output("tls=true", milliseconds(5000),
                         "the worker's event=joined line");
  BOOST_TEST_MESSAGE("TLS join: " << w.join_ms() << " ms");
  auto t0 = clock_type::now();
  w.proc.signal(SIGSTOP);
  auto lost = coord.lost_after("good", t0);
  BOOST_TEST_MESSAGE("SIGSTOP to lost over TLS: " << lost.count() << " ms");
  BOOST_CHECK_LT(lost.count(), 1000);
}

BOOST_AUTO_TEST_CASE(a_worker_of_another_ca_is_refused_naming_the_certificate) {
  pki certs;
  coordinator_runtime coord{certs.keys("ca", "coordinator")};
  worker_process w{coord.door(), "stranger",
                   certs.keys("other-ca", "stranger")};
  auto code = w.proc.wait_exit(milliseconds(5000), "be refused");
  BOOST_TEST_MESSAGE("refused certificate to exit: " << ms_since_start(w)
                                                     << " ms");
  BOOST_CHECK_NE(code, 0);
  BOOST_CHECK_MESSAGE(w.proc.err().find("was refused: the certificate "
                                        "(cluster-certificate)")
                        != std::string::npos,
                      w.proc.output());
  BOOST_CHECK(!coord.rt->nodes().find("stranger"));
}

BOOST_AUTO_TEST_CASE(a_worker_without_tls_cannot_pass_a_tls_door) {
  pki certs;
  coordinator_runtime coord{certs.keys("ca", "coordinator")};
  worker_process w{coord.door(), "plain"};
  BOOST_CHECK_NE(w.proc.wait_exit(milliseconds(5000), "be refused"), 0);
  BOOST_CHECK_MESSAGE(w.proc.err().find("worker: cannot join")
                        != std::string::npos,
                      w.proc.output());
  BOOST_CHECK(!coord.rt->nodes().find("plain"));
}

BOOST_AUTO_TEST_SUITE_END()
