#!/usr/bin/env bash
# ensure-postgres.sh: print the URL of a reachable PostgreSQL test database on stdout and exit 0,
# or print why there is none on stderr (one line) and exit 1.
#
# Order: $TEST_DATABASE_URL if set; a server already answering on 127.0.0.1:5432; an installed
# Debian/Ubuntu cluster started with pg_ctlcluster; as root with apt-get (unless BOUNDARY_BOT_NO_APT=1),
# `apt-get install postgresql`. Creates database boundary_bot_test if absent. Idempotent and quiet.
set -u

HOST=127.0.0.1
PORT=5432
DB=boundary_bot_test
URL="postgresql://postgres@${HOST}:${PORT}/${DB}"
NOTES=""
export PGCONNECT_TIMEOUT=5

note() { NOTES="${NOTES:+$NOTES; }$*"; }
fail() { echo "ensure-postgres: $*${NOTES:+ ($NOTES)}" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
is_root() { [ "$(id -u)" = 0 ]; }

if [ -n "${TEST_DATABASE_URL:-}" ]; then
    printf '%s\n' "$TEST_DATABASE_URL"
    exit 0
fi

ready() { have pg_isready && pg_isready -h "$HOST" -p "$PORT" -q >/dev/null 2>&1; }

wait_ready() {
    local i
    for i in $(seq 1 30); do
        ready && return 0
        sleep 1
    done
    return 1
}

cluster_version() { ls /etc/postgresql 2>/dev/null | sort -V | head -n 1; }

start_cluster() {
    local version
    have pg_ctlcluster || { note "pg_ctlcluster not found"; return 1; }
    version=$(cluster_version)
    if [ -z "$version" ]; then
        # Installed without a cluster (create_main_cluster = false): create one, as root only.
        version=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)
        if [ -z "$version" ] || ! is_root || ! pg_createcluster "$version" main >/dev/null 2>&1; then
            note "no PostgreSQL cluster under /etc/postgresql"
            return 1
        fi
    fi
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
    wait_ready && return 0
    note "could not start cluster $version/main$(is_root || echo " (pg_ctlcluster needs root or the postgres user)")"
    return 1
}

install_postgres() {
    local log
    if [ "${BOUNDARY_BOT_NO_APT:-}" = 1 ]; then note "apt install disabled by BOUNDARY_BOT_NO_APT=1"; return 1; fi
    if ! is_root; then note "not root, so no apt install"; return 1; fi
    if ! have apt-get; then note "apt-get not available"; return 1; fi
    log=$(mktemp)
    if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >"$log" 2>&1; then
        note "apt-get install postgresql failed: $(grep -v '^\s*$' "$log" | tail -n 1)"
        rm -f "$log"
        return 1
    fi
    rm -f "$log"
}

psql_admin() { psql -h "$HOST" -p "$PORT" -U postgres -d postgres -w -X -q -t -A "$@"; }

LAST_ERROR=""
ensure_database() {
    local exists
    have psql || { LAST_ERROR="psql not found"; return 1; }
    exists=$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB'" 2>&1) \
        || { LAST_ERROR=$(printf '%s' "$exists" | tail -n 1); return 1; }
    [ "$exists" = 1 ] && return 0
    # A concurrent run may create it first: accept "already exists".
    psql_admin -c "CREATE DATABASE $DB" >/dev/null 2>&1 && return 0
    exists=$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB'" 2>/dev/null)
    [ "$exists" = 1 ] && return 0
    LAST_ERROR="could not create database $DB"
    return 1
}

# Debian's pg_hba.conf asks for a password on TCP. As root, on a local cluster, add passwordless
# loopback entries for the postgres user (once) and reload; later runs then connect directly.
trust_loopback() {
    local version hba tmp
    is_root || return 1
    version=$(cluster_version)
    hba="/etc/postgresql/$version/main/pg_hba.conf"
    [ -n "$version" ] && [ -f "$hba" ] || return 1
    if ! grep -Eq '^host[[:space:]]+all[[:space:]]+postgres[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
        tmp=$(mktemp) || return 1
        {
            echo "# boundary-bot scripts/ensure-postgres.sh: passwordless loopback TCP for the postgres user (tests)"
            echo "host all postgres 127.0.0.1/32 trust"
            echo "host all postgres ::1/128 trust"
            cat "$hba"
        } >"$tmp" && cat "$tmp" >"$hba"
        rm -f "$tmp"
    fi
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload >/dev/null 2>&1 || return 1
    sleep 1
}

finish() {
    if ensure_database || { trust_loopback && ensure_database; }; then
        printf '%s\n' "$URL"
        exit 0
    fi
    fail "PostgreSQL answers on $HOST:$PORT but connecting as postgres without a password failed: $LAST_ERROR"
}

ready && finish
if start_cluster; then finish; fi
if install_postgres; then
    start_cluster && finish
    fail "installed postgresql but no server answers on $HOST:$PORT"
fi
if have pg_isready; then
    fail "no PostgreSQL server answers on $HOST:$PORT"
else
    fail "PostgreSQL is not installed (pg_isready not found)"
fi
