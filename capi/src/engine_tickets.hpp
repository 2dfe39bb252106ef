// The store the engine writes the IVR's tickets into (hl_engine_use_store,
// hl_engine_use_host_storage): a TicketService over a Storage
// (runtime::make_ticket_service), shared with the runtime that runs the
// writes on libuv's thread pool; and the resolver that finds an arriving
// caller's customer (runtime::CustomerResolver), over a SQLite connection of
// its own or, for a host's table and a SQLite file opened with exclusive
// locking, under one lock with the ticket writes.
#pragma once

#include <memory>
#include <mutex>

#include "hotline/runtime/customer_resolution.hpp"
#include "hotline/store/json.hpp"
#include "hotline/store/key_value.hpp"
#include "hotline/store/ticket_service.hpp"

struct hl_engine;

namespace hotline::capi {

// Makes `tickets` the engine's ticket store; the one it replaces is released
// once nothing uses it any more. `storage_lock`, when set, is held around
// each write (the customer reads share the storage).
void use_ticket_service(hl_engine& engine, std::shared_ptr<store::TicketService> tickets,
                        std::shared_ptr<std::mutex> storage_lock = nullptr);
// Makes `customers` what arriving callers are resolved against (null: none).
void use_customer_resolver(hl_engine& engine,
                           std::shared_ptr<runtime::CustomerResolver> customers);
// Both over one storage, which then serves the ticket writes on the pool
// and the customer reads in turn. `records`, when set, is what `storage`
// keeps its records in, and lives as long as it. Nothing is installed when
// this fails.
Status use_one_storage(hl_engine& engine, std::unique_ptr<store::Storage> storage,
                       store::StoreConfig config,
                       std::unique_ptr<store::KeyValueStore> records = nullptr);

}  // namespace hotline::capi
