#include "descriptor_budget.hpp"

#include <sys/resource.h>

#include <algorithm>

namespace hotline::sip {

DescriptorBudget descriptor_budget(std::uint64_t soft, std::uint64_t hard) {
  const std::uint64_t open_files = std::max(soft, std::min(hard, kMostOpenFiles));
  // A tiny limit (a test's, a container's) still leaves libre half.
  const std::uint64_t held_back =
      open_files >= 128 ? std::max<std::uint64_t>(64, open_files / 8) : open_files / 2;
  const std::uint64_t table = std::min<std::uint64_t>(open_files - held_back, kMostOpenFiles);
  return {open_files, static_cast<int>(table)};
}

DescriptorBudget raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return descriptor_budget(1024, 1024);
  const std::uint64_t hard = limit.rlim_max == RLIM_INFINITY ? kMostOpenFiles : limit.rlim_max;
  const std::uint64_t soft = limit.rlim_cur == RLIM_INFINITY ? hard : limit.rlim_cur;
  DescriptorBudget budget = descriptor_budget(soft, hard);
  if (budget.open_files > soft) {
    limit.rlim_cur = budget.open_files;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) budget = descriptor_budget(soft, soft);
  }
  return budget;
}

}  // namespace hotline::sip
