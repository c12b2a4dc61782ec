# Shared by scripts/run, scripts/test, scripts/bench and scripts/package: installs what Concord
# needs on Debian 12 / Ubuntu 24.04 (only what is missing), then configures and builds Release
# into build/. Sourced, not run.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD="$ROOT/build"

# Build and runtime packages. libqt6opengl6-dev is needed by Qt Charts' CMake files and
# qt6-qpa-plugins holds the xcb/offscreen platform plugins; both are only Recommends elsewhere.
# qtkeychain-qt6-dev: judge API keys in the OS keychain (ui/judgekeys.h).
# shared-mime-info, libglib2.0-bin (gio) and groff-base let the package test check the MIME type
# and the man page as a desktop would use them.
# python3-sklearn and python3-statsmodels are the reference the agreement benchmark
# (bench/bench-2-agreement.sh) times Concord against, and what tests/stats/fixtures come from.
CONCORD_PACKAGES=(cmake g++ ninja-build pkg-config qt6-base-dev qt6-charts-dev libqt6opengl6-dev
    qt6-qpa-plugins libsqlite3-dev libcurl4-openssl-dev nlohmann-json3-dev qtkeychain-qt6-dev fonts-dejavu-core
    python3 ccache bc dpkg-dev file appstream desktop-file-utils shared-mime-info libglib2.0-bin groff-base
    python3-sklearn python3-statsmodels)

concord_missing_packages() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    echo "${missing[@]:-}"
}

concord_install() {
    local missing
    missing=$(concord_missing_packages "$@")
    [ -z "$missing" ] && return 0
    local sudo=""
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null || { echo "concord: need root or sudo to install: $missing" >&2; exit 1; }
        sudo="sudo"
    fi
    echo "concord: installing $missing"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
    # shellcheck disable=SC2086
    $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing >/dev/null
}

concord_build() {
    concord_install "${CONCORD_PACKAGES[@]}"
    # Configured every time (under a second), so a build/ made earlier without the CI options
    # still gets warnings as errors; Ninja then rebuilds only what changed.
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCONCORD_WERROR=ON "$@" >/dev/null
    cmake --build "$BUILD" -j"$(nproc)"
}
