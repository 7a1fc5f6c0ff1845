// The per-user session directory, as Xpra's socket directory: every `rdkernel start` or
// `rdkernel shadow` server listens on a unix socket there (<host>-<N>, N its display) and
// records itself next to it (<host>-<N>.json: display, pid, mode, the URLs it listens on), so
// that `rdkernel list`, `attach :N` and `stop :N` find it without a port.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace rdk::cli {

/// $RDK_SOCKET_DIR, else $XDG_RUNTIME_DIR/rdkernel, else /run/user/UID/rdkernel when
/// /run/user/UID exists, else ~/.rdkernel.
std::string sessionDirectory();

/// Creates |dir| (mode 0700) if missing; false with |error| when it cannot, or when it is not a
/// directory owned by this user that others cannot write into.
bool ensureSessionDirectory(const std::string& dir, std::string* error);

/// ":N" -> N; -1 when |display| is not of that form.
int displayNumber(const std::string& display);

struct SessionRecord {
  std::string display;  // ":N"
  long pid = 0;
  std::string mode;  // "seamless", "shadow"
  std::vector<std::string> urls;
  std::string socket;  // the unix socket's path
  std::string file;    // the record's path
  /// unix:// URL of |socket|.
  std::string socketUrl() const { return "unix://" + socket; }
};

/// <dir>/<host>-<N>: the socket path a session on display |number| listens on.
std::string sessionSocketPath(const std::string& dir, int number);

/// Writes the record atomically (a temporary file renamed into place).
bool writeSessionRecord(const std::string& dir, SessionRecord& record, std::string* error);

/// Removes the record and, if present, the socket file.
void removeSessionRecord(const SessionRecord& record);

/// The records of this host's sessions in |dir|, ordered by display number; unreadable or
/// malformed files are skipped.
std::vector<SessionRecord> readSessionRecords(const std::string& dir);

enum class SessionState { Live, Dead, Unknown };

/// Live: its socket accepts a connection. Dead: its process is gone. Unknown: the process runs
/// but does not answer (starting, stopping or hung): such a record is left alone.
SessionState probeSession(const SessionRecord& record);

/// The live session on |display|, or when |display| is empty the only live one; nullopt with
/// |error| saying why (none, several, not live).
std::optional<SessionRecord> findSession(const std::string& display, std::string* error);

/// A URL for what attach, info and stop were given: |target| itself unless it is ":N" (that
/// display's session) or empty (the only live session). False with |error| when none is found.
bool resolveSessionUrl(const std::string& target, std::string* url, std::string* error);

/// The lowest display number >= |from| with no X server lock or socket and no session record.
int freeDisplayNumber(const std::string& dir, int from);

}  // namespace rdk::cli
