#!/usr/bin/env bash
# dossier side by side with raw tantivy, SQLite FTS5, Recoll and ripgrep (benches/peers.rs).
# Installs the peers that are missing, from Debian's packages, when it runs as root or with
# sudo; then runs the benchmark, which writes BENCHMARKS.md and benchmarks.svg. A peer that
# still cannot run is reported as skipped, with the reason, there and on the terminal.
#
#   benches/compare.sh                              scales 0.25, 1 and 4 (the figures of BENCHMARKS.md)
#   DOSSIER_BENCH_SCALES=0.25,1 benches/compare.sh  chosen scales
#   DOSSIER_BENCH_QUICK=1 benches/compare.sh        a small trial; BENCHMARKS.md is left alone
#   cargo bench --bench peers                       the same, its report left in the target folder
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v rg >/dev/null || missing+=(ripgrep)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
if ! command -v recollindex >/dev/null || ! command -v recollq >/dev/null; then
    missing+=(recollcmd)
fi

if ((${#missing[@]})); then
    if [ "$(id -u)" -eq 0 ]; then
        as_root=()
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        as_root=(sudo -n)
    else
        as_root=(none)
    fi
    if [ "${as_root[*]-}" = none ] || ! command -v apt-get >/dev/null; then
        echo "compare.sh: cannot install ${missing[*]} (needs apt-get as root or sudo); they will be reported as skipped" >&2
    else
        echo "compare.sh: installing ${missing[*]}" >&2
        # A failed install is not fatal: the benchmark reports what it could not run.
        "${as_root[@]}" apt-get update -qq || true
        "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${missing[@]}" || echo "compare.sh: installing ${missing[*]} failed" >&2
    fi
fi

# Builds dossier as the README's install does, with the benchmark (cargo does, for a bench):
# the release-lto profile; on x86-64 Linux a static executable, with its relocations packed
# when glibc is 2.36 or newer (older static start-up code cannot read them). The raw tantivy
# baseline is built the same way.
build=(--profile release-lto)
description="built with the release-lto profile"
if [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ]; then
    flags="-C target-feature=+crt-static"
    description="a static executable built with the release-lto profile"
    glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')
    if [ -n "$glibc" ] && [ "$(printf '%s\n2.36\n' "$glibc" | sort -V | head -n1)" = 2.36 ]; then
        flags="$flags -C link-arg=-Wl,-z,pack-relative-relocs"
        description="$description and packed relocations"
    fi
    export RUSTFLAGS="${RUSTFLAGS:-} $flags"
    build+=(--target x86_64-unknown-linux-gnu)
fi
DOSSIER_BENCH_BUILD="$description, as the README's install builds it; the raw tantivy baseline too" \
    DOSSIER_BENCH_REPORT=1 exec cargo bench --bench peers "${build[@]}"
