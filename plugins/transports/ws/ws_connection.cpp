#include "ws_connection.h"

#include <Poco/Exception.h>
#include <Poco/Net/NetException.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "ws_frame_rules.h"

namespace rdk::ws {
namespace {

using Poco::Net::WebSocket;

constexpr int kMaxFramesPerTurn = 64;  // then give writes a turn

/// Bytes a frame header of a |payload|-byte frame takes on the wire.
uint64_t headerBytes(uint64_t payload, bool masked) {
  return 2 + (payload >= 65536 ? 8 : payload >= 126 ? 2 : 0) + (masked ? 4 : 0);
}

/// SIGPIPE stays blocked on the I/O thread: a peer that vanishes mid-write is an error return,
/// never a signal that kills the host (a pending thread-directed SIGPIPE dies with the thread).
void blockSigpipe() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

std::string closeCodeText(uint16_t code) {
  switch (code) {
    case 1000:
      return "1000 normal closure";
    case 1001:
      return "1001 going away";
    case 1002:
      return "1002 protocol error";
    case 1003:
      return "1003 unsupported data";
    case 1005:
      return "1005 no status";
    case 1007:
      return "1007 invalid payload";
    case 1008:
      return "1008 policy violation";
    case 1009:
      return "1009 message too big";
    case 1011:
      return "1011 internal error";
    default:
      return std::to_string(code);
  }
}

}  // namespace

WsConnection::WsConnection(const WebSocket& socket, std::string peer, const WsOptions& options,
                           const Host& host)
    : socket_(socket),
      fd_(socket_.impl()->sockfd()),
      peer_(std::move(peer)),
      options_(options),
      host_(host),
      frame_(0) {
  wakeFd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wakeFd_ < 0)
    throw Error(RDK_E_IO, std::string("eventfd: ") + std::strerror(errno));
  socket_.setMaxPayloadSize(static_cast<int>(options_.maxFrameBytes));
  socket_.setReceiveTimeout(
      Poco::Timespan(Poco::Timespan::TimeDiff(options_.frameTimeoutMs) * 1000));
  socket_.setSendTimeout(Poco::Timespan(Poco::Timespan::TimeDiff(options_.sendTimeoutMs) * 1000));
  socket_.setNoDelay(true);
}

WsConnection::~WsConnection() {
  stop_ = true;
  const uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(wakeFd_, &one, sizeof(one));
  {
    std::unique_lock<std::mutex> lock(mutex_);
    ioDone_.wait(lock, [&] { return !ioRunning_; });
  }
  try {
    socket_.close();
  } catch (...) {
  }
  ::close(wakeFd_);
  if (counter_)
    --*counter_;
}

void WsConnection::start(const rdk_connection_callbacks& callbacks) {
  expectIoThread();
  std::thread([this, callbacks] { runIo(callbacks); }).detach();
}

void WsConnection::expectIoThread() {
  std::lock_guard<std::mutex> lock(mutex_);
  ioRunning_ = true;
}

void WsConnection::cancelIoThread() {
  ioThreadDone();
}

void WsConnection::ioThreadDone() {
  // The last touch of this object by the I/O thread: the destructor may free it right after.
  std::lock_guard<std::mutex> lock(mutex_);
  ioRunning_ = false;
  ioDone_.notify_all();
}

void WsConnection::runIo(const rdk_connection_callbacks& callbacks) {
  blockSigpipe();
  callbacks_ = callbacks;
  try {
    run();
  } catch (const std::exception& e) {
    finish(RDK_E_INTERNAL, std::string("WebSocket I/O failed: ") + e.what());
  } catch (...) {
    finish(RDK_E_INTERNAL, "WebSocket I/O failed");
  }
  try {
    socket_.close();  // TLS: close_notify; the peer sees the end at once
  } catch (...) {
  }
  ioThreadDone();
}

void WsConnection::send(const rdk_bytes* iov, size_t count, const rdk_send_info&) {
  size_t total = 0;
  for (size_t i = 0; i < count; ++i)
    total += iov[i].size;
  if (total == 0)
    return;
  if (total > static_cast<size_t>(INT32_MAX) - 16)
    throw Error(RDK_E_INVALID_ARG, "packet too large for one WebSocket frame");
  std::vector<uint8_t> packet;
  packet.reserve(total);
  for (size_t i = 0; i < count; ++i)
    packet.insert(packet.end(), iov[i].data, iov[i].data + iov[i].size);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_ || closeRequested_)
      throw Error(RDK_E_CLOSED, "connection closed");
    // One packet larger than the whole queue still goes out when the queue is empty.
    if (queuedBytes_ > 0 && queuedBytes_ + total > options_.maxQueueBytes)
      throw Error(RDK_E_AGAIN, "send queue full");
    queuedBytes_ += total;
    queue_.push_back(std::move(packet));
  }
  packetsSent_++;
  const uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(wakeFd_, &one, sizeof(one));
}

