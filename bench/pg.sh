# shellcheck shell=bash
# The embedded PostgreSQL of a Tollgate the bench started. Run as root, its cluster lives in
# /var/lib/tollgate-pg/<id>, not in the data directory (README, "The two commands"): the pid file is
# found through the path Tollgate logs, and a run forgets its cluster so that the next one starts
# from initdb again, as it did when the cluster lived in the data directory.

pg_pidfile() {  # TOLLGATE_LOG: prints the postmaster.pid of the cluster that log names
  local dir
  dir=$(sed -n 's/.*embedded PostgreSQL running on .* with data in //p' "$1" 2>/dev/null | tail -1)
  echo "${dir:-/nonexistent}/postmaster.pid"
}

forget_cluster() {  # DATA_DIR: removes the cluster kept for it under /var/lib/tollgate-pg, if any
  local real home
  real=$(readlink -f "$1" 2>/dev/null) || return 0
  for home in /var/lib/tollgate-pg/*/; do
    if [[ -f $home/data-dir && $(<"$home/data-dir") == "$real" ]]; then rm -rf "$home"; fi
  done
  return 0
}
