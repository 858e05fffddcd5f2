#!/bin/sh
# Runs "$@" inside a private D-Bus session with a freshly unlocked gnome-keyring (the Secret Service that libsecret,
# and so QtKeychain, talks to) and a throwaway HOME, so the test never touches the user's real keychain.
# A missing tool is an error, not a skip: in CI a missing keychain must fail the keychain tier.
#   Debian packages: dbus (dbus-run-session), gnome-keyring, libsecret-tools (secret-tool), libsecret-1-0
set -eu
for tool in dbus-run-session gnome-keyring-daemon secret-tool; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "run-with-keychain.sh: '$tool' not found; install dbus, gnome-keyring and libsecret-tools" >&2
        exit 1
    fi
done
exec dbus-run-session -- sh -c '
    HOME=$(mktemp -d) || exit 1
    export HOME
    unset XDG_CURRENT_DESKTOP KDE_FULL_SESSION DESKTOP_SESSION   # use the Secret Service, not KWallet
    env=$(printf pw | gnome-keyring-daemon --unlock --components=secrets) || {
        echo "run-with-keychain.sh: gnome-keyring-daemon failed" >&2
        exit 1
    }
    eval "$env"
    export GNOME_KEYRING_CONTROL
    "$0" "$@"
    status=$?
    rm -rf "$HOME"
    exit $status
' "$@"
