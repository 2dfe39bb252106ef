// Stores opened from a host's configuration, written once for every door
// (hl_store_open, hl_engine_use_store, hl_engine_use_host_storage):
// {"backend": "sqlite" | "memory", ...} (store::StoreConfig) to a Storage,
// and a ticket service over it that owns everything beneath it.
#pragma once

#include <memory>
#include <string_view>

#include <nlohmann/json.hpp>

#include "hotline/store/json.hpp"
#include "hotline/store/key_value.hpp"
#include "hotline/store/storage.hpp"
#include "hotline/store/ticket_service.hpp"
#include "hotline/util/result.hpp"

namespace hotline::runtime {

// The storage `config` names: SQLite at its path (created and migrated), or
// memory.
Result<std::unique_ptr<store::Storage>> open_storage(const store::StoreConfig& config);

// A configuration read (errors name their JSON path under `path`) and its
// storage opened.
struct OpenedStore {
  store::StoreConfig config;
  std::unique_ptr<store::Storage> storage;
};
Result<OpenedStore> open_store(const nlohmann::json& config, std::string_view path = "$");

// A ticket service over `storage`, configured by `config` (with `clock`, or
// the system clock when it has none), owning what lies under it. `records`
// is what `storage` keeps its records in when that is not `storage` itself
// (a host's table behind a key-value storage). They are released top down
// (service, storage, records) when the last user of the service lets go.
std::shared_ptr<store::TicketService> make_ticket_service(
    std::unique_ptr<store::Storage> storage, store::StoreConfig config,
    std::unique_ptr<store::KeyValueStore> records = nullptr);

}  // namespace hotline::runtime
