// Where a challenge module finds the expected password: Xpra's env, password, file and multifile
// modules differ only in this.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "auth_options.h"

namespace rdk::auth {

class PasswordSource {
 public:
  virtual ~PasswordSource() = default;
  /// The password for |username|, or nullopt with the reason in |why| (unset variable, unknown
  /// user, unreadable file). Called once per authentication, so file changes apply at once.
  virtual std::optional<std::string> passwordFor(const std::string& username, std::string& why) = 0;
};

/// The source for |module| ("env", "password", "file", "multifile"), reading its options. Throws
/// rdk::Error(RDK_E_UNSUPPORTED) for another module and RDK_E_INVALID_ARG for missing options.
std::unique_ptr<PasswordSource> makePasswordSource(const std::string& module, AuthOptions& options);

}  // namespace rdk::auth
