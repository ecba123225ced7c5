#include "core/prompt_clock_scheduler.hpp"

#include <caf/defaults.hpp>
#include <caf/policy/work_sharing.hpp>
#include <caf/scheduler/coordinator.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/settings.hpp>

#include "core/clock_first_work_stealing.hpp"
#include "core/prompt_actor_clock.hpp"

namespace stagehand {

namespace {

/// CAF's coordinator with the clock swapped. Its own clock thread still
/// starts, but nothing reaches that clock, so it only sleeps.
template <class Policy>
class prompt_clock_coordinator : public caf::scheduler::coordinator<Policy> {
public:
  using super = caf::scheduler::coordinator<Policy>;

  explicit prompt_clock_coordinator(caf::actor_system& sys) : super(sys) {}

  prompt_actor_clock& clock() noexcept override {
    return clock_;
  }

protected:
  void start() override {
    clock_.start(&clock_first_work_stealing::schedule_first_from_this_thread);
    super::start();
  }

  void stop() override {
    super::stop();
    clock_.stop();
  }

private:
  prompt_actor_clock clock_;
};

caf::actor_system::module* make_scheduler(caf::actor_system& sys) {
  auto policy = caf::get_or(sys.config(), "scheduler.policy",
                            caf::defaults::scheduler::policy);
  if (policy == caf::atom("testing"))
    return new caf::scheduler::test_coordinator(sys);
  if (policy == caf::atom("sharing"))
    return new prompt_clock_coordinator<caf::policy::work_sharing>(sys);
  return new prompt_clock_coordinator<clock_first_work_stealing>(sys);
}

} // namespace

void use_prompt_clock(caf::actor_system_config& cfg) {
  using factory_ptr = caf::actor_system::module* (*)(caf::actor_system&);
  for (auto& f : cfg.module_factories)
    if (auto target = f.target<factory_ptr>();
        target != nullptr && *target == &make_scheduler)
      return;
  cfg.module_factories.emplace_back(&make_scheduler);
}

} // namespace stagehand
