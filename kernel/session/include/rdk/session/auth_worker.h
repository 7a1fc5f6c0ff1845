// Runs authenticators' verdicts off the server loop. An auth plugin may take its time (the
// password modules wait after failures, a future PAM or LDAP module waits on the network), and
// the loop serves every session, so no authenticate() call runs there. A small fixed pool: the
// AuthThrottle lets each address have one verdict in flight, so one guessing address occupies at
// most one worker.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rdk::plugin {
class AuthenticatorObject;
}

namespace rdk::session {

class AuthThrottle;
class LoopWakeup;

struct AuthJob {
  std::shared_ptr<plugin::AuthenticatorObject> authenticator;
  std::string address;  // addressKey of the peer, for the throttle
  std::string username, response, clientSalt;
  // Written by the worker before |done| is set.
  bool success = false;
  std::string error;
  std::atomic<bool> done{false};
};

class AuthWorker {
 public:
  /// |clock| gives monotonic microseconds for the throttle; |wakeup| is notified per verdict.
  AuthWorker(AuthThrottle& throttle, LoopWakeup& wakeup, std::function<uint64_t()> clock,
             size_t threads = 4);
  /// Waits for the verdicts in progress; queued ones are dropped (their sessions are gone).
  ~AuthWorker();
  AuthWorker(const AuthWorker&) = delete;
  AuthWorker& operator=(const AuthWorker&) = delete;

  /// Queues |job|, whose verdict the caller claimed with AuthThrottle::tryBeginVerdict; the
  /// worker reports the outcome to the throttle and sets job->done.
  void submit(std::shared_ptr<AuthJob> job);

 private:
  void run();

  AuthThrottle& throttle_;
  LoopWakeup& wakeup_;
  const std::function<uint64_t()> clock_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<AuthJob>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace rdk::session
