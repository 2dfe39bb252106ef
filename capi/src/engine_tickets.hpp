// The store the engine writes the IVR's tickets into (hl_engine_use_store,
// hl_engine_use_host_storage): a TicketService over a Storage, shared with
// the runtime that runs the writes on libuv's thread pool.
#pragma once

#include <memory>

#include "hotline/store/json.hpp"
#include "hotline/store/key_value.hpp"
#include "hotline/store/storage.hpp"

struct hl_engine;

namespace hotline::capi {

// A ticket service over `storage`, configured by `config`, owning what lies
// under it. `records` is what `storage` keeps its records in when that is
// not `storage` itself (the host's table behind a key-value storage). They
// are released top down (service, storage, records) when the last user of
// the service lets go.
std::shared_ptr<store::TicketService> make_ticket_service(
    std::unique_ptr<store::Storage> storage, store::StoreConfig config,
    std::unique_ptr<store::KeyValueStore> records = nullptr);

// Makes `tickets` the engine's ticket store; the one it replaces is released
// once nothing uses it any more.
void use_ticket_service(hl_engine& engine, std::shared_ptr<store::TicketService> tickets);

}  // namespace hotline::capi
