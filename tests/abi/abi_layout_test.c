/* The ABI layout, checked by a C11 compiler: sizes and offsets of every struct that crosses the
 * plugin boundary, as ABI 1.0 fixed them on LP64 (x86_64, aarch64). A failure here means a struct
 * changed shape: only appending fields (and bumping RDK_PLUGIN_ABI_MINOR) keeps old plugins
 * working; anything else is a new ABI major. Regenerate only together with such a bump. */
#include <stddef.h>
#include <stdio.h>

#include "rdk/plugin_abi.h"

#if defined(__LP64__) && (defined(__x86_64__) || defined(__aarch64__))
_Static_assert(sizeof(rdk_buffer) == 32, "sizeof rdk_buffer");
_Static_assert(offsetof(rdk_buffer, data) == 0, "rdk_buffer.data");
_Static_assert(offsetof(rdk_buffer, size) == 8, "rdk_buffer.size");
_Static_assert(offsetof(rdk_buffer, release) == 16, "rdk_buffer.release");
_Static_assert(offsetof(rdk_buffer, opaque) == 24, "rdk_buffer.opaque");
_Static_assert(sizeof(rdk_bytes) == 16, "sizeof rdk_bytes");
_Static_assert(offsetof(rdk_bytes, data) == 0, "rdk_bytes.data");
_Static_assert(offsetof(rdk_bytes, size) == 8, "rdk_bytes.size");
_Static_assert(sizeof(rdk_image) == 32, "sizeof rdk_image");
_Static_assert(offsetof(rdk_image, struct_size) == 0, "rdk_image.struct_size");
_Static_assert(offsetof(rdk_image, width) == 4, "rdk_image.width");
_Static_assert(offsetof(rdk_image, height) == 8, "rdk_image.height");
_Static_assert(offsetof(rdk_image, stride) == 12, "rdk_image.stride");
_Static_assert(offsetof(rdk_image, format) == 16, "rdk_image.format");
_Static_assert(offsetof(rdk_image, pixels) == 24, "rdk_image.pixels");
_Static_assert(sizeof(rdk_image_out) == 32, "sizeof rdk_image_out");
_Static_assert(offsetof(rdk_image_out, struct_size) == 0, "rdk_image_out.struct_size");
_Static_assert(offsetof(rdk_image_out, width) == 4, "rdk_image_out.width");
_Static_assert(offsetof(rdk_image_out, height) == 8, "rdk_image_out.height");
_Static_assert(offsetof(rdk_image_out, stride) == 12, "rdk_image_out.stride");
_Static_assert(offsetof(rdk_image_out, format) == 16, "rdk_image_out.format");
_Static_assert(offsetof(rdk_image_out, pixels) == 24, "rdk_image_out.pixels");
_Static_assert(sizeof(rdk_rect) == 16, "sizeof rdk_rect");
_Static_assert(offsetof(rdk_rect, x) == 0, "rdk_rect.x");
_Static_assert(offsetof(rdk_rect, y) == 4, "rdk_rect.y");
_Static_assert(offsetof(rdk_rect, w) == 8, "rdk_rect.w");
_Static_assert(offsetof(rdk_rect, h) == 12, "rdk_rect.h");
_Static_assert(sizeof(rdk_host_api) == 56, "sizeof rdk_host_api");
_Static_assert(offsetof(rdk_host_api, struct_size) == 0, "rdk_host_api.struct_size");
_Static_assert(offsetof(rdk_host_api, abi_major) == 4, "rdk_host_api.abi_major");
_Static_assert(offsetof(rdk_host_api, abi_minor) == 6, "rdk_host_api.abi_minor");
_Static_assert(offsetof(rdk_host_api, ctx) == 8, "rdk_host_api.ctx");
_Static_assert(offsetof(rdk_host_api, log) == 16, "rdk_host_api.log");
_Static_assert(offsetof(rdk_host_api, set_error) == 24, "rdk_host_api.set_error");
_Static_assert(offsetof(rdk_host_api, config_get) == 32, "rdk_host_api.config_get");
_Static_assert(offsetof(rdk_host_api, now_us) == 40, "rdk_host_api.now_us");
_Static_assert(offsetof(rdk_host_api, count_refusal) == 48, "rdk_host_api.count_refusal");
_Static_assert(sizeof(rdk_encode_params) == 20, "sizeof rdk_encode_params");
_Static_assert(offsetof(rdk_encode_params, struct_size) == 0, "rdk_encode_params.struct_size");
_Static_assert(offsetof(rdk_encode_params, quality) == 4, "rdk_encode_params.quality");
_Static_assert(offsetof(rdk_encode_params, speed) == 8, "rdk_encode_params.speed");
_Static_assert(offsetof(rdk_encode_params, flags) == 12, "rdk_encode_params.flags");
_Static_assert(offsetof(rdk_encode_params, bitrate_kbps) == 16, "rdk_encode_params.bitrate_kbps");
_Static_assert(sizeof(rdk_encoded) == 104, "sizeof rdk_encoded");
_Static_assert(offsetof(rdk_encoded, struct_size) == 0, "rdk_encoded.struct_size");
_Static_assert(offsetof(rdk_encoded, coding) == 4, "rdk_encoded.coding");
_Static_assert(offsetof(rdk_encoded, data) == 32, "rdk_encoded.data");
_Static_assert(offsetof(rdk_encoded, rowstride) == 64, "rdk_encoded.rowstride");
_Static_assert(offsetof(rdk_encoded, flags) == 68, "rdk_encoded.flags");
_Static_assert(offsetof(rdk_encoded, options_json) == 72, "rdk_encoded.options_json");
_Static_assert(sizeof(rdk_encoder_vtbl) == 72, "sizeof rdk_encoder_vtbl");
_Static_assert(offsetof(rdk_encoder_vtbl, struct_size) == 0, "rdk_encoder_vtbl.struct_size");
_Static_assert(offsetof(rdk_encoder_vtbl, probe) == 8, "rdk_encoder_vtbl.probe");
_Static_assert(offsetof(rdk_encoder_vtbl, encoder_create) == 16, "rdk_encoder_vtbl.encoder_create");
_Static_assert(offsetof(rdk_encoder_vtbl, encode) == 24, "rdk_encoder_vtbl.encode");
_Static_assert(offsetof(rdk_encoder_vtbl, request_keyframe) == 32,
               "rdk_encoder_vtbl.request_keyframe");
