#!/usr/bin/env bash
# The Fabric CA and channel side of people (the gateway's accounts module and the user:* commands call it):
#   users.sh enrol <org> <name> <gln>   register and enrol; prints {"certPath","keyPath"}
#   users.sh revoke <org> <name>        revoke at the CA, generate its CRL, put it in the channel configuration
# Arguments are validated by the caller (gateway/src/accounts/accounts.service.ts).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/lib/common.sh"
source "$HERE/lib/fabric-env.sh"
source "$HERE/lib/crypto.sh"
source "$HERE/lib/channel.sh"
source "$HERE/lib/org-join.sh"
source "$HERE/lib/users.sh"

[ -f "$STATE/created" ] || die "no network: run 'npm run network:up' first"
[ -n "${2:-}" ] && [ -n "${ORG_MSP[$2]:-}" ] || die "unknown organisation '${2:-}'"
load_binaries >/dev/null
# One channel configuration change at a time, and none while network.sh changes the network.
exec 9>"$DRUGTRACE_HOME/.network.lock"
flock -w 600 9 || die "another network.sh has held $DRUGTRACE_HOME/.network.lock for 10 minutes"

case "${1:-}" in
  enrol) enrol_person "$2" "$3" "$4" ;;
  revoke) revoke_person "$2" "$3" >&2 ;;
  *)
    echo "usage: $0 enrol <org> <name> <gln> | revoke <org> <name>" >&2
    exit 2
    ;;
esac
