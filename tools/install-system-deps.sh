#!/bin/sh
# The Debian packages splice's build needs: a C++20 compiler, and the toml++
# headers (probe files are read by the engine). Installs only what is missing.
set -e
missing=""
[ -f /usr/include/toml++/toml.h ] || missing="$missing libtomlplusplus-dev"
command -v g++ >/dev/null 2>&1 || command -v c++ >/dev/null 2>&1 || missing="$missing g++"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
        echo "splice: the build needs these Debian packages:$missing (run apt-get install as root)" >&2
        exit 1
    fi
fi
echo "splice: installing$missing" >&2
install() { DEBIAN_FRONTEND=noninteractive ${SUDO:-} apt-get install -y -qq --no-install-recommends $missing >/dev/null; }
# The package lists may be missing or stale (snapshot mirrors expire): refresh only when needed.
install 2>/dev/null || { ${SUDO:-} apt-get update -qq -o Acquire::Check-Valid-Until=false >/dev/null || true; install; }
