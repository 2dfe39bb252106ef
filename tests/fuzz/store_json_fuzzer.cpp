// Store JSON through the C ABI on a memory store: the first byte picks the
// call (ticket create or update, customer create or update, ticket list,
// follow-up, contact record), the rest is its JSON. Whatever happens, the
// ticket and customer created beforehand must still read back: a refused
// write may not poison what is stored.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz_support.hpp"
#include "record_id.hpp"

using namespace hotline::fuzz;

namespace {

void keep_or_free(hl_status st, char* out, hl_error* err) {
  if (st == HL_OK) hl_free(out);
  else forget(err);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t op = data[0];
  const std::string json = text(data + 1, size - 1);
  hl_store* store = nullptr;
  if (hl_store_open(&store, R"({"backend": "memory"})", nullptr) != HL_OK) std::abort();
  hl_store_set_time(store, kEpochMs);
  const hl_actor roles[] = {{"agent1", HL_ROLE_AGENT}, {"super1", HL_ROLE_SUPERVISOR},
                            {"admin1", HL_ROLE_ADMIN}};
  const hl_actor& admin = roles[2];
  const hl_actor& actor = roles[(op >> 4) % 3];
  char* out = nullptr;
  if (hl_customer_create(store, &admin, R"({"name": "Jana Novak", "phones": ["+420601123456"]})",
                         &out, nullptr) != HL_OK) {
    std::abort();
  }
  const std::int64_t customer = id_of(out);
  const std::string ticket_json =
      R"({"subject": "Card blocked", "customer": )" + std::to_string(customer) + "}";
  if (hl_ticket_create(store, &admin, ticket_json.c_str(), &out, nullptr) != HL_OK) std::abort();
  const std::int64_t ticket = id_of(out);

  hl_error* err = nullptr;
  out = nullptr;
  const char* text_in = json.c_str();
  switch (op % 8) {
    case 0: keep_or_free(hl_ticket_create(store, &actor, text_in, &out, &err), out, err); break;
    case 1:
      keep_or_free(hl_ticket_update(store, &actor, ticket, text_in, &out, &err), out, err);
      break;
    case 2: keep_or_free(hl_customer_create(store, &actor, text_in, &out, &err), out, err); break;
    case 3:
      keep_or_free(hl_customer_update(store, &actor, customer, text_in, &out, &err), out, err);
      break;
    case 4: keep_or_free(hl_ticket_list(store, text_in, &out, &err), out, err); break;
    case 5: keep_or_free(hl_follow_up_list(store, text_in, &out, &err), out, err); break;
    case 6: {
      const hl_status st = hl_customer_record_contact(store, text_in, &err);
      if (st != HL_OK) forget(err);
      break;
    }
    default: keep_or_free(hl_ticket_search(store, text_in, 10, &out, &err), out, err); break;
  }

  // What was stored before is still readable, whatever the call did.
  if (hl_ticket_get(store, ticket, &out, nullptr) != HL_OK) std::abort();
  hl_free(out);
  if (hl_customer_get(store, &admin, customer, &out, nullptr) != HL_OK) std::abort();
  hl_free(out);
  if (hl_ticket_search(store, "Card", 10, &out, nullptr) != HL_OK) std::abort();
  hl_free(out);
  hl_store_close(store);
  return 0;
}
