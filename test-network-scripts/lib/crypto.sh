# Identities from one Fabric CA per organisation: node (MSP + TLS), admin and user identities, with the
# drugtrace.role / drugtrace.gln attributes in users' enrolment certificates. Sourced by network.sh.

ca_home() { echo "$CRYPTO/$1/ca"; }
ca_client_home() { echo "$CRYPTO/$1/ca-client"; }
ca_root() { echo "$(ca_home "$1")/ca-cert.pem"; }
new_secret() { openssl rand -hex 16; }

# start_ca <org key> <port> <domain>
start_ca() {
  local key="$1" port="$2" domain="$3" home secret_file
  home="$(ca_home "$key")"
  secret_file="$STATE/ca-$key.secret"
  mkdir -p "$home" "$STATE"
  [ -f "$secret_file" ] || (umask 077 && new_secret >"$secret_file")
  start_node "ca-$key" env FABRIC_CA_SERVER_HOME="$home" \
    FABRIC_CA_SERVER_OPERATIONS_LISTENADDRESS="127.0.0.1:$((port + 10000))" \
    fabric-ca-server start -b "admin:$(cat "$secret_file")" --address 127.0.0.1 --port "$port" \
    --tls.enabled --csr.cn "ca.$domain" --csr.hosts "ca.$domain,localhost,127.0.0.1" --ca.name "ca-$key"
}

wait_ca() { # key port
  local key="$1" port="$2"
  wait_for "ca-$key" 60 test -f "$(ca_root "$key")"
  wait_for "ca-$key" 60 curl -fsS -m 2 --cacert "$(ca_root "$key")" "https://127.0.0.1:$port/cainfo"
}

ca_client() { # key port fabric-ca-client args...
  local key="$1" port="$2"
  shift 2
  fabric-ca-client "$@" -u "https://127.0.0.1:$port" --caname "ca-$key" \
    --tls.certfiles "$(ca_root "$key")" --home "$(ca_client_home "$key")" >>"$LOGS/ca-client.log" 2>&1 ||
    die "fabric-ca-client $1 failed for $key (see $LOGS/ca-client.log)"
}

enroll() { # key port name secret msp-dir extra-args...
  local key="$1" port="$2" name="$3" secret="$4" dir="$5"
  shift 5
  fabric-ca-client enroll -u "https://$name:$secret@127.0.0.1:$port" --caname "ca-$key" \
    --tls.certfiles "$(ca_root "$key")" --home "$(ca_client_home "$key")" -M "$dir" "$@" >>"$LOGS/ca-client.log" 2>&1 ||
    die "enrolment of $name at ca-$key failed (see $LOGS/ca-client.log)"
}

# NodeOUs let the MSP tell admins, peers, orderers and clients apart by the OU the CA put in their certificates.
write_msp_config() { # msp-dir
  local ou
  {
    echo "NodeOUs:"
    echo "  Enable: true"
    for ou in client peer admin orderer; do
      echo "  ${ou^}OUIdentifier:"
      echo "    Certificate: cacerts/ca.pem"
      echo "    OrganizationalUnitIdentifier: $ou"
    done
  } >"$1/config.yaml"
}

