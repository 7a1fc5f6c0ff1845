// The schema table: every rdkernel.conf key, its type, default and one line of documentation.
#include "rdk/config/schema.h"

#include <climits>

namespace rdk::config {
namespace {

SchemaEntry text(const char* key, const char* def, const char* doc) {
  return {key, ValueType::String, def, doc};
}
SchemaEntry integer(const char* key, const char* def, long long min, long long max,
                    const char* doc) {
  return {key, ValueType::Int, def, doc, min, max};
}
SchemaEntry boolean(const char* key, const char* def, const char* doc) {
  return {key, ValueType::Bool, def, doc};
}
SchemaEntry percent(const char* key, const char* def, const char* doc) {
  return {key, ValueType::Percent, def, doc};
}
SchemaEntry list(const char* key, const char* def, const char* doc) {
  return {key, ValueType::List, def, doc};
}
SchemaEntry size(const char* key, const char* def, const char* doc) {
  return {key, ValueType::Size, def, doc};
}
SchemaEntry auth(const char* key, const char* def, const char* doc) {
  return {key, ValueType::AuthSpec, def, doc};
}

std::vector<SchemaEntry> buildSchema() {
  constexpr long long kMax = INT_MAX;
  return {
      list("plugins.path", "",
           "extra plugin directories, searched before RDK_PLUGIN_PATH and the default"),
      list("plugins.allow", "",
           "only these plugins may load (names as `rdkernel --plugins` lists them, or the part "
           "after <kind>- when one plugin has it: ssl = transport-ssl); empty allows all; an "
           "unknown name is an error"),
      list("plugins.deny", "",
           "these plugins never load (names as for plugins.allow); wins over plugins.allow"),
      list("plugins.prefer.encoder", "", "encoder plugins or encodings to prefer, best first"),
      list("plugins.prefer.transport", "",
           "transport plugins or URL schemes to prefer, best first"),
      list("plugins.prefer.auth", "", "auth plugins or modules to prefer, best first"),
      list("plugins.prefer.platform", "",
           "platform plugins or platform names to prefer, best first"),
      integer("plugins.probe-timeout", "10000", 100, 600000,
              "ms a child process may take to inspect or probe one plugin"),

      {"server.bind", ValueType::UrlList, "tcp://127.0.0.1:14500",
       "URLs to listen on (scheme://host:port), comma-separated"},
      auth("server.auth", "none", "authentication for every bind: module[:opt=val,...]"),
      auth("server.auth.tcp", "", "authentication for tcp:// binds (empty: server.auth)"),
      auth("server.auth.udp", "", "authentication for udp:// binds (empty: server.auth)"),
      auth("server.auth.dtls", "", "authentication for dtls:// binds (empty: server.auth)"),
      auth("server.auth.ssl", "", "authentication for ssl:// binds (empty: server.auth)"),
      auth("server.auth.ws", "", "authentication for ws:// binds (empty: server.auth)"),
      auth("server.auth.wss", "", "authentication for wss:// binds (empty: server.auth)"),
      text("server.www-dir", "",
           "web files ws:// and wss:// binds serve over HTTP; empty: rdkernel's own web client "
           "(<prefix>/share/rdkernel/www); /usr/share/xpra/www: Xpra's HTML5 client"),
      list("server.www-link-dirs", "/usr/share/javascript",
           "directories that symbolic links in server.www-dir may lead into"),
      text("server.platform", "synthetic", "platform to capture: synthetic, x11, ..."),
      text("server.display", "",
           "display for the platform (e.g. :100); empty: the platform's default"),
      size("server.size", "1280x720", "desktop size for platforms that create one (WxH)"),
      text("server.xvfb",
           "Xvfb +extension Composite +extension RANDR -screen 0 {W}x{H}x24 -nolisten tcp "
           "-noreset",
           "seamless: command starting the virtual display ({W}x{H}: server.size; the display "
           "or -displayfd is appended); empty: manage server.display as it is"),
      list("server.start", "",
           "seamless: commands run on the display once it is managed (`rdkernel start "
           "--start=CMD`)"),
      list("server.start-child", "",
           "seamless: commands run like server.start, counted by server.exit-with-children"),
      boolean("server.exit-with-children", "false",
              "seamless: stop the server once every server.start-child command has exited"),
      {"server.sound", ValueType::Enum, "off",
       "sound for clients that ask (Opus): pulse = a private PulseAudio server whose null sink "
       "is the default sink of the applications the server starts (PULSE_SERVER), as Xpra "
       "does; monitor = capture server.sound-source of the user's PulseAudio (shadow)",
       0, 0, "off|pulse|monitor"},
      text("server.sound-source", "",
           "server.sound=monitor: the PulseAudio source to capture (e.g. a sink's .monitor); "
           "empty: the monitor of the default sink (what the user hears)"),
      integer("server.sound-bitrate", "64000", 6000, 510000, "Opus bit rate of the sound, bit/s"),
      integer("server.fps", "30", 1, 240, "maximum frames per second per window"),
      list("server.encodings", "", "encodings the server may use; empty: all available"),
      boolean("server.shared-encoding", "true",
              "encode a still picture once for all clients with the same settings"),
      integer("server.ping-interval", "5", 0, 3600, "seconds between pings (0: never)"),
      integer("server.ping-timeout", "60", 1, 86400,
              "seconds without a ping echo before disconnecting"),
      integer("server.max-windows", "256", 1, 65536,
              "windows shown to one client at most; more are not shown (logged)"),
      integer("server.max-window-size", "16384", 16, 65535,
              "widest or tallest window shown to a client, in pixels; larger ones are not "
              "shown (logged)"),
      text("server.metrics-bind", "",
           "host:port where GET /metrics answers in Prometheus' text format (empty: off); it "
           "shows peer addresses, so keep it on a private address"),
      integer("server.shutdown-grace", "2000", 0, 60000,
              "milliseconds a stopping server (SIGTERM, SIGINT) gives its clients' transports to "
              "deliver the \"server shutdown\" disconnect"),
      integer("server.max-clients", "16", 1, 4096,
              "maximum simultaneous authenticated clients (connections still authenticating "
              "count under server.max-pending instead)"),
      integer("server.encode-threads", "0", 0, 256,
              "threads that encode and send captures, off the server loop (0: one per core)"),
      integer("server.max-pending", "64", 1, 65536,
              "maximum connections not yet authenticated, in total; when full, the oldest "
              "that has sent nothing is closed to make room"),
      integer("server.max-pending-per-address", "8", 1, 65536,
              "maximum connections not yet authenticated from one address (IPv6: one /64)"),
      integer("server.hello-timeout", "10", 1, 3600,
              "seconds a new connection has to send its hello"),
      integer("server.auth-timeout", "60", 1, 3600,
              "seconds a new connection has to complete authentication (password prompts)"),
      integer("server.max-hello-size", "1048576", 4096, 16777216,
              "bytes a packet may have before authentication, compressed or not"),
      integer("server.auth-failure-delay", "1000", 0, 600000,
              "ms the next authentication from an address waits after its first failure; "
              "doubles with each further failure"),
      integer("server.auth-max-failure-delay", "16000", 0, 3600000, "ms cap of that doubling wait"),

      integer("encoder.quality", "-1", -1, 100, "quality 0..100 (Xpra scale); -1: automatic"),
      integer("encoder.speed", "-1", -1, 100, "speed 0..100 (Xpra scale); -1: automatic"),
      integer("encoder.keyframe-interval", "0", 0, kMax,
              "frames between forced video key frames; 0: the codec's default"),
      integer("encoder.udp-keyframe-interval", "0", 0, kMax,
              "frames between forced key frames on lossy transports; 0: encoder.keyframe-interval"),
      integer("encoder.auto-refresh-delay", "150", 0, 60000,
              "ms after the last lossy update before a lossless refresh; 0: never"),
      integer("encoder.min-video-pixels", "16384", 0, kMax,
              "regions smaller than this many pixels never use a video encoder"),

      integer("transport.udp.mtu", "1400", 576, 65507, "largest UDP payload in bytes"),
      integer("transport.udp.fec-group", "0", -1, 16,
              "screen-update fragments per parity: 0 from the measured loss, -1 never"),
      percent("transport.udp.drop-pct", "0", "test: percent of received datagrams dropped"),
      percent("transport.udp.send-loss-pct", "0", "test: percent of sent datagrams dropped"),
      integer("transport.udp.delay-ms", "0", 0, 60000, "test: added one-way delay in ms"),
      integer("transport.udp.jitter-ms", "0", 0, 60000,
              "test: random extra delay up to this, in ms"),
      percent("transport.udp.reorder-pct", "0", "test: percent of datagrams sent out of order"),
      percent("transport.udp.duplicate-pct", "0", "test: percent of datagrams sent twice"),
      integer("transport.udp.drop-first", "0", 0, kMax, "test: drop the first N datagrams sent"),
      integer("transport.udp.blackout-every-s", "0", 0, 86400,
              "test: every N seconds, drop all received datagrams for blackout-ms; 0: never"),
      integer("transport.udp.blackout-ms", "0", 0, 600000,
              "test: length of each blackout in ms (shorter than blackout-every-s)"),
      text("transport.tls.cert", "", "PEM certificate for ssl://, wss:// and dtls:// binds"),
      text("transport.tls.key", "", "PEM private key for transport.tls.cert"),
      text("transport.tls.ca", "", "PEM CA bundle for verifying the peer; empty: system default"),
      boolean("transport.tls.verify", "true", "verify the peer's certificate (client side)"),

      text("client.password-file", "", "file holding the password for authentication"),
      text("client.username", "", "username to authenticate as; empty: the login name"),
      boolean("client.headless", "false", "decode without showing windows"),
      text("client.snapshot", "", "write the last painted frame to this PNG file on exit"),
      {"client.sound", ValueType::Enum, "auto",
       "play the server's sound: auto = through PulseAudio when a server answers; pulse = "
       "through PulseAudio or fail; wav = only into client.sound-wav; off = do not ask for it",
       0, 0, "auto|pulse|wav|off"},
      text("client.sound-wav", "",
           "also write the decoded sound to this WAV file (48 kHz stereo; for tests and "
           "headless clients); with client.sound=auto a missing PulseAudio is then no reason "
           "to go without sound"),
      integer("client.sound-delay", "60", 0, 2000,
              "jitter buffer target: milliseconds from a frame's arrival to its playout"),

      {"clipboard.direction", ValueType::Enum, "both",
       "which way clipboard contents may travel, named from the server (Xpra's "
       "--clipboard-direction); disabled: no clipboard",
       0, 0, "both|to-server|to-client|disabled"},
      integer("clipboard.max-size", "4194304", 0, kMax,
              "largest clipboard contents in bytes sent or taken, each way; larger ones are "
              "refused (logged)"),
      boolean("keyboard.apply-layout", "true",
              "server: apply the client's keyboard layout (xkbmap_layout, _variant, _options) to "
              "the display (x11 platforms, with setxkbmap)"),

      integer("demo.seconds", "20", 1, 86400, "how long `rdkernel demo` runs"),
      text("demo.transport", "udp", "transport the demo uses (a URL scheme)"),
      percent("demo.loss-pct", "10", "packet loss the demo simulates, in percent"),
      size("demo.size", "1280x720", "desktop size of the demo (WxH)"),

      {"logging.level", ValueType::Enum, "information", "least severe level logged", 0, 0,
       "error|warning|information|debug"},
      text("logging.file", "", "log to this file instead of stderr"),
  };
}

}  // namespace

const std::vector<SchemaEntry>& schema() {
  static const std::vector<SchemaEntry>* table = new std::vector<SchemaEntry>(buildSchema());
  return *table;
}

const SchemaEntry* findSchema(const std::string& key) {
  for (const SchemaEntry& entry : schema()) {
    if (key == entry.key)
      return &entry;
  }
  return nullptr;
}

}  // namespace rdk::config
