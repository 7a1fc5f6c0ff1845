// Implementation detail of plugin.hpp: the noexcept C trampolines and the descriptor that
// RDK_DEFINE_PLUGIN emits. Include plugin.hpp, not this file.
#pragma once

#include <atomic>
#include <cstring>
#include <memory>
#include <string>

#include "rdk/plugin.hpp"

namespace rdk {

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
  // The transport table's send/close/stats calls carry only the connection, so the plugin instance
  // is remembered here; listen and connect may run on several threads at once.
  static std::atomic<Plugin*>& transportPlugin() {
    static std::atomic<Plugin*> p{nullptr};  // one plugin instance per library
    return p;
  }
  static Host transportHost() {
    Plugin* p = transportPlugin().load(std::memory_order_acquire);
    return p ? p->host() : Host(nullptr);
  }
  static rdk_status listen(void* state, const char* url, const char* options,
                           const rdk_listener_callbacks* cb, rdk_listener** out) noexcept {
    transportPlugin().store(self(state), std::memory_order_release);
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
    transportPlugin().store(self(state), std::memory_order_release);
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
  static rdk_status request(rdk_platform* p, const rdk_window_request* r) noexcept {
    return guard(plat(p)->plugin->host(), [&] { plat(p)->object->request(*r); });
  }
  static rdk_status clipboardOpen(rdk_platform* p, const char* options,
                                  const rdk_clipboard_callbacks* cb) noexcept {
    return guard(plat(p)->plugin->host(),
                 [&] { plat(p)->object->clipboardOpen(str(options), *cb); });
  }
  static rdk_status clipboardClaim(rdk_platform* p, const char* selection,
                                   const char* targets) noexcept {
    return guard(plat(p)->plugin->host(),
                 [&] { plat(p)->object->clipboardClaim(str(selection), str(targets)); });
  }
  static rdk_status clipboardConvert(rdk_platform* p, uint32_t id, const char* selection,
                                     const char* target) noexcept {
    return guard(plat(p)->plugin->host(),
                 [&] { plat(p)->object->clipboardConvert(id, str(selection), str(target)); });
  }
  static rdk_status clipboardReply(rdk_platform* p, uint32_t id,
                                   const rdk_clipboard_data* data) noexcept {
    return guard(plat(p)->plugin->host(), [&] { plat(p)->object->clipboardReply(id, data); });
  }
  static rdk_status keyboardSet(rdk_platform* p, const char* json) noexcept {
    return guard(plat(p)->plugin->host(), [&] { plat(p)->object->keyboardSet(str(json)); });
  }
  static rdk_status keyboardQuery(rdk_platform* p, rdk_buffer* out) noexcept {
    return guard(plat(p)->plugin->host(), [&] {
      std::string s = plat(p)->object->keyboardQuery();
      *out = toBuffer(std::move(s));
    });
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
                                             &T::displayPoll,
                                             &T::request,
                                             &T::clipboardOpen,
                                             &T::clipboardClaim,
                                             &T::clipboardConvert,
                                             &T::clipboardReply,
                                             &T::keyboardSet,
                                             &T::keyboardQuery};
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
