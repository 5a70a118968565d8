#!/usr/bin/env bash
# Builds the pinned Fabric and Fabric CA commands with the Go toolchain from the Go module proxy into a
# cache outside the repository, once. The versions are pinned by the go.mod/go.sum in fabric-build/.
# Prints the two bin directories (fabric, fabric-ca) on stdout; progress goes to stderr.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/drugtrace"

FABRIC_CMDS=(peer orderer osnadmin configtxgen configtxlator)
FABRIC_CA_CMDS=(fabric-ca-server fabric-ca-client)

say() { echo "[install-fabric] $*" >&2; }
fail() { echo "[install-fabric] error: $*" >&2; exit 1; }

all_present() { # bin-dir commands...
  local bin="$1" c
  shift
  for c in "$@"; do [ -x "$bin/$c" ] || return 1; done
}

# build <module dir> <bin dir> <package path prefix> <commands...>
build() {
  local module="$1" bin="$2" prefix="$3"
  shift 3
  local stamp="$bin/.go.sum.sha256" want
  want="$(sha256sum "$module/go.sum" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && all_present "$bin" "$@"; then
    return 0
  fi
  command -v go >/dev/null 2>&1 || fail "Go is not installed: install Go 1.21+ (https://go.dev/doc/install) and rerun"
  local pkgs=() log="$CACHE/build-$(basename "$module").log"
  for c in "$@"; do pkgs+=("$prefix/$c"); done
  mkdir -p "$bin"
  say "building $* into $bin (a few minutes, once; log: $log)"
  if ! (cd "$module" && GOBIN="$bin" GOFLAGS=-mod=mod go install "${pkgs[@]}") >"$log" 2>&1; then
    if grep -qiE 'proxy|dial tcp|no such host|403|404|connection refused|timeout' "$log"; then
      fail "the Go module proxy ($(go env GOPROXY)) did not serve a module: $(grep -m1 -iE 'proxy|dial|403|404|timeout' "$log")"
    fi
    fail "go install failed for $(basename "$module"); last lines of $log:
$(tail -n 15 "$log")"
  fi
  echo "$want" >"$stamp"
}

mkdir -p "$CACHE"
FABRIC_BIN="$CACHE/fabric-$(grep -m1 -oE 'hyperledger/fabric v[^ ]+' "$HERE/fabric-build/fabric/go.mod" | grep -oE '[0-9a-f]{12}$')/bin"
FABRIC_CA_BIN="$CACHE/fabric-ca-$(grep -m1 -oE 'hyperledger/fabric-ca v[^ ]+' "$HERE/fabric-build/fabric-ca/go.mod" | sed 's/.* v//')/bin"
build "$HERE/fabric-build/fabric" "$FABRIC_BIN" github.com/hyperledger/fabric/cmd "${FABRIC_CMDS[@]}"
build "$HERE/fabric-build/fabric-ca" "$FABRIC_CA_BIN" github.com/hyperledger/fabric-ca/cmd "${FABRIC_CA_CMDS[@]}"
echo "$FABRIC_BIN"
echo "$FABRIC_CA_BIN"
