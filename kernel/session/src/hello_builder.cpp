#include "rdk/session/hello_builder.h"

#include <unistd.h>

#include <algorithm>

#include "rdk/base/clock.h"

namespace rdk::session {

using protocol::Value;

const char* rdkernelVersion() {
  return "0.1.0";
}

namespace {

Value stringList(const std::vector<std::string>& items) {
  Value::List list;
  for (const auto& item : items)
    list.emplace_back(item);
  return Value(std::move(list));
}

std::string hostName() {
  char name[256] = {0};
  if (gethostname(name, sizeof(name) - 1) != 0)
    return "localhost";
  return name;
}

}  // namespace

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos)
      end = text.size();
    std::string item = text.substr(start, end - start);
    if (!item.empty())
      out.push_back(item);
    start = end + 1;
  }
  return out;
}

std::string joinList(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty())
      out += separator;
    out += item;
  }
  return out;
}

bool announcesScrolling(const std::string& encoding,
                        const std::vector<std::string>& videoEncodings) {
  return encoding == "auto" ||
         std::find(videoEncodings.begin(), videoEncodings.end(), encoding) == videoEncodings.end();
}

void addNetworkCaps(Value& caps) {
  caps.set("rencode", Value(true));
  caps.set("bencode", Value(true));
  caps.set("encoders", stringList({"rencode", "bencode"}));
  caps.set("lz4", Value(true));
  caps.set("zlib", Value(true));
  caps.set("compressors", stringList({"lz4", "zlib"}));
}

Value serverHello(const ServerHelloInputs& in) {
  Value caps(Value::Dict{});
  caps.set("version", Value(kXpraProtocolVersion));
  caps.set("rdkernel.version", Value(rdkernelVersion()));
  caps.set("server_type", Value("rdkernel"));
  caps.set("uuid", Value(in.uuid));
  caps.set("hostname", Value(hostName()));
  caps.set("pid", Value(static_cast<int64_t>(getpid())));
  caps.set("platform", Value("linux"));
  caps.set("session-type", Value(in.platform));
  caps.set("start_time", Value(static_cast<int64_t>(in.startTimeUs / 1000000)));
  caps.set("current_time", Value(static_cast<int64_t>(wallClockMs() / 1000)));
  addNetworkCaps(caps);
  caps.set("compression_level", Value(in.compressionLevel));
  caps.set("digest", stringList({"hmac+sha512", "hmac+sha384", "hmac+sha256"}));
  caps.set("salt-digest", stringList({"hmac+sha512", "hmac+sha384", "hmac+sha256"}));
  caps.set("encodings", stringList(in.encodings));
  caps.set("encodings.core", stringList(in.encodings));
  caps.set("encodings.allowed", stringList(in.encodings));
  caps.set("encoding", Value("auto"));
  caps.set("windows", Value(true));
  caps.set("keyboard", Value(true));
  caps.set("pointer", Value(true));
  caps.set("cursors", Value(true));
  caps.set("bell", Value(true));
  caps.set("notifications", Value(false));
  caps.set("clipboard", Value(false));
  caps.set("sharing", Value(false));
  caps.set("lock", Value(false));
  caps.set("mmap_enabled", Value(false));
  caps.set("window.raise", Value(true));
  caps.set("window_unmap", Value(true));
  caps.set("resize_screen", Value(false));
  caps.set("change-quality", Value(false));
  caps.set("change-speed", Value(false));
  caps.set("server-window-resize", Value(true));
  caps.set("server-window-move-resize", Value(true));
  caps.set("desktop_size", Value(Value::List{Value(in.desktopWidth), Value(in.desktopHeight)}));
  caps.set("max_desktop_size", Value(Value::List{Value(in.desktopWidth), Value(in.desktopHeight)}));
  caps.set("actual_desktop_size",
           Value(Value::List{Value(in.desktopWidth), Value(in.desktopHeight)}));
  caps.set("root_window_size", Value(Value::List{Value(in.desktopWidth), Value(in.desktopHeight)}));
  if (!in.soundEncoders.empty()) {
    // As an Xpra 3.1.3 server announces speaker forwarding: the client then asks for a stream
    // with sound-control "start" <codec>. No microphone.
    caps.set("sound.send", Value(true));
    caps.set("sound.receive", Value(false));
    caps.set("sound.encoders", stringList(in.soundEncoders));
    caps.set("sound.decoders", stringList({}));
    caps.set("sound.codec-full-names", Value(true));
    caps.set("sound.bundle-metadata", Value(true));
    caps.set("sound.ogg-latency-fix", Value(true));
  }
  return caps;
}

Value clientHello(const ClientHelloInputs& in) {
  Value caps(Value::Dict{});
  caps.set("version", Value(kXpraProtocolVersion));
  caps.set("rdkernel.version", Value(rdkernelVersion()));
  caps.set("client_type", Value("rdkernel"));
  caps.set("hostname", Value(hostName()));
  caps.set("username", Value(in.username));
  caps.set("uuid", Value(std::to_string(monotonicUs()) + "-" + std::to_string(getpid())));
  addNetworkCaps(caps);
  caps.set("compression_level", Value(1));
  caps.set("digest", stringList(in.digests));
  caps.set("salt-digest",
           stringList({"hmac+sha512", "hmac+sha384", "hmac+sha256", "hmac+sha1", "hmac+md5"}));
  if (in.challenge)
    caps.set("challenge", Value(true));
  caps.set("windows", Value(true));
  caps.set("encodings", stringList(in.encodings));
  caps.set("encodings.core", stringList(in.encodings));
  caps.set("encodings.cursor", stringList({"raw"}));
  caps.set("encoding", Value(in.encoding));
  caps.set("encoding.rgb_formats", stringList({"BGRX", "BGRA", "RGB"}));
  if (!in.videoCscModes.empty()) {
    Value full(Value::Dict{});
    std::vector<std::string> all;
    for (const auto& [encoding, modes] : in.videoCscModes) {
      full.set(encoding, stringList(modes));
      for (const auto& m : modes)
        if (std::find(all.begin(), all.end(), m) == all.end())
          all.push_back(m);
    }
    caps.set("encoding.full_csc_modes", full);
    caps.set("encoding.csc_modes", stringList(all));
    caps.set("encoding.video_scaling", Value(false));
  }
  caps.set("encoding.scrolling", Value(in.scrolling));  // `scroll` draws (also per window)
  caps.set("encoding.rgb_lz4", Value(true));
  caps.set("encoding.transparency", Value(false));
  caps.set("encoding.delta_buckets", Value(0));
  caps.set("encoding.min-quality", Value(30));
  caps.set("encoding.min-speed", Value(30));
  caps.set("auto_refresh_delay", Value(150));
  caps.set("desktop_size", Value(Value::List{Value(in.desktopWidth), Value(in.desktopHeight)}));
  caps.set("keyboard", Value(false));
  caps.set("cursors", Value(true));
  caps.set("bell", Value(true));
  caps.set("system_tray", Value(true));
  caps.set("notify-startup-complete", Value(true));
  caps.set("server-window-resize", Value(true));
  caps.set("server-window-move-resize", Value(true));
  caps.set("window.raise", Value(true));
  // No player: announcing sound made the server encode and send sound-data this client dropped
  // (issue 20 item 6). A stock server then sends none.
  caps.set("sound.receive", Value(false));
  caps.set("sound.send", Value(false));
  caps.set("rdk.capture-timestamps", Value(true));
  return caps;
}

}  // namespace rdk::session
