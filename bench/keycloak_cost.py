#!/usr/bin/env python3
"""Prints the argon2 cost of the demo user's stored password in Keycloak; fails unless it equals
the expected one (so that the password-grant comparison runs at the same cost as Tollgate's).
Usage: keycloak_cost.py BASE_URL MEMORY_KIB ITERATIONS PARALLELISM"""
import json
import sys
import urllib.parse
import urllib.request

base, memory, iterations, parallelism = sys.argv[1], *map(int, sys.argv[2:5])


def call(path, data=None, token=None):
    headers = {"Authorization": "Bearer " + token} if token else {}
    body = urllib.parse.urlencode(data).encode() if data else None
    with urllib.request.urlopen(urllib.request.Request(base + path, body, headers), timeout=30) as r:
        return json.load(r)


admin = call("/realms/master/protocol/openid-connect/token",
             {"grant_type": "password", "client_id": "admin-cli", "username": "admin", "password": "admin"})["access_token"]
user = call("/admin/realms/tollgate/users?exact=true&username=" + urllib.parse.quote("demo@profix-it.nl"), token=admin)[0]
credential = next(c for c in call(f"/admin/realms/tollgate/users/{user['id']}/credentials", token=admin)
                  if c["type"] == "password")
data = json.loads(credential["credentialData"])
params = data.get("additionalParameters", {})
found = (data.get("algorithm"), params.get("type", ["?"])[0], int(params.get("memory", ["0"])[0]),
         int(data.get("hashIterations", 0)), int(params.get("parallelism", ["0"])[0]))
print("keycloak password hash: algorithm=%s type=%s memoryKiB=%d iterations=%d parallelism=%d" % found)
sys.exit(0 if found == ("argon2", "id", memory, iterations, parallelism) else 1)
