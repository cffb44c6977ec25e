#!/bin/sh
# Install what ksplat needs to build and test on Debian 12 (run as root).
set -eu
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: run as root (apt-get install)" >&2
	exit 2
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
	make gcc clang libclang-rt-dev pkg-config \
	libpcre2-dev libsystemd-dev libdw-dev libelf-dev libdebuginfod-dev libarchive-dev libjson-c-dev libcmocka-dev \
	elfutils binutils llvm zstd systemd systemd-journal-remote mandoc valgrind xz-utils python3 python3-jsonschema ca-certificates time ripgrep >/dev/null
