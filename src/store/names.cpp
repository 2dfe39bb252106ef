// Names of the store's enumerations, as they appear in JSON, CSV and history.
#include <string_view>

#include "hotline/store/actor.hpp"
#include "hotline/store/knowledge.hpp"
#include "hotline/store/ticket.hpp"

namespace hotline::store {
namespace {

template <typename Enum, std::size_t N>
bool parse(std::string_view name, const char* const (&names)[N], Enum& out) noexcept {
  for (std::size_t i = 0; i < N; ++i) {
    if (name == names[i]) {
      out = static_cast<Enum>(i);
      return true;
    }
  }
  return false;
}

constexpr const char* kRoles[] = {"agent", "supervisor", "admin"};
constexpr const char* kStatuses[] = {"new", "open", "pending", "resolved", "closed"};
constexpr const char* kPriorities[] = {"low", "normal", "high", "urgent"};
constexpr const char* kChannels[] = {"phone", "chat", "email", "web", "api"};
constexpr const char* kFollowUpKinds[] = {"callback", "visit", "recovery"};
constexpr const char* kFollowUpStatuses[] = {"scheduled", "done", "cancelled"};
constexpr const char* kArticleStatuses[] = {"draft", "published", "archived"};

}  // namespace

const char* role_name(Role r) noexcept { return kRoles[static_cast<int>(r)]; }
const char* status_name(TicketStatus s) noexcept { return kStatuses[static_cast<int>(s)]; }
const char* priority_name(TicketPriority p) noexcept { return kPriorities[static_cast<int>(p)]; }
const char* channel_name(TicketChannel c) noexcept { return kChannels[static_cast<int>(c)]; }
const char* follow_up_kind_name(FollowUpKind k) noexcept {
  return kFollowUpKinds[static_cast<int>(k)];
}
const char* follow_up_status_name(FollowUpStatus s) noexcept {
  return kFollowUpStatuses[static_cast<int>(s)];
}

const char* article_status_name(ArticleStatus s) noexcept {
  return kArticleStatuses[static_cast<int>(s)];
}

bool parse_role(std::string_view n, Role& out) noexcept { return parse(n, kRoles, out); }
bool parse_status(std::string_view n, TicketStatus& out) noexcept {
  return parse(n, kStatuses, out);
}
bool parse_priority(std::string_view n, TicketPriority& out) noexcept {
  return parse(n, kPriorities, out);
}
bool parse_channel(std::string_view n, TicketChannel& out) noexcept {
  return parse(n, kChannels, out);
}

bool parse_article_status(std::string_view n, ArticleStatus& out) noexcept {
  return parse(n, kArticleStatuses, out);
}

}  // namespace hotline::store