_Static_assert(offsetof(rdk_encoder_vtbl, encoder_destroy) == 40,
               "rdk_encoder_vtbl.encoder_destroy");
_Static_assert(offsetof(rdk_encoder_vtbl, decoder_create) == 48, "rdk_encoder_vtbl.decoder_create");
_Static_assert(offsetof(rdk_encoder_vtbl, decode) == 56, "rdk_encoder_vtbl.decode");
_Static_assert(offsetof(rdk_encoder_vtbl, decoder_destroy) == 64,
               "rdk_encoder_vtbl.decoder_destroy");
_Static_assert(sizeof(rdk_send_info) == 24, "sizeof rdk_send_info");
_Static_assert(offsetof(rdk_send_info, struct_size) == 0, "rdk_send_info.struct_size");
_Static_assert(offsetof(rdk_send_info, delivery) == 4, "rdk_send_info.delivery");
_Static_assert(offsetof(rdk_send_info, supersede_key) == 8, "rdk_send_info.supersede_key");
_Static_assert(offsetof(rdk_send_info, packet_id) == 16, "rdk_send_info.packet_id");
_Static_assert(sizeof(rdk_transport_stats) == 144, "sizeof rdk_transport_stats");
_Static_assert(offsetof(rdk_transport_stats, struct_size) == 0, "rdk_transport_stats.struct_size");
_Static_assert(offsetof(rdk_transport_stats, bytes_sent) == 8, "rdk_transport_stats.bytes_sent");
_Static_assert(offsetof(rdk_transport_stats, bytes_received) == 16,
               "rdk_transport_stats.bytes_received");
