/*
 * rdkernel plugin ABI: the whole contract between the kernel and a plugin.
 *
 * Pure C99: no C++ type and no exception crosses this boundary. Rules (see sdk/docs/ABI_POLICY.md):
 *  - the plugin exports exactly one symbol, RDK_PLUGIN_ENTRY_SYMBOL, whose name carries the ABI
 * major;
 *  - a plugin loads when its abi_major equals the kernel's and its abi_minor is not newer;
 *  - every struct starts with struct_size and only grows at the end; readers look only at the
 * fields that lie inside struct_size (RDK_HAS_FIELD);
 *  - whoever allocates frees: buffers handed out by a plugin carry their own release function;
 *  - every function returns rdk_status; the detail of a failure goes through host->set_error().
 *
 * Ownership is spelt out in names: *_plugin_ptr is created and destroyed by the plugin, *_host_ptr
 * and callbacks structs belong to the kernel.
 *
 * Threads: unless a function says otherwise, calls on one object are never made concurrently by the
 * kernel; different objects may be used from different threads at the same time. Callbacks into the
 * host may be made from any thread.
 */
#ifndef RDK_PLUGIN_ABI_H
#define RDK_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#include "rdk/plugin_abi_version.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define RDK_PLUGIN_EXPORT __declspec(dllexport)
#else
#define RDK_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/** True when |field| of |*ptr| lies inside the struct size the other side declared. */
#define RDK_HAS_FIELD(ptr, type, field) \
  ((ptr)->struct_size >= offsetof(type, field) + sizeof(((type*)0)->field))

typedef enum rdk_status {
  RDK_OK = 0,
  RDK_E_UNSUPPORTED = 1, /* the object cannot do what was asked (unknown encoding, scheme...) */
  RDK_E_INVALID_ARG = 2,
  RDK_E_NO_DEVICE = 3, /* hardware or display missing */
  RDK_E_NO_MEMORY = 4,
  RDK_E_AGAIN = 5, /* nothing now; try later (would block, queue full) */
  RDK_E_INTERNAL = 6,
  RDK_E_CORRUPT = 7, /* input data is malformed (bitstream, datagram) */
  RDK_E_CLOSED = 8,  /* the connection or object is closed */
  RDK_E_AUTH = 9,    /* authentication failed */
  RDK_E_IO = 10,     /* socket or file error */
  RDK_E_TIMEOUT = 11
} rdk_status;

typedef enum rdk_kind {
  RDK_KIND_ENCODER = 1u << 0,
  RDK_KIND_TRANSPORT = 1u << 1,
  RDK_KIND_AUTH = 1u << 2,
  RDK_KIND_PLATFORM = 1u << 3
} rdk_kind;

typedef enum rdk_log_level {
  RDK_LOG_ERROR = 0,
  RDK_LOG_WARNING = 1,
  RDK_LOG_INFO = 2,
  RDK_LOG_DEBUG = 3
} rdk_log_level;

/* ------------------------------------------------------------------------------------------------
 */
/* Buffers */

/** Bytes owned by whoever filled the struct; call release(self) once when done (release may be NULL
 *  for static data). */
typedef struct rdk_buffer {
  uint8_t* data;
  size_t size;
  void (*release)(struct rdk_buffer* self);
  void* opaque; /* for the releaser */
} rdk_buffer;

/** A byte range owned by the caller, valid for the duration of the call only. */
typedef struct rdk_bytes {
  const uint8_t* data;
  size_t size;
} rdk_bytes;

typedef enum rdk_pixel_format {
  RDK_PIXEL_BGRX = 1, /* 32 bits, byte order B,G,R,X (X11 ZPixmap depth 24 on little endian) */
  RDK_PIXEL_BGRA = 2,
  RDK_PIXEL_RGB = 3, /* 24 bits packed */
  RDK_PIXEL_RGBX = 4
} rdk_pixel_format;

/** Read-only pixels. Owned by whoever fills it, valid as that function documents. */
typedef struct rdk_image {
  uint32_t struct_size;
  uint32_t width;
  uint32_t height;
  uint32_t stride; /* bytes per row */
  uint32_t format; /* rdk_pixel_format */
  const uint8_t* pixels;
} rdk_image;

/** Writable pixels owned by the caller: the callee writes width x height pixels of |format|. */
typedef struct rdk_image_out {
  uint32_t struct_size;
  uint32_t width;
  uint32_t height;
  uint32_t stride;
  uint32_t format;
  uint8_t* pixels;
} rdk_image_out;

