#!/usr/bin/env sh
# One ES256 signing key for every instance: PKCS#8 private key followed by its public key.
set -eu
cd "$(dirname "$0")"
mkdir -p keys
[ -f keys/k1.pem ] && { echo "keys/k1.pem exists; not overwriting"; exit 0; }
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out keys/k1.pem
openssl pkey -in keys/k1.pem -pubout >> keys/k1.pem
chmod 644 keys/k1.pem   # read by the container's non-root user
echo "wrote deploy/keys/k1.pem"
