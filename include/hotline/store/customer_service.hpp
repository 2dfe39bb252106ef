// The customer rules, once, over any Storage: E.164 normalisation, caller-id
// lookup, the 360° view, CSV import with de-duplication, merge, role-based
// masking with audit, export and erasure.
//
// Permissions: agents create and edit customers but read sensitive fields
// masked and may not change them; supervisors read them in clear (audited),
// change them, import and merge; admins also export and erase.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hotline/store/actor.hpp"
#include "hotline/store/phone.hpp"
#include "hotline/store/storage.hpp"

namespace hotline::store {

class WriteScope;

struct ImportOptions {
  // CSV header → customer field: name, phone, phones (separated by ';'),
  // email, emails, tier, tags (';'), national_id, payment_info, or
  // attributes.<key>. Headers not mapped are ignored; an empty mapping maps
  // every header that is a field name to itself.
  std::vector<std::pair<std::string, std::string>> mapping;
  enum class Duplicates { kReport, kMerge, kSkip };
  Duplicates duplicates = Duplicates::kReport;  // matched by phone, then email
  bool dry_run = false;                         // validate and count; write nothing
};

struct ImportIssue {
  std::size_t row = 0;  // 1-based CSV record number, the header being row 1
  std::string field;
  std::string message;
};

struct ImportReport {
  std::size_t rows = 0;  // data rows read
  std::size_t created = 0;
  std::size_t merged = 0;      // duplicates merged into an existing customer
  std::size_t duplicates = 0;  // duplicates reported or skipped
  std::vector<ImportIssue> errors;      // rows refused
  std::vector<ImportIssue> duplicates_found;
};

struct CustomerLimits {
  std::size_t name = 200;
  std::size_t field = 1024;  // tier, tag, email, sensitive fields
  std::size_t attributes = 16 * 1024;
  std::size_t list = 32;  // phones, emails, tags
};

class CustomerService {
 public:
  struct Options {
    std::string default_region = "US";  // for numbers without a country code
    CustomerLimits limits;
    std::function<TimeMs()> clock;  // required
  };

  static Result<CustomerService> make(Storage& storage, Options options);

  Result<Customer> create(const Actor& actor, const NewCustomer& customer);
  Result<Customer> update(const Actor& actor, CustomerId id, const CustomerUpdate& update);
  // Masked for agents; a clear read of a sensitive field is audited.
  Result<Customer> get(const Actor& actor, CustomerId id);
  // Caller-id: the customer a calling number belongs to, if any.
  Result<std::optional<Customer>> lookup_by_ani(const Actor& actor, std::string_view ani);
  // Live customers by name (or a Chinese name's pinyin), best match first;
  // each handed out as get() would.
  Result<std::vector<Customer>> search(const Actor& actor, std::string_view text, int limit = 20);
  Result<CustomerView> view(const Actor& actor, CustomerId id, int recent_contacts = 10);
  // The view's last_agent alone: who served the customer's latest answered
  // contact (empty if nobody did, or for an id no customer has), without
  // the record or the tickets.
  Result<std::string> last_agent(CustomerId id);
  Status record_contact(ContactRecord contact);

  Result<ImportReport> import_csv(const Actor& actor, std::string_view csv,
                                  const ImportOptions& options);
  // The duplicate's phones, emails, tags, tickets and contacts move to the
  // survivor; the duplicate stays as a pointer (merged_into) for history.
  Result<Customer> merge(const Actor& actor, CustomerId survivor, CustomerId duplicate);
  // Everything held about one customer, as a JSON document.
  Result<std::string> export_json(const Actor& actor, CustomerId id);
  // Personal data removed; tickets keep their statistics with free text redacted.
  Status erase(const Actor& actor, CustomerId id);

  Result<std::vector<AuditRecord>> audit(const Actor& actor, const AuditQuery& query);

  const PhoneNormalizer& phones() const noexcept { return phones_; }

 private:
  CustomerService(Storage& storage, Options options, PhoneNormalizer phones);
  Status apply(const Actor& actor, Customer& c, const CustomerUpdate& u, std::string* changed);
  Result<Customer> load_live(CustomerId id);
  // Where the sensitive values handed back come from: the store (a read),
  // or the caller, who has just given every one of them (a create).
  enum class Source { kStored, kCallersOwn };
  // The one door through which a customer record reaches a role: masked
  // for agents; in clear for others only with a read-sensitive audit record
  // of the stored values, written in `write` (the call's open transaction)
  // or, for a plain read (null), committed on its own before the record is
  // handed out. Takes the record by value so that a caller done with it
  // (caller id, the 360° view) moves it in instead of copying it.
  Result<Customer> disclose(const Actor& actor, Customer c, TimeMs now,
                            WriteScope* write, Source source = Source::kStored);
  Status erase_in_transaction(const Actor& actor, Customer& c, TimeMs now, std::string detail);
  Status audit_write(const Actor& actor, std::string action, std::string entity,
                     std::int64_t id, std::string detail, TimeMs now);
  Status merge_in_transaction(const Actor& actor, Customer& survivor, Customer& duplicate,
                              TimeMs now);

  Storage* storage_;
  Options options_;
  PhoneNormalizer phones_;
};

// "****1234": enough for an agent to confirm with the caller, no more. The
// last four characters, not bytes, so that the result stays valid UTF-8.
// How the service masks sensitive fields for agents; hosts that show other
// identifiers to agents mask them alike.
std::string mask_sensitive(std::string_view value);

}  // namespace hotline::store