typedef struct rdk_rect {
  int32_t x, y;
  uint32_t w, h;
} rdk_rect;

/* ------------------------------------------------------------------------------------------------
 */
/* Host services */

typedef struct rdk_host_ctx rdk_host_ctx; /* opaque, owned by the kernel */

/** Filled by the kernel, valid for the life of the process. Append-only. */
typedef struct rdk_host_api {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;
  rdk_host_ctx* ctx;
  /** Log a line on behalf of the plugin. Thread-safe. */
  void (*log)(rdk_host_ctx* ctx, rdk_log_level level, const char* msg);
  /** Attach a message to the failure the calling thread is about to return. Thread-safe. */
  void (*set_error)(rdk_host_ctx* ctx, const char* msg);
  /** The value of configuration key |key| (e.g. "encoder.vpx.cpu-used"), or NULL. The string stays
   *  valid for the life of the process. Thread-safe. */
  const char* (*config_get)(rdk_host_ctx* ctx, const char* key);
  /** Monotonic clock in microseconds. */
  uint64_t (*now_us)(rdk_host_ctx* ctx);
  /** Since ABI 1.3 (check with RDK_HAS_FIELD). Counts |n| connections, datagrams or messages the
   *  plugin turned away for |reason|: a short fixed name such as "udp-session-limit", never text
   *  from a peer (the kernel keeps 32 reasons per plugin and folds the rest into "other").
   *  Operators see them as rdk_plugin_refusals_total{plugin,reason}. Thread-safe. */
  void (*count_refusal)(rdk_host_ctx* ctx, const char* reason, uint64_t n);
} rdk_host_api;

/* ------------------------------------------------------------------------------------------------
 */
/* Encoders and decoders */

typedef struct rdk_encoder rdk_encoder; /* rdk_encoder* is a plugin_ptr */
typedef struct rdk_decoder rdk_decoder; /* rdk_decoder* is a plugin_ptr */

enum {
  RDK_ENCODE_KEYFRAME = 1u << 0, /* video: this frame must be a key frame */
  RDK_ENCODE_LOSSLESS = 1u << 1  /* the result must be pixel-exact */
};

/** What the kernel asks of one encode call. */
typedef struct rdk_encode_params {
  uint32_t struct_size;
  int32_t quality;       /* 0..100, Xpra's scale; -1 = encoder default */
  int32_t speed;         /* 0..100, Xpra's scale; -1 = encoder default */
  uint32_t flags;        /* RDK_ENCODE_* */
  uint32_t bitrate_kbps; /* video target, 0 = derive from quality */
} rdk_encode_params;

enum { RDK_ENCODED_KEYFRAME = 1u << 0, RDK_ENCODED_LOSSLESS = 1u << 1 };

/** Filled by the plugin. data and options_json are released by the kernel through their release. */
typedef struct rdk_encoded {
  uint32_t struct_size;
  char coding[24];         /* Xpra encoding name of the result: "vp8", "png/P", "rgb24"... */
  rdk_buffer data;         /* the draw packet's pixel data */
  uint32_t rowstride;      /* 0 for compressed formats, bytes per row for rgb */
  uint32_t flags;          /* RDK_ENCODED_* */
  rdk_buffer options_json; /* JSON object merged into the draw packet's options, may be empty */
} rdk_encoded;

typedef struct rdk_encoder_vtbl {
  uint32_t struct_size;
  /** Optional (NULL when not needed): check in a child process that the hardware works. Writes a
   * JSON object {"ok":bool,"reason":"...","encodings":[...]} into |out|. */
  rdk_status (*probe)(void* plugin_state, rdk_buffer* out);
  /** A stateful encoder for one window (video keeps references between calls). |encoding| is one
   *  of the plugin's declared encodings; |options_json| may be NULL. */
  rdk_status (*encoder_create)(void* plugin_state, const char* encoding, uint32_t width,
                               uint32_t height, const char* options_json, rdk_encoder** out);
  /** Encode |image| (the size given at create for video; any size for still-image codecs). */
  rdk_status (*encode)(rdk_encoder* enc, const rdk_image* image, const rdk_encode_params* params,
                       rdk_encoded* out);
  /** Video: the next frame will be a key frame (loss or decode error on the receiving side). */
  rdk_status (*request_keyframe)(rdk_encoder* enc);
  void (*encoder_destroy)(rdk_encoder* enc);

  /** Decoding, for the client side. |encoding| is one of the plugin's declared decodings. */
  rdk_status (*decoder_create)(void* plugin_state, const char* encoding, uint32_t width,
                               uint32_t height, rdk_decoder** out);
  /** Decode |data| (with the draw packet's options as JSON) into |out|, which the kernel sized to
   *  the draw rectangle. A corrupt or truncated bitstream returns RDK_E_CORRUPT. */
  rdk_status (*decode)(rdk_decoder* dec, rdk_bytes data, const char* options_json,
                       rdk_image_out* out);
  void (*decoder_destroy)(rdk_decoder* dec);
} rdk_encoder_vtbl;

