// One capture's way to the wire, off the loop: encode (or take another session's encode of the
// same picture), build the draw, hand it to the transport. The loop books everything before the
// job runs (sequence, packet id, back-pressure), so it never waits for one; the job reports what
// happened in an EncodeResult the loop collects later.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rdk/encoding/types.h"
#include "rdk/kernel/plugin_objects.h"
#include "rdk/protocol/messages/draw.h"
#include "rdk/session/encoded_picture_cache.h"
#include "rdk/session/packet_channel.h"

namespace rdk::plugin {
struct LoadedPlugin;
}

namespace rdk::session {

/// The encoders of one window of one session. Only the window's lane uses it (one job at a time),
/// so it needs no lock.
struct WindowEncoders {
  std::map<std::string, std::unique_ptr<plugin::EncoderObject>>
      video;  // by encoding, sized to window
  std::map<std::string, std::unique_ptr<plugin::EncoderObject>> stills;  // by encoding
};

struct EncodeJob {
  uint64_t wid = 0;
  encoding::Rect region;
  encoding::Choice choice;
  uint32_t windowWidth = 0, windowHeight = 0;  // what a video encoder is sized to (its region)
  bool resetVideo = false;                     // decode error or resize: new video streams
  bool forceKeyframe = false;                  // a video frame was lost
  // A copy of the captured pixels: the platform's buffer changes as the loop polls on.
  std::vector<uint8_t> pixels;
  rdk_image image{};
  const plugin::LoadedPlugin* plugin = nullptr;  // resolved on the loop (the registry is not
                                                 // thread-safe)
  std::string encoderOptionsJson;
  uint64_t captureUs = 0;
  bool sendCaptureTimestamps = false;
  uint64_t sequence = 0;
  uint64_t packetId = 0;
  uint64_t supersedeKey = 0;
  // Shared still encodes: the picture's key, hashed on the loop from the platform's buffer, and
  // the encode another session already made of it (then |pixels| stays empty).
  std::optional<PictureKey> sharedKey;
  std::shared_ptr<const plugin::EncodedPicture> sharedPicture;
  // A scroll draw instead of a picture (no pixels, no encoder): sent reliably, in the window's
  // order, because every later draw of the area builds on what it moved.
  std::vector<protocol::DrawScroll> scrolls;
};

/// What an encoder is asked for |choice| (plus a key frame when |forceKeyframe|).
rdk_encode_params encodeParams(const encoding::Choice& choice, bool forceKeyframe);

struct EncodeResult {
  uint64_t wid = 0;
  uint64_t packetId = 0;
  bool ok = false;
  std::string error;
  std::string coding;
  uint64_t bytes = 0;
  bool keyframe = false;
  bool refresh = false;
  bool shared = false;  // another session's encode was reused
  uint64_t encodeUs = 0;
  // What the policy asked for (the candidate's name; |coding| is what the encoder sent, e.g.
  // png/L for png) and the area: the policy learns real encode times from these
  // (encoding::EncodeTimes).
  std::string encoding;
  uint64_t pixels = 0;
};

/// Runs |job| with |encoders| and sends its draw on |channel|. Any thread; one job per
/// |encoders| at a time.
EncodeResult runEncodeJob(EncodeJob& job, WindowEncoders& encoders, PacketChannel& channel,
                          EncodedPictureCache* sharedEncodes);

}  // namespace rdk::session
