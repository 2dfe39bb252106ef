#include "hotline/runtime/open_tickets.hpp"

#include <cmath>
#include <utility>

#include <nlohmann/json.hpp>

#include "hotline/store/ticket.hpp"

namespace hotline::runtime {
namespace {

// The customer's id as the resolver put it in the pop (attributes hold
// numbers as doubles); 0 for a pop without a stored customer.
store::CustomerId customer_id(const nlohmann::json& pop) {
  const auto customer = pop.find("customer");
  if (customer == pop.end() || !customer->is_object()) return 0;
  const auto id = customer->find("id");
  if (id == customer->end() || !id->is_number()) return 0;
  const double value = id->get<double>();
  if (!(value >= 1) || value > 9.0e15 || std::floor(value) != value) return 0;
  return static_cast<store::CustomerId>(value);
}

}  // namespace

Status add_open_tickets(store::TicketStore& tickets, engine::Command& ring) {
  if (ring.kind != engine::Command::Kind::kRingAgent) return {};
  nlohmann::json pop = nlohmann::json::parse(ring.args_json, nullptr, false);
  if (!pop.is_object()) return {};  // not the engine's screen pop: nothing to add to
  nlohmann::json open = nlohmann::json::array();
  if (const store::CustomerId id = customer_id(pop)) {
    store::TicketQuery query;
    query.customer = id;
    query.open_only = true;
    query.order = store::TicketQuery::Order::kNewestFirst;
    query.limit = kScreenPopOpenTickets;
    auto page = tickets.list(query);
    if (!page) return std::move(page).error();
    for (const store::Ticket& t : page->tickets) {
      open.push_back({{"id", t.id},
                      {"number", t.number},
                      {"subject", t.subject},
                      {"status", store::status_name(t.status)},
                      {"priority", store::priority_name(t.priority)},
                      {"created_at", t.created_at}});
    }
  }
  pop["open_tickets"] = std::move(open);
  ring.args_json = pop.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return {};
}

}  // namespace hotline::runtime
