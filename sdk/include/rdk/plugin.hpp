// Header-only C++ layer over plugin_abi.h for plugin authors.
//
// Write ordinary C++ classes (rdk::Plugin and the per-kind object classes below), throw rdk::Error
// or any std::exception on failure, and end one source file with RDK_DEFINE_PLUGIN(YourPlugin). The
// macro emits the C entry point, the descriptor and noexcept trampolines that turn every exception
// into an rdk_status plus a message through the host's set_error. Nothing from this header ever
// crosses into the kernel: it is compiled into each plugin, behind hidden visibility.
//
// rdk_add_plugin() (sdk/cmake) generates "rdk_plugin_manifest.h" with RDK_PLUGIN_NAME,
// RDK_PLUGIN_VERSION, RDK_PLUGIN_KINDS and RDK_PLUGIN_FEATURES_JSON from the same data as the
// manifest installed beside the library, so the descriptor and the manifest cannot drift apart.
#pragma once

#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rdk/plugin_abi.h"

namespace rdk {

/// An error with the status the C boundary should report.
class Error : public std::runtime_error {
 public:
  Error(rdk_status status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  rdk_status status() const { return status_; }

 private:
  rdk_status status_;
};

/// The kernel's services, valid for the life of the process.
class Host {
 public:
  explicit Host(const rdk_host_api* api) : api_(api) {}
  const rdk_host_api* api() const { return api_; }
  void log(rdk_log_level level, const std::string& msg) const {
    if (api_ && api_->log)
      api_->log(api_->ctx, level, msg.c_str());
  }
  void setError(const char* msg) const {
    if (api_ && api_->set_error)
      api_->set_error(api_->ctx, msg);
  }
  std::optional<std::string> config(const std::string& key) const {
    if (!api_ || !api_->config_get)
      return std::nullopt;
    const char* value = api_->config_get(api_->ctx, key.c_str());
    if (!value)
      return std::nullopt;
    return std::string(value);
  }
  std::string config(const std::string& key, const std::string& fallback) const {
    return config(key).value_or(fallback);
  }
  uint64_t nowUs() const { return api_ && api_->now_us ? api_->now_us(api_->ctx) : 0; }
  /// Counts |n| refusals for |reason| (a fixed name, never peer text); a kernel older than ABI
  /// 1.3 has no counter and this does nothing.
  void countRefusal(const char* reason, uint64_t n = 1) const {
    if (api_ && RDK_HAS_FIELD(api_, rdk_host_api, count_refusal) && api_->count_refusal)
      api_->count_refusal(api_->ctx, reason, n);
  }

