// A host's hl_storage vtable as the core's KeyValueStore, for an hl_store
// (hl_store_open_host) and for the engine's ticket writes
// (hl_engine_use_host_storage) alike.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hotline/store/json.hpp"
#include "hotline/store/key_value.hpp"
#include "hotline/sys/storage.h"
#include "hotline/util/result.hpp"

namespace hotline::capi {

// The host's table, read as the version it declares (only the slots that
// version has), with the required slots checked.
Result<hl_storage> accept_host_storage(const hl_storage* given);

// The configuration of a store over a host's storage: hl_store_open's keys
// without SQLite's ("backend", "path"); NULL means the defaults.
Result<store::StoreConfig> host_store_config(const char* config_json);

class HostStorage final : public store::KeyValueStore {
 public:
  explicit HostStorage(const hl_storage& table) : table_(table) {}
  HostStorage(const HostStorage&) = delete;
  HostStorage& operator=(const HostStorage&) = delete;
  // Calls the table's close and then its destroy, once the library owns it.
  ~HostStorage() override;

  // From here on the library owns the table: the destructor will close and
  // release it. Until then a failed hand-over leaves the host's data alone.
  void take_ownership() noexcept { owned_ = true; }

  Status begin() override;
  Status commit() override;
  void rollback() noexcept override;
  Status put(std::string_view kind, std::int64_t id, std::string_view record_json) override;
  Result<std::optional<std::string>> get(std::string_view kind, std::int64_t id) override;
  Status scan(std::string_view kind, const Visitor& visit) override;

 private:
  hl_storage table_;
  bool owned_ = false;
};

}  // namespace hotline::capi