_Static_assert(offsetof(rdk_transport_stats, wire_bytes_sent) == 24,
               "rdk_transport_stats.wire_bytes_sent");
_Static_assert(offsetof(rdk_transport_stats, wire_bytes_received) == 32,
               "rdk_transport_stats.wire_bytes_received");
_Static_assert(offsetof(rdk_transport_stats, packets_sent) == 40,
               "rdk_transport_stats.packets_sent");
_Static_assert(offsetof(rdk_transport_stats, packets_received) == 48,
               "rdk_transport_stats.packets_received");
_Static_assert(offsetof(rdk_transport_stats, datagrams_sent) == 56,
               "rdk_transport_stats.datagrams_sent");
_Static_assert(offsetof(rdk_transport_stats, datagrams_received) == 64,
               "rdk_transport_stats.datagrams_received");
_Static_assert(offsetof(rdk_transport_stats, control_datagrams_sent) == 72,
               "rdk_transport_stats.control_datagrams_sent");
_Static_assert(offsetof(rdk_transport_stats, retransmissions) == 80,
               "rdk_transport_stats.retransmissions");
_Static_assert(offsetof(rdk_transport_stats, dropped_lost) == 88,
               "rdk_transport_stats.dropped_lost");
_Static_assert(offsetof(rdk_transport_stats, dropped_superseded) == 96,
               "rdk_transport_stats.dropped_superseded");
_Static_assert(offsetof(rdk_transport_stats, srtt_us) == 104, "rdk_transport_stats.srtt_us");
_Static_assert(offsetof(rdk_transport_stats, rttvar_us) == 108, "rdk_transport_stats.rttvar_us");
_Static_assert(offsetof(rdk_transport_stats, min_rtt_us) == 112, "rdk_transport_stats.min_rtt_us");
_Static_assert(offsetof(rdk_transport_stats, loss_permille) == 116,
               "rdk_transport_stats.loss_permille");
_Static_assert(offsetof(rdk_transport_stats, bandwidth_bps) == 120,
               "rdk_transport_stats.bandwidth_bps");
_Static_assert(offsetof(rdk_transport_stats, mtu) == 128, "rdk_transport_stats.mtu");
_Static_assert(offsetof(rdk_transport_stats, send_queue_bytes) == 136,
               "rdk_transport_stats.send_queue_bytes");
_Static_assert(sizeof(rdk_connection_callbacks) == 40, "sizeof rdk_connection_callbacks");
_Static_assert(offsetof(rdk_connection_callbacks, struct_size) == 0,
               "rdk_connection_callbacks.struct_size");
_Static_assert(offsetof(rdk_connection_callbacks, host_conn) == 8,
               "rdk_connection_callbacks.host_conn");
_Static_assert(offsetof(rdk_connection_callbacks, on_data) == 16,
               "rdk_connection_callbacks.on_data");
_Static_assert(offsetof(rdk_connection_callbacks, on_closed) == 24,
               "rdk_connection_callbacks.on_closed");
_Static_assert(offsetof(rdk_connection_callbacks, on_lost) == 32,
               "rdk_connection_callbacks.on_lost");
_Static_assert(sizeof(rdk_listener_callbacks) == 24, "sizeof rdk_listener_callbacks");
_Static_assert(offsetof(rdk_listener_callbacks, struct_size) == 0,
               "rdk_listener_callbacks.struct_size");
_Static_assert(offsetof(rdk_listener_callbacks, host_listener) == 8,
               "rdk_listener_callbacks.host_listener");
_Static_assert(offsetof(rdk_listener_callbacks, on_accept) == 16,
               "rdk_listener_callbacks.on_accept");
_Static_assert(sizeof(rdk_transport_vtbl) == 80, "sizeof rdk_transport_vtbl");
_Static_assert(offsetof(rdk_transport_vtbl, struct_size) == 0, "rdk_transport_vtbl.struct_size");
_Static_assert(offsetof(rdk_transport_vtbl, listen) == 8, "rdk_transport_vtbl.listen");
_Static_assert(offsetof(rdk_transport_vtbl, listener_address) == 16,
               "rdk_transport_vtbl.listener_address");
