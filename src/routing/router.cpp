// The router object itself: construction and options, ids to indexes, the
// output queue and time. The rest lives in its rooms: configuration and ring
// compilation (router_configuration.cpp), the free-agent index and staffing
// (free_agent_index.cpp), presence (presence.cpp), the contact lifecycle and
// timers (contact_lifecycle.cpp), views and snapshots (router_views.cpp), and
// choosing who gets what (selection.cpp).
#include <algorithm>
#include <fmt/format.h>

#include "router_impl.hpp"

namespace hotline::routing {

Result<AgentIndex> Router::Impl::lookup_agent(std::string_view id) const {
  const AgentIndex* ai = agent_by_id.find(id);
  if (!ai) return not_found("agent", id);
  return *ai;
}

Result<QueueIndex> Router::Impl::lookup_queue(std::string_view id) const {
  const QueueIndex* qi = queue_by_id.find(id);
  if (!qi) return not_found("queue", id);
  return *qi;
}

Router::Router(RouterOptions options) : impl_(std::make_unique<Impl>(options)) {}

Router::~Router() = default;

Status Router::set_options(RouterOptions options) {
  if (options.reoffer_delay_ms < 0 || options.default_service_level_ms < 0) {
    return make_error(Errc::kInvalidArgument, "router options: durations must not be negative");
  }
  Impl& s = *impl_;
  s.options = options;
  s.rng.seed(options.seed);
  return {};
}

const RouterOptions& Router::options() const noexcept { return impl_->options; }

void Router::reserve_contacts(std::size_t contacts) {
  impl_->contacts.reserve(contacts);
  impl_->reservations.reserve(contacts);
  // A waiting contact holds up to two timers (its ring's widening, its
  // queue's longest wait), one being offered its offer's timeout too.
  impl_->timers.reserve(2 * contacts);
}

TimeMs Router::next_deadline() const noexcept { return impl_->timers.next_deadline(); }

void Router::advance(TimeMs now) {
  TimerHeap::Due due;
  while (impl_->timers.pop_due(now, &due)) impl_->on_timer(due, now);
}

std::vector<Output>& Router::outputs() noexcept { return impl_->out; }

// Straight from the maps: a miss is an answer here, not an error to word
// (loading a configuration asks once for each of a million new agents).
std::optional<AgentIndex> Router::find_agent(std::string_view id) const noexcept {
  const AgentIndex* ai = impl_->agent_by_id.find(id);
  if (!ai) return std::nullopt;
  return *ai;
}

std::optional<QueueIndex> Router::find_queue(std::string_view id) const noexcept {
  const QueueIndex* qi = impl_->queue_by_id.find(id);
  if (!qi) return std::nullopt;
  return *qi;
}

const std::string& Router::agent_id(AgentIndex agent) const {
  return impl_->agents.at(agent).id;
}

const std::string& Router::queue_id(QueueIndex queue) const {
  return impl_->queues.at(queue).config.id;
}

}  // namespace hotline::routing
