// Store records as JSON, for the C ABI, the bindings and host configuration.
// Readers are strict: an unknown field, a wrong type or a bad enum value is
// an error naming its JSON path.
#pragma once

#include <array>
#include <string_view>

#include <nlohmann/json.hpp>

#include "hotline/store/customer_service.hpp"
#include "hotline/store/storage.hpp"
#include "hotline/store/ticket_service.hpp"

namespace hotline::store {

nlohmann::json to_json(const Ticket& t);
nlohmann::json to_json(const Note& n);
nlohmann::json to_json(const TicketChange& c);
nlohmann::json to_json(const FollowUp& f);
nlohmann::json to_json(const SlaAlert& a);
nlohmann::json to_json(const TicketSearchHit& h);  // the ticket's fields and "snippet"
nlohmann::json to_json(const Customer& c);
nlohmann::json to_json(const ContactRecord& c);
nlohmann::json to_json(const CustomerView& v);
nlohmann::json to_json(const AuditRecord& r);
nlohmann::json to_json(const ImportReport& r);
nlohmann::json to_json(const TicketPage& p);

Result<NewTicket> new_ticket_from_json(const nlohmann::json& j, std::string_view path = "$");
Result<TicketUpdate> ticket_update_from_json(const nlohmann::json& j, std::string_view path = "$");
Result<TicketQuery> ticket_query_from_json(const nlohmann::json& j, std::string_view path = "$");
Result<FollowUpQuery> follow_up_query_from_json(const nlohmann::json& j,
                                                std::string_view path = "$");
Result<NewCustomer> new_customer_from_json(const nlohmann::json& j, std::string_view path = "$");
Result<CustomerUpdate> customer_update_from_json(const nlohmann::json& j,
                                                 std::string_view path = "$");
Result<ContactRecord> contact_from_json(const nlohmann::json& j, std::string_view path = "$");
Result<ImportOptions> import_options_from_json(const nlohmann::json& j,
                                               std::string_view path = "$");
Result<AuditQuery> audit_query_from_json(const nlohmann::json& j, std::string_view path = "$");

// A store as a host configures it:
// {"backend": "sqlite" | "memory", "path": "hotline.db", "synchronous": "normal" | "full",
//  "locking": "shared" | "exclusive", "busy_timeout_ms": 5000, "default_region": "US",
//  "calendar": {...},
//  "sla": {"urgent": {"first_response_minutes": 30, "resolution_minutes": 240}, ...},
//  "categories": ["billing"], "number_prefix": "T", "recovery_group": "supervisors",
//  "recovery_due_minutes": 480}
struct StoreConfig {
  bool sqlite = true;
  SqliteOptions sqlite_options;
  std::string default_region = "US";
  TicketService::Options tickets;  // clock left empty
};
Result<StoreConfig> store_config_from_json(const nlohmann::json& j, std::string_view path = "$");

// The fields of that configuration that set up the SQLite file and mean
// nothing to a store without one: the memory backend and a host's own
// storage refuse them, each in its own words, rather than drop them.
inline constexpr std::array<std::string_view, 4> kSqliteFileSettings = {
    "path", "synchronous", "locking", "busy_timeout_ms"};

}  // namespace hotline::store