_Static_assert(offsetof(rdk_transport_vtbl, listener_destroy) == 24,
               "rdk_transport_vtbl.listener_destroy");
_Static_assert(offsetof(rdk_transport_vtbl, connect) == 32, "rdk_transport_vtbl.connect");
_Static_assert(offsetof(rdk_transport_vtbl, send) == 40, "rdk_transport_vtbl.send");
_Static_assert(offsetof(rdk_transport_vtbl, get_stats) == 48, "rdk_transport_vtbl.get_stats");
_Static_assert(offsetof(rdk_transport_vtbl, close) == 56, "rdk_transport_vtbl.close");
_Static_assert(offsetof(rdk_transport_vtbl, connection_destroy) == 64,
               "rdk_transport_vtbl.connection_destroy");
_Static_assert(offsetof(rdk_transport_vtbl, peer_address) == 72, "rdk_transport_vtbl.peer_address");
_Static_assert(sizeof(rdk_auth_challenge) == 168, "sizeof rdk_auth_challenge");
_Static_assert(offsetof(rdk_auth_challenge, struct_size) == 0, "rdk_auth_challenge.struct_size");
_Static_assert(offsetof(rdk_auth_challenge, salt) == 8, "rdk_auth_challenge.salt");
_Static_assert(offsetof(rdk_auth_challenge, digest) == 40, "rdk_auth_challenge.digest");
_Static_assert(offsetof(rdk_auth_challenge, salt_digest) == 72, "rdk_auth_challenge.salt_digest");
_Static_assert(offsetof(rdk_auth_challenge, prompt) == 104, "rdk_auth_challenge.prompt");
_Static_assert(sizeof(rdk_auth_vtbl) == 56, "sizeof rdk_auth_vtbl");
_Static_assert(offsetof(rdk_auth_vtbl, struct_size) == 0, "rdk_auth_vtbl.struct_size");
_Static_assert(offsetof(rdk_auth_vtbl, authenticator_create) == 8,
               "rdk_auth_vtbl.authenticator_create");
_Static_assert(offsetof(rdk_auth_vtbl, requires_challenge) == 16,
               "rdk_auth_vtbl.requires_challenge");
_Static_assert(offsetof(rdk_auth_vtbl, make_challenge) == 24, "rdk_auth_vtbl.make_challenge");
_Static_assert(offsetof(rdk_auth_vtbl, authenticate) == 32, "rdk_auth_vtbl.authenticate");
_Static_assert(offsetof(rdk_auth_vtbl, authenticator_destroy) == 40,
               "rdk_auth_vtbl.authenticator_destroy");
_Static_assert(offsetof(rdk_auth_vtbl, respond) == 48, "rdk_auth_vtbl.respond");
_Static_assert(sizeof(rdk_window_event) == 64, "sizeof rdk_window_event");
_Static_assert(offsetof(rdk_window_event, struct_size) == 0, "rdk_window_event.struct_size");
_Static_assert(offsetof(rdk_window_event, type) == 4, "rdk_window_event.type");
_Static_assert(offsetof(rdk_window_event, wid) == 8, "rdk_window_event.wid");
_Static_assert(offsetof(rdk_window_event, rect) == 16, "rdk_window_event.rect");
_Static_assert(offsetof(rdk_window_event, metadata_json) == 32, "rdk_window_event.metadata_json");
_Static_assert(offsetof(rdk_window_event, image) == 40, "rdk_window_event.image");
_Static_assert(offsetof(rdk_window_event, data) == 48, "rdk_window_event.data");
_Static_assert(sizeof(rdk_platform_callbacks) == 24, "sizeof rdk_platform_callbacks");
_Static_assert(offsetof(rdk_platform_callbacks, struct_size) == 0,
               "rdk_platform_callbacks.struct_size");
