#include "rdk/session/auth_worker.h"

#include "rdk/kernel/plugin_objects.h"
#include "rdk/session/auth_throttle.h"
#include "rdk/session/loop_wakeup.h"

namespace rdk::session {

AuthWorker::AuthWorker(AuthThrottle& throttle, LoopWakeup& wakeup, std::function<uint64_t()> clock,
                       size_t threads)
    : throttle_(throttle), wakeup_(wakeup), clock_(std::move(clock)) {
  for (size_t i = 0; i < threads; ++i)
    threads_.emplace_back([this] { run(); });
}

AuthWorker::~AuthWorker() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    queue_.clear();
  }
  cv_.notify_all();
  for (auto& thread : threads_)
    thread.join();
}

void AuthWorker::submit(std::shared_ptr<AuthJob> job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void AuthWorker::run() {
  for (;;) {
    std::shared_ptr<AuthJob> job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_)
        return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    std::string error;
    // AuthenticatorObject turns plugin failures into false + error; nothing may escape a worker.
    bool success = false;
    try {
      success =
          job->authenticator->authenticate(job->username, job->response, job->clientSalt, &error);
    } catch (const std::exception& e) {
      error = std::string("authenticator failed: ") + e.what();
    }
    job->success = success;
    job->error = success ? "" : (error.empty() ? "authentication failed" : error);
    throttle_.finishVerdict(job->address, success, clock_());
    job->done.store(true);
    wakeup_.notify();
  }
}

}  // namespace rdk::session