/* ------------------------------------------------------------------------------------------------
 */
/* Transports */

typedef struct rdk_connection rdk_connection; /* plugin_ptr */
typedef struct rdk_listener rdk_listener;     /* plugin_ptr */

typedef enum rdk_delivery {
  RDK_DELIVERY_RELIABLE = 0, /* exactly once, in order with other reliable packets */
  RDK_DELIVERY_DROPPABLE = 1 /* may be lost; never held behind reliable gaps; superseded by key */
} rdk_delivery;

/** Per packet sent. */
typedef struct rdk_send_info {
  uint32_t struct_size;
  uint32_t delivery;      /* rdk_delivery */
  uint64_t supersede_key; /* droppable: a newer packet with the same non-zero key cancels older */
  uint64_t packet_id;     /* the kernel's id, reported back by on_lost */
} rdk_send_info;

/** Transport measurements, for encoder selection and `rdkernel info`. */
typedef struct rdk_transport_stats {
  uint32_t struct_size;
  uint64_t bytes_sent, bytes_received;           /* payload bytes */
  uint64_t wire_bytes_sent, wire_bytes_received; /* including headers and resends */
  uint64_t packets_sent, packets_received;
  uint64_t datagrams_sent, datagrams_received, control_datagrams_sent;
  uint64_t retransmissions;
  uint64_t dropped_lost;       /* droppable packets given up as lost */
  uint64_t dropped_superseded; /* droppable packets cancelled by a newer one */
  uint32_t srtt_us, rttvar_us, min_rtt_us;
  uint32_t loss_permille; /* recent loss rate */
  uint64_t bandwidth_bps; /* estimated available bandwidth, 0 = unknown */
  uint32_t mtu;           /* current payload MTU, 0 for streams */
  uint64_t send_queue_bytes;
} rdk_transport_stats;

/** Kernel callbacks for one connection. Thread: any plugin thread, never two at once for one
 *  connection. The struct stays valid until the kernel calls connection_destroy. */
typedef struct rdk_connection_callbacks {
  uint32_t struct_size;
  void* host_conn;
  /** Bytes received. For streams, any slice of the byte stream. For message transports, one whole
   *  logical packet (all its records) per call, |end_of_message| = 1. */
  void (*on_data)(void* host_conn, const uint8_t* data, size_t size, int end_of_message);
  /** The connection is gone (closed, reset, timed out); no more callbacks follow. */
  void (*on_closed)(void* host_conn, rdk_status why, const char* reason);
  /** A droppable packet was lost or superseded and will not be delivered. */
  void (*on_lost)(void* host_conn, uint64_t packet_id, int superseded);
} rdk_connection_callbacks;

/** Kernel callbacks for a listener. on_accept returns the callbacks of the new connection, or NULL
 *  to refuse it (the plugin then destroys it). */
typedef struct rdk_listener_callbacks {
  uint32_t struct_size;
  void* host_listener;
  const rdk_connection_callbacks* (*on_accept)(void* host_listener, rdk_connection* conn,
                                               const char* peer_description);
} rdk_listener_callbacks;

typedef struct rdk_transport_vtbl {
  uint32_t struct_size;
  /** Bind |url| (scheme://host:port; port 0 picks one). options_json carries transport settings. */
  rdk_status (*listen)(void* plugin_state, const char* url, const char* options_json,
                       const rdk_listener_callbacks* callbacks, rdk_listener** out);
  /** The actual bound address as a URL (after port 0), written into |out| (NUL-terminated). */
  rdk_status (*listener_address)(rdk_listener* listener, char* out, size_t out_size);
  void (*listener_destroy)(rdk_listener* listener); /* stops accepting; joins its threads */

  /** Connect to |url|; blocks up to the connect timeout. Callbacks start after it returns OK. */
  rdk_status (*connect)(void* plugin_state, const char* url, const char* options_json,
                        const rdk_connection_callbacks* callbacks, rdk_connection** out);
  /** Queue one logical packet (iov concatenated). Thread-safe: several threads may send at once.
   *  Never blocks for long: RDK_E_AGAIN when the send buffer is full. */
  rdk_status (*send)(rdk_connection* conn, const rdk_bytes* iov, size_t iov_count,
                     const rdk_send_info* info);
  rdk_status (*get_stats)(rdk_connection* conn, rdk_transport_stats* out);
  /** Start an orderly close; on_closed follows. Thread-safe. */
  void (*close)(rdk_connection* conn, const char* reason);
  /** Free it; no callback runs after this returns. Never called from inside a callback. */
  void (*connection_destroy)(rdk_connection* conn);
  /** The peer as text ("udp://1.2.3.4:5678"), NUL-terminated into |out|. */
  rdk_status (*peer_address)(rdk_connection* conn, char* out, size_t out_size);
} rdk_transport_vtbl;

