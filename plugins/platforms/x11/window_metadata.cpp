#include "window_metadata.h"

#include <X11/Xatom.h>
#include <X11/Xutil.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "json_text.h"

namespace rdk::x11 {
namespace {

struct Property {
  Atom type = None;
  int format = 0;
  std::string bytes;        // format 8
  std::vector<long> longs;  // format 32 (Xlib hands them out as longs)
};

// Bounded: a client could set a property of megabytes; titles and lists need far less.
bool getProperty(Display* d, Window w, Atom property, Property& out, long maxLongs = 1024) {
  Atom type = None;
  int format = 0;
  unsigned long count = 0, after = 0;
  unsigned char* data = nullptr;
  if (XGetWindowProperty(d, w, property, 0, maxLongs, False, AnyPropertyType, &type, &format,
                         &count, &after, &data) != Success) {
    return false;
  }
  out = Property{};
  out.type = type;
  out.format = format;
  if (data && format == 8) {
    out.bytes.assign(reinterpret_cast<const char*>(data), count);
  } else if (data && format == 32) {
    const long* values = reinterpret_cast<const long*>(data);
    out.longs.assign(values, values + count);
  }
  if (data)
    XFree(data);
  return type != None;
}

std::string pair(long a, long b) {
  return "[" + std::to_string(a) + "," + std::to_string(b) + "]";
}

std::string stripPrefix(std::string name, const std::string& prefix) {
  if (name.rfind(prefix, 0) == 0)
    name.erase(0, prefix.size());
  return name;
}

std::string atomName(Display* d, Atom atom) {
  char* text = atom == None ? nullptr : XGetAtomName(d, atom);
  std::string name = text ? text : "";
  if (text)
    XFree(text);
  return name;
}

std::string title(Display* d, Window w, const WmAtoms& a) {
  Property p;
  if (getProperty(d, w, a.netWmName, p) && p.format == 8 && p.type == a.utf8String)
    return p.bytes;
  if (getProperty(d, w, a.wmName, p) && p.format == 8)
    return p.type == XA_STRING ? latin1ToUtf8(p.bytes) : p.bytes;  // COMPOUND_TEXT: ASCII part
  return {};
}

}  // namespace

WmAtoms::WmAtoms(Display* d) {
  struct Entry {
    Atom* atom;
    const char* name;
  };
  const Entry entries[] = {
      {&utf8String, "UTF8_STRING"},
      {&netWmName, "_NET_WM_NAME"},
      {&wmName, "WM_NAME"},
      {&wmClass, "WM_CLASS"},
      {&netWmPid, "_NET_WM_PID"},
      {&netWmWindowType, "_NET_WM_WINDOW_TYPE"},
      {&wmTransientFor, "WM_TRANSIENT_FOR"},
      {&wmNormalHints, "WM_NORMAL_HINTS"},
      {&motifWmHints, "_MOTIF_WM_HINTS"},
      {&netWmState, "_NET_WM_STATE"},
      {&wmProtocols, "WM_PROTOCOLS"},
      {&wmDeleteWindow, "WM_DELETE_WINDOW"},
      {&wmTakeFocus, "WM_TAKE_FOCUS"},
      {&wmState, "WM_STATE"},
      {&wmWindowRole, "WM_WINDOW_ROLE"},
      {&wmClientMachine, "WM_CLIENT_MACHINE"},
      {&netSupported, "_NET_SUPPORTED"},
      {&netSupportingWmCheck, "_NET_SUPPORTING_WM_CHECK"},
      {&netActiveWindow, "_NET_ACTIVE_WINDOW"},
      {&netCloseWindow, "_NET_CLOSE_WINDOW"},
      {&netWmStateModal, "_NET_WM_STATE_MODAL"},
      {&netWmStateFullscreen, "_NET_WM_STATE_FULLSCREEN"},
      {&netWmStateMaxVert, "_NET_WM_STATE_MAXIMIZED_VERT"},
      {&netWmStateMaxHorz, "_NET_WM_STATE_MAXIMIZED_HORZ"},
      {&netWmStateAbove, "_NET_WM_STATE_ABOVE"},
      {&netWmStateBelow, "_NET_WM_STATE_BELOW"},
      {&netWmStateSticky, "_NET_WM_STATE_STICKY"},
      {&netWmStateSkipTaskbar, "_NET_WM_STATE_SKIP_TASKBAR"},
      {&netWmStateSkipPager, "_NET_WM_STATE_SKIP_PAGER"},
      {&netWmStateHidden, "_NET_WM_STATE_HIDDEN"},
      {&netWmStateDemandsAttention, "_NET_WM_STATE_DEMANDS_ATTENTION"},
      {&netClientList, "_NET_CLIENT_LIST"},
      {&netFrameExtents, "_NET_FRAME_EXTENTS"},
      {&wmChangeState, "WM_CHANGE_STATE"},
  };
  std::vector<char*> names;
  for (const Entry& e : entries)
    names.push_back(const_cast<char*>(e.name));
  std::vector<Atom> atoms(names.size());
  XInternAtoms(d, names.data(), static_cast<int>(names.size()), False, atoms.data());
  for (size_t i = 0; i < names.size(); ++i)
    *entries[i].atom = atoms[i];
}

std::string windowTypeName(Display* d, Atom type) {
  return stripPrefix(atomName(d, type), "_NET_WM_WINDOW_TYPE_");
}

bool hasProtocol(Display* d, Window window, const WmAtoms& atoms, Atom protocol) {
  Property p;
  if (!getProperty(d, window, atoms.wmProtocols, p) || p.format != 32)
    return false;
  return std::find(p.longs.begin(), p.longs.end(), static_cast<long>(protocol)) != p.longs.end();
}

bool affectsMetadata(const WmAtoms& a, Atom property) {
  const Atom watched[] = {a.netWmName,       a.wmName,         a.wmClass,        a.netWmPid,
                          a.netWmWindowType, a.wmTransientFor, a.wmNormalHints,  a.motifWmHints,
                          a.netWmState,      a.wmWindowRole,   a.wmClientMachine};
  return std::find(std::begin(watched), std::end(watched), property) != std::end(watched);
}

Metadata readMetadata(Display* d, Window w, const WmAtoms& a, bool overrideRedirect, int depth,
                      const std::function<uint64_t(Window)>& widOf) {
  Metadata m;
  m["title"] = jsonString(title(d, w, a));
  m["xid"] = jsonString([&] {
    char hex[32];
    std::snprintf(hex, sizeof(hex), "0x%lx", static_cast<unsigned long>(w));
    return std::string(hex);
  }());
  if (overrideRedirect)
    m["override-redirect"] = "true";
  m["has-alpha"] = depth == 32 ? "true" : "false";

  Property p;
  if (getProperty(d, w, a.wmClass, p) && p.format == 8) {
    // "instance\0class\0"
    const std::string instance = p.bytes.substr(0, p.bytes.find('\0'));
    std::string cls;
    if (instance.size() < p.bytes.size()) {
      cls = p.bytes.substr(instance.size() + 1);
      cls = cls.substr(0, cls.find('\0'));
    }
    m["class-instance"] = jsonStringList({latin1ToUtf8(instance), latin1ToUtf8(cls)});
  }
  if (getProperty(d, w, a.netWmPid, p) && p.format == 32 && !p.longs.empty())
    m["pid"] = std::to_string(static_cast<uint32_t>(p.longs[0]));
  if (getProperty(d, w, a.wmWindowRole, p) && p.format == 8)
    m["role"] = jsonString(latin1ToUtf8(p.bytes));
  if (getProperty(d, w, a.wmClientMachine, p) && p.format == 8)
    m["client-machine"] = jsonString(latin1ToUtf8(p.bytes));

  bool transient = false;
  if (getProperty(d, w, a.wmTransientFor, p) && p.format == 32 && !p.longs.empty()) {
    transient = true;
    if (const uint64_t parent = widOf(static_cast<Window>(p.longs[0])))
      m["transient-for"] = std::to_string(parent);
  }

  std::vector<std::string> types;
  if (getProperty(d, w, a.netWmWindowType, p) && p.format == 32) {
    for (long atom : p.longs) {
      const std::string name = windowTypeName(d, static_cast<Atom>(atom));
      if (!name.empty())
        types.push_back(name);
    }
  }
  if (types.empty())  // EWMH: transient windows without a type are dialogs
    types.push_back(transient && !overrideRedirect ? "DIALOG" : "NORMAL");
  m["window-type"] = jsonStringList(types);

  XSizeHints hints{};
  long supplied = 0;
  if (XGetWMNormalHints(d, w, &hints, &supplied)) {
    std::string sc;
    auto add = [&](const char* key, long x, long y) {
      sc += std::string(sc.empty() ? "" : ",") + jsonString(key) + ":" + pair(x, y);
    };
    if (hints.flags & PMinSize)
      add("minimum-size", hints.min_width, hints.min_height);
    if (hints.flags & PMaxSize)
      add("maximum-size", hints.max_width, hints.max_height);
    if (hints.flags & PBaseSize)
      add("base-size", hints.base_width, hints.base_height);
    if (hints.flags & PResizeInc)
      add("increment", hints.width_inc, hints.height_inc);
    if (hints.flags & PWinGravity)
      sc += std::string(sc.empty() ? "" : ",") + "\"gravity\":" + std::to_string(hints.win_gravity);
    m["size-constraints"] = "{" + sc + "}";
  }

  // Motif hints: flags, functions, decorations, input_mode, status; decorations valid with bit 1.
  bool decorations = !overrideRedirect;
  if (getProperty(d, w, a.motifWmHints, p) && p.format == 32 && p.longs.size() >= 3 &&
      (p.longs[0] & 2)) {
    decorations = p.longs[2] != 0;
  }
  m["decorations"] = decorations ? "true" : "false";

  std::vector<long> states;
  if (getProperty(d, w, a.netWmState, p) && p.format == 32)
    states = p.longs;
  auto has = [&](Atom atom) {
    return std::find(states.begin(), states.end(), static_cast<long>(atom)) != states.end();
  };
  auto flag = [&](const char* key, bool value) { m[key] = value ? "true" : "false"; };
  flag("modal", has(a.netWmStateModal));
  flag("fullscreen", has(a.netWmStateFullscreen));
  flag("maximized", has(a.netWmStateMaxVert) && has(a.netWmStateMaxHorz));
  flag("above", has(a.netWmStateAbove));
  flag("below", has(a.netWmStateBelow));
  flag("sticky", has(a.netWmStateSticky));
  flag("skip-taskbar", has(a.netWmStateSkipTaskbar));
  flag("skip-pager", has(a.netWmStateSkipPager));
  flag("iconic", has(a.netWmStateHidden));
  flag("attention-requested", has(a.netWmStateDemandsAttention));
  return m;
}

std::string metadataJson(const Metadata& metadata) {
  std::string out = "{";
  for (const auto& [key, value] : metadata)
    out += (out.size() > 1 ? "," : "") + jsonString(key) + ":" + value;
  return out + "}";
}

Metadata changedKeys(const Metadata& before, const Metadata& now) {
  Metadata out;
  for (const auto& [key, value] : now) {
    auto it = before.find(key);
    if (it == before.end() || it->second != value)
      out[key] = value;
  }
  return out;
}

}  // namespace rdk::x11