 private:
  const rdk_host_api* api_;
};

/// Runs |f| and turns any exception into a status; the message goes to the host.
template <class F>
rdk_status guard(const Host& host, F&& f) noexcept {
  try {
    f();
    return RDK_OK;
  } catch (const Error& e) {
    host.setError(e.what());
    return e.status();
  } catch (const std::bad_alloc&) {
    host.setError("out of memory");
    return RDK_E_NO_MEMORY;
  } catch (const std::exception& e) {
    host.setError(e.what());
    return RDK_E_INTERNAL;
  } catch (...) {
    host.setError("unknown C++ exception in plugin");
    return RDK_E_INTERNAL;
  }
}

/// Moves |bytes| into an rdk_buffer that frees itself through release.
inline rdk_buffer toBuffer(std::vector<uint8_t>&& bytes) {
  auto* owned = new std::vector<uint8_t>(std::move(bytes));
  rdk_buffer b{};
  b.data = owned->data();
  b.size = owned->size();
  b.opaque = owned;
  b.release = [](rdk_buffer* self) {
    delete static_cast<std::vector<uint8_t>*>(self->opaque);
    self->data = nullptr;
    self->size = 0;
    self->opaque = nullptr;
  };
  return b;
}

inline rdk_buffer toBuffer(const std::string& text) {
  return toBuffer(std::vector<uint8_t>(text.begin(), text.end()));
}

inline void copyString(char* dst, size_t cap, const std::string& src) {
  if (cap == 0)
    return;
  const size_t n = src.size() < cap - 1 ? src.size() : cap - 1;
  std::memcpy(dst, src.data(), n);
  dst[n] = '\0';
}

// ---- Encoders
// ------------------------------------------------------------------------------------

struct Encoded {
  std::string coding;
  std::vector<uint8_t> data;
  uint32_t rowstride = 0;
  uint32_t flags = 0;       // RDK_ENCODED_*
  std::string optionsJson;  // a JSON object or empty
};

class Encoder {
 public:
  virtual ~Encoder() = default;
  virtual Encoded encode(const rdk_image& image, const rdk_encode_params& params) = 0;
  virtual void requestKeyframe() {}
};

class Decoder {
 public:
  virtual ~Decoder() = default;
  /// Decode into |out| (sized by the kernel); throw Error(RDK_E_CORRUPT, ...) on bad input.
  virtual void decode(rdk_bytes data, std::string_view optionsJson, rdk_image_out& out) = 0;
};

// ---- Transports
// ----------------------------------------------------------------------------------

class Connection {
 public:
  virtual ~Connection() = default;
  virtual void send(const rdk_bytes* iov, size_t count, const rdk_send_info& info) = 0;
  virtual rdk_transport_stats stats() = 0;
  virtual void close(std::string_view reason) = 0;
  virtual std::string peerAddress() = 0;
};

class Listener {
 public:
  virtual ~Listener() = default;
  virtual std::string address() = 0;
};

/// The opaque handle the kernel sees for a C++ connection (what on_accept receives).
inline rdk_connection* toHandle(Connection* c) {
  return reinterpret_cast<rdk_connection*>(c);
}

// ---- Authentication
// ------------------------------------------------------------------------------

struct Challenge {
  std::vector<uint8_t> salt;
  std::string digest;
  std::string saltDigest;
  std::string prompt = "password";
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  virtual bool requiresChallenge() = 0;
  virtual Challenge makeChallenge(const std::string& username, const std::string& clientDigests,
                                  const std::string& clientSaltDigests, bool encryptedOrLocal) = 0;
  /// Throw Error(RDK_E_AUTH, reason) when the response is wrong.
  virtual void authenticate(const std::string& username, rdk_bytes response,
                            rdk_bytes clientSalt) = 0;
};

struct ChallengeResponse {
  std::vector<uint8_t> response;
  std::vector<uint8_t> clientSalt;
};

// ---- Platforms
// -----------------------------------------------------------------------------------

class Platform {
 public:
  virtual ~Platform() = default;
  // Server side.
  virtual void poll(uint64_t /*nowUs*/) { throw Error(RDK_E_UNSUPPORTED, "poll unsupported"); }
  virtual rdk_image capture(uint64_t /*wid*/, const rdk_rect& /*rect*/) {
    throw Error(RDK_E_UNSUPPORTED, "capture unsupported");
  }
  virtual void inject(const rdk_input_event& /*event*/) {
    throw Error(RDK_E_UNSUPPORTED, "input injection unsupported");
  }
  /// A client's request about one of the platform's windows (seamless mode).
  virtual void request(const rdk_window_request& /*request*/) {
    throw Error(RDK_E_UNSUPPORTED, "window requests unsupported");
  }
  // Client side.
  virtual void displayWindow(const rdk_window_event& /*event*/) {
    throw Error(RDK_E_UNSUPPORTED, "display unsupported");
  }
  virtual void displayPaint(uint64_t /*wid*/, int32_t /*x*/, int32_t /*y*/,
                            const rdk_image& /*image*/) {
    throw Error(RDK_E_UNSUPPORTED, "display unsupported");
  }
  virtual void displayPoll() {}
  // Both sides (ABI 1.2): the display's selections. Callbacks only from poll/displayPoll.
  virtual void clipboardOpen(const std::string& /*options*/,
                             const rdk_clipboard_callbacks& /*callbacks*/) {
    throw Error(RDK_E_UNSUPPORTED, "clipboard unsupported");
  }
  virtual void clipboardClaim(const std::string& /*selection*/, const std::string& /*targets*/) {
    throw Error(RDK_E_UNSUPPORTED, "clipboard unsupported");
  }
  virtual void clipboardConvert(uint32_t /*id*/, const std::string& /*selection*/,
                                const std::string& /*target*/) {
    throw Error(RDK_E_UNSUPPORTED, "clipboard unsupported");
  }
  /// |data| null: no data.
  virtual void clipboardReply(uint32_t /*id*/, const rdk_clipboard_data* /*data*/) {
    throw Error(RDK_E_UNSUPPORTED, "clipboard unsupported");
  }
  // Keyboard (ABI 1.2): server side applies the client's layout, client side describes its own.
  virtual void keyboardSet(const std::string& /*json*/) {
    throw Error(RDK_E_UNSUPPORTED, "keyboard layouts unsupported");
  }
  virtual std::string keyboardQuery() {
    throw Error(RDK_E_UNSUPPORTED, "keyboard layouts unsupported");
  }
};

// ---- The plugin
// ----------------------------------------------------------------------------------

/// Base of every plugin: override what your kinds provide. One instance per process, created by
/// init and destroyed by shutdown.
class Plugin {
 public:
  explicit Plugin(const Host& host) : host_(host) {}
  virtual ~Plugin() = default;
  const Host& host() const { return host_; }

