// RAII owners for objects created by plugins. Each one keeps the vtable it came from, so the
// object is always destroyed through its own plugin (whoever allocates frees), and plugins are
// never unloaded, so the code stays mapped for as long as any such object lives.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "rdk/plugin_abi.h"

namespace rdk::plugin {

struct LoadedPlugin;

/// The message a plugin attached to its last failure on this thread, or a generic text.
std::string pluginFailure(rdk_status status);

/// Takes the bytes out of a plugin buffer and releases it.
std::string takeBuffer(rdk_buffer& buffer);

struct EncodedPicture {
  std::string coding;
  std::string data;
  uint32_t rowstride = 0;
  uint32_t flags = 0;  // RDK_ENCODED_*
  std::string optionsJson;
};

class EncoderObject {
 public:
  static std::unique_ptr<EncoderObject> create(const LoadedPlugin& plugin,
                                               const std::string& encoding, uint32_t width,
                                               uint32_t height, const std::string& optionsJson,
                                               std::string* error);
  ~EncoderObject();
  EncoderObject(const EncoderObject&) = delete;
  EncoderObject& operator=(const EncoderObject&) = delete;

  bool encode(const rdk_image& image, const rdk_encode_params& params, EncodedPicture* out,
              std::string* error);
  void requestKeyframe();
  const std::string& encoding() const { return encoding_; }
  uint32_t width() const { return width_; }
  uint32_t height() const { return height_; }
  /// Tells the plugin implementing this encoder apart from others (its function table).
  const void* pluginIdentity() const { return vtbl_; }

 private:
  EncoderObject(const rdk_encoder_vtbl* vtbl, rdk_encoder* encoder, std::string encoding,
                uint32_t width, uint32_t height)
      : vtbl_(vtbl),
        encoder_(encoder),
        encoding_(std::move(encoding)),
        width_(width),
        height_(height) {}
  const rdk_encoder_vtbl* vtbl_;
  rdk_encoder* encoder_;
  std::string encoding_;
  uint32_t width_;
  uint32_t height_;
};

class DecoderObject {
 public:
  static std::unique_ptr<DecoderObject> create(const LoadedPlugin& plugin,
                                               const std::string& encoding, uint32_t width,
                                               uint32_t height, std::string* error);
  ~DecoderObject();
  DecoderObject(const DecoderObject&) = delete;
  DecoderObject& operator=(const DecoderObject&) = delete;

  bool decode(const std::string& data, const std::string& optionsJson, rdk_image_out& out,
              std::string* error);
  uint32_t width() const { return width_; }
  uint32_t height() const { return height_; }

 private:
  DecoderObject(const rdk_encoder_vtbl* vtbl, rdk_decoder* decoder, uint32_t width, uint32_t height)
      : vtbl_(vtbl), decoder_(decoder), width_(width), height_(height) {}
  const rdk_encoder_vtbl* vtbl_;
  rdk_decoder* decoder_;
  uint32_t width_;
  uint32_t height_;
};

/// Receives platform events (window changes, damage, cursor, bell, sound, input).
class PlatformEventSink {
 public:
  virtual ~PlatformEventSink() = default;
  virtual void onWindowEvent(const rdk_window_event& event) = 0;
};

/// Where a platform's clipboard events go (ABI 1.2), during poll/displayPoll.
class ClipboardEventSink {
 public:
  virtual ~ClipboardEventSink() = default;
  virtual void onClipboardOwnerChanged(const std::string& selection) = 0;
  virtual void onClipboardRequest(uint32_t id, const std::string& selection,
                                  const std::string& target) = 0;
  /// |data| null: none.
  virtual void onClipboardContents(uint32_t id, const rdk_clipboard_data* data) = 0;
};

class PlatformObject {
 public:
  /// Server side: a desktop to capture.
  static std::unique_ptr<PlatformObject> open(const LoadedPlugin& plugin, const std::string& name,
                                              const std::string& optionsJson,
                                              PlatformEventSink* sink, std::string* error);
  /// Client side: windows on a local display; input comes back to |inputSink|.
  static std::unique_ptr<PlatformObject> openDisplay(
      const LoadedPlugin& plugin, const std::string& optionsJson,
      void (*inputCallback)(void* host, const rdk_input_event* event), void* inputHost,
      std::string* error);
  ~PlatformObject();
  PlatformObject(const PlatformObject&) = delete;
  PlatformObject& operator=(const PlatformObject&) = delete;

