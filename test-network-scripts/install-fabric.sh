#!/usr/bin/env bash
# Builds the pinned Fabric and Fabric CA release commands with the Go toolchain from the Go module proxy
# into a cache outside the repository, once. The releases are pinned by the go.mod/go.sum in fabric-build/
# (Fabric v3.1.1 is the pseudo-version of its release commit 435a7f1a780a: the module path has no /v3, so
# the tag itself is not a valid module version). The version is stamped through ldflags, as the projects'
# own Makefiles do, so `peer version` says 3.1.1. Prints the two bin directories (fabric, fabric-ca) on
# stdout; progress goes to stderr.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/drugtrace"

FABRIC_VERSION=3.1.1
FABRIC_CA_VERSION=1.5.22
FABRIC_CMDS=(peer orderer osnadmin configtxgen configtxlator)
FABRIC_CA_CMDS=(fabric-ca-server fabric-ca-client)

say() { echo "[install-fabric] $*" >&2; }
fail() { echo "[install-fabric] error: $*" >&2; exit 1; }

all_present() { # bin-dir commands...
  local bin="$1" c
  shift
  for c in "$@"; do [ -x "$bin/$c" ] || return 1; done
}

# build <module dir> <bin dir> <package path prefix> <ldflags> <commands...>
build() {
  local module="$1" bin="$2" prefix="$3" ldflags="$4"
  shift 4
  local stamp="$bin/.go.sum.sha256" want
  want="$( (cat "$module/go.sum" && echo "$ldflags") | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && all_present "$bin" "$@"; then
    return 0
  fi
  command -v go >/dev/null 2>&1 || fail "Go is not installed: install Go 1.26.3+ (https://go.dev/doc/install) and rerun"
  local pkgs=() log="$CACHE/build-$(basename "$module").log"
  for c in "$@"; do pkgs+=("$prefix/$c"); done
  mkdir -p "$bin"
  say "building $* into $bin (a few minutes, once; log: $log)"
  if ! (cd "$module" && GOBIN="$bin" GOFLAGS=-mod=mod go install -trimpath -ldflags "$ldflags" "${pkgs[@]}") >"$log" 2>&1; then
    if grep -qiE 'proxy|dial tcp|no such host|403|404|connection refused|timeout' "$log"; then
      fail "the Go module proxy ($(go env GOPROXY)) did not serve a module: $(grep -m1 -iE 'proxy|dial|403|404|timeout' "$log")"
    fi
    fail "go install failed for $(basename "$module"); last lines of $log:
$(tail -n 15 "$log")"
  fi
  echo "$want" >"$stamp"
}

mkdir -p "$CACHE"
FABRIC_COMMIT="$(grep -m1 -oE 'hyperledger/fabric v[^ ]+' "$HERE/fabric-build/fabric/go.mod" | grep -oE '[0-9a-f]{12}$')"
FABRIC_BIN="$CACHE/fabric-$FABRIC_VERSION-$FABRIC_COMMIT/bin"
FABRIC_CA_BIN="$CACHE/fabric-ca-$FABRIC_CA_VERSION/bin"
build "$HERE/fabric-build/fabric" "$FABRIC_BIN" github.com/hyperledger/fabric/cmd \
  "-X github.com/hyperledger/fabric/common/metadata.Version=$FABRIC_VERSION -X github.com/hyperledger/fabric/common/metadata.CommitSHA=$FABRIC_COMMIT" \
  "${FABRIC_CMDS[@]}"
build "$HERE/fabric-build/fabric-ca" "$FABRIC_CA_BIN" github.com/hyperledger/fabric-ca/cmd \
  "-X github.com/hyperledger/fabric-ca/lib/metadata.Version=$FABRIC_CA_VERSION" "${FABRIC_CA_CMDS[@]}"
echo "$FABRIC_BIN"
echo "$FABRIC_CA_BIN"
