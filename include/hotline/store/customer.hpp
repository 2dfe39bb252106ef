// Customers as records: names, E.164 phone numbers, emails, tier, tags,
// custom attributes and sensitive fields, and the contacts they made.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hotline/store/ticket.hpp"

namespace hotline::store {

struct Customer {
  CustomerId id = 0;
  std::string name;
  std::vector<std::string> phones;  // E.164, normalised on the way in
  std::vector<std::string> emails;  // lower-cased
  std::string tier;                 // "vip", "gold", ... free-form
  std::vector<std::string> tags;
  std::string attributes = "{}";  // a JSON object of custom fields
  // Sensitive: masked for agents; a clear read is audited.
  std::string national_id;
  std::string payment_info;
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
  CustomerId merged_into = 0;  // set when merged into another record
  bool erased = false;         // personal data removed on request
};

struct NewCustomer {
  std::string name;
  std::vector<std::string> phones;  // any format libphonenumber parses
  std::vector<std::string> emails;
  std::string tier;
  std::vector<std::string> tags;
  std::string attributes = "{}";
  std::string national_id;
  std::string payment_info;
};

struct CustomerUpdate {
  std::optional<std::string> name;
  std::optional<std::vector<std::string>> phones;
  std::optional<std::vector<std::string>> emails;
  std::optional<std::string> tier;
  std::optional<std::vector<std::string>> tags;
  std::optional<std::string> attributes;
  std::optional<std::string> national_id;
  std::optional<std::string> payment_info;
};

// One contact (call, chat, email) a customer made, as the engine saw it.
struct ContactRecord {
  std::int64_t id = 0;
  std::string contact_id;
  CustomerId customer = 0;
  std::string channel;
  std::string queue;
  std::string agent;  // who served it; empty if nobody did
  std::string ani;    // caller number as presented
  TimeMs started_at = 0;
  TimeMs ended_at = kNoTime;
  std::string outcome;  // "answered", "abandoned", "voicemail", ...
};

// The 360° view an agent's screen pops when a call arrives.
struct CustomerView {
  Customer customer;                    // masked for the actor's role
  std::vector<ContactRecord> contacts;  // most recent first
  std::vector<Ticket> open_tickets;     // new, open or pending, newest first
  std::string last_agent;               // who served the latest answered contact
};

}  // namespace hotline::store
