#include "hotline/runtime/ticket_request.hpp"

#include <string>

namespace hotline::runtime {

namespace {

std::string text(const nlohmann::json& args, const char* key, const char* fallback = "") {
  auto it = args.find(key);
  return it != args.end() && it->is_string() ? it->get<std::string>() : std::string(fallback);
}

}  // namespace

store::NewTicket ticket_from_request(const nlohmann::json& args) {
  store::NewTicket n;
  if (args.is_object()) {
    n.subject = text(args, "subject");
    n.description = text(args, "description");
    n.category = text(args, "category", "consultation");
    n.group = text(args, "group");
    n.contact_id = text(args, "call_id");
    store::TicketPriority p;
    if (store::parse_priority(text(args, "priority", "normal"), p)) n.priority = p;
    store::TicketChannel ch;
    if (store::parse_channel(text(args, "channel", "phone"), ch)) n.channel = ch;
    const std::string recording = text(args, "recording");
    if (!recording.empty()) {
      if (!n.description.empty()) n.description += "\n";
      n.description += "Recording: " + recording;
    }
  }
  if (n.subject.empty()) n.subject = "Contact " + n.contact_id;
  return n;
}

}  // namespace hotline::runtime
