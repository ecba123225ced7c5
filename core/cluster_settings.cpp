#include "core/cluster_settings.hpp"

#include <algorithm>

#include <arpa/inet.h>
#include <unistd.h>

namespace stagehand {

std::optional<placement_mode> parse_placement(const std::string& text) {
  if (text == "local")
    return placement_mode::local;
  if (text == "spread")
    return placement_mode::spread;
  if (text == "remote")
    return placement_mode::remote;
  return std::nullopt;
}

const char* to_string(placement_mode x) {
  switch (x) {
  case placement_mode::local:
    return "local";
  case placement_mode::spread:
    return "spread";
  case placement_mode::remote:
    return "remote";
  }
  return "unknown";
}

bool is_loopback(const std::string& address) {
  if (address == "localhost")
    return true;
  in_addr v4{};
  if (::inet_pton(AF_INET, address.c_str(), &v4) == 1)
    return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (::inet_pton(AF_INET6, address.c_str(), &v6) == 1) {
    in6_addr loop = IN6ADDR_LOOPBACK_INIT;
    return std::equal(v6.s6_addr, v6.s6_addr + 16, loop.s6_addr);
  }
  return false;
}

std::optional<cluster_problem> first_problem(const cluster_settings& x) {
  if (x.worker_capacity == 0)
    return cluster_problem{"worker-capacity", "must be at least 1"};
  if (!parse_placement(x.placement))
    return cluster_problem{"placement", "expected one of local, spread or "
                                        "remote"};
  std::string missing;
  auto note = [&missing](const std::string& value, const char* key) {
    if (value.empty())
      missing += std::string{missing.empty() ? "" : ", "} + key;
  };
  note(x.certificate, "cluster-certificate");
  note(x.key, "cluster-key");
  note(x.ca, "cluster-ca");
  auto any = !x.certificate.empty() || !x.key.empty() || !x.ca.empty();
  if (any && !x.tls())
    return cluster_problem{
      // The key that was set, so that the message says where it was set.
      !x.certificate.empty() ? "cluster-certificate"
                             : (!x.key.empty() ? "cluster-key" : "cluster-ca"),
      "cluster-certificate, cluster-key and cluster-ca go together; missing: "
        + missing};
  if (x.address.empty())
    return cluster_problem{"cluster-address", "must not be empty"};
  if (!x.tls() && !is_loopback(x.address))
    return cluster_problem{
      "cluster-address",
      "a non-loopback address needs mutual TLS: set cluster-certificate, "
      "cluster-key and cluster-ca"};
  return std::nullopt;
}

std::string default_node_name() {
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) != 0)
    host[0] = '\0';
  return std::string{host[0] != '\0' ? host : "localhost"} + ":"
         + std::to_string(::getpid());
}

} // namespace stagehand
