// Who is calling: a contact that arrives with a caller number and no customer
// data is looked up by caller id in the store attached to the engine, so the
// IVR and routing see the customer's record and the agent who served them
// last (customer.last_agent, which a queue's last_agent_wait_seconds makes
// the preferred agent).
//
// Threads: the read runs on the thread that applies the arrival (the host's
// for hl_engine_call_arrived and friends, the loop thread for posted
// events). An indexed SQLite read by caller id takes microseconds, so the
// engine does not wait for the thread pool; the resolver has its own SQLite
// connection, never the one the ticket writes use on the pool, and a mutex
// serialises the hosts that apply events from more than one thread.
#pragma once

#include <memory>
#include <mutex>

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

  // For an arrival with a caller and no customer: the customer whose phone
  // matches the caller becomes event.customer (its fields as an agent reads
  // them, sensitive ones masked, plus last_agent from the 360° view). No
  // match, another kind of event or a customer the host passed: unchanged.
  // A store error leaves the event unchanged and is returned.
  Status resolve(engine::Event& event);

  CustomerResolver(std::unique_ptr<store::Storage> storage, store::CustomerService customers);

 private:
  std::mutex mutex_;
  std::unique_ptr<store::Storage> storage_;
  store::CustomerService customers_;
};

// Whether `event` is an arrival that a resolver would look up.
bool wants_customer_lookup(const engine::Event& event);

}  // namespace hotline::runtime
