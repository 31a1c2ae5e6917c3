#!/usr/bin/env bash
# Development TLS for Tollgate: a local CA and certificates for api.profix-it.nl, api.profix-it.be
# (with *.profix-it.be) and localhost, written to conf/tls/ (or the directory given), for
# conf/tollgate-tls.yaml. Never for production: the CA key sits beside the certificates.
#   conf/dev-tls.sh [DIR]
set -euo pipefail
dir=${1:-"$(dirname "$0")/tls"}
mkdir -p "$dir"
chmod 700 "$dir"
cd "$dir"
umask 077 # private keys are readable by their owner alone, from the moment they exist

if [[ ! -f ca.crt ]]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 825 \
    -subj "/CN=Tollgate development CA" -keyout ca.key -out ca.crt \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null
fi

# leaf NAME SAN...: an ECDSA P-256 key and a certificate (followed by the CA: a PEM chain)
leaf() {
  local name=$1; shift
  local san="subjectAltName=" sep=""
  for n in "$@"; do
    if [[ $n =~ ^[0-9.]+$ ]]; then san+="${sep}IP:$n"; else san+="${sep}DNS:$n"; fi
    sep=","
  done
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$1" \
    -keyout "$name.key" -out "$name.csr" 2>/dev/null
  printf '%s\nextendedKeyUsage=serverAuth\n' "$san" > "$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -set_serial "0x$(openssl rand -hex 8)" \
    -days 90 -extfile "$name.ext" -out "$name.leaf" 2>/dev/null
  cat "$name.leaf" ca.crt > "$name.crt"
  rm -f "$name.csr" "$name.ext" "$name.leaf"
}

leaf default localhost 127.0.0.1
leaf nl api.profix-it.nl
leaf be api.profix-it.be '*.profix-it.be'
chmod 600 ./*.key
chmod 644 ./*.crt
echo "dev-tls: CA and certificates in $(pwd) (ca.crt, default, nl, be; keys 0600)"
