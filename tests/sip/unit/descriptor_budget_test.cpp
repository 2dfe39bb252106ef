#include <doctest/doctest.h>

#include <cstdint>
#include <initializer_list>

#include "descriptor_budget.hpp"

using namespace hotline::sip;

TEST_CASE("the soft limit goes up to the hard one, within reason") {
  CHECK(descriptor_budget(1024, 524288).open_files == kMostOpenFiles);
  CHECK(descriptor_budget(1024, 4096).open_files == 4096);
  CHECK(descriptor_budget(1024, 1024).open_files == 1024);
  // A soft limit already above the cap is left as it is.
  CHECK(descriptor_budget(1048576, 1048576).open_files == 1048576);
}

TEST_CASE("libre's table leaves descriptors for everything else") {
  // An eighth held back, at least 64.
  CHECK(descriptor_budget(1024, 1024).sip_table == 896);
  CHECK(descriptor_budget(256, 256).sip_table == 192);
  CHECK(descriptor_budget(kMostOpenFiles, kMostOpenFiles).sip_table == 114688);
  // Never more than the cap, whatever the limit.
  CHECK(descriptor_budget(1048576, 1048576).sip_table == static_cast<int>(kMostOpenFiles));
  // A tiny limit: half each.
  CHECK(descriptor_budget(100, 100).sip_table == 50);
  for (std::uint64_t soft : {16, 64, 127, 128, 1000, 65536}) {
    const DescriptorBudget budget = descriptor_budget(soft, soft);
    CHECK(budget.sip_table > 0);
    CHECK(static_cast<std::uint64_t>(budget.sip_table) < budget.open_files);
  }
}
