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
  // Client side.
  virtual void displayWindow(const rdk_window_event& /*event*/) {
    throw Error(RDK_E_UNSUPPORTED, "display unsupported");
  }
  virtual void displayPaint(uint64_t /*wid*/, int32_t /*x*/, int32_t /*y*/,
                            const rdk_image& /*image*/) {
    throw Error(RDK_E_UNSUPPORTED, "display unsupported");
  }
  virtual void displayPoll() {}
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

namespace detail {

// Objects handed to the kernel remember their plugin so trampolines can reach the host.
template <class T>
struct Boxed {
  Plugin* plugin;
  std::unique_ptr<T> object;
};

inline std::string str(const char* s) {
  return s ? std::string(s) : std::string();
}

template <class PluginClass>
struct Trampolines {
  static Plugin* self(void* state) { return static_cast<Plugin*>(state); }

  static rdk_status init(const rdk_host_api* api, void** state) noexcept {
    Host host(api);
    return guard(host, [&] { *state = new PluginClass(host); });
  }
  static void shutdown(void* state) noexcept { delete self(state); }

  // Encoder.
  using Enc = Boxed<Encoder>;
  using Dec = Boxed<Decoder>;
  static rdk_status probe(void* state, rdk_buffer* out) noexcept {
    return guard(self(state)->host(), [&] { *out = toBuffer(self(state)->probe()); });
  }
  static rdk_status encoderCreate(void* state, const char* encoding, uint32_t w, uint32_t h,
                                  const char* options, rdk_encoder** out) noexcept {
    return guard(self(state)->host(), [&] {
      auto enc = self(state)->createEncoder(str(encoding), w, h, str(options));
      *out = reinterpret_cast<rdk_encoder*>(new Enc{self(state), std::move(enc)});
    });
  }
  static rdk_status encode(rdk_encoder* e, const rdk_image* image, const rdk_encode_params* params,
                           rdk_encoded* out) noexcept {
    auto* box = reinterpret_cast<Enc*>(e);
    return guard(box->plugin->host(), [&] {
      Encoded r = box->object->encode(*image, *params);
      copyString(out->coding, sizeof(out->coding), r.coding);
      out->data = toBuffer(std::move(r.data));
      out->rowstride = r.rowstride;
      out->flags = r.flags;
      out->options_json = toBuffer(r.optionsJson);
    });
  }
  static rdk_status requestKeyframe(rdk_encoder* e) noexcept {
    auto* box = reinterpret_cast<Enc*>(e);
    return guard(box->plugin->host(), [&] { box->object->requestKeyframe(); });
  }
  static void encoderDestroy(rdk_encoder* e) noexcept {
    try {
      delete reinterpret_cast<Enc*>(e);
    } catch (...) {
    }
  }
  static rdk_status decoderCreate(void* state, const char* encoding, uint32_t w, uint32_t h,
                                  rdk_decoder** out) noexcept {
    return guard(self(state)->host(), [&] {
      auto dec = self(state)->createDecoder(str(encoding), w, h);
      *out = reinterpret_cast<rdk_decoder*>(new Dec{self(state), std::move(dec)});
    });
  }
  static rdk_status decode(rdk_decoder* d, rdk_bytes data, const char* options,
                           rdk_image_out* out) noexcept {
    auto* box = reinterpret_cast<Dec*>(d);
    return guard(box->plugin->host(), [&] {
      box->object->decode(data, options ? std::string_view(options) : std::string_view(), *out);
    });
  }
  static void decoderDestroy(rdk_decoder* d) noexcept {
    try {
      delete reinterpret_cast<Dec*>(d);
    } catch (...) {
    }
  }