/* ------------------------------------------------------------------------------------------------
 */
/* Authentication (Xpra's challenge/response) */

typedef struct rdk_authenticator rdk_authenticator; /* plugin_ptr */

/** The server's challenge, filled by the plugin (salt released through its release). */
typedef struct rdk_auth_challenge {
  uint32_t struct_size;
  rdk_buffer salt;
  char digest[32];      /* e.g. "hmac+sha256" */
  char salt_digest[32]; /* e.g. "hmac+sha256" */
  char prompt[64];
} rdk_auth_challenge;

typedef struct rdk_auth_vtbl {
  uint32_t struct_size;
  /** A server-side authenticator for one bind, from its options ("filename=/etc/pw", JSON object).
   */
  rdk_status (*authenticator_create)(void* plugin_state, const char* module,
                                     const char* options_json, rdk_authenticator** out);
  /** 1 when a challenge must be sent, 0 when authenticate() decides alone (none, allow). */
  int (*requires_challenge)(rdk_authenticator* auth);
  /** Make a challenge for |username|; |client_digests| and |client_salt_digests| are the client's
   *  offers (comma-separated); |encrypted_or_local| allows xor. */
  rdk_status (*make_challenge)(rdk_authenticator* auth, const char* username,
                               const char* client_digests, const char* client_salt_digests,
                               int encrypted_or_local, rdk_auth_challenge* out);
  /** Check the client's response to the last challenge. RDK_E_AUTH with set_error on failure. For
   *  modules without a challenge, response and client_salt are empty. */
  rdk_status (*authenticate)(rdk_authenticator* auth, const char* username, rdk_bytes response,
                             rdk_bytes client_salt);
  void (*authenticator_destroy)(rdk_authenticator* auth);

  /** Client side: compute (challenge_response, challenge_client_salt) for a server challenge. */
  rdk_status (*respond)(void* plugin_state, const char* digest, const char* salt_digest,
                        rdk_bytes server_salt, rdk_bytes password, rdk_buffer* response,
                        rdk_buffer* client_salt);
} rdk_auth_vtbl;

/* ------------------------------------------------------------------------------------------------
 */
/* Platforms: capture and input injection (server), windows on screen (client) */

typedef struct rdk_platform rdk_platform; /* plugin_ptr */

typedef enum rdk_window_event_type {
  RDK_WINDOW_NEW = 1, /* rdk_window_event.rect, .metadata_json */
  RDK_WINDOW_NEW_OVERRIDE_REDIRECT = 2,
  RDK_WINDOW_NEW_TRAY = 3,
  RDK_WINDOW_RAISE = 4,
  RDK_WINDOW_MOVE_RESIZE = 5, /* .rect is the new geometry */
  RDK_WINDOW_RESIZED = 6,     /* .rect.w/.h */
  RDK_WINDOW_METADATA = 7,    /* .metadata_json holds the changes */
  RDK_WINDOW_LOST = 8,
  RDK_WINDOW_DAMAGE = 9,  /* .rect in window coordinates */
  RDK_WINDOW_BELL = 10,   /* .metadata_json {"percent":..,"pitch":..,"duration":..} */
  RDK_WINDOW_CURSOR = 11, /* .image is the cursor (BGRA), .rect.x/y the hotspot */
  RDK_WINDOW_SOUND = 12,  /* .data is one sound buffer, .metadata_json its metadata */
  RDK_WINDOW_POINTER = 13 /* .rect.x/y pointer position (root coordinates) */
} rdk_window_event_type;

