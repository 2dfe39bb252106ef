// Who is calling: a contact that arrives with a caller number and no customer
// data is looked up by caller id in the store attached to the engine, so the
// IVR and routing see the customer's record and the agent who served them
// last (customer.last_agent, which a queue's last_agent_wait_seconds makes
// the preferred agent).
//
// Threads: the read runs on the thread that applies the arrival (the host's
// for hl_engine_call_arrived and friends, the loop thread for posted
// events). An indexed SQLite read by caller id takes microseconds, so the
// engine does not wait for the thread pool. Over SQLite the resolver has its
// own connection, never the one the ticket writes use on the pool; over a
// host's table, which has one connection, and over a SQLite file held with
// exclusive locking, it shares a lock with the ticket writes
// (Runtime::use_tickets), so the connection is never used twice at once.
// The lock also serialises hosts that apply events from several threads.
// The lookup and the last agent are read in one snapshot
// (store::ReadSnapshot).
#pragma once

#include <memory>
#include <mutex>

#include "hotline/engine/command.hpp"
#include "hotline/engine/event.hpp"
#include "hotline/store/customer_service.hpp"
#include "hotline/store/json.hpp"
#include "hotline/store/storage.hpp"
#include "hotline/util/result.hpp"

namespace hotline::runtime {

class CustomerResolver {
 public:
  // A resolver over its own connection to the storage `config` names; null
  // for a memory store, which a second connection could not see.
  static Result<std::unique_ptr<CustomerResolver>> open(const store::StoreConfig& config);
  // A resolver over a storage it shares: `storage` lives as long as
  // `keeps_storage` does, and every read holds `storage_lock`.
  static Result<std::unique_ptr<CustomerResolver>> over_shared(
      store::Storage& storage, std::shared_ptr<const void> keeps_storage,
      std::shared_ptr<std::mutex> storage_lock, const store::StoreConfig& config);

  // For an arrival with a caller and no customer: the customer whose phone
  // matches the caller becomes event.customer (its fields as an agent reads
  // them, sensitive ones masked, plus the 360° view's last_agent). No
  // match, another kind of event or a customer the host passed: unchanged.
  // A store error leaves the event unchanged and is returned.
  Status resolve(engine::Event& event);
  // For a ring_agent command: the open tickets of the customer its screen
  // pop names join it (open_tickets.hpp), read under the same lock.
  Status add_open_tickets(engine::Command& ring);

  CustomerResolver(std::shared_ptr<const void> keeps_storage, std::shared_ptr<std::mutex> lock,
                   store::Storage& storage, store::CustomerService customers);

 private:
  std::shared_ptr<const void> keeps_storage_;
  std::shared_ptr<std::mutex> lock_;
  store::Storage& storage_;
  store::CustomerService customers_;
};

// Whether `event` is an arrival that a resolver would look up.
bool wants_customer_lookup(const engine::Event& event);

// The call data a resolved customer becomes (event.customer, the IVR's and
// routing's customer.*): the record's fields as store::to_json writes them,
// and `last_agent`. Errors name "$.customer" and the field, as for
// attributes read from JSON.
Result<expr::Attributes> customer_call_data(const store::Customer& customer,
                                            std::string_view last_agent);

}  // namespace hotline::runtime
