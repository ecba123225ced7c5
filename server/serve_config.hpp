#pragma once

#include <caf/error.hpp>

#include "runtime/config.hpp"
#include "server/deliveries/delivery_settings.hpp"
#include "server/http/http_settings.hpp"
#include "server/operations/operation_settings.hpp"
#include "server/security/security_settings.hpp"

namespace stagehand {

/// The runtime's configuration plus the keys of `stagehand serve`, in the
/// same `[stagehand]` section of the same INI file and command line. The
/// server's settings live here, above the runtime, so that the runtime does
/// not know the server exists; each part of the server reads only its own
/// settings struct, so a key added to one part rebuilds that part.
///
/// ```ini
/// [stagehand]
/// http-address="127.0.0.1"
/// http-port=8080
/// http-threads=2
/// http-public-url=""   ; base of Location URLs; empty: http://ADDRESS:PORT
/// http-max-connections=1024   ; one more is answered 503 and closed
/// http-header-timeout=10s     ; a slower request header closes its connection
/// api-keys=["s3cret=alice", "t0p=root:admin"]   ; KEY=USER[:admin]
/// shutdown-grace-period=30s
/// operation-max-retries=3
/// operation-retry-initial-backoff=1s
/// operation-retry-backoff-factor=2.0
/// operation-retry-max-backoff=1min
/// operation-retry-jitter=0.2
/// operation-ttl=7776000s                  ; 90 days, at least 1s
/// operation-ttl-purge-interval=1min
/// operation-ttl-purge-batch=100
/// delivery-secret="..."                   ; signs callbacks and webhooks
/// callback-allowlist=["127.0.0.0/8", "::1", "localhost"]
/// delivery-max-attempts=8
/// delivery-initial-backoff=1s
/// delivery-max-backoff=1min
/// delivery-threads=2
/// callback-ca-file=""                     ; CA of https receivers, PEM
/// ```
class serve_config : public config {
public:
  serve_config();

  http_settings http;
  security_settings security;
  operation_settings operations;
  delivery_settings deliveries;

  /// The runtime's checks, then the server's; the error names the key as
  /// `config::validate` does.
  caf::error validate() const override;
};

} // namespace stagehand