void WsConnection::close(std::string_view reason) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closeRequested_ || closed_)
      return;
    closeRequested_ = true;
    closeReason_ = reason.empty() ? "closed" : std::string(reason);
    closeDeadline_ = Clock::now() + std::chrono::milliseconds(options_.closeFlushMs);
  }
  const uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(wakeFd_, &one, sizeof(one));
}

rdk_transport_stats WsConnection::stats() {
  rdk_transport_stats s{};
  s.struct_size = sizeof(s);
  s.bytes_sent = bytesSent_;
  s.bytes_received = bytesReceived_;
  s.wire_bytes_sent = wireSent_;
  s.wire_bytes_received = wireReceived_;
  s.packets_sent = packetsSent_;
  s.packets_received = packetsReceived_;
  std::lock_guard<std::mutex> lock(mutex_);
  s.send_queue_bytes = queuedBytes_;
  return s;
}

void WsConnection::finish(rdk_status status, const std::string& reason) {
  if (finished_)
    return;
  finished_ = true;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    queue_.clear();
    queuedBytes_ = 0;
  }
  if (!stop_ && callbacks_.on_closed)
    callbacks_.on_closed(callbacks_.host_conn, status, reason.c_str());
}

void WsConnection::sendClose(uint16_t code, const std::string& reason) {
  if (closeSent_)
    return;
  closeSent_ = true;
  // A close frame's payload is the code and at most 123 bytes of UTF-8 text.
  std::string text = reason.substr(0, 123);
  while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80)
    text.pop_back();  // never cut a UTF-8 sequence in half
  if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0)
    text.pop_back();
  try {
    socket_.shutdown(code, text);
    wireSent_ +=
        headerBytes(2 + text.size(), socket_.mode() == WebSocket::WS_CLIENT) + 2 + text.size();
  } catch (const Poco::Exception&) {
    // The peer is gone already: nothing to tell it.
  }
}

void WsConnection::refuse(uint16_t code, const std::string& reason, rdk_status status) {
  host_.log(RDK_LOG_WARNING,
            "ws: closing " + peer_ + " with " + closeCodeText(code) + ": " + reason);
  sendClose(code, reason);
  finish(status, "WebSocket " + closeCodeText(code) + ": " + reason);
}

bool WsConnection::waitReadable(int timeoutMs) {
  if (socket_.available() > 0)
    return true;  // bytes Poco or TLS already hold
  pollfd fds[2] = {{fd_, POLLIN, 0}, {wakeFd_, POLLIN, 0}};
  if (::poll(fds, 2, timeoutMs) < 0 && errno != EINTR)
    throw Error(RDK_E_IO, std::string("poll: ") + std::strerror(errno));
  if (fds[1].revents & POLLIN) {
    uint64_t value = 0;
    [[maybe_unused]] ssize_t n = ::read(wakeFd_, &value, sizeof(value));
  }
  return (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
}

WsConnection::Step WsConnection::writeQueued() {
  bool wrote = false;
  for (;;) {
    std::vector<uint8_t> packet;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (queue_.empty() || closeSent_)
        break;
      packet = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      socket_.sendFrame(packet.data(), static_cast<int>(packet.size()), WebSocket::FRAME_BINARY);
    } catch (const Poco::TimeoutException&) {
      finish(RDK_E_TIMEOUT,
             "the peer read nothing for " + std::to_string(options_.sendTimeoutMs / 1000) + " s");
      return Step::kFinished;
    } catch (const Poco::Exception& e) {
      finish(RDK_E_IO, "WebSocket write failed: " + e.displayText());
      return Step::kFinished;
    }
    bytesSent_ += packet.size();
    wireSent_ += packet.size() + headerBytes(packet.size(), socket_.mode() == WebSocket::WS_CLIENT);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queuedBytes_ -= packet.size();
    }
    wrote = true;
    if (stop_)
      break;
  }
  return wrote ? Step::kProgress : Step::kIdle;
}

