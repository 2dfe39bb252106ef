#include "host_storage.hpp"

#include <cstddef>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "boundary.hpp"
#include "hotline/store/json.hpp"
#include "hotline/util/json_input.hpp"
#include "versioned_table.hpp"

namespace hotline::capi {
namespace {

// The size of each version of hl_storage: version 1 ended at close.
const std::size_t kStorageSizes[] = {offsetof(hl_storage, destroy), sizeof(hl_storage)};
static_assert(sizeof(kStorageSizes) / sizeof(kStorageSizes[0]) == HL_STORAGE_VERSION,
              "one size per version of hl_storage");

// A host's status as the core's error, naming the slot that failed.
Status host_status(const char* slot, int rc) {
  if (rc == HL_OK) return {};
  const int code = rc < 0 && rc >= HL_ENOMEM ? -rc : static_cast<int>(Errc::kIo);
  return make_error(static_cast<Errc>(code), std::string("the host's storage failed in ") + slot +
                                                 ": " + hl_status_str(rc));
}

}  // namespace

Result<hl_storage> accept_host_storage(const hl_storage* given) {
  if (!given) return invalid("storage is NULL");
  auto table = copy_versioned_table(given, "storage", kStorageSizes);
  if (!table) return std::move(table).error();
  if (!table->begin || !table->commit || !table->rollback || !table->put || !table->get ||
      !table->scan) {
    return invalid("storage: begin, commit, rollback, put, get and scan are required");
  }
  return table;
}

Result<store::StoreConfig> host_store_config(const char* config_json) {
  nlohmann::json j = nlohmann::json::object();
  if (config_json) {
    auto parsed = parse_json(config_json, "config_json");
    if (!parsed) return std::move(parsed).error();
    j = std::move(*parsed);
  }
  if (!j.is_object()) return invalid("$: expected an object");
  // The host's records live where it keeps them: no backend is chosen, and
  // none of the SQLite file's settings applies.
  auto refused = [](std::string_view field) {
    return invalid(fmt::format(
        "$.{}: not for a host's storage (its records live where the host keeps them)", field));
  };
  if (j.contains("backend")) return refused("backend");
  for (const std::string_view field : store::kSqliteFileSettings) {
    if (j.contains(field)) return refused(field);
  }
  j["backend"] = "memory";  // the core reads the rest; the records are the host's
  return store::store_config_from_json(j);
}

HostStorage::~HostStorage() {
  if (!owned_) return;
  if (table_.close) table_.close(table_.user);
  if (table_.destroy) table_.destroy(table_.user);
}

Status HostStorage::begin() { return host_status("begin", table_.begin(table_.user)); }

Status HostStorage::commit() { return host_status("commit", table_.commit(table_.user)); }

void HostStorage::rollback() noexcept { table_.rollback(table_.user); }

Status HostStorage::put(std::string_view kind, std::int64_t id, std::string_view record_json) {
  const std::string k(kind), record(record_json);
  return host_status("put", table_.put(table_.user, k.c_str(), id, record.c_str()));
}

Result<std::optional<std::string>> HostStorage::get(std::string_view kind, std::int64_t id) {
  const std::string k(kind);
  std::optional<std::string> found;
  const int rc = table_.get(
      table_.user, k.c_str(), id,
      [](void* ctx, int64_t, const char* record) {
        if (record) *static_cast<std::optional<std::string>*>(ctx) = std::string(record);
        return 0;
      },
      &found);
  if (rc != HL_OK) return host_status("get", rc).error();
  return found;
}

Status HostStorage::scan(std::string_view kind, const Visitor& visit) {
  const std::string k(kind);
  const int rc = table_.scan(
      table_.user, k.c_str(),
      [](void* ctx, int64_t id, const char* record) {
        const auto& v = *static_cast<const Visitor*>(ctx);
        return v(id, record ? std::string_view(record) : std::string_view()) ? 0 : 1;
      },
      const_cast<Visitor*>(&visit));
  return host_status("scan", rc);
}

}  // namespace hotline::capi
