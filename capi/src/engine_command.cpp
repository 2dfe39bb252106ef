// Commands handed out typed (hl_command) and turned back into JSON: the
// kinds and the JSON form are the core's (command_kind_name, command_json).
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "boundary.hpp"
#include "engine_handle.hpp"
#include "hotline/command.h"
#include "hotline/util/json_input.hpp"

using nlohmann::json;
namespace he = hotline::engine;
using hotline::Status;
using hotline::capi::guarded;
using hotline::capi::invalid;

namespace {

constexpr int kCommandKinds = static_cast<int>(he::Command::Kind::kRecordControl) + 1;
static_assert(HL_COMMAND_ANSWER == static_cast<int>(he::Command::Kind::kAnswer) + 1,
              "hl_command_kind is the core's kind plus one");
static_assert(HL_COMMAND_RECORD_CONTROL == kCommandKinds, "hl_command_kind lists every kind");

// hl_command grew at the end: the first header's struct ended at args_json.
// A host may hand hl_command_to_json a command of that size (one it built
// itself); the fields past its size are then absent.
constexpr std::size_t kFirstCommandSize = offsetof(hl_command, leg);

// The text field at `offset`, or nullptr when the host's command ends before it.
const char* grown_text(const hl_command& c, std::size_t offset, const char* hl_command::*member) {
  return c.size >= offset + sizeof(const char*) ? c.*member : nullptr;
}

bool has_prompts(he::Command::Kind kind) {
  return kind == he::Command::Kind::kPlay || kind == he::Command::Kind::kHold;
}

int enum_value(const hl_command_kind& field) {
  int value = 0;
  std::memcpy(&value, &field, sizeof value);
  return value;
}

// One allocation: the struct, then its strings, each NUL-terminated.
hl_command* typed_command(const he::Command& c) {
  const std::string prompts = has_prompts(c.kind)
                                  ? hotline::capi::json_text(
                                        hotline::capi::command_json(c)["prompts"])
                                  : std::string();
  const std::string args = c.args_json.empty() ? std::string("{}") : c.args_json;
  const std::string mix = c.mix_json.empty() ? std::string("{}") : c.mix_json;
  const std::string* texts[] = {&c.call_id,  &c.agent_id, &c.queue_id, &prompts, &c.target,
                                &c.function, &args,       &c.leg,      &mix,     &c.action};
  std::size_t bytes = sizeof(hl_command);
  for (const std::string* t : texts) bytes += t->size() + 1;
  auto* out = static_cast<hl_command*>(std::calloc(1, bytes));
  if (!out) return nullptr;
  char* cursor = reinterpret_cast<char*>(out + 1);
  auto place = [&](const std::string& s) {
    std::memcpy(cursor, s.c_str(), s.size() + 1);
    const char* at = cursor;
    cursor += s.size() + 1;
    return at;
  };
  out->size = sizeof(hl_command);
  out->kind = static_cast<hl_command_kind>(static_cast<int>(c.kind) + 1);
  out->time = c.time;
  out->call_id = place(c.call_id);
  out->agent_id = place(c.agent_id);
  out->queue_id = place(c.queue_id);
  out->reservation = c.reservation;
  out->request_id = c.request_id;
  out->prompts_json = place(prompts);
  out->barge_in = c.barge_in;
  out->loop = c.loop;
  out->min_digits = c.min_digits;
  out->max_digits = c.max_digits;
  out->terminator = c.terminator;
  out->finish_key = c.finish_key;
  out->max_ms = c.max_ms;
  out->target = place(c.target);
  out->function = place(c.function);
  out->args_json = place(args);
  out->leg = place(c.leg);
  out->mix_json = place(mix);
  out->action = place(c.action);
  return out;
}

const char* text_or_empty(const char* s) { return s ? s : ""; }

}  // namespace

extern "C" {

const char* hl_command_kind_name(hl_command_kind kind) {
  const int value = enum_value(kind);
  if (value < 1 || value > kCommandKinds) return nullptr;
  return he::command_kind_name(static_cast<he::Command::Kind>(value - 1));
}

hl_status hl_engine_poll_command_typed(hl_engine* handle, hl_command** out) {
  if (!out) return HL_EINVAL;
  *out = nullptr;
  hl_engine* h = hotline::capi::resolve(handle);
  if (!h) return HL_EINVAL;
  auto& waiting = h->driver.waiting_commands();
  if (waiting.empty()) return HL_ENOTFOUND;
  try {
    hl_command* c = typed_command(waiting.front());
    if (!c) return HL_ENOMEM;
    waiting.pop_front();
    *out = c;
    return HL_OK;
  } catch (const std::bad_alloc&) {
    return HL_ENOMEM;
  } catch (...) {
    return HL_EINTERNAL;
  }
}

hl_status hl_command_to_json(const hl_command* command, char** json_out, hl_error** err) {
  if (json_out) *json_out = nullptr;
  return guarded(err, [&]() -> Status {
    if (!command) return invalid("command is NULL");
    if (!json_out) return invalid("json_out is NULL");
    if (command->size < kFirstCommandSize) {
      return invalid("command->size " + std::to_string(command->size) +
                     " is smaller than any hl_command");
    }
    const int kind = enum_value(command->kind);
    if (kind < 1 || kind > kCommandKinds) {
      return invalid("command->kind: unknown command kind " + std::to_string(kind));
    }
    he::Command c;
    c.kind = static_cast<he::Command::Kind>(kind - 1);
    c.time = command->time;
    c.call_id = text_or_empty(command->call_id);
    c.agent_id = text_or_empty(command->agent_id);
    c.queue_id = text_or_empty(command->queue_id);
    c.reservation = command->reservation;
    c.request_id = command->request_id;
    c.barge_in = command->barge_in != 0;
    c.loop = command->loop != 0;
    c.min_digits = command->min_digits;
    c.max_digits = command->max_digits;
    c.terminator = command->terminator;
    c.finish_key = command->finish_key;
    c.max_ms = command->max_ms;
    c.target = text_or_empty(command->target);
    c.function = text_or_empty(command->function);
    const std::string args = text_or_empty(command->args_json);
    if (args != "{}") c.args_json = args;
    c.leg = text_or_empty(grown_text(*command, offsetof(hl_command, leg), &hl_command::leg));
    c.action =
        text_or_empty(grown_text(*command, offsetof(hl_command, action), &hl_command::action));
    if (c.kind == he::Command::Kind::kMix) {
      if (command->size < offsetof(hl_command, mix_json) + sizeof(const char*)) {
        return invalid("command->mix_json is absent: command->size predates it");
      }
      const char* mix = command->mix_json ? command->mix_json : "{}";
      if (auto parsed = hotline::parse_json(mix, "command->mix_json"); !parsed) {
        return std::move(parsed).error();
      }
      c.mix_json = mix;
    }
    json j = hotline::capi::command_json(c);
    if (has_prompts(c.kind)) {
      json prompts = json::parse(text_or_empty(command->prompts_json), nullptr, false);
      if (prompts.is_discarded()) return invalid("command->prompts_json: not valid JSON");
      j["prompts"] = std::move(prompts);
    }
    *json_out = hotline::capi::copy_string(hotline::capi::json_text(j));
    if (!*json_out) return hotline::make_error(hotline::Errc::kNoMemory, "out of memory");
    return {};
  });
}

}  // extern "C"
