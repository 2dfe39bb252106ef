#include "hotline/runtime/store_opening.hpp"

#include <utility>

#include "hotline/runtime/runtime.hpp"

namespace hotline::runtime {
namespace {

// Members are destroyed in reverse order: the service, then its storage,
// then the records under that storage.
struct TicketBackend {
  std::unique_ptr<store::KeyValueStore> records;
  std::unique_ptr<store::Storage> storage;
  std::unique_ptr<store::TicketService> service;
};

}  // namespace

Result<std::unique_ptr<store::Storage>> open_storage(const store::StoreConfig& config) {
  if (!config.sqlite) return store::open_memory_storage();
  return store::open_sqlite_storage(config.sqlite_options);
}

Result<OpenedStore> open_store(const nlohmann::json& j, std::string_view path) {
  auto config = store::store_config_from_json(j, path);
  if (!config) return std::move(config).error();
  auto storage = open_storage(*config);
  if (!storage) return std::move(storage).error();
  return OpenedStore{std::move(*config), std::move(*storage)};
}

std::shared_ptr<store::TicketService> make_ticket_service(
    std::unique_ptr<store::Storage> storage, store::StoreConfig config,
    std::unique_ptr<store::KeyValueStore> records) {
  if (!config.tickets.clock) config.tickets.clock = system_clock_ms;
  auto backend = std::make_shared<TicketBackend>();
  backend->records = std::move(records);
  backend->storage = std::move(storage);
  backend->service = std::make_unique<store::TicketService>(*backend->storage, config.tickets);
  store::TicketService* service = backend->service.get();
  return std::shared_ptr<store::TicketService>(std::move(backend), service);
}

}  // namespace hotline::runtime