_Static_assert(offsetof(rdk_platform_callbacks, host) == 8, "rdk_platform_callbacks.host");
_Static_assert(offsetof(rdk_platform_callbacks, on_event) == 16, "rdk_platform_callbacks.on_event");
_Static_assert(sizeof(rdk_input_event) == 56, "sizeof rdk_input_event");
_Static_assert(offsetof(rdk_input_event, struct_size) == 0, "rdk_input_event.struct_size");
_Static_assert(offsetof(rdk_input_event, type) == 4, "rdk_input_event.type");
_Static_assert(offsetof(rdk_input_event, wid) == 8, "rdk_input_event.wid");
_Static_assert(offsetof(rdk_input_event, x) == 16, "rdk_input_event.x");
_Static_assert(offsetof(rdk_input_event, y) == 20, "rdk_input_event.y");
_Static_assert(offsetof(rdk_input_event, button) == 24, "rdk_input_event.button");
_Static_assert(offsetof(rdk_input_event, pressed) == 28, "rdk_input_event.pressed");
_Static_assert(offsetof(rdk_input_event, keycode) == 32, "rdk_input_event.keycode");
_Static_assert(offsetof(rdk_input_event, keyval) == 36, "rdk_input_event.keyval");
_Static_assert(offsetof(rdk_input_event, keyname) == 40, "rdk_input_event.keyname");
_Static_assert(offsetof(rdk_input_event, modifiers) == 48, "rdk_input_event.modifiers");
_Static_assert(sizeof(rdk_platform_vtbl) == 136, "sizeof rdk_platform_vtbl");
_Static_assert(offsetof(rdk_platform_vtbl, struct_size) == 0, "rdk_platform_vtbl.struct_size");
_Static_assert(offsetof(rdk_platform_vtbl, open) == 8, "rdk_platform_vtbl.open");
_Static_assert(offsetof(rdk_platform_vtbl, poll) == 16, "rdk_platform_vtbl.poll");
_Static_assert(offsetof(rdk_platform_vtbl, capture) == 24, "rdk_platform_vtbl.capture");
_Static_assert(offsetof(rdk_platform_vtbl, inject) == 32, "rdk_platform_vtbl.inject");
_Static_assert(offsetof(rdk_platform_vtbl, close) == 40, "rdk_platform_vtbl.close");
_Static_assert(offsetof(rdk_platform_vtbl, display_open) == 48, "rdk_platform_vtbl.display_open");
_Static_assert(offsetof(rdk_platform_vtbl, display_window) == 56,
               "rdk_platform_vtbl.display_window");
_Static_assert(offsetof(rdk_platform_vtbl, display_paint) == 64, "rdk_platform_vtbl.display_paint");
_Static_assert(offsetof(rdk_platform_vtbl, display_poll) == 72, "rdk_platform_vtbl.display_poll");
_Static_assert(offsetof(rdk_platform_vtbl, request) == 80, "rdk_platform_vtbl.request");
/* ABI 1.2: clipboard and keyboard. */
_Static_assert(offsetof(rdk_platform_vtbl, clipboard_open) == 88,
               "rdk_platform_vtbl.clipboard_open");
_Static_assert(offsetof(rdk_platform_vtbl, clipboard_claim) == 96,
               "rdk_platform_vtbl.clipboard_claim");
_Static_assert(offsetof(rdk_platform_vtbl, clipboard_convert) == 104,
               "rdk_platform_vtbl.clipboard_convert");
_Static_assert(offsetof(rdk_platform_vtbl, clipboard_reply) == 112,
               "rdk_platform_vtbl.clipboard_reply");
_Static_assert(offsetof(rdk_platform_vtbl, keyboard_set) == 120, "rdk_platform_vtbl.keyboard_set");
_Static_assert(offsetof(rdk_platform_vtbl, keyboard_query) == 128,
               "rdk_platform_vtbl.keyboard_query");
_Static_assert(sizeof(rdk_clipboard_data) == 32, "sizeof rdk_clipboard_data");
_Static_assert(offsetof(rdk_clipboard_data, format) == 4, "rdk_clipboard_data.format");
_Static_assert(offsetof(rdk_clipboard_data, type) == 8, "rdk_clipboard_data.type");
_Static_assert(offsetof(rdk_clipboard_data, data) == 16, "rdk_clipboard_data.data");
_Static_assert(sizeof(rdk_clipboard_callbacks) == 40, "sizeof rdk_clipboard_callbacks");
_Static_assert(offsetof(rdk_clipboard_callbacks, host) == 8, "rdk_clipboard_callbacks.host");
_Static_assert(offsetof(rdk_clipboard_callbacks, on_owner_changed) == 16,
               "rdk_clipboard_callbacks.on_owner_changed");
