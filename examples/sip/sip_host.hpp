// The SIP side of the host: libre on a thread of its own, which owns every
// call, every leg and every registration. Nothing else touches SIP state:
// the engine thread and the media thread post messages through the
// mailbox, and the SIP thread tells the engine what happened with
// hl_engine_post_event (safe from any thread).
#pragma once

#include <hotline.h>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "host_command.hpp"
#include "host_config.hpp"
#include "media/media_server.hpp"

namespace hotline::sip {

class SipHost {
 public:
  // `store` (may be NULL) answers caller-id lookups on the SIP thread alone;
  // `media` (may be NULL: calls then run without audio) outlives the host.
  SipHost(const HostConfig& config, hl_engine* engine, hl_store* store,
          media::MediaServer* media);
  ~SipHost();

  // The media plane, when it starts after the host was made (its events need
  // media_events()); before start().
  void use_media(media::MediaServer* media);
  // Starts the SIP thread and waits until it listens (or failed to).
  bool start(std::string* error);
  // Any thread.
  void post_command(HostCommand command);
  media::MediaEvents media_events();
  // Stops taking calls and hangs up every live one (BYE, CANCEL or a final
  // error response); any thread.
  void hang_up_all();
  // Lets the last requests go out, then stops the loop and joins the thread.
  void stop();
  // The SIP counters for the statistics file; any thread.
  nlohmann::json counters() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace hotline::sip
