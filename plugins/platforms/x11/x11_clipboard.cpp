#include "x11_clipboard.h"

#include <X11/Xatom.h>
#include <X11/extensions/Xfixes.h>

#include <climits>

#include "rdk/plugin.hpp"

namespace rdk::x11 {
namespace {

constexpr uint64_t kConvertTimeoutUs = 3'000'000;  // a local owner that never answers
constexpr size_t kMaxIncrBytes = 256u << 20;       // an INCR transfer that never ends
constexpr uint32_t kPropertySlots = 1024;          // properties the owners write into

}  // namespace

X11Clipboard::X11Clipboard(const std::string& display, const rdk_clipboard_callbacks& callbacks)
    : x_(std::make_unique<XConnection>(display)), d_(x_->get()), callbacks_(callbacks) {
  int errorBase = 0;
  if (!XFixesQueryExtension(d_, &fixesEventBase_, &errorBase))
    throw Error(RDK_E_UNSUPPORTED, "x11 clipboard: the display has no XFixes extension");
  window_ = XCreateSimpleWindow(d_, x_->root(), -10, -10, 1, 1, 0, 0, 0);
  XSelectInput(d_, window_, PropertyChangeMask);
  XStoreName(d_, window_, "rdkernel clipboard");
  for (const auto& s : selections_) {
    XFixesSelectSelectionInput(d_, window_, atom(s), XFixesSetSelectionOwnerNotifyMask);
    if (XGetSelectionOwner(d_, atom(s)) != None)
      initialOwners_.insert(s);
  }
  const long maxRequest =
      XExtendedMaxRequestSize(d_) ? XExtendedMaxRequestSize(d_) : XMaxRequestSize(d_);
  maxPropertyBytes_ = static_cast<size_t>(maxRequest) * 4 - 4096;
  XFlush(d_);
}

X11Clipboard::~X11Clipboard() {
  if (x_->alive()) {
    XErrorTrap trap(d_);
    for (auto& [id, r] : localRequests_)
      refuse(r);
    XDestroyWindow(d_, window_);
    trap.sync();
  }
}

Atom X11Clipboard::atom(const std::string& name) {
  return XInternAtom(d_, name.c_str(), False);
}

std::string X11Clipboard::atomName(Atom a) {
  if (a == None)
    return "";
  XErrorTrap trap(d_);
  char* name = XGetAtomName(d_, a);
  trap.sync();
  std::string s = name ? name : "";
  if (name)
    XFree(name);
  return s;
}

void X11Clipboard::poll(uint64_t nowUs) {
  nowUs_ = nowUs;
  if (!x_->alive())
    return;
  for (const auto& s : initialOwners_)
    callbacks_.on_owner_changed(callbacks_.host, s.c_str());
  initialOwners_.clear();
  while (x_->alive() && XPending(d_) > 0) {
    XEvent event;
    XNextEvent(d_, &event);
    handle(event);
  }
  std::vector<Atom> expired;
  for (auto& [property, c] : conversions_) {
    if (nowUs_ >= c.deadlineUs)
      expired.push_back(property);
  }
  for (Atom p : expired)
    finish(p, false, "", 8, {});
  deliver();
}

void X11Clipboard::handle(XEvent& event) {
  if (event.type == fixesEventBase_ + XFixesSelectionNotify) {
    const auto& e = reinterpret_cast<const XFixesSelectionNotifyEvent&>(event);
    if (e.subtype != XFixesSetSelectionOwnerNotify || e.owner == window_ || e.owner == None)
      return;  // our own claim, or the owner went away
    const std::string selection = atomName(e.selection);
    claimed_.erase(selection);
    callbacks_.on_owner_changed(callbacks_.host, selection.c_str());
    return;
  }
  switch (event.type) {
    case SelectionRequest:
      onSelectionRequest(event.xselectionrequest);
      break;
    case SelectionNotify:
      onSelectionNotify(event.xselection);
      break;
    case SelectionClear:
      claimed_.erase(atomName(event.xselectionclear.selection));
      break;
    case PropertyNotify:
      onPropertyNotify(event.xproperty);
      break;
    default:
      break;
  }
}

// ---- the peer owns the selection: local applications paste from us

void X11Clipboard::claim(const std::string& selection, const std::string& targets) {
  std::vector<std::string> list;
  size_t start = 0;
  while (start < targets.size()) {
    size_t end = targets.find('\n', start);
    if (end == std::string::npos)
      end = targets.size();
    if (end > start)
      list.push_back(targets.substr(start, end - start));
    start = end + 1;
  }
  XErrorTrap trap(d_);
  XSetSelectionOwner(d_, atom(selection), window_, CurrentTime);
  if (XGetSelectionOwner(d_, atom(selection)) != window_)
    throw Error(RDK_E_AGAIN, "x11 clipboard: could not take " + selection);
  claimed_[selection] = std::move(list);
  trap.sync();
}

void X11Clipboard::onSelectionRequest(const XSelectionRequestEvent& e) {
  LocalRequest r{e.requestor, e.selection, e.target, e.property == None ? e.target : e.property,
                 e.time};
  const std::string selection = atomName(e.selection);
  auto claimed = claimed_.find(selection);
  if (claimed == claimed_.end() || e.owner != window_) {
    refuse(r);
    return;
  }
  const std::string target = atomName(e.target);
  if (target == "TARGETS" && !claimed->second.empty()) {
    std::vector<long> atoms{static_cast<long>(atom("TARGETS"))};
    for (const auto& t : claimed->second) {
      if (t != "TARGETS")
        atoms.push_back(static_cast<long>(atom(t)));
    }
    answer(r, "ATOM", 32, atoms.data(), atoms.size());
    return;
  }
  if (target == "TIMESTAMP") {
    long t = CurrentTime;
    answer(r, "INTEGER", 32, &t, 1);
    return;
  }
  if (target == "MULTIPLE" || target.empty()) {
    refuse(r);
    return;
  }
  const uint32_t id = nextLocalId_++;
  localRequests_[id] = r;
  callbacks_.on_request(callbacks_.host, id, selection.c_str(), target.c_str());
}

void X11Clipboard::reply(uint32_t id, const rdk_clipboard_data* data) {
  auto it = localRequests_.find(id);
  if (it == localRequests_.end())
    return;  // the requestor was answered already
  LocalRequest r = it->second;
  localRequests_.erase(it);
  if (!data || !data->type) {
    refuse(r);
    return;
  }
  const std::string type = data->type;
  if (type == "ATOM") {
    std::vector<long> atoms;
    const std::string names(reinterpret_cast<const char*>(data->data.data), data->data.size);
    size_t start = 0;
    while (start < names.size()) {
      size_t end = names.find('\n', start);
      if (end == std::string::npos)
        end = names.size();
      if (end > start)
        atoms.push_back(static_cast<long>(atom(names.substr(start, end - start))));
      start = end + 1;
    }
    answer(r, "ATOM", 32, atoms.data(), atoms.size());
    return;
  }
  if (data->data.size > maxPropertyBytes_) {
    refuse(r);  // would need an INCR transfer to the requestor
    return;
  }
  answer(r, type, 8, data->data.data, data->data.size);
}

void X11Clipboard::answer(const LocalRequest& r, const std::string& type, int format,
                          const void* data, size_t items) {
  XErrorTrap trap(d_);
  XChangeProperty(d_, r.requestor, r.property, atom(type), format, PropModeReplace,
                  static_cast<const unsigned char*>(data), static_cast<int>(items));
  XSelectionEvent ev{};
  ev.type = SelectionNotify;
  ev.display = d_;
  ev.requestor = r.requestor;
  ev.selection = r.selection;
  ev.target = r.target;
  ev.property = r.property;
  ev.time = r.time;
  XSendEvent(d_, r.requestor, False, 0, reinterpret_cast<XEvent*>(&ev));
  trap.sync();  // a requestor that went away is no error of ours
}

void X11Clipboard::refuse(const LocalRequest& r) {
  XErrorTrap trap(d_);
  XSelectionEvent ev{};
  ev.type = SelectionNotify;
  ev.display = d_;
  ev.requestor = r.requestor;
  ev.selection = r.selection;
  ev.target = r.target;
  ev.property = None;
  ev.time = r.time;
  XSendEvent(d_, r.requestor, False, 0, reinterpret_cast<XEvent*>(&ev));
  trap.sync();
}

// ---- a local application owns the selection: the peer pastes from it

void X11Clipboard::convert(uint32_t id, const std::string& selection, const std::string& target) {
  if (claimed_.count(selection)) {
    deliveries_.push_back({id, false, "", 8, {}});  // we hold the peer's own selection
    return;
  }
  const Atom property = atom("RDK_CLIPBOARD_" + std::to_string(nextProperty_++ % kPropertySlots));
  if (conversions_.count(property))
    finish(property, false, "", 8, {});
  XErrorTrap trap(d_);
  XDeleteProperty(d_, window_, property);
  XConvertSelection(d_, atom(selection), atom(target), property, window_, CurrentTime);
  trap.sync();
  Conversion c;
  c.id = id;
  c.target = target;
  c.deadlineUs = nowUs_ + kConvertTimeoutUs;
  conversions_[property] = std::move(c);
}

void X11Clipboard::onSelectionNotify(const XSelectionEvent& e) {
  if (e.requestor != window_)
    return;
  if (e.property == None) {
    // Refused: the oldest conversion of that target.
    const std::string target = atomName(e.target);
    for (auto& [property, c] : conversions_) {
      if (!c.incr && c.target == target) {
        finish(property, false, "", 8, {});
        return;
      }
    }
    return;
  }
  auto it = conversions_.find(e.property);
  if (it == conversions_.end())
    return;
  Atom type = None;
  int format = 0;
  unsigned long items = 0, after = 0;
  unsigned char* data = nullptr;
  XErrorTrap trap(d_);
  const int status = XGetWindowProperty(d_, window_, e.property, 0, LONG_MAX / 4, True,
                                        AnyPropertyType, &type, &format, &items, &after, &data);
  trap.sync();
  if (status != Success || type == None) {
    if (data)
      XFree(data);
    finish(e.property, false, "", 8, {});
    return;
  }
  if (type == atom("INCR")) {
    // The owner sends the contents in pieces, each a new value of the property (deleting it
    // above asked for the first).
    it->second.incr = true;
    it->second.incrType = None;
    it->second.deadlineUs = nowUs_ + kConvertTimeoutUs;
    XFree(data);
    return;
  }
  std::string bytes;
  const std::string typeName = atomName(type);
  if (format == 32 && type == XA_ATOM) {
    const long* atoms = reinterpret_cast<const long*>(data);
    for (unsigned long i = 0; i < items; ++i) {
      const std::string name = atomName(static_cast<Atom>(atoms[i]));
      if (!name.empty())
        bytes += name + "\n";
    }
    XFree(data);
    finish(e.property, true, "ATOM", 32, std::move(bytes));
    return;
  }
  if (format != 8) {
    XFree(data);
    finish(e.property, false, "", 8, {});
    return;
  }
  bytes.assign(reinterpret_cast<const char*>(data), items);
  XFree(data);
  finish(e.property, true, typeName, 8, std::move(bytes));
}

void X11Clipboard::onPropertyNotify(const XPropertyEvent& e) {
  if (e.window != window_ || e.state != PropertyNewValue)
    return;
  auto it = conversions_.find(e.atom);
  if (it == conversions_.end() || !it->second.incr)
    return;
  Conversion& c = it->second;
  Atom type = None;
  int format = 0;
  unsigned long items = 0, after = 0;
  unsigned char* data = nullptr;
  XErrorTrap trap(d_);
  const int status = XGetWindowProperty(d_, window_, e.atom, 0, LONG_MAX / 4, True, AnyPropertyType,
                                        &type, &format, &items, &after, &data);
  trap.sync();
  if (status != Success || (items > 0 && format != 8)) {
    if (data)
      XFree(data);
    finish(e.atom, false, "", 8, {});
    return;
  }
  c.deadlineUs = nowUs_ + kConvertTimeoutUs;
  if (items == 0) {  // the end of the transfer
    if (data)
      XFree(data);
    const std::string typeName = atomName(c.incrType);
    finish(e.atom, true, typeName, 8, std::move(c.incrData));
    return;
  }
  c.incrType = type;
  c.incrData.append(reinterpret_cast<const char*>(data), items);
  XFree(data);
  if (c.incrData.size() > kMaxIncrBytes)
    finish(e.atom, false, "", 8, {});
}

void X11Clipboard::finish(Atom property, bool ok, const std::string& type, uint32_t format,
                          std::string bytes) {
  auto it = conversions_.find(property);
  if (it == conversions_.end())
    return;
  deliveries_.push_back({it->second.id, ok, type, format, std::move(bytes)});
  conversions_.erase(it);
}

void X11Clipboard::deliver() {
  while (!deliveries_.empty()) {
    Delivery d = std::move(deliveries_.front());
    deliveries_.pop_front();
    if (!d.hasData) {
      callbacks_.on_contents(callbacks_.host, d.id, nullptr);
      continue;
    }
    rdk_clipboard_data data{};
    data.struct_size = sizeof(data);
    data.format = d.format;
    data.type = d.type.c_str();
    data.data = {reinterpret_cast<const uint8_t*>(d.bytes.data()), d.bytes.size()};
    callbacks_.on_contents(callbacks_.host, d.id, &data);
  }
}

}  // namespace rdk::x11
