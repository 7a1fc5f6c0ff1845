#include "rdk/kernel/plugin_objects.h"

#include "rdk/kernel/plugin_registry.h"

namespace rdk::plugin {

std::string pluginFailure(rdk_status status) {
  std::string detail = plugin::Registry::lastPluginError();
  if (!detail.empty())
    return detail;
  return "plugin returned status " + std::to_string(static_cast<int>(status));
}

std::string takeBuffer(rdk_buffer& buffer) {
  std::string bytes;
  if (buffer.data && buffer.size)
    bytes.assign(reinterpret_cast<const char*>(buffer.data), buffer.size);
  if (buffer.release)
    buffer.release(&buffer);
  buffer = rdk_buffer{};
  return bytes;
}

namespace {
bool fail(std::string* error, const std::string& text) {
  if (error)
    *error = text;
  return false;
}
}  // namespace

// ---- EncoderObject
// --------------------------------------------------------------------------------

std::unique_ptr<EncoderObject> EncoderObject::create(const LoadedPlugin& plugin,
                                                     const std::string& encoding, uint32_t width,
                                                     uint32_t height,
                                                     const std::string& optionsJson,
                                                     std::string* error) {
  const rdk_encoder_vtbl* vtbl = plugin.descriptor->encoder;
  if (!vtbl || !vtbl->encoder_create) {
    fail(error, "plugin " + plugin.name + " has no encoder");
    return nullptr;
  }
  rdk_encoder* encoder = nullptr;
  const rdk_status status =
      vtbl->encoder_create(plugin.state, encoding.c_str(), width, height,
                           optionsJson.empty() ? nullptr : optionsJson.c_str(), &encoder);
  if (status != RDK_OK || !encoder) {
    fail(error, plugin.name + ": cannot create " + encoding + " encoder: " + pluginFailure(status));
    return nullptr;
  }
  return std::unique_ptr<EncoderObject>(new EncoderObject(vtbl, encoder, encoding, width, height));
}

EncoderObject::~EncoderObject() {
  vtbl_->encoder_destroy(encoder_);
}

bool EncoderObject::encode(const rdk_image& image, const rdk_encode_params& params,
                           EncodedPicture* out, std::string* error) {
  rdk_encoded encoded{};
  encoded.struct_size = sizeof(encoded);
  const rdk_status status = vtbl_->encode(encoder_, &image, &params, &encoded);
  if (status != RDK_OK) {
    takeBuffer(encoded.data);
    takeBuffer(encoded.options_json);
    return fail(error, encoding_ + " encode failed: " + pluginFailure(status));
  }
  encoded.coding[sizeof(encoded.coding) - 1] = '\0';
  out->coding = encoded.coding;
  out->data = takeBuffer(encoded.data);
  out->rowstride = encoded.rowstride;
  out->flags = encoded.flags;
  out->optionsJson = takeBuffer(encoded.options_json);
  return true;
}

void EncoderObject::requestKeyframe() {
  if (vtbl_->request_keyframe)
    vtbl_->request_keyframe(encoder_);
}

// ---- DecoderObject
// --------------------------------------------------------------------------------

std::unique_ptr<DecoderObject> DecoderObject::create(const LoadedPlugin& plugin,
                                                     const std::string& encoding, uint32_t width,
                                                     uint32_t height, std::string* error) {
  const rdk_encoder_vtbl* vtbl = plugin.descriptor->encoder;
  if (!vtbl || !vtbl->decoder_create) {
    fail(error, "plugin " + plugin.name + " has no decoder");
    return nullptr;
  }
  rdk_decoder* decoder = nullptr;
  const rdk_status status =
      vtbl->decoder_create(plugin.state, encoding.c_str(), width, height, &decoder);
  if (status != RDK_OK || !decoder) {
    fail(error, plugin.name + ": cannot create " + encoding + " decoder: " + pluginFailure(status));
    return nullptr;
  }
  return std::unique_ptr<DecoderObject>(new DecoderObject(vtbl, decoder, width, height));
}

DecoderObject::~DecoderObject() {
  vtbl_->decoder_destroy(decoder_);
}

bool DecoderObject::decode(const std::string& data, const std::string& optionsJson,
                           rdk_image_out& out, std::string* error) {
  rdk_bytes bytes{reinterpret_cast<const uint8_t*>(data.data()), data.size()};
  const rdk_status status = vtbl_->decode(decoder_, bytes, optionsJson.c_str(), &out);
  if (status != RDK_OK)
    return fail(error, pluginFailure(status));
  return true;
}

// ---- PlatformObject
// -------------------------------------------------------------------------------

void PlatformObject::onEvent(void* host, const rdk_window_event* event) {
  auto* self = static_cast<PlatformObject*>(host);
  if (self->sink_ && event)
    self->sink_->onWindowEvent(*event);
}

std::unique_ptr<PlatformObject> PlatformObject::open(const LoadedPlugin& plugin,
                                                     const std::string& name,
                                                     const std::string& optionsJson,
                                                     PlatformEventSink* sink, std::string* error) {
  const rdk_platform_vtbl* vtbl = plugin.descriptor->platform;
  if (!vtbl || !vtbl->open) {
    fail(error, "plugin " + plugin.name + " cannot open a desktop");
    return nullptr;
  }
  std::unique_ptr<PlatformObject> object(new PlatformObject());
  object->vtbl_ = vtbl;
  object->sink_ = sink;
  object->callbacks_.struct_size = sizeof(object->callbacks_);
  object->callbacks_.host = object.get();
  object->callbacks_.on_event = &PlatformObject::onEvent;
  const rdk_status status = vtbl->open(plugin.state, name.c_str(), optionsJson.c_str(),
                                       &object->callbacks_, &object->platform_);
  if (status != RDK_OK || !object->platform_) {
    fail(error, "cannot open platform " + name + ": " + pluginFailure(status));
    return nullptr;
  }
  return object;
}

std::unique_ptr<PlatformObject> PlatformObject::openDisplay(
    const LoadedPlugin& plugin, const std::string& optionsJson,
    void (*inputCallback)(void* host, const rdk_input_event* event), void* inputHost,
    std::string* error) {
  const rdk_platform_vtbl* vtbl = plugin.descriptor->platform;
  if (!vtbl || !vtbl->display_open) {
    fail(error, "plugin " + plugin.name + " cannot show windows");
    return nullptr;
  }
  std::unique_ptr<PlatformObject> object(new PlatformObject());
  object->vtbl_ = vtbl;
  const rdk_status status = vtbl->display_open(plugin.state, optionsJson.c_str(), inputCallback,
                                               inputHost, &object->platform_);
  if (status != RDK_OK || !object->platform_) {
    fail(error, "cannot open display: " + pluginFailure(status));
    return nullptr;
  }
  return object;
}

PlatformObject::~PlatformObject() {
  if (platform_)
    vtbl_->close(platform_);
}

bool PlatformObject::poll(uint64_t nowUs, std::string* error) {
  const rdk_status status = vtbl_->poll(platform_, nowUs);
  closed_ = status == RDK_E_CLOSED;
  return status == RDK_OK || fail(error, "platform poll: " + pluginFailure(status));
}

bool PlatformObject::capture(uint64_t wid, const rdk_rect& rect, rdk_image* out,
                             std::string* error) {
  out->struct_size = sizeof(*out);
  const rdk_status status = vtbl_->capture(platform_, wid, &rect, out);
  return status == RDK_OK || fail(error, "capture: " + pluginFailure(status));
}

bool PlatformObject::inject(const rdk_input_event& event, std::string* error) {
  const rdk_status status = vtbl_->inject(platform_, &event);
  return status == RDK_OK || fail(error, "input: " + pluginFailure(status));
}

bool PlatformObject::request(const rdk_window_request& request, std::string* error) {
  if (!RDK_HAS_FIELD(vtbl_, rdk_platform_vtbl, request) || !vtbl_->request)
    return fail(error, "window request: unsupported by this platform plugin");
  const rdk_status status = vtbl_->request(platform_, &request);
  return status == RDK_OK || fail(error, "window request: " + pluginFailure(status));
}

bool PlatformObject::displayWindow(const rdk_window_event& event, std::string* error) {
  const rdk_status status = vtbl_->display_window(platform_, &event);
  return status == RDK_OK || fail(error, "display window: " + pluginFailure(status));
}

bool PlatformObject::displayPaint(uint64_t wid, int32_t x, int32_t y, const rdk_image& image,
                                  std::string* error) {
  const rdk_status status = vtbl_->display_paint(platform_, wid, x, y, &image);
  return status == RDK_OK || fail(error, "paint: " + pluginFailure(status));
}

bool PlatformObject::displayPoll(std::string* error) {
  const rdk_status status = vtbl_->display_poll(platform_);
  return status == RDK_OK || fail(error, "display poll: " + pluginFailure(status));
}

// ---- Clipboard and keyboard (ABI 1.2)

#define RDK_PLATFORM_HAS(fn) (RDK_HAS_FIELD(vtbl_, rdk_platform_vtbl, fn) && vtbl_->fn)

bool PlatformObject::hasClipboard() const {
  return RDK_PLATFORM_HAS(clipboard_open);
}

void PlatformObject::onClipboardOwner(void* host, const char* selection) {
  auto* self = static_cast<PlatformObject*>(host);
  if (self->clipboardSink_ && selection)
    self->clipboardSink_->onClipboardOwnerChanged(selection);
}

void PlatformObject::onClipboardRequest(void* host, uint32_t id, const char* selection,
                                        const char* target) {
  auto* self = static_cast<PlatformObject*>(host);
  if (self->clipboardSink_ && selection && target)
    self->clipboardSink_->onClipboardRequest(id, selection, target);
}

void PlatformObject::onClipboardContents(void* host, uint32_t id, const rdk_clipboard_data* data) {
  auto* self = static_cast<PlatformObject*>(host);
  if (self->clipboardSink_)
    self->clipboardSink_->onClipboardContents(id, data);
}

bool PlatformObject::clipboardOpen(ClipboardEventSink* sink, std::string* error) {
  if (!hasClipboard())
    return fail(error, "clipboard: unsupported by this platform plugin");
  clipboardSink_ = sink;
  clipboardCallbacks_.struct_size = sizeof(clipboardCallbacks_);
  clipboardCallbacks_.host = this;
  clipboardCallbacks_.on_owner_changed = &PlatformObject::onClipboardOwner;
  clipboardCallbacks_.on_request = &PlatformObject::onClipboardRequest;
  clipboardCallbacks_.on_contents = &PlatformObject::onClipboardContents;
  const rdk_status status = vtbl_->clipboard_open(platform_, nullptr, &clipboardCallbacks_);
  if (status != RDK_OK)
    clipboardSink_ = nullptr;
  return status == RDK_OK || fail(error, "clipboard: " + pluginFailure(status));
}

bool PlatformObject::clipboardClaim(const std::string& selection, const std::string& targets,
                                    std::string* error) {
  if (!RDK_PLATFORM_HAS(clipboard_claim))
    return fail(error, "clipboard: unsupported by this platform plugin");
  const rdk_status status = vtbl_->clipboard_claim(platform_, selection.c_str(), targets.c_str());
  return status == RDK_OK || fail(error, "clipboard claim: " + pluginFailure(status));
}

bool PlatformObject::clipboardConvert(uint32_t id, const std::string& selection,
                                      const std::string& target, std::string* error) {
  if (!RDK_PLATFORM_HAS(clipboard_convert))
    return fail(error, "clipboard: unsupported by this platform plugin");
  const rdk_status status =
      vtbl_->clipboard_convert(platform_, id, selection.c_str(), target.c_str());
  return status == RDK_OK || fail(error, "clipboard convert: " + pluginFailure(status));
}

bool PlatformObject::clipboardReply(uint32_t id, const rdk_clipboard_data* data,
                                    std::string* error) {
  if (!RDK_PLATFORM_HAS(clipboard_reply))
    return fail(error, "clipboard: unsupported by this platform plugin");
  const rdk_status status = vtbl_->clipboard_reply(platform_, id, data);
  return status == RDK_OK || fail(error, "clipboard reply: " + pluginFailure(status));
}

bool PlatformObject::keyboardSet(const std::string& json, std::string* error) {
  if (!RDK_PLATFORM_HAS(keyboard_set))
    return fail(error, "keyboard layout: unsupported by this platform plugin");
  const rdk_status status = vtbl_->keyboard_set(platform_, json.c_str());
  return status == RDK_OK || fail(error, "keyboard layout: " + pluginFailure(status));
}

bool PlatformObject::keyboardQuery(std::string* json, std::string* error) {
  if (!RDK_PLATFORM_HAS(keyboard_query))
    return fail(error, "keyboard layout: unsupported by this platform plugin");
  rdk_buffer out{};
  const rdk_status status = vtbl_->keyboard_query(platform_, &out);
  if (status != RDK_OK)
    return fail(error, "keyboard layout: " + pluginFailure(status));
  json->assign(reinterpret_cast<const char*>(out.data), out.size);
  if (out.release)
    out.release(&out);
  return true;
}

#undef RDK_PLATFORM_HAS

// ---- Authentication
// -------------------------------------------------------------------------------

std::unique_ptr<AuthenticatorObject> AuthenticatorObject::create(const LoadedPlugin& plugin,
                                                                 const std::string& module,
                                                                 const std::string& optionsJson,
                                                                 std::string* error) {
  const rdk_auth_vtbl* vtbl = plugin.descriptor->auth;
  if (!vtbl || !vtbl->authenticator_create) {
    fail(error, "plugin " + plugin.name + " has no authenticator");
    return nullptr;
  }
  rdk_authenticator* auth = nullptr;
  const rdk_status status =
      vtbl->authenticator_create(plugin.state, module.c_str(), optionsJson.c_str(), &auth);
  if (status != RDK_OK || !auth) {
    fail(error, "auth module " + module + ": " + pluginFailure(status));
    return nullptr;
  }
  return std::unique_ptr<AuthenticatorObject>(new AuthenticatorObject(vtbl, auth));
}

AuthenticatorObject::~AuthenticatorObject() {
  vtbl_->authenticator_destroy(auth_);
}

bool AuthenticatorObject::requiresChallenge() {
  return vtbl_->requires_challenge(auth_) != 0;
}

bool AuthenticatorObject::makeChallenge(const std::string& username, const std::string& digests,
                                        const std::string& saltDigests, bool encryptedOrLocal,
                                        Challenge* out, std::string* error) {
  rdk_auth_challenge challenge{};
  challenge.struct_size = sizeof(challenge);
  const rdk_status status =
      vtbl_->make_challenge(auth_, username.c_str(), digests.c_str(), saltDigests.c_str(),
                            encryptedOrLocal ? 1 : 0, &challenge);
  out->salt = takeBuffer(challenge.salt);
  if (status != RDK_OK)
    return fail(error, pluginFailure(status));
  challenge.digest[sizeof(challenge.digest) - 1] = '\0';
  challenge.salt_digest[sizeof(challenge.salt_digest) - 1] = '\0';
  challenge.prompt[sizeof(challenge.prompt) - 1] = '\0';
  out->digest = challenge.digest;
  out->saltDigest = challenge.salt_digest;
  out->prompt = challenge.prompt;
  return true;
}

bool AuthenticatorObject::authenticate(const std::string& username, const std::string& response,
                                       const std::string& clientSalt, std::string* error) {
  const rdk_bytes r{reinterpret_cast<const uint8_t*>(response.data()), response.size()};
  const rdk_bytes s{reinterpret_cast<const uint8_t*>(clientSalt.data()), clientSalt.size()};
  const rdk_status status = vtbl_->authenticate(auth_, username.c_str(), r, s);
  return status == RDK_OK || fail(error, pluginFailure(status));
}

bool respondToChallenge(const LoadedPlugin& plugin, const std::string& digest,
                        const std::string& saltDigest, const std::string& serverSalt,
                        const std::string& password, std::string* response, std::string* clientSalt,
                        std::string* error) {
  const rdk_auth_vtbl* vtbl = plugin.descriptor->auth;
  if (!vtbl || !vtbl->respond)
    return fail(error, "plugin " + plugin.name + " cannot respond");
  rdk_buffer r{}, s{};
  const rdk_bytes salt{reinterpret_cast<const uint8_t*>(serverSalt.data()), serverSalt.size()};
  const rdk_bytes pw{reinterpret_cast<const uint8_t*>(password.data()), password.size()};
  const rdk_status status =
      vtbl->respond(plugin.state, digest.c_str(), saltDigest.c_str(), salt, pw, &r, &s);
  *response = takeBuffer(r);
  *clientSalt = takeBuffer(s);
  if (status != RDK_OK)
    return fail(error, "challenge response: " + pluginFailure(status));
  return true;
}

}  // namespace rdk::plugin
