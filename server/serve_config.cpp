#include "server/serve_config.hpp"

#include "core/option_checker.hpp"
#include "server/http/client_tls.hpp"
#include "server/security/api_key.hpp"

namespace stagehand {

serve_config::serve_config() {
  opt_group{custom_options_, "stagehand"}
    .add(http.address, "http-address", "address stagehand serve listens on")
    .add(http.port, "http-port", "port stagehand serve listens on (0: any)")
    .add(http.threads, "http-threads", "threads serving HTTP connections")
    .add(http.public_url, "http-public-url",
         "base of Location URLs (default http://ADDRESS:PORT)")
    .add(http.max_connections, "http-max-connections",
         "connections open at once; one more is answered 503")
    .add(http.header_timeout, "http-header-timeout",
         "time a request header may take before its connection closes")
    .add(security.api_keys, "api-keys",
         "bearer keys, each KEY=USER or KEY=USER:admin")
    .add(operations.shutdown_grace_period, "shutdown-grace-period",
         "how long running operations may finish after SIGTERM")
    .add(operations.max_retries, "operation-max-retries",
         "retries after a failed operation attempt")
    .add(operations.retry_initial_backoff, "operation-retry-initial-backoff",
         "delay before the first retry")
    .add(operations.retry_backoff_factor, "operation-retry-backoff-factor",
         "growth of the delay per retry")
    .add(operations.retry_max_backoff, "operation-retry-max-backoff",
         "longest delay before a retry")
    .add(operations.retry_jitter, "operation-retry-jitter",
         "fraction by which a delay is shortened at random")
    .add(operations.ttl, "operation-ttl", "ttlinseconds of new operations")
    .add(operations.ttl_purge_interval, "operation-ttl-purge-interval",
         "how often expired operations are purged")
    .add(operations.ttl_purge_batch, "operation-ttl-purge-batch",
         "expired operations deleted per transaction")
    .add(deliveries.secret, "delivery-secret",
         "HMAC-SHA256 key of callback and webhook signatures")
    .add(security.callback_allowlist, "callback-allowlist",
         "hosts and networks callbacks may target (empty: loopback)")
    .add(deliveries.max_attempts, "delivery-max-attempts",
         "attempts per callback or webhook delivery")
    .add(deliveries.initial_backoff, "delivery-initial-backoff",
         "wait after a delivery's first failed attempt")
    .add(deliveries.max_backoff, "delivery-max-backoff",
         "longest wait between delivery attempts")
    .add(deliveries.threads, "delivery-threads", "deliveries in flight at once")
    .add(deliveries.ca_file, "callback-ca-file",
         "CA (PEM) https receivers may be signed by, besides the system's");
  record_defaults();
}

caf::error serve_config::validate() const {
  if (auto err = config::validate())
    return err;
  auto invalid = [this](const char* key, const std::string& why) {
    return refuse(key, why);
  };
  if (http.address.empty())
    return invalid("http-address", "must not be empty");
  if (http.threads == 0)
    return invalid("http-threads", "must be at least 1");
  if (http.max_connections == 0)
    return invalid("http-max-connections", "must be at least 1");
  if (http.header_timeout < std::chrono::milliseconds(1))
    return invalid("http-header-timeout", "must be at least 1ms");
  if (auto why = check_api_keys(security.api_keys); !why.empty())
    return invalid("api-keys", why);
  if (operations.shutdown_grace_period.count() < 0)
    return invalid("shutdown-grace-period", "must not be negative");
  if (operations.retry_initial_backoff.count() < 0)
    return invalid("operation-retry-initial-backoff", "must not be negative");
  if (!(operations.retry_backoff_factor >= 1.0))
    return invalid("operation-retry-backoff-factor", "must be at least 1");
  if (operations.retry_max_backoff < operations.retry_initial_backoff)
    return invalid(
      "operation-retry-max-backoff",
      "must not be below operation-retry-initial-backoff ("
        + ini_text(caf::config_value{operations.retry_initial_backoff})
        + "); lower that one too");
  if (!(operations.retry_jitter >= 0.0 && operations.retry_jitter <= 1.0))
    return invalid("operation-retry-jitter", "must be between 0 and 1");
  if (operations.ttl < std::chrono::seconds(1))
    return invalid("operation-ttl", "must be at least 1s");
  if (operations.ttl_purge_interval.count() <= 0)
    return invalid("operation-ttl-purge-interval", "must be positive");
  if (operations.ttl_purge_batch == 0)
    return invalid("operation-ttl-purge-batch", "must be at least 1");
  if (deliveries.max_attempts == 0)
    return invalid("delivery-max-attempts", "must be at least 1");
  if (deliveries.initial_backoff.count() < 0)
    return invalid("delivery-initial-backoff", "must not be negative");
  if (deliveries.max_backoff < deliveries.initial_backoff)
    return invalid("delivery-max-backoff",
                   "must not be below delivery-initial-backoff ("
                     + ini_text(caf::config_value{deliveries.initial_backoff})
                     + "); lower that one too");
  if (deliveries.threads == 0)
    return invalid("delivery-threads", "must be at least 1");
  // Loaded as the notifier will load it, so that a file it would refuse
  // stops serve before it starts, with the key and where it was set.
  if (!deliveries.ca_file.empty())
    if (auto why = ca_file_problem(deliveries.ca_file); !why.empty())
      return invalid("callback-ca-file",
                     "cannot load '" + deliveries.ca_file + "': " + why);
  return caf::none;
}

} // namespace stagehand