  /// Where server-side platform events go (may be set after open, before the first poll).
  void setSink(PlatformEventSink* sink) { sink_ = sink; }
  bool poll(uint64_t nowUs, std::string* error);
  /// The last poll said RDK_E_CLOSED: the desktop is gone for good (its display, its children).
  bool closed() const { return closed_; }
  bool capture(uint64_t wid, const rdk_rect& rect, rdk_image* out, std::string* error);
  bool inject(const rdk_input_event& event, std::string* error);
  /// A client's window request (ABI 1.1). False with "unsupported" in |error| when the plugin
  /// predates it or manages no windows.
  bool request(const rdk_window_request& request, std::string* error);
  bool displayWindow(const rdk_window_event& event, std::string* error);
  bool displayPaint(uint64_t wid, int32_t x, int32_t y, const rdk_image& image, std::string* error);
  bool displayPoll(std::string* error);
  /// Clipboard and keyboard (ABI 1.2): false with "unsupported" in |error| when the plugin
  /// predates them or its platform has no selections / layouts.
  bool hasClipboard() const;
  bool clipboardOpen(ClipboardEventSink* sink, std::string* error);
  bool clipboardClaim(const std::string& selection, const std::string& targets, std::string* error);
  bool clipboardConvert(uint32_t id, const std::string& selection, const std::string& target,
                        std::string* error);
  bool clipboardReply(uint32_t id, const rdk_clipboard_data* data, std::string* error);
  bool keyboardSet(const std::string& json, std::string* error);
  bool keyboardQuery(std::string* json, std::string* error);

 private:
  PlatformObject() = default;
  static void onEvent(void* host, const rdk_window_event* event);
  static void onClipboardOwner(void* host, const char* selection);
  static void onClipboardRequest(void* host, uint32_t id, const char* selection,
                                 const char* target);
  static void onClipboardContents(void* host, uint32_t id, const rdk_clipboard_data* data);
  rdk_clipboard_callbacks clipboardCallbacks_{};
  ClipboardEventSink* clipboardSink_ = nullptr;
  const rdk_platform_vtbl* vtbl_ = nullptr;
  rdk_platform* platform_ = nullptr;
  rdk_platform_callbacks callbacks_{};
  PlatformEventSink* sink_ = nullptr;
  bool closed_ = false;
};

/// A server-side authenticator for one bind.
class AuthenticatorObject {
 public:
  static std::unique_ptr<AuthenticatorObject> create(const LoadedPlugin& plugin,
                                                     const std::string& module,
                                                     const std::string& optionsJson,
                                                     std::string* error);
  ~AuthenticatorObject();
  AuthenticatorObject(const AuthenticatorObject&) = delete;
  AuthenticatorObject& operator=(const AuthenticatorObject&) = delete;

  bool requiresChallenge();
  struct Challenge {
    std::string salt, digest, saltDigest, prompt;
  };
  bool makeChallenge(const std::string& username, const std::string& digests,
                     const std::string& saltDigests, bool encryptedOrLocal, Challenge* out,
                     std::string* error);
  bool authenticate(const std::string& username, const std::string& response,
                    const std::string& clientSalt, std::string* error);

 private:
  AuthenticatorObject(const rdk_auth_vtbl* vtbl, rdk_authenticator* auth)
      : vtbl_(vtbl), auth_(auth) {}
  const rdk_auth_vtbl* vtbl_;
  rdk_authenticator* auth_;
};

/// Client side: answer a challenge with the plugin that provides |digest|.
bool respondToChallenge(const LoadedPlugin& plugin, const std::string& digest,
                        const std::string& saltDigest, const std::string& serverSalt,
                        const std::string& password, std::string* response, std::string* clientSalt,
                        std::string* error);

}  // namespace rdk::plugin
