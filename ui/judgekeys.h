#pragma once
/// @file judgekeys.h
/// API keys of judge server profiles in the OS keychain (QtKeychain: the Secret Service or KWallet
/// on Linux, the Keychain on macOS, the Credential Store on Windows), as docs/judge.md ("Keys")
/// describes. A key is stored under the service "Concord" and the name "judge/<profile id>"; it is
/// never written to the project file, the settings or a log (no insecure fallback to a file).
///
/// The environment variable a profile names always comes first: the keychain is only asked when it
/// is unset, so scripts and CI never wait on a keychain. QtKeychain's jobs are asynchronous; every
/// call here ends in a bounded time (`timeout`), with State::Unavailable and a message when no
/// keychain service answers (a machine without a desktop session has none). Needs a
/// QCoreApplication, and is called on the GUI thread.

#include <QString>

#include <chrono>
#include <functional>

class QObject;

namespace concord::ui {

/// How long a keychain job may take before it counts as unavailable: long enough for a desktop
/// keyring to ask for its password, short enough that nothing hangs.
inline constexpr std::chrono::milliseconds kKeychainTimeout{20000};

struct StoredKey
{
    enum class State {
        Found,       ///< `key` holds it (read), or it was stored / forgotten (write, delete)
        NotFound,    ///< the keychain works and holds no key for the profile
        Unavailable, ///< no keychain answered, or it refused: `message` says why
    };
    State state = State::NotFound;
    QString key;     ///< only for a successful read; never logged
    QString message; ///< for Unavailable: one sentence for the user
};

/// The keychain entry's name for a profile ("judge/openai").
QString keychainEntry(const QString &profile);
/// Tests point this elsewhere, so that they never touch a real keychain entry of Concord.
void setKeychainService(const QString &service);

/// Reads the key stored for `profile`; `done` is called once, on `context`'s thread, unless
/// `context` is destroyed first.
void readStoredKey(const QString &profile, QObject *context, std::function<void(const StoredKey &)> done,
                   std::chrono::milliseconds timeout = kKeychainTimeout);
/// Stores `key` for `profile` (replacing any); `done` gets Found on success.
void storeKey(const QString &profile, const QString &key, QObject *context,
              std::function<void(const StoredKey &)> done,
              std::chrono::milliseconds timeout = kKeychainTimeout);
/// Removes the key stored for `profile`; `done` gets Found when it is gone (also when there was none).
void forgetStoredKey(const QString &profile, QObject *context, std::function<void(const StoredKey &)> done,
                     std::chrono::milliseconds timeout = kKeychainTimeout);

/// readStoredKey() waited for in a local event loop, for the command line. Without a
/// QCoreApplication it returns Unavailable.
StoredKey readStoredKeyNow(const QString &profile, std::chrono::milliseconds timeout = kKeychainTimeout);

/// The key for a run: the environment variable `keyEnv` when it is set and not empty (`fromEnv`
/// true), otherwise `stored`'s key when it was found.
struct ResolvedKey
{
    QString key;
    bool fromEnv = false;
};
ResolvedKey resolveKey(const QString &keyEnv, const StoredKey *stored);

} // namespace concord::ui