  virtual std::unique_ptr<Encoder> createEncoder(const std::string& encoding, uint32_t width,
                                                 uint32_t height, const std::string& options) {
    (void)width, (void)height, (void)options;
    throw Error(RDK_E_UNSUPPORTED, "no encoder for " + encoding);
  }
  virtual std::unique_ptr<Decoder> createDecoder(const std::string& encoding, uint32_t width,
                                                 uint32_t height) {
    (void)width, (void)height;
    throw Error(RDK_E_UNSUPPORTED, "no decoder for " + encoding);
  }
  /// Hardware plugins: {"ok":bool,"reason":"...","encodings":[...]}.
  virtual std::string probe() { return "{\"ok\":true}"; }

  virtual std::unique_ptr<Listener> listen(const std::string& url, const std::string& options,
                                           const rdk_listener_callbacks& callbacks) {
    (void)options, (void)callbacks;
    throw Error(RDK_E_UNSUPPORTED, "cannot listen on " + url);
  }
  virtual std::unique_ptr<Connection> connect(const std::string& url, const std::string& options,
                                              const rdk_connection_callbacks& callbacks) {
    (void)options, (void)callbacks;
    throw Error(RDK_E_UNSUPPORTED, "cannot connect to " + url);
  }

  virtual std::unique_ptr<Authenticator> createAuthenticator(const std::string& module,
                                                             const std::string& options) {
    (void)options;
    throw Error(RDK_E_UNSUPPORTED, "no auth module " + module);
  }
  virtual ChallengeResponse respond(const std::string& digest, const std::string& saltDigest,
                                    rdk_bytes serverSalt, rdk_bytes password) {
    (void)saltDigest, (void)serverSalt, (void)password;
    throw Error(RDK_E_UNSUPPORTED, "cannot answer digest " + digest);
  }

  virtual std::unique_ptr<Platform> openPlatform(const std::string& name,
                                                 const std::string& options,
                                                 const rdk_platform_callbacks& callbacks) {
    (void)options, (void)callbacks;
    throw Error(RDK_E_UNSUPPORTED, "no platform " + name);
  }
  virtual std::unique_ptr<Platform> openDisplay(const std::string& options,
                                                void (*inputCallback)(void*,
                                                                      const rdk_input_event*),
                                                void* inputHost) {
    (void)options, (void)inputCallback, (void)inputHost;
    throw Error(RDK_E_UNSUPPORTED, "this plugin cannot show windows");
  }

 private:
  Host host_;
};

}  // namespace rdk

#include "rdk/plugin_detail.hpp"

#ifndef RDK_PLUGIN_LICENSE
#define RDK_PLUGIN_LICENSE "MIT"
#endif
#ifndef RDK_PLUGIN_HAS_PROBE
#define RDK_PLUGIN_HAS_PROBE 0
#endif
#ifndef RDK_PLUGIN_HAS_DISPLAY
#define RDK_PLUGIN_HAS_DISPLAY 0
#endif

/// Emits the entry point for |PluginClass| (derived from rdk::Plugin, constructible from
/// rdk::Host). Needs the generated rdk_plugin_manifest.h included first.
#define RDK_DEFINE_PLUGIN(PluginClass)                                                     \
  extern "C" RDK_PLUGIN_EXPORT const rdk_plugin_descriptor* RDK_PLUGIN_ENTRY_NAME(void) {  \
    return ::rdk::detail::makeDescriptor<PluginClass>(                                     \
        RDK_PLUGIN_NAME, RDK_PLUGIN_VERSION, RDK_PLUGIN_LICENSE, RDK_PLUGIN_KINDS,         \
        RDK_PLUGIN_FEATURES_JSON, RDK_PLUGIN_HAS_PROBE != 0, RDK_PLUGIN_HAS_DISPLAY != 0); \
  }
