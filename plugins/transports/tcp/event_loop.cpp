#include "event_loop.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>

namespace rdk::tcp {

uint64_t monotonicUs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

namespace {
constexpr uint64_t kTickUs = 100000;
}

EventLoop::EventLoop() {
  epollFd_ = epoll_create1(EPOLL_CLOEXEC);
  wakeFd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epollFd_ < 0 || wakeFd_ < 0) {
    throw std::runtime_error(std::string("epoll/eventfd: ") + std::strerror(errno));
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = wakeFd_;
  epoll_ctl(epollFd_, EPOLL_CTL_ADD, wakeFd_, &ev);
  thread_ = std::thread([this] { run(); });
}

EventLoop::~EventLoop() {
  stop_ = true;
  wake();
  if (thread_.joinable())
    thread_.join();
  close(epollFd_);
  close(wakeFd_);
}

void EventLoop::wake() {
  uint64_t one = 1;
  ssize_t n = write(wakeFd_, &one, sizeof(one));
  (void)n;  // a full counter already means "awake"
}

void EventLoop::add(int fd, bool wantWrite, std::shared_ptr<IoHandler> handler) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    handlers_[fd] = std::move(handler);
  }
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP | (wantWrite ? EPOLLOUT : 0u);
  ev.data.fd = fd;
  if (epoll_ctl(epollFd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
    std::lock_guard<std::mutex> lock(mutex_);
    handlers_.erase(fd);
    throw std::runtime_error(std::string("epoll_ctl add: ") + std::strerror(errno));
  }
}

void EventLoop::setWantWrite(int fd, bool wantWrite) {
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP | (wantWrite ? EPOLLOUT : 0u);
  ev.data.fd = fd;
  epoll_ctl(epollFd_, EPOLL_CTL_MOD, fd, &ev);  // ENOENT after remove() is harmless
}

void EventLoop::remove(int fd) {
  epoll_ctl(epollFd_, EPOLL_CTL_DEL, fd, nullptr);
  std::shared_ptr<IoHandler> doomed;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = handlers_.find(fd);
    if (it != handlers_.end()) {
      doomed = std::move(it->second);
      handlers_.erase(it);
    }
  }
}

void EventLoop::post(std::function<void()> fn) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    posted_.push_back(std::move(fn));
  }
  wake();
}

void EventLoop::run() {
  epoll_event events[64];
  uint64_t nextTick = monotonicUs() + kTickUs;
  while (!stop_) {
    const uint64_t now = monotonicUs();
    const int timeoutMs = now >= nextTick ? 0 : static_cast<int>((nextTick - now) / 1000 + 1);
    const int n = epoll_wait(epollFd_, events, 64, timeoutMs);
    if (n < 0 && errno != EINTR)
      break;
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == wakeFd_) {
        uint64_t v;
        while (read(wakeFd_, &v, sizeof(v)) > 0) {
        }
        continue;
      }
      std::shared_ptr<IoHandler> h;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = handlers_.find(fd);
        if (it == handlers_.end())
          continue;
        h = it->second;
      }
      const uint32_t e = events[i].events;
      if (e & EPOLLOUT)
        h->onWritable();
      if (e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP))
        h->onReadable();
      if ((e & EPOLLERR) && !(e & EPOLLIN))
        h->onError();
    }
    std::vector<std::function<void()>> posted;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      posted.swap(posted_);
    }
    for (auto& fn : posted)
      fn();
    if (monotonicUs() >= nextTick) {
      nextTick = monotonicUs() + kTickUs;
      std::vector<int> fds;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        for (auto& [fd, h] : handlers_)
          fds.push_back(fd);
      }
      const uint64_t tickNow = monotonicUs();
      for (int fd : fds) {
        std::shared_ptr<IoHandler> h;
        {
          std::lock_guard<std::mutex> lock(mutex_);
          auto it = handlers_.find(fd);
          if (it == handlers_.end())
            continue;
          h = it->second;
        }
        h->onTick(tickNow);
      }
    }
  }
}

}  // namespace rdk::tcp
