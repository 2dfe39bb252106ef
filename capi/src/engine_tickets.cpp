#include "engine_tickets.hpp"

#include <utility>

#include "boundary.hpp"
#include "engine_handle.hpp"
#include "handles.hpp"
#include "host_storage.hpp"
#include "hotline/runtime/store_opening.hpp"
#include "hotline/sys/storage.h"

namespace hotline::capi {

void use_ticket_service(hl_engine& engine, std::shared_ptr<store::TicketService> tickets,
                        std::shared_ptr<std::mutex> storage_lock) {
  engine.tickets = std::move(tickets);
  engine.tickets_lock = std::move(storage_lock);
  if (engine.runtime) engine.runtime->use_tickets(engine.tickets, engine.tickets_lock);
}

void use_customer_resolver(hl_engine& engine,
                           std::shared_ptr<runtime::CustomerResolver> customers) {
  std::lock_guard<std::mutex> lock(engine.customers_mutex);
  engine.customers = std::move(customers);
}

Status use_one_storage(hl_engine& engine, std::unique_ptr<store::Storage> storage,
                       store::StoreConfig config, std::unique_ptr<store::KeyValueStore> records) {
  store::Storage& shared_storage = *storage;
  const store::StoreConfig customer_config = config;
  auto tickets = runtime::make_ticket_service(std::move(storage), std::move(config),
                                              std::move(records));
  auto lock = std::make_shared<std::mutex>();
  auto customers =
      runtime::CustomerResolver::over_shared(shared_storage, tickets, lock, customer_config);
  if (!customers) return std::move(customers).error();
  use_customer_resolver(engine, std::move(*customers));
  use_ticket_service(engine, std::move(tickets), std::move(lock));
  return {};
}

}  // namespace hotline::capi

void hl_engine::resolve_customer(hotline::engine::Event& event) {
  if (!hotline::runtime::wants_customer_lookup(event)) return;
  std::shared_ptr<hotline::runtime::CustomerResolver> resolver;
  {
    std::lock_guard<std::mutex> lock(customers_mutex);
    resolver = customers;
  }
  if (!resolver) return;
  hotline::Status st = resolver->resolve(event);
  if (!st) {
    hotline::Error error = std::move(st).error();
    error.message = "resolving caller " + event.caller + ": " + error.message;
    driver.report(hotline::runtime::HostError{"customer_lookup", event.call_id, std::move(error),
                                              now()});
  }
}

extern "C" {

hl_status hl_engine_use_host_storage(hl_engine* handle, const hl_storage* storage,
                                     const char* config_json, hl_error** err) {
  return hotline::capi::guarded(err, [&]() -> hotline::Status {
    hl_engine* h = hotline::capi::resolve(handle);
    if (!h) return hotline::capi::invalid("the engine handle is NULL or destroyed");
    auto table = hotline::capi::accept_host_storage(storage);
    if (!table) return std::move(table).error();
    auto config = hotline::capi::host_store_config(config_json);
    if (!config) return std::move(config).error();
    auto records = std::make_unique<hotline::capi::HostStorage>(*table);
    hotline::capi::HostStorage& adapter = *records;
    auto kv_storage = hotline::store::open_key_value_storage(adapter);
    // The host's table is one connection: the customer reads take turns with
    // the ticket writes on the pool.
    hotline::Status used = hotline::capi::use_one_storage(*h, std::move(kv_storage),
                                                          std::move(*config), std::move(records));
    if (!used) return used;
    // Installed: from here the engine owns the table.
    adapter.take_ownership();
    return {};
  });
}

}  // extern "C"
