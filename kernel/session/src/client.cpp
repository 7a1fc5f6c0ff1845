#include "rdk/session/client.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "rdk/base/clock.h"
#include "rdk/config/config.h"
#include "rdk/kernel/plugin_registry.h"
#include "rdk/session/bind_spec.h"
#include "rdk/session/challenge_answer.h"
#include "rdk/session/client_clipboard.h"
#include "rdk/session/hello_builder.h"
#include "rdk/session/keyboard_layout.h"
#include "rdk/session/packet_format.h"
#include "rdk/session/server_clipboard.h"

namespace rdk::session {

using protocol::Value;

namespace {
constexpr uint64_t kHandshakeTimeoutUs = 15'000'000;
}  // namespace

Client::Client(const config::Config& config, plugin::Registry& registry, ClientOptions options)
    : config_(config),
      registry_(registry),
      options_(std::move(options)),
      decoderSource_(registry),
      mirror_(sink_, this),
      draws_(mirror_, sink_, clock_, decoderSource_, this),
      liveness_(sink_, clock_),
      input_(sink_, mirror_) {
  registerHandlers();
  ClientSoundOptions sound;
  sound.mode = config_.getString("client.sound");
  sound.wavPath = config_.getString("client.sound-wav");
  sound.delayMs = static_cast<int>(config_.getInt("client.sound-delay"));
  try {
    sound_ = std::make_unique<ClientSound>(sound);
    if (sound_->enabled())
      sound_->registerWith(dispatcher_);  // replaces the ignore of sound packets
    else
      sound_.reset();
  } catch (const audio::AudioError& e) {
    soundError_ = e.what();
  }
}

Client::~Client() {
  // Windows hold decoders; the channel must stop calling back before anything else goes.
  sink_.setChannel(nullptr);
  channel_.reset();
  mirror_.clear();
  clipboard_.reset();
  display_.reset();
}

std::vector<std::string> Client::decodableEncodings() const {
  std::vector<std::string> out;
  for (const plugin::Feature& f : registry_.features(plugin::Kind::Encoder)) {
    if (plugin::featureDecodes(f) && std::find(out.begin(), out.end(), f.name) == out.end())
      out.push_back(f.name);
  }
  return out;
}

std::vector<std::pair<std::string, std::vector<std::string>>> Client::decodableVideoCscModes()
    const {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (const plugin::Feature& f : registry_.features(plugin::Kind::Encoder)) {
    const rdk::json::Value* csc = f.properties.find("csc");
    if (!plugin::featureDecodes(f) || !csc || !plugin::featureFlag(f, "video"))
      continue;
    const bool known = std::any_of(out.begin(), out.end(),
                                   [&](const auto& entry) { return entry.first == f.name; });
    if (known)
      continue;  // the preferred decoder plugin speaks for the encoding
    std::vector<std::string> modes;
    try {
      for (const rdk::json::Value& mode : csc->asArray())
        modes.push_back(mode.asString());
    } catch (const rdk::json::TypeError&) {
      continue;  // a malformed list: announce nothing rather than something wrong
    }
    if (!modes.empty())
      out.emplace_back(f.name, std::move(modes));
  }
  return out;
}

std::vector<std::string> Client::answerableDigests() const {
  std::vector<std::string> out;
  for (const plugin::Feature& f : registry_.features(plugin::Kind::Auth)) {
    if (f.name.rfind("digest:", 0) == 0)
      out.push_back(f.name.substr(7));
  }
  return out;
}

bool Client::connect(std::string* error) {
  if (options_.encoding != "auto") {
    const auto decodable = decodableEncodings();
    if (std::find(decodable.begin(), decodable.end(), options_.encoding) == decodable.end()) {
      std::string list;
      for (const auto& e : decodable)
        list += (list.empty() ? "" : ", ") + e;
      *error = "encoding '" + options_.encoding + "' is not one this client decodes (" + list + ")";
      return false;
    }
  }
  const std::string scheme = urlScheme(options_.url);
  if (scheme.empty()) {
    *error = "not a URL: '" + options_.url + "' (expected scheme://host:port)";
    return false;
  }
  std::string why;
  plugin::LoadedPlugin* transport = registry_.select(plugin::Kind::Transport, scheme, &why);
  if (!transport) {
    *error = "no transport plugin for '" + scheme + "': " + why;
    return false;
  }
  channel_ =
      PacketChannel::connect(*transport, options_.url,
                             transportOptionsJson(scheme, config_, Side::Client), &wakeup_, error);
  sink_.setChannel(channel_.get());
  return channel_ != nullptr;
}

void Client::sendHello(const std::string& response, const std::string& clientSalt) {
  ClientHelloInputs in;
  in.encodings = decodableEncodings();
  in.videoCscModes = decodableVideoCscModes();
  in.encoding = options_.encoding;
  // A user who names a video encoding gets video: a 3.1.3 server that may send scroll draws
  // sends them instead (a spinning ico became scroll + webp, no h264). Named picture encodings
  // keep scroll draws (they move pictures of that encoding).
  std::vector<std::string> video;
  for (const plugin::Feature& f : registry_.features(plugin::Kind::Encoder)) {
    if (plugin::featureDecodes(f) && plugin::featureFlag(f, "video"))
      video.push_back(f.name);
  }
  in.scrolling = announcesScrolling(options_.encoding, video);
  mirror_.setScrolling(in.scrolling);
  in.digests = answerableDigests();
  in.username = options_.username;
  in.challenge = !options_.password.empty() && response.empty();
  Value caps = clientHello(in);
  if (sound_)
    sound_->addCaps(caps);
  if (!response.empty()) {
    caps.set("challenge_response", Value(response));
    caps.set("challenge_client_salt", Value(clientSalt));
    // Xpra pads the response hello to at least 512 bytes so its size does not reveal the
    // password's length.
    const size_t used = std::min<size_t>(480, response.size() + clientSalt.size());
    caps.set("challenge_padding", Value(std::string(512 - used, 'x')));
  }
  if (clipboard_)
    clipboard_->addHelloCaps(caps);
  if (display_) {
    // The layout the keys are typed with, so that the server can use the same (Xpra's
    // xkbmap_* keys).
    std::string json, error;
    if (display_->keyboardQuery(&json, &error))
      addKeyboardCaps(caps, KeyboardLayoutSpec::fromJson(json));
  }
  sink_.send(protocol::Hello{caps.asDict()});
}

int Client::run(const std::atomic<bool>& stop) {
  startUs_ = monotonicUs();
  std::string error;
  if (!soundError_.empty()) {
    std::fprintf(stderr, "rdkernel attach: client.sound: %s\n", soundError_.c_str());
    return 1;
  }
  if (!options_.headless) {
    plugin::LoadedPlugin* x11 = registry_.select(plugin::Kind::Platform, "x11", &error);
    if (!x11) {
      std::fprintf(stderr, "rdkernel attach: no display plugin: %s\n", error.c_str());
      return 1;
    }
    const std::string opts = "{\"display\":" + jsonQuote(options_.display) + "}";
    display_ = plugin::PlatformObject::openDisplay(*x11, opts, &Client::onLocalInput, this, &error);
    if (!display_) {
      std::fprintf(stderr, "rdkernel attach: %s\n", error.c_str());
      return 1;
    }
  }
  if (display_) {
    clipboard_ = std::make_unique<ClientClipboard>(
        *display_,
        clipboardSettings(config_.getString("clipboard.direction"),
                          config_.getInt("clipboard.max-size"), clipboard::Side::Client));
  }
  if (!connect(&error)) {
    summary_.endReason = error;
    std::fprintf(stderr, "rdkernel attach: %s\n", error.c_str());
    return 1;
  }
  summary_.connected = true;
  sendHello("", "");
  uint64_t nowUs = monotonicUs();
  lastStatusUs_ = nowUs;
  while (!stop.load() && !done_) {
    nowUs = monotonicUs();
    for (ChannelEvent& event : channel_->takeEvents()) {
      if (event.type == ChannelEvent::Type::Packet) {
        if (clipboard_ && clipboard_->handle(event.packet, nowUs))
          continue;
        handlePacket(event.packet);
      } else if (event.type == ChannelEvent::Type::Closed) {
        if (summary_.endReason.empty())
          summary_.endReason = event.reason;
        done_ = true;
      }
    }
    if (done_)
      break;
    channel_->flushPending();
    if (!summary_.handshakeOk && elapsedUs(nowUs, startUs_) > kHandshakeTimeoutUs) {
      summary_.endReason = "no hello from the server within 15 s";
      break;
    }
    if (summary_.handshakeOk && !soundRequested_) {
      // As Xpra's client once its sink is ready: ask for the stream in a codec we decode.
      soundRequested_ = true;
      if (sound_ && serverCaps_)
        if (auto request = sound_->startRequest(*serverCaps_))
          sink_.send(*request);
    }
    if (summary_.handshakeOk) {
      liveness_.tick();
      if (options_.syntheticInput)
        input_.synthetic(nowUs);
    }
    if (clipboard_) {
      if (summary_.handshakeOk && !clipboard_->started() && serverCaps_)
        clipboard_->start(*serverCaps_, *channel_);
      clipboard_->tick(nowUs);
    }
    if (display_)
      display_->displayPoll(&error);
    if (elapsedUs(nowUs, lastStatusUs_) >= 1'000'000) {
      const std::string line = statusLine(nowUs);
      // On a terminal one line refreshes in place; into a file or pipe each second is a line.
      if (options_.statusLine)
        std::fprintf(stderr, isatty(STDERR_FILENO) ? "\r%s\033[K" : "%s\n", line.c_str());
    }
    if (options_.seconds > 0 && double(elapsedUs(nowUs, startUs_)) / 1e6 >= options_.seconds) {
      sink_.send(protocol::Disconnect{std::string(protocol::disconnect_reason::kClientRequest),
                                      {"session time is up"}});
      if (summary_.endReason.empty())
        summary_.endReason = "client request: time is up";
      break;
    }
    wakeup_.waitFor(std::chrono::microseconds(5'000));
  }
  if (options_.statusLine && isatty(STDERR_FILENO))
    std::fprintf(stderr, "\n");
  if (sound_)
    sound_->stop();  // the WAV file is complete from here on
  fillSummary(monotonicUs());
  // Let the disconnect leave before the transport goes.
  for (int i = 0; i < 20 && channel_ && !channel_->closed(); ++i) {
    channel_->flushPending();
    wakeup_.waitFor(std::chrono::microseconds(10'000));
  }
  if (!options_.snapshotPath.empty()) {
    if (writeSnapshot(&error)) {
      summary_.snapshotPath = options_.snapshotPath;
    } else {
      std::fprintf(stderr, "rdkernel attach: snapshot: %s\n", error.c_str());
    }
  }
  return summary_.handshakeOk ? 0 : 1;
}

void Client::fillSummary(uint64_t nowUs) {
  const DrawStats& draws = draws_.stats();
  summary_.seconds = double(elapsedUs(nowUs, startUs_)) / 1e6;
  summary_.draws = draws.draws;
  summary_.drawBytes = draws.drawBytes;
  summary_.decodeErrors = draws.decodeErrors;
  summary_.videoGaps = draws.videoGaps;
  summary_.drawsPerEncoding = draws.drawsPerEncoding;
  summary_.pixelsPerEncoding = draws.pixelsPerEncoding;
  summary_.latencyP50Ms = draws.latency.overallPercentile(50);
  summary_.latencyP99Ms = draws.latency.overallPercentile(99);
  summary_.rttMs = liveness_.rtt().overallPercentile(50);
  summary_.rttP99Ms = liveness_.rtt().overallPercentile(99);
  summary_.pings = liveness_.sequence();
  summary_.fps = summary_.seconds > 0 ? double(summary_.draws) / summary_.seconds : 0;
  summary_.bandwidthKbps =
      summary_.seconds > 0 ? double(summary_.drawBytes) * 8 / 1000 / summary_.seconds : 0;
  summary_.transport = channel_->stats();
  summary_.windows = mirror_.windows().size();
  for (const auto& [wid, window] : mirror_.windows()) {
    if (const Value* title = window.metadata.find("title"); title && title->isBytes()) {
      summary_.windowTitles[wid] = title->asBytes();
    }
  }
  for (const auto& [type, count] : dispatcher_.unknown().counts())
    summary_.packetsPerType[type] += count;
  if (sound_)
    summary_.sound = sound_->stats();
}

std::string Client::statusLine(uint64_t nowUs) {
  const DrawStats& draws = draws_.stats();
  const double elapsed = double(elapsedUs(nowUs, lastStatusUs_)) / 1e6;
  if (elapsed > 0) {
    statusFps_ = double(draws.draws - drawsAtLastStatus_) / elapsed;
    statusKbps_ = double(draws.drawBytes - bytesAtLastStatus_) * 8 / 1000 / elapsed;
  }
  drawsAtLastStatus_ = draws.draws;
  bytesAtLastStatus_ = draws.drawBytes;
  lastStatusUs_ = nowUs;
  const rdk_transport_stats t = channel_ ? channel_->stats() : rdk_transport_stats{};
  char line[256];
  std::snprintf(line, sizeof(line),
                "%5.1fs  %5.1f fps  latency p50 %5.1f ms p99 %6.1f ms  %s %5.1f ms  %7.0f kbit/s"
                "  loss %4.1f%%  resends %llu  windows %zu",
                double(elapsedUs(nowUs, startUs_)) / 1e6, statusFps_,
                draws.latency.recentPercentile(50), draws.latency.recentPercentile(99),
                // Named: the summary's "round trip" is the pings', which srtt is not.
                t.srtt_us ? "srtt" : "ping",
                t.srtt_us ? t.srtt_us / 1000.0 : liveness_.rtt().recentPercentile(50), statusKbps_,
                t.loss_permille / 10.0, static_cast<unsigned long long>(t.retransmissions),
                mirror_.windows().size());
  return line;
}

bool Client::writeSnapshot(std::string* error) {
  uint32_t width = desktopWidth_, height = desktopHeight_;
  for (const auto& [wid, w] : mirror_.windows()) {
    if (w.kind == WindowKind::Tray)
      continue;
    width =
        std::max<uint32_t>(width, static_cast<uint32_t>(std::max(0, w.geometry.x)) + w.geometry.w);
    height =
        std::max<uint32_t>(height, static_cast<uint32_t>(std::max(0, w.geometry.y)) + w.geometry.h);
  }
  if (width == 0 || height == 0) {
    *error = "no window was received";
    return false;
  }
  std::vector<uint8_t> canvas = composeDesktop(mirror_.windows(), width, height);
  std::string why;
  plugin::LoadedPlugin* png =
      registry_.select(plugin::Kind::Encoder, "png", &why, plugin::featureEncodes);
  if (!png) {
    *error = "no png encoder plugin: " + why;
    return false;
  }
  auto encoder = plugin::EncoderObject::create(*png, "png", width, height, "", error);
  if (!encoder)
    return false;
  rdk_image image{sizeof(rdk_image), width, height, width * 4, RDK_PIXEL_BGRX, canvas.data()};
  rdk_encode_params params{};
  params.struct_size = sizeof(params);
  params.quality = 100;
  params.speed = 50;
  params.flags = RDK_ENCODE_LOSSLESS;
  plugin::EncodedPicture picture;
  if (!encoder->encode(image, params, &picture, error))
    return false;
  std::ofstream out(options_.snapshotPath, std::ios::binary);
  out.write(picture.data.data(), static_cast<std::streamsize>(picture.data.size()));
  if (!out) {
    *error = "cannot write " + options_.snapshotPath;
    return false;
  }
  return true;
}

}  // namespace rdk::session
