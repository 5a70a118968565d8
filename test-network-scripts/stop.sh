#!/usr/bin/env bash
# `npm stop`: stops the gateway and every network process; ledgers and crypto are kept for the next start.
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/lib/common.sh"

bash "$REPO_ROOT/test-network-scripts/gateway.sh" stop
bash "$REPO_ROOT/test-network-scripts/network.sh" stop