/** One event, valid only during the callback. */
typedef struct rdk_window_event {
  uint32_t struct_size;
  uint32_t type; /* rdk_window_event_type */
  uint64_t wid;
  rdk_rect rect;
  const char* metadata_json; /* may be NULL */
  const rdk_image* image;    /* cursor, may be NULL */
  rdk_bytes data;            /* sound */
} rdk_window_event;

typedef struct rdk_platform_callbacks {
  uint32_t struct_size;
  void* host;
  void (*on_event)(void* host, const rdk_window_event* event);
} rdk_platform_callbacks;

/** Input, in both directions: the client platform reports it, the server platform injects it. */
typedef enum rdk_input_type {
  RDK_INPUT_KEY = 1,
  RDK_INPUT_BUTTON = 2,
  RDK_INPUT_MOTION = 3
} rdk_input_type;

typedef struct rdk_input_event {
  uint32_t struct_size;
  uint32_t type; /* rdk_input_type */
  uint64_t wid;
  int32_t x, y;    /* window coordinates for button and motion */
  uint32_t button; /* 1.. for buttons */
  int32_t pressed;
  uint32_t keycode;
  uint32_t keyval;     /* X keysym */
  const char* keyname; /* X keysym name, e.g. "a", "Return" */
  uint32_t modifiers;  /* X modifier mask */
} rdk_input_event;

/** What a client did to a window (seamless mode): asks the server platform to follow. Since ABI
 *  1.1. */
typedef enum rdk_window_request_type {
  RDK_REQUEST_MAP = 1,       /* the client shows the window at .rect (root coordinates) */
  RDK_REQUEST_UNMAP = 2,     /* the client hid (minimised) it */
  RDK_REQUEST_CONFIGURE = 3, /* the client moved or resized it: .rect is the new geometry */
  RDK_REQUEST_CLOSE = 4,     /* the user closed it: ask the application to close the window */
  RDK_REQUEST_FOCUS = 5,     /* it has the client's keyboard focus (wid 0: none has) */
  RDK_REQUEST_RAISE = 6      /* the client put it on top */
} rdk_window_request_type;

typedef struct rdk_window_request {
  uint32_t struct_size;
  uint32_t type; /* rdk_window_request_type */
  uint64_t wid;
  rdk_rect rect; /* MAP, CONFIGURE */
} rdk_window_request;

/** Clipboard contents of one selection target (since ABI 1.2). Borrowed for the call. */
typedef struct rdk_clipboard_data {
  uint32_t struct_size;
  uint32_t format;  /* 8; 32 for type "ATOM" */
  const char* type; /* "UTF8_STRING", "STRING", "image/png"...; "ATOM": |data| holds target
                       names, one per line (the answer to target "TARGETS") */
  rdk_bytes data;
} rdk_clipboard_data;

/** Where a platform reports its display's selections (since ABI 1.2). Called only during poll
 *  (server) or display_poll (client), on that thread. */
typedef struct rdk_clipboard_callbacks {
  uint32_t struct_size;
  void* host;
  /** A local application took |selection| ("CLIPBOARD", "PRIMARY"); never for the platform's
   *  own clipboard_claim. */
  void (*on_owner_changed)(void* host, const char* selection);
  /** A local application wants |target| of a selection the platform claimed: answer with
   *  clipboard_reply(|request_id|). */
  void (*on_request)(void* host, uint32_t request_id, const char* selection, const char* target);
  /** The answer to clipboard_convert(|request_id|); |data| NULL: the owner had none. */
  void (*on_contents)(void* host, uint32_t request_id, const rdk_clipboard_data* data);
} rdk_clipboard_callbacks;

