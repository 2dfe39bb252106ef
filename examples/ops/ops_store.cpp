#include "ops_store.hpp"

#include "hotline/runtime/runtime.hpp"
#include "hotline/runtime/store_opening.hpp"

namespace hotline::ops {

Result<std::unique_ptr<OpsStore>> OpsStore::open(const store::StoreConfig& config) {
  auto storage = runtime::open_storage(config);
  if (!storage) return std::move(storage).error();
  std::unique_ptr<OpsStore> opened(new OpsStore());
  opened->storage_ = std::move(*storage);
  store::CustomerService::Options customer_options;
  customer_options.default_region = config.default_region;
  customer_options.clock = runtime::system_clock_ms;
  auto customers = store::CustomerService::make(*opened->storage_, std::move(customer_options));
  if (!customers) return std::move(customers).error();
  opened->customers_.emplace(std::move(*customers));
  store::TicketService::Options ticket_options = config.tickets;
  if (!ticket_options.clock) ticket_options.clock = runtime::system_clock_ms;
  opened->tickets_.emplace(*opened->storage_, std::move(ticket_options));
  return opened;
}

}  // namespace hotline::ops
