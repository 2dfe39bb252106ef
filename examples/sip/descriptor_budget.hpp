// How the host spends its file descriptors. libre polls a table of
// descriptors sized once at start; a TCP connection whose descriptor falls
// beyond it is closed at once. When instead the process runs out first,
// accept() fails, the listening socket stays readable, and libre's loop
// spins on it at full CPU while phones get nothing. So the table is made
// smaller than the process's limit: a flood of TCP connections fills the
// table and later ones are turned away, while UDP, RTP (the media plane
// polls its own sockets), recordings and the store keep the descriptors
// held back for them.
#pragma once

#include <cstdint>

namespace hotline::sip {

struct DescriptorBudget {
  std::uint64_t open_files;  // the process's RLIMIT_NOFILE soft limit
  int sip_table;             // libre's descriptor table on the SIP thread
};

// The most the soft limit is raised to: a table this large already serves
// more TCP phones than one SIP thread answers.
constexpr std::uint64_t kMostOpenFiles = 131072;

// The budget for a process whose limit is `soft` and may go up to `hard`:
// the soft limit raised to min(hard, kMostOpenFiles), an eighth of it (at
// least 64) held back from libre's table.
DescriptorBudget descriptor_budget(std::uint64_t soft, std::uint64_t hard);

// Raises this process's soft limit as descriptor_budget() says and returns
// the budget (the limit as it stands when raising it is refused).
DescriptorBudget raise_descriptor_limit();

}  // namespace hotline::sip