typedef struct rdk_platform_vtbl {
  uint32_t struct_size;
  /** Server side: open the desktop named by |platform| ("x11", "synthetic") with its options. */
  rdk_status (*open)(void* plugin_state, const char* platform, const char* options_json,
                     const rdk_platform_callbacks* callbacks, rdk_platform** out);
  /** Deliver pending events through callbacks (windows, damage, cursor, bell, sound),
   * synchronously, on the caller's thread. |now_us| is the kernel's monotonic clock. */
  rdk_status (*poll)(rdk_platform* p, uint64_t now_us);
  /** The pixels of |rect| in window |wid|; |out| points into plugin memory valid until the next
   *  capture or poll on |p|. */
  rdk_status (*capture)(rdk_platform* p, uint64_t wid, const rdk_rect* rect, rdk_image* out);
  /** Inject keyboard or pointer input. */
  rdk_status (*inject)(rdk_platform* p, const rdk_input_event* event);
  void (*close)(rdk_platform* p);

  /** Client side (NULL when the plugin cannot show windows): open a display for remote windows;
   *  input on them comes back through |input_callback|. */
  rdk_status (*display_open)(void* plugin_state, const char* options_json,
                             void (*input_callback)(void* host, const rdk_input_event* event),
                             void* host, rdk_platform** out);
  /** Create, move, show or destroy the local window for |event| (NEW*, MOVE_RESIZE, RAISE, LOST,
   *  BELL, METADATA). */
  rdk_status (*display_window)(rdk_platform* p, const rdk_window_event* event);
  /** Paint |image| at |x|,|y| of window |wid|. */
  rdk_status (*display_paint)(rdk_platform* p, uint64_t wid, int32_t x, int32_t y,
                              const rdk_image* image);
  /** Process local window-system events (input, expose); returns quickly. */
  rdk_status (*display_poll)(rdk_platform* p);
  /** Since ABI 1.1, may be NULL (check with RDK_HAS_FIELD). Server side: a client's request about
   *  window |request->wid|. RDK_E_UNSUPPORTED when the platform manages no windows (shadow,
   *  synthetic); an unknown wid is RDK_E_INVALID_ARG. Effects show as events from later polls. */
  rdk_status (*request)(rdk_platform* p, const rdk_window_request* request);
  /** Since ABI 1.2, all six may be NULL (check with RDK_HAS_FIELD); both sides. Start
   *  synchronising the display's selections ("CLIPBOARD", "PRIMARY"); |options_json| may be NULL.
   *  Until then the platform does not touch selections. */
  rdk_status (*clipboard_open)(rdk_platform* p, const char* options_json,
                               const rdk_clipboard_callbacks* callbacks);
  /** The peer owns |selection| now: own it on the display and serve it through on_request.
   *  |targets|: names one per line, may be empty. */
  rdk_status (*clipboard_claim)(rdk_platform* p, const char* selection, const char* targets);
  /** Ask the display's owner of |selection| for |target|; on_contents(|request_id|) follows
   *  (from a later poll, always, with NULL data on failure or timeout). */
  rdk_status (*clipboard_convert)(rdk_platform* p, uint32_t request_id, const char* selection,
                                  const char* target);
  /** Answer on_request(|request_id|); |data| NULL: none. */
  rdk_status (*clipboard_reply)(rdk_platform* p, uint32_t request_id,
                                const rdk_clipboard_data* data);
  /** Server side: apply the client's keyboard, a JSON object of Xpra's hello keys without the
   *  "xkbmap_" prefix ({"layout":"de","variant":"","options":"","model":"pc105",...}). */
  rdk_status (*keyboard_set)(rdk_platform* p, const char* keyboard_json);
  /** Client side: the local keyboard as the same JSON object, written into |out|. */
  rdk_status (*keyboard_query)(rdk_platform* p, rdk_buffer* out);
} rdk_platform_vtbl;

/* ------------------------------------------------------------------------------------------------
 */
/* The descriptor */

/** Returned by the entry point: static, constant data. The entry point has no side effects. */
typedef struct rdk_plugin_descriptor {
  uint32_t struct_size; /* sizeof at plugin build time */
  uint16_t abi_major;   /* RDK_PLUGIN_ABI_MAJOR at plugin build time */
  uint16_t abi_minor;
  const char* name; /* equals the manifest's "name" and the file rdk-<name>.so */
  const char* version;
  const char* license;
  uint32_t kinds; /* rdk_kind bits */
  /** The features this plugin provides, identical to the manifest's "features" (a JSON array of
   *  {"kind":..,"name":..,...}). */
  const char* features_json;
  /** Once, after the ABI and manifest checks. Must not throw; returns a status. */
  rdk_status (*init)(const rdk_host_api* host, void** plugin_state);
  /** Once, at orderly exit. The library stays mapped afterwards. */
  void (*shutdown)(void* plugin_state);
  const rdk_encoder_vtbl* encoder;     /* NULL unless kinds has RDK_KIND_ENCODER */
  const rdk_transport_vtbl* transport; /* NULL unless kinds has RDK_KIND_TRANSPORT */
  const rdk_auth_vtbl* auth;           /* NULL unless kinds has RDK_KIND_AUTH */
  const rdk_platform_vtbl* platform;   /* NULL unless kinds has RDK_KIND_PLATFORM */
  /* Append new fields here only. */
} rdk_plugin_descriptor;

typedef const rdk_plugin_descriptor* (*rdk_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* RDK_PLUGIN_ABI_H */
