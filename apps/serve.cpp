#include "apps/serve.hpp"

#include <csignal>
#include <memory>
#include <optional>
#include <ostream>

#include <pthread.h>

#include "core/log.hpp"
#include "runtime/runtime.hpp"
#include "services/node_loads.hpp"
#include "samples/sample_codeunits.hpp"
#include "server/admin/page_task_board.hpp"
#include "server/admin/session_board.hpp"
#include "server/deliveries/completion_deliveries.hpp"
#include "server/http/delivery_errc.hpp"
#include "server/security/first_run_key.hpp"
#include "server/http/json_response.hpp"
#include "server/operation_server.hpp"
#include "samples/sample_operations.hpp"
#include "server/scheduler/session_operation_runner.hpp"

namespace stagehand::apps {

namespace {

/// What a first run needs to try the API, ready to copy, as Jupyter prints
/// its token: the key, where it is kept, and a curl line that uses it.
void print_key(std::ostream& out, const first_run_key& key,
               const std::string& base_url) {
  out << (key.created ? "No api-keys are configured, so serve made an admin "
                        "key and keeps it in "
                      : "No api-keys are configured; using the admin key "
                        "kept in ")
      << key.path << ":\n    " << key.key
      << "\nList the operations with:\n    curl -H 'Authorization: Bearer "
      << key.key << "' " << base_url << "/api/data/v9.2/" << std::endl;
}

} // namespace

int run_serve(serve_config& cfg, std::ostream& out, std::ostream& err) {
  // Block the shutdown signals before any thread exists, so that every
  // thread inherits the mask and only sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto log = make_logger(cfg.log_level);
  std::optional<first_run_key> made_key;
  if (cfg.security.api_keys.empty()) {
    auto key = first_run_key::load_or_create(cfg.data_dir);
    if (!key) {
      err << "serve: " << error_text(key.error()) << '\n';
      return 1;
    }
    log->info("event=first_run_key path=\"{}\" created={}", key->path,
              key->created);
    cfg.security.api_keys = {key->entry()};
    made_key = std::move(*key);
  }
  auto allowlist
    = callback_allowlist::configured(cfg.security.callback_allowlist);
  if (!allowlist) {
    err << "serve: " << describe_delivery(allowlist.error()) << '\n';
    return 1;
  }
  // Before the runtime, whose threads tell them every step until it is gone.
  auto background = std::make_shared<session_board>();
  auto page_tasks = std::make_shared<page_task_board>();
  runtime rt{cfg, page_tasks->observer(), background->observer()};
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
  auto deliveries = make_notifier(cfg.deliveries, cfg.security, log);
  if (!deliveries) {
    err << "serve: " << describe_delivery(deliveries.error()) << '\n';
    return 1;
  }
  auto& out_box = **deliveries;
  operation_server server{cfg, registry, runner, log};
  server.set_runtime_counters([&rt] {
    return rt.stats();
  });
  server.set_node_loads([&rt] {
    return node_loads(rt.nodes(), rt.stats());
  });
  server.set_admin_sources({[&rt] {
                              return rt.active_sessions();
                            },
                            [&rt](session_id id) {
                              return rt.stop_session(id, "stopped by an admin");
                            },
                            background, page_tasks});
  server.set_target_check(std::make_unique<target_check>(*allowlist));
  server.set_completion_sink(deliver_completions(out_box, [&server] {
    return server.store().webhooks(operation_complete_event);
  }));
  if (auto e = server.start()) {
    err << "serve: " << cfg.render(e) << '\n';
    return 1;
  }
  out << "listening on " << server.base_url() << std::endl;
  if (made_key)
    print_key(out, *made_key, server.base_url());
  int received = 0;
  sigwait(&signals, &received);
  log->info("event=signal signal={}",
            received == SIGTERM ? "SIGTERM" : "SIGINT");
  server.shutdown();
  out_box.shutdown();
  return 0;
}

} // namespace stagehand::apps
