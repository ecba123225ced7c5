#include "apps/serve.hpp"

#include <csignal>
#include <memory>
#include <ostream>

#include <pthread.h>

#include "runtime/log.hpp"
#include "runtime/runtime.hpp"
#include "samples/sample_codeunits.hpp"
#include "server/completion_deliveries.hpp"
#include "server/delivery_errc.hpp"
#include "server/operation_server.hpp"
#include "server/sample_operations.hpp"
#include "server/session_operation_runner.hpp"

namespace stagehand::apps {

int run_serve(config& cfg, std::ostream& out, std::ostream& err) {
  // Block the shutdown signals before any thread exists, so that every
  // thread inherits the mask and only sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto log = make_logger(cfg.log_level);
  runtime rt{cfg};
  operation_registry registry;
  if (auto e = samples::register_sample_codeunits(rt.codeunits());
      e || (e = register_sample_operations(registry))) {
    err << "serve: " << cfg.render(e) << '\n';
    return 1;
  }
  // Operations run as background sessions of the default company, whose
  // Session Event rows need its file.
  if (auto company = rt.open_admin_connection("CRONUS"); !company) {
    err << "serve: " << describe(company.error()) << '\n';
    return 1;
  }
  session_operation_runner runner{rt};
  // Before the server, so that it outlives every completion the server hands
  // it while shutting down.
  auto deliveries = make_notifier(cfg, log);
  if (!deliveries) {
    err << "serve: " << describe_delivery(deliveries.error()) << '\n';
    return 1;
  }
  auto& out_box = **deliveries;
  operation_server server{cfg, registry, runner, log};
  server.set_runtime_counters([&rt] { return rt.stats(); });
  server.set_target_check([&out_box](const std::string& url) -> caf::error {
    if (auto refused = out_box.check_target(url))
      return caf::make_error(caf::sec::invalid_argument,
                             describe_delivery(refused));
    return caf::none;
  });
  server.set_completion_sink(deliver_completions(out_box, [&server] {
    return server.store().webhooks(operation_complete_event);
  }));
  if (auto e = server.start()) {
    err << "serve: " << cfg.render(e) << '\n';
    return 1;
  }
  if (cfg.api_keys.empty())
    log->warn("event=no_api_keys hint=\"set stagehand.api-keys; every API "
              "call answers 401 until then\"");
  out << "listening on " << server.base_url() << std::endl;
  int received = 0;
  sigwait(&signals, &received);
  log->info("event=signal signal={}", received == SIGTERM ? "SIGTERM" : "SIGINT");
  server.shutdown();
  out_box.shutdown();
  return 0;
}

} // namespace stagehand::apps
