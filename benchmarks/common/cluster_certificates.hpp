#pragma once
// Certificates for the TLS rows of the distributed scenario, made with the
// `openssl` command as docs/cluster.md shows, in a temp dir.

#include <string>
#include <vector>

#include "benchmarks/common/worker_processes.hpp"

namespace stagehand::bench {

/// A CA and one certificate per node that it signed; removed with this.
class cluster_certificates {
public:
  /// Makes the CA and a certificate for each of `nodes`; throws
  /// `std::runtime_error` naming the command that failed.
  explicit cluster_certificates(const std::vector<std::string>& nodes);

  /// The `--stagehand.cluster-certificate/-key/-ca` options of `node`.
  std::vector<std::string> options(const std::string& node) const;

private:
  std::string file(const std::string& name) const;

  temp_dir dir_{"certificates"};
};

} // namespace stagehand::bench