WsConnection::Step WsConnection::readFrame() {
  int flags = 0;
  int n = 0;
  frame_.resize(0);
  try {
    n = socket_.receiveFrame(frame_, flags);
  } catch (const Poco::Net::WebSocketException& e) {
    if (e.code() == WebSocket::WS_ERR_PAYLOAD_TOO_BIG) {
      refuse(1009,
             "a frame is longer than the " + std::to_string(options_.maxFrameBytes) +
                 " bytes this server accepts",
             RDK_E_CORRUPT);
    } else if (e.code() == WebSocket::WS_ERR_INCOMPLETE_FRAME) {
      finish(RDK_E_CLOSED, "the peer closed the connection in the middle of a WebSocket frame");
    } else {
      refuse(1002, e.message(), RDK_E_CORRUPT);
    }
    return Step::kFinished;
  } catch (const Poco::TimeoutException&) {
    refuse(1002,
           "a frame stayed incomplete for " + std::to_string(options_.frameTimeoutMs / 1000) + " s",
           RDK_E_TIMEOUT);
    return Step::kFinished;
  } catch (const Poco::Exception& e) {
    finish(closeSent_ ? RDK_E_CLOSED : RDK_E_IO, "WebSocket read failed: " + e.displayText());
    return Step::kFinished;
  }
  if (n <= 0 && flags == 0) {
    // Orderly end of the TCP stream (or of TLS) without a close frame.
    std::string reason;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      reason = closeReason_;
    }
    finish(RDK_E_CLOSED, closeSent_ && !reason.empty() ? reason : "peer closed the connection");
    return Step::kFinished;
  }
  const size_t size = n > 0 ? static_cast<size_t>(n) : 0;
  wireReceived_ += size + headerBytes(size, socket_.mode() == WebSocket::WS_SERVER);
  const FrameVerdict verdict = judgeFrame(flags, size, inMessage_);
  switch (verdict.action) {
    case FrameVerdict::Action::kRefuse:
      refuse(verdict.code, verdict.reason, RDK_E_CORRUPT);
      return Step::kFinished;
    case FrameVerdict::Action::kPing:
      if (!closeSent_) {
        try {
          socket_.sendFrame(frame_.begin(), static_cast<int>(size),
                            int{WebSocket::FRAME_FLAG_FIN} | int{WebSocket::FRAME_OP_PONG});
          wireSent_ += size + headerBytes(size, socket_.mode() == WebSocket::WS_CLIENT);
        } catch (const Poco::Exception& e) {
          finish(RDK_E_IO, "WebSocket write failed: " + e.displayText());
          return Step::kFinished;
        }
      }
      return Step::kProgress;
    case FrameVerdict::Action::kPong:
      return Step::kProgress;
    case FrameVerdict::Action::kClose: {
      uint16_t code = 1005;
      std::string text;
      if (size >= 2) {
        code = static_cast<uint16_t>((static_cast<uint8_t>(frame_[0]) << 8) |
                                     static_cast<uint8_t>(frame_[1]));
        text.assign(frame_.begin() + 2, size - 2);
      }
      std::string ours;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ours = closeReason_;
      }
      if (closeSent_) {
        finish(RDK_E_CLOSED, ours.empty() ? "closed" : ours);  // the answer to our close
      } else {
        sendClose(code == 1005 ? 1000 : code, "");
        finish(RDK_E_CLOSED, "peer closed the WebSocket (" + closeCodeText(code) +
                                 (text.empty() ? "" : ": " + text) + ")");
      }
      return Step::kFinished;
    }
    case FrameVerdict::Action::kData:
      break;
  }
  inMessage_ = verdict.inMessage;
  if (size == 0 || closeSent_)
    return Step::kProgress;  // after our close frame, data is discarded
  bytesReceived_ += size;
  packetsReceived_++;
  if (callbacks_.on_data && !stop_)
    callbacks_.on_data(callbacks_.host_conn, reinterpret_cast<const uint8_t*>(frame_.begin()), size,
                       0);
  return Step::kProgress;
}

void WsConnection::run() {
  while (!stop_ && !finished_) {
    const Step wrote = writeQueued();
    if (wrote == Step::kFinished)
      return;

    bool closing = false;
    Clock::time_point deadline;
    std::string reason;
    bool flushed = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closing = closeRequested_;
      deadline = closeDeadline_;
      reason = closeReason_;
      flushed = queue_.empty();
    }
    if (closing && !closeSent_ && (flushed || Clock::now() >= deadline)) {
      // Everything queued went out (or the flush time is over): say goodbye, then wait for the
      // peer's close frame until the deadline.
      sendClose(1000, reason);
      deadline = Clock::now() + std::chrono::milliseconds(options_.closeFlushMs);
      std::lock_guard<std::mutex> lock(mutex_);
      closeDeadline_ = deadline;
    }
    if (closeSent_ && Clock::now() >= deadline) {
      finish(RDK_E_CLOSED, reason.empty() ? "closed" : reason);
      return;
    }

    int timeoutMs = -1;
    if (closing) {
      timeoutMs = static_cast<int>(std::max<long long>(
          0,
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count()));
    }
    if (wrote == Step::kProgress)
      timeoutMs = 0;  // more may be queued: look again soon, but read first if anything came
    if (!waitReadable(timeoutMs))
      continue;
    for (int i = 0; i < kMaxFramesPerTurn && !stop_; ++i) {
      if (readFrame() == Step::kFinished)
        return;
      if (socket_.available() <= 0)
        break;
    }
  }
}

}  // namespace rdk::ws