# Gives an enrolled MSP folder plain file names: signcerts/cert.pem, keystore/key.pem (0600), cacerts/ca.pem.
normalise_msp() { # msp-dir ca-root
  local dir="$1"
  mv "$dir"/keystore/*_sk "$dir/keystore/key.pem"
  chmod 600 "$dir/keystore/key.pem"
  rm -f "$dir"/cacerts/*
  cp "$2" "$dir/cacerts/ca.pem"
  write_msp_config "$dir"
}

# Moves a TLS enrolment to <dir>/{<prefix>.crt,<prefix>.key,ca.crt}.
normalise_tls() { # enrol-dir out-dir prefix
  local src="$1" out="$2" prefix="$3"
  mkdir -p "$out"
  cp "$src/signcerts/cert.pem" "$out/$prefix.crt"
  cp "$src"/keystore/*_sk "$out/$prefix.key"
  chmod 600 "$out/$prefix.key"
  cp "$src"/tlscacerts/*.pem "$out/ca.crt"
  rm -rf "$src"
}

# register_and_enroll <key> <port> <name> <type> <msp-dir> <attrs or ""> [csr hosts for a TLS cert]
# The TLS enrolment (profile tls: server and client authentication) goes to <dir>/tls: server.crt/.key for
# nodes, client.crt/.key for admins and users, who present it to peers and orderers (mutual TLS).
register_and_enroll() {
  local key="$1" port="$2" name="$3" type="$4" dir="$5" attrs="$6" hosts="${7:-}" secret
  # Already enrolled by an earlier `up` that stopped half-way: keep it, so `up` can simply be run again.
  if [ -f "$dir/msp/signcerts/cert.pem" ] && { [ -z "$hosts" ] || [ -d "$dir/tls" ]; }; then
    return 0
  fi
  secret="$(new_secret)"
  local args=(register --id.name "$name" --id.secret "$secret" --id.type "$type")
  [ -n "$attrs" ] && args+=(--id.attrs "$attrs")
  ca_client "$key" "$port" "${args[@]}"
  enroll "$key" "$port" "$name" "$secret" "$dir/msp"
  normalise_msp "$dir/msp" "$(ca_root "$key")"
  if [ -n "$hosts" ]; then
    enroll "$key" "$port" "$name" "$secret" "$dir/tls-enrol" --enrollment.profile tls --csr.hosts "$hosts"
    normalise_tls "$dir/tls-enrol" "$dir/tls" "$(case "$type" in admin | client) echo client ;; *) echo server ;; esac)"
  fi
}

# The organisation's MSP as the channel configuration sees it.
write_org_msp() { # key
  local msp="$CRYPTO/$1/msp"
  mkdir -p "$msp/cacerts" "$msp/tlscacerts"
  cp "$(ca_root "$1")" "$msp/cacerts/ca.pem"
  cp "$(ca_root "$1")" "$msp/tlscacerts/tlsca.pem"
  write_msp_config "$msp"
}

create_org_identities() { # key port domain role gln node-kind node-names...
  local key="$1" port="$2" domain="$3" role="$4" gln="$5" kind="$6"
  shift 6
  enroll "$key" "$port" admin "$(cat "$STATE/ca-$key.secret")" "$(ca_client_home "$key")/msp"
  write_org_msp "$key"
  local node
  for node in "$@"; do
    register_and_enroll "$key" "$port" "$node" "$kind" "$CRYPTO/$key/${kind}s/$node" "" "$node.$domain,localhost,127.0.0.1"
  done
  register_and_enroll "$key" "$port" "$key-admin" admin "$CRYPTO/$key/users/admin" "" "admin.$domain,localhost,127.0.0.1"
  if [ -n "$role" ]; then
    register_and_enroll "$key" "$port" "$key-user1" client "$CRYPTO/$key/users/user1" \
      "drugtrace.role=$role:ecert,drugtrace.gln=$gln:ecert" "user1.$domain"
    if [ "$role" = REGULATOR ]; then
      register_and_enroll "$key" "$port" "$key-resolver" client "$CRYPTO/$key/users/resolver" \
        "drugtrace.role=RESOLVER:ecert,drugtrace.gln=$gln:ecert" "resolver.$domain"
    fi
  fi
}

# The chaincode service and the peers that call it talk mutual TLS: a server certificate for the service and
# a client certificate the peers present (both from the orderer organisation's CA, the network's operator).
create_chaincode_tls() { # ca-port domain
  local port="$1" domain="$2"
  register_and_enroll "$ORDERER_KEY" "$port" chaincode peer "$(chaincode_tls_dir)/server" "" \
    "chaincode.$domain,localhost,127.0.0.1"
  register_and_enroll "$ORDERER_KEY" "$port" chaincode-client client "$(chaincode_tls_dir)/client" "" \
    "chaincode-client.$domain"
}

create_crypto() {
  log "starting one Fabric CA per organisation and enrolling identities"
  local key msp role ca_port peer_port domain gln
  start_ca "$ORDERER_KEY" "$(cfg get ordererOrg.caPort)" "$(cfg get ordererOrg.domain)"
  while read -r key msp role ca_port peer_port _ _ domain gln; do
    start_ca "$key" "$ca_port" "$domain"
  done < <(cfg orgs)
  wait_ca "$ORDERER_KEY" "$(cfg get ordererOrg.caPort)"
  # shellcheck disable=SC2046
  create_org_identities "$ORDERER_KEY" "$(cfg get ordererOrg.caPort)" "$(cfg get ordererOrg.domain)" "" "" orderer \
    $(cfg orderers | cut -d' ' -f1)
  create_chaincode_tls "$(cfg get ordererOrg.caPort)" "$(cfg get ordererOrg.domain)"
  while read -r key msp role ca_port peer_port _ _ domain gln; do
    wait_ca "$key" "$ca_port"
    create_org_identities "$key" "$ca_port" "$domain" "$role" "$gln" peer peer0
  done < <(cfg orgs)
}
