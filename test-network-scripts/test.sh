#!/usr/bin/env bash
# `npm test`: set-up as needed, then lint and type checks, unit tests, and the system tests against a
# real network (end-to-end, browser, faults). Leaves nothing running. Ends with "N passed, N failed"
# (every Jest test plus each static check and the leftover-process check) and exits non-zero on any failure.
set -uo pipefail
source "$(cd "$(dirname "$0")" && pwd)/lib/common.sh"

RESULTS="$REPO_ROOT/test/artifacts/results"
SUMMARY="$REPO_ROOT/test/artifacts/summary.txt"
checks_passed=0
checks_failed=0
failed_steps=()

record() { # name exit-code
  if [ "$2" -eq 0 ]; then
    checks_passed=$((checks_passed + 1))
  else
    checks_failed=$((checks_failed + 1))
    failed_steps+=("$1")
  fi
}

jest_step() { # name workspace-dir jest-args...
  local name="$1" dir="$2"
  shift 2
  log "test: $name"
  (cd "$dir" && npx jest "$@" --json --outputFile="$RESULTS/$name.json")
  local rc=$?
  [ -f "$RESULTS/$name.json" ] || { record "$name (no result file)" 1; return; }
  [ "$rc" -eq 0 ] || failed_steps+=("$name")
}

ensure_chromium() {
  command -v chromium >/dev/null 2>&1 && return 0
  log "installing Debian's chromium for the browser tests"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ||
    die "could not install chromium with apt-get (needed by the browser tests)"
}

# The browser tests' screenshots of the Chinese pages need a CJK font to show words, not boxes (the tests
# themselves read the DOM and pass either way).
ensure_cjk_font() {
  fc-list :lang=zh 2>/dev/null | grep -q . && return 0
  log "installing a CJK font (fonts-wqy-microhei) for the Chinese pages' screenshots"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null) ||
    log "could not install fonts-wqy-microhei: Chinese screenshots will show boxes"
}

our_processes() { node "$REPO_ROOT/test-network-scripts/lib/our-processes.js"; }

rm -rf "$RESULTS" && mkdir -p "$RESULTS"
ensure_node_modules
ensure_chromium
ensure_cjk_font
before="$(our_processes)"

# The gateway and the system tests import the chaincode package's compiled domain module (its exports
# point at dist/), so build before the type checks.
build_all

log "check: lint"
(cd "$REPO_ROOT" && npm run --silent lint)
record lint $?
log "check: typecheck"
(cd "$REPO_ROOT" && npm run --silent typecheck)
record typecheck $?

jest_step unit-chaincode "$REPO_ROOT/chaincode"
jest_step unit-gateway "$REPO_ROOT/gateway"

jest_step system "$REPO_ROOT/test" -c jest.config.js --runInBand

# The same platform on SmartBFT ordering (four orderers), in a network of its own: the journey and the
# network and fault tests. DRUGTRACE_TEST_BFT=0 skips it.
if [ "${DRUGTRACE_TEST_BFT:-1}" != 0 ]; then
  DRUGTRACE_CONSENSUS=bft DRUGTRACE_HOME="$REPO_ROOT/.drugtrace-bft" \
    jest_step system-bft "$REPO_ROOT/test" -c jest.config.js --runInBand e2e/journey network/
fi

after="$(our_processes)"
leftover="$(comm -13 <(sort <<<"$before") <(sort <<<"$after"))"
if [ -n "$leftover" ]; then
  echo "processes left running after the tests:" >&2
  echo "$leftover" >&2
  record "no leftover processes" 1
else
  record "no leftover processes" 0
fi

read -r jest_passed jest_failed < <(node -e '
  const fs = require("fs"), dir = process.argv[1];
  let p = 0, f = 0;
  for (const file of fs.readdirSync(dir)) {
    const r = JSON.parse(fs.readFileSync(`${dir}/${file}`, "utf8"));
    p += r.numPassedTests;
    f += r.numFailedTests;
    // A suite that failed to run (syntax error, set-up failure) has no failed test but is a failure.
    f += r.testResults.filter((s) => s.testExecError || (s.status === "failed" && s.assertionResults.length === 0)).length;
  }
  console.log(p, f);' "$RESULTS")

passed=$((jest_passed + checks_passed))
failed=$((jest_failed + checks_failed))
[ ${#failed_steps[@]} -gt 0 ] && [ "$failed" -eq 0 ] && failed=1
{
  [ ${#failed_steps[@]} -gt 0 ] && echo "failed steps: ${failed_steps[*]}"
  echo "$passed passed, $failed failed"
} | tee "$SUMMARY"
[ "$failed" -eq 0 ]
