#!/usr/bin/env bash
# `npm start`: everything from a fresh clone — npm packages, Fabric binaries, network, chaincode, gateway.
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/lib/common.sh"

ensure_node_modules
build_all
bash "$REPO_ROOT/test-network-scripts/network.sh" up
bash "$REPO_ROOT/test-network-scripts/gateway.sh" start

cat <<INFO

DrugTrace is running.
  Scan page          $GATEWAY_URL/
  Manufacturer       $GATEWAY_URL/manufacturer.html
  Shipments          $GATEWAY_URL/shipments.html
  Regulator          $GATEWAY_URL/regulator.html
  API docs (OpenAPI) $GATEWAY_URL/docs
  Health             $GATEWAY_URL/health
  Demo API keys      $DRUGTRACE_HOME/api-keys.json
  Logs               $DRUGTRACE_HOME/logs/
Stop with 'npm stop' (ledgers kept); wipe everything with 'npm run network:down'.
INFO