_Static_assert(offsetof(rdk_clipboard_callbacks, on_request) == 24,
               "rdk_clipboard_callbacks.on_request");
_Static_assert(offsetof(rdk_clipboard_callbacks, on_contents) == 32,
               "rdk_clipboard_callbacks.on_contents");
_Static_assert(sizeof(rdk_window_request) == 32, "sizeof rdk_window_request");
_Static_assert(offsetof(rdk_window_request, struct_size) == 0, "rdk_window_request.struct_size");
_Static_assert(offsetof(rdk_window_request, type) == 4, "rdk_window_request.type");
_Static_assert(offsetof(rdk_window_request, wid) == 8, "rdk_window_request.wid");
_Static_assert(offsetof(rdk_window_request, rect) == 16, "rdk_window_request.rect");
_Static_assert(sizeof(rdk_plugin_descriptor) == 96, "sizeof rdk_plugin_descriptor");
_Static_assert(offsetof(rdk_plugin_descriptor, struct_size) == 0,
               "rdk_plugin_descriptor.struct_size");
_Static_assert(offsetof(rdk_plugin_descriptor, abi_major) == 4, "rdk_plugin_descriptor.abi_major");
_Static_assert(offsetof(rdk_plugin_descriptor, abi_minor) == 6, "rdk_plugin_descriptor.abi_minor");
_Static_assert(offsetof(rdk_plugin_descriptor, name) == 8, "rdk_plugin_descriptor.name");
_Static_assert(offsetof(rdk_plugin_descriptor, version) == 16, "rdk_plugin_descriptor.version");
_Static_assert(offsetof(rdk_plugin_descriptor, license) == 24, "rdk_plugin_descriptor.license");
_Static_assert(offsetof(rdk_plugin_descriptor, kinds) == 32, "rdk_plugin_descriptor.kinds");
_Static_assert(offsetof(rdk_plugin_descriptor, features_json) == 40,
               "rdk_plugin_descriptor.features_json");
_Static_assert(offsetof(rdk_plugin_descriptor, init) == 48, "rdk_plugin_descriptor.init");
_Static_assert(offsetof(rdk_plugin_descriptor, shutdown) == 56, "rdk_plugin_descriptor.shutdown");
_Static_assert(offsetof(rdk_plugin_descriptor, encoder) == 64, "rdk_plugin_descriptor.encoder");
_Static_assert(offsetof(rdk_plugin_descriptor, transport) == 72, "rdk_plugin_descriptor.transport");
_Static_assert(offsetof(rdk_plugin_descriptor, auth) == 80, "rdk_plugin_descriptor.auth");
_Static_assert(offsetof(rdk_plugin_descriptor, platform) == 88, "rdk_plugin_descriptor.platform");
#else
#error "ABI layout expectations exist for LP64 x86_64 and aarch64 only"
#endif

_Static_assert(RDK_PLUGIN_ABI_MAJOR == 1, "entry symbol and layout below are ABI 1");

int main(void) {
  /* RDK_HAS_FIELD must see a field inside a smaller (older) struct and not past it. */
  rdk_host_api old_host = {0};
  old_host.struct_size = (uint32_t)offsetof(rdk_host_api, config_get);
  if (!RDK_HAS_FIELD(&old_host, rdk_host_api, set_error) ||
      RDK_HAS_FIELD(&old_host, rdk_host_api, config_get)) {
    fprintf(stderr, "RDK_HAS_FIELD is wrong\n");
    return 1;
  }
  printf("ABI %d.%d layout ok\n", RDK_PLUGIN_ABI_MAJOR, RDK_PLUGIN_ABI_MINOR);
  return 0;
}
