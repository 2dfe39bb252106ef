// The store the operations server serves customers and tickets from
// (hotline-ops --store FILE): its own connection to the SQLite file the
// runtime also writes (tickets from the IVR, the supervisors' audit), with
// the store's customer and ticket rules over it. Used on the loop thread
// only: an indexed SQLite read or write takes well under a millisecond.
#pragma once

#include <memory>
#include <optional>

#include "hotline/store/customer_service.hpp"
#include "hotline/store/json.hpp"
#include "hotline/store/ticket_service.hpp"
#include "hotline/util/result.hpp"

namespace hotline::ops {

class OpsStore {
 public:
  // Opens (creating and migrating it if new) the store `config` names.
  static Result<std::unique_ptr<OpsStore>> open(const store::StoreConfig& config);

  store::CustomerService& customers() noexcept { return *customers_; }
  store::TicketService& tickets() noexcept { return *tickets_; }

 private:
  OpsStore() = default;

  std::unique_ptr<store::Storage> storage_;
  std::optional<store::CustomerService> customers_;
  std::optional<store::TicketService> tickets_;
};

}  // namespace hotline::ops