  // Transport. Connections are plain C++ objects (see toHandle) so that a listener can hand them to
  // on_accept itself; the plugin instance is reached through the state captured at listen/connect.
  struct Lis {
    Plugin* plugin;
    std::unique_ptr<Listener> object;
  };
  static Connection* conn(rdk_connection* c) { return reinterpret_cast<Connection*>(c); }
  static Plugin*& transportPlugin() {
    static Plugin* p = nullptr;  // one plugin instance per library
    return p;
  }
  static Host transportHost() {
    return transportPlugin() ? transportPlugin()->host() : Host(nullptr);
  }
  static rdk_status listen(void* state, const char* url, const char* options,
                           const rdk_listener_callbacks* cb, rdk_listener** out) noexcept {
    transportPlugin() = self(state);
    return guard(self(state)->host(), [&] {
      auto l = self(state)->listen(str(url), str(options), *cb);
      *out = reinterpret_cast<rdk_listener*>(new Lis{self(state), std::move(l)});
    });
  }
  static rdk_status listenerAddress(rdk_listener* l, char* out, size_t cap) noexcept {
    auto* box = reinterpret_cast<Lis*>(l);
    return guard(box->plugin->host(), [&] { copyString(out, cap, box->object->address()); });
  }
  static void listenerDestroy(rdk_listener* l) noexcept {
    try {
      delete reinterpret_cast<Lis*>(l);
    } catch (...) {
    }
  }
  static rdk_status connect(void* state, const char* url, const char* options,
                            const rdk_connection_callbacks* cb, rdk_connection** out) noexcept {
    transportPlugin() = self(state);
    return guard(self(state)->host(), [&] {
      *out = toHandle(self(state)->connect(str(url), str(options), *cb).release());
    });
  }
  static rdk_status send(rdk_connection* c, const rdk_bytes* iov, size_t n,
                         const rdk_send_info* info) noexcept {
    return guard(transportHost(), [&] { conn(c)->send(iov, n, *info); });
  }
  static rdk_status getStats(rdk_connection* c, rdk_transport_stats* out) noexcept {
    return guard(transportHost(), [&] {
      const uint32_t cap = out->struct_size;
      rdk_transport_stats s = conn(c)->stats();
      s.struct_size = sizeof(s);
      std::memcpy(out, &s, cap < sizeof(s) ? cap : sizeof(s));
      out->struct_size = cap < sizeof(s) ? cap : static_cast<uint32_t>(sizeof(s));
    });
  }
  static void close(rdk_connection* c, const char* reason) noexcept {
    guard(transportHost(), [&] { conn(c)->close(reason ? reason : ""); });
  }
  static void connectionDestroy(rdk_connection* c) noexcept {
    try {
      delete conn(c);
    } catch (...) {
    }
  }
  static rdk_status peerAddress(rdk_connection* c, char* out, size_t cap) noexcept {
    return guard(transportHost(), [&] { copyString(out, cap, conn(c)->peerAddress()); });
  }

  // Auth.
  using Auth = Boxed<Authenticator>;
  static rdk_status authCreate(void* state, const char* module, const char* options,
                               rdk_authenticator** out) noexcept {
    return guard(self(state)->host(), [&] {
      auto a = self(state)->createAuthenticator(str(module), str(options));
      *out = reinterpret_cast<rdk_authenticator*>(new Auth{self(state), std::move(a)});
    });
  }
  static int requiresChallenge(rdk_authenticator* a) noexcept {
    try {
      return reinterpret_cast<Auth*>(a)->object->requiresChallenge() ? 1 : 0;
    } catch (...) {
      return 1;  // fail closed: a broken module must not let anyone in without a challenge
    }
  }
  static rdk_status makeChallenge(rdk_authenticator* a, const char* user, const char* digests,
                                  const char* saltDigests, int encryptedOrLocal,
                                  rdk_auth_challenge* out) noexcept {
    auto* box = reinterpret_cast<Auth*>(a);
    return guard(box->plugin->host(), [&] {
      Challenge c = box->object->makeChallenge(str(user), str(digests), str(saltDigests),
                                               encryptedOrLocal != 0);
      out->salt = toBuffer(std::move(c.salt));
      copyString(out->digest, sizeof(out->digest), c.digest);
      copyString(out->salt_digest, sizeof(out->salt_digest), c.saltDigest);
      copyString(out->prompt, sizeof(out->prompt), c.prompt);
    });
  }
  static rdk_status authenticate(rdk_authenticator* a, const char* user, rdk_bytes response,
                                 rdk_bytes clientSalt) noexcept {
    auto* box = reinterpret_cast<Auth*>(a);
    return guard(box->plugin->host(),
                 [&] { box->object->authenticate(str(user), response, clientSalt); });
  }
  static void authDestroy(rdk_authenticator* a) noexcept {
    try {
      delete reinterpret_cast<Auth*>(a);
    } catch (...) {
    }
  }
  static rdk_status respond(void* state, const char* digest, const char* saltDigest,
                            rdk_bytes serverSalt, rdk_bytes password, rdk_buffer* response,
                            rdk_buffer* clientSalt) noexcept {
    return guard(self(state)->host(), [&] {
      ChallengeResponse r =
          self(state)->respond(str(digest), str(saltDigest), serverSalt, password);
      *response = toBuffer(std::move(r.response));
      *clientSalt = toBuffer(std::move(r.clientSalt));
    });
  }

