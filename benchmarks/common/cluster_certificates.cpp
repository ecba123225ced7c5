#include "benchmarks/common/cluster_certificates.hpp"

#include <cstdlib>
#include <stdexcept>

namespace stagehand::bench {

namespace {

void run(const std::string& cmd) {
  auto quiet = cmd + " >/dev/null 2>&1";
  if (std::system(quiet.c_str()) != 0)
    throw std::runtime_error("failed: " + cmd);
}

} // namespace

cluster_certificates::cluster_certificates(
  const std::vector<std::string>& nodes) {
  run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=bench-ca'"
      " -keyout " + file("ca.key") + " -out " + file("ca.pem"));
  for (auto& node : nodes) {
    run("openssl req -newkey rsa:2048 -nodes -subj '/CN=" + node + "' -keyout "
        + file(node + ".key") + " -out " + file(node + ".csr"));
    run("openssl x509 -req -days 2 -in " + file(node + ".csr") + " -CA "
        + file("ca.pem") + " -CAkey " + file("ca.key")
        + " -CAcreateserial -out " + file(node + ".pem"));
  }
}

std::vector<std::string>
cluster_certificates::options(const std::string& node) const {
  return {"--stagehand.cluster-certificate=" + file(node + ".pem"),
          "--stagehand.cluster-key=" + file(node + ".key"),
          "--stagehand.cluster-ca=" + file("ca.pem")};
}

std::string cluster_certificates::file(const std::string& name) const {
  return (dir_.path() / name).string();
}

} // namespace stagehand::bench
