// Every record, whole, as JSON for a key-value store: unlike the public JSON
// forms, these keep internal fields (pending time, ids) so a record reads
// back exactly as it was written.
#pragma once

#include <string>
#include <string_view>

#include "hotline/store/storage.hpp"

namespace hotline::store::kv {

std::string encode(const Ticket& t);
std::string encode(const Note& n);
std::string encode(const TicketChange& c);
std::string encode(const FollowUp& f);
std::string encode(const Customer& c);
std::string encode(const ContactRecord& c);
std::string encode(const AuditRecord& r);

// kIo naming the kind when the host hands back something unreadable.
Status decode(std::string_view json, Ticket& out);
Status decode(std::string_view json, Note& out);
Status decode(std::string_view json, TicketChange& out);
Status decode(std::string_view json, FollowUp& out);
Status decode(std::string_view json, Customer& out);
Status decode(std::string_view json, ContactRecord& out);
Status decode(std::string_view json, AuditRecord& out);

}  // namespace hotline::store::kv