  // Platform.
  using Plat = Boxed<Platform>;
  static Plat* plat(rdk_platform* p) { return reinterpret_cast<Plat*>(p); }
  static rdk_status open(void* state, const char* name, const char* options,
                         const rdk_platform_callbacks* cb, rdk_platform** out) noexcept {
    return guard(self(state)->host(), [&] {
      auto p = self(state)->openPlatform(str(name), str(options), *cb);
      *out = reinterpret_cast<rdk_platform*>(new Plat{self(state), std::move(p)});
    });
  }
  static rdk_status poll(rdk_platform* p, uint64_t now) noexcept {
    return guard(plat(p)->plugin->host(), [&] { plat(p)->object->poll(now); });
  }
  static rdk_status capture(rdk_platform* p, uint64_t wid, const rdk_rect* r,
                            rdk_image* out) noexcept {
    return guard(plat(p)->plugin->host(), [&] { *out = plat(p)->object->capture(wid, *r); });
  }
  static rdk_status inject(rdk_platform* p, const rdk_input_event* e) noexcept {
    return guard(plat(p)->plugin->host(), [&] { plat(p)->object->inject(*e); });
  }
  static void platformClose(rdk_platform* p) noexcept {
    try {
      delete plat(p);
    } catch (...) {
    }
  }
  static rdk_status displayOpen(void* state, const char* options,
                                void (*cb)(void*, const rdk_input_event*), void* host,
                                rdk_platform** out) noexcept {
    return guard(self(state)->host(), [&] {
      auto p = self(state)->openDisplay(str(options), cb, host);
      *out = reinterpret_cast<rdk_platform*>(new Plat{self(state), std::move(p)});
    });
  }
  static rdk_status displayWindow(rdk_platform* p, const rdk_window_event* e) noexcept {
    return guard(plat(p)->plugin->host(), [&] { plat(p)->object->displayWindow(*e); });
  }
  static rdk_status displayPaint(rdk_platform* p, uint64_t wid, int32_t x, int32_t y,
                                 const rdk_image* image) noexcept {
    return guard(plat(p)->plugin->host(),
                 [&] { plat(p)->object->displayPaint(wid, x, y, *image); });
  }
  static rdk_status displayPoll(rdk_platform* p) noexcept {
    return guard(plat(p)->plugin->host(), [&] { plat(p)->object->displayPoll(); });
  }
};

template <class PluginClass>
const rdk_plugin_descriptor* makeDescriptor(const char* name, const char* version,
                                            const char* license, uint32_t kinds,
                                            const char* features, bool hasProbe, bool hasDisplay) {
  using T = Trampolines<PluginClass>;
  static const rdk_encoder_vtbl encoder = {sizeof(rdk_encoder_vtbl), hasProbe ? &T::probe : nullptr,
                                           &T::encoderCreate,        &T::encode,
                                           &T::requestKeyframe,      &T::encoderDestroy,
                                           &T::decoderCreate,        &T::decode,
                                           &T::decoderDestroy};
  static const rdk_transport_vtbl transport = {sizeof(rdk_transport_vtbl),
                                               &T::listen,
                                               &T::listenerAddress,
                                               &T::listenerDestroy,
                                               &T::connect,
                                               &T::send,
                                               &T::getStats,
                                               &T::close,
                                               &T::connectionDestroy,
                                               &T::peerAddress};
  static const rdk_auth_vtbl auth = {sizeof(rdk_auth_vtbl),
                                     &T::authCreate,
                                     &T::requiresChallenge,
                                     &T::makeChallenge,
                                     &T::authenticate,
                                     &T::authDestroy,
                                     &T::respond};
  static const rdk_platform_vtbl platform = {sizeof(rdk_platform_vtbl),
                                             &T::open,
                                             &T::poll,
                                             &T::capture,
                                             &T::inject,
                                             &T::platformClose,
                                             hasDisplay ? &T::displayOpen : nullptr,
                                             &T::displayWindow,
                                             &T::displayPaint,
                                             &T::displayPoll};
  static const rdk_plugin_descriptor descriptor = {
      sizeof(rdk_plugin_descriptor),
      RDK_PLUGIN_ABI_MAJOR,
      RDK_PLUGIN_ABI_MINOR,
      name,
      version,
      license,
      kinds,
      features,
      &T::init,
      &T::shutdown,
      (kinds & RDK_KIND_ENCODER) ? &encoder : nullptr,
      (kinds & RDK_KIND_TRANSPORT) ? &transport : nullptr,
      (kinds & RDK_KIND_AUTH) ? &auth : nullptr,
      (kinds & RDK_KIND_PLATFORM) ? &platform : nullptr};
  return &descriptor;
}

}  // namespace detail
}  // namespace rdk

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
