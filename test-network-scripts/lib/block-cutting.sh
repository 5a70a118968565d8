# `network.sh batch <timeout> <max messages>`: the running channel's block cutting changed by a channel
# configuration update, signed by the orderer organisation's admin (the Orderer group's Admins policy):
# Orderer BatchTimeout and BatchSize.MaxMessageCount, and with SmartBFT its RequestBatchMaxInterval too. A bench
# can so compare settings in one run (test-network-scripts/bench.sh, BENCH_BATCH_TIMEOUTS); network.yaml stays
# what a new network is created with. Sourced by network.sh.

set_block_cutting() {
  local timeout="$1" count="$2" work="$STATE/block-cutting"
  [[ "$timeout" =~ ^[1-9][0-9]*ms$ ]] || die "batch timeout: milliseconds, such as 20ms (got '$timeout')"
  [[ "$count" =~ ^[1-9][0-9]*$ ]] || die "max messages: a positive integer (got '$count')"
  rm -rf "$work"
  fetch_channel_config "$work" "$ORDERER_KEY"
  node -e '
    const fs = require("fs");
    const [dir, timeout, count] = process.argv.slice(1);
    const config = JSON.parse(fs.readFileSync(`${dir}/config.json`, "utf8"));
    const orderer = config.channel_group.groups.Orderer.values;
    orderer.BatchTimeout.value.timeout = timeout;
    orderer.BatchSize.value.max_message_count = Number(count);
    const options = orderer.ConsensusType.value.metadata?.options;
    if (options && "request_batch_max_interval" in options) options.request_batch_max_interval = timeout;
    fs.writeFileSync(`${dir}/modified.json`, JSON.stringify(config));
  ' "$work" "$timeout" "$count"
  if cmp -s <(node -e 'process.stdout.write(JSON.stringify(require(process.argv[1])))' "$work/config.json") \
    <(node -e 'process.stdout.write(JSON.stringify(require(process.argv[1])))' "$work/modified.json"); then
    log "block cutting already BatchTimeout $timeout, MaxMessageCount $count"
    return 0
  fi
  update_channel_config "$work" "$ORDERER_KEY"
  log "block cutting now BatchTimeout $timeout, MaxMessageCount $count (channel $CHANNEL)"
}
