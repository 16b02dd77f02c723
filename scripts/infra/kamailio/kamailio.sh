#!/bin/bash
# Start or stop a throwaway Kamailio for WSE's SIP tests (loopback only, digest auth on).
#
#   kamailio.sh start DIR SIP_PORT WS_PORT [user:password | ~user:password | @FILE ...]
#       (@FILE: a file of user:password lines, blank lines and # comments skipped, so that the
#       passwords do not show in `ps`; ~user:password: a subscriber who is nobody's contact, whose
#       watching stays pending, for the tests of the pres-rules) creates DIR (sqlite db with the users, config, runtime files), starts kamailio in the
#       foreground in the background of this script, waits until it answers OPTIONS over UDP,
#       and prints "ready pid=<PID> sip=127.0.0.1:<SIP_PORT>". Exit 1 with the log tail on failure.
#       KAMAILIO_SHM_MB sets its shared memory (default 64 MB; 1,000 presentities need more).
#   kamailio.sh stop DIR
#       stops the kamailio whose PID is in DIR/kamailio.pid (by that PID) and waits for it to exit.
#
# Needs: apt-get install -y kamailio kamailio-presence-modules kamailio-websocket-modules \
#        kamailio-sqlite-modules sqlite3 python3
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

need() { command -v "$1" >/dev/null 2>&1 || { echo "kamailio.sh: '$1' not found; install with: apt-get install -y kamailio kamailio-presence-modules kamailio-websocket-modules kamailio-sqlite-modules sqlite3" >&2; exit 1; }; }

start() {
    local dir="$1" sip_port="$2" ws_port="$3"; shift 3
    need kamailio; need sqlite3; need python3
    mkdir -p "$dir/run"
    rm -f "$dir/kam.db"
    for table in standard usrloc presence auth_db; do
        sqlite3 "$dir/kam.db" < "/usr/share/kamailio/db_sqlite/$table-create.sql"
    done
    # Write-ahead logging (kept in the file): kamailio's processes share the db, and db_sqlite 5.6 sets
    # no busy timeout, so in the default journal mode a digest check (auth_db) that reads while presence
    # writes fails with "database is locked" and the user gets a second 407, as for a wrong password.
    # (Writers are serialized in kamailio.cfg.in, route[PRESENCE].)
    sqlite3 "$dir/kam.db" "PRAGMA journal_mode=WAL;" > /dev/null
    local pairs=() strangers=() line
    for argument in "$@"; do
        if [[ "$argument" == "~"* ]]; then
            pairs+=("${argument#"~"}")
            strangers+=("${argument#"~"}")
        elif [[ "$argument" == @* ]]; then
            [ -r "${argument#@}" ] || { echo "kamailio.sh: cannot read the users file ${argument#@}" >&2; exit 1; }
            while IFS= read -r line || [ -n "$line" ]; do
                [[ -z "${line// }" || "$line" == \#* ]] || pairs+=("$line")
            done < "${argument#@}"
        else
            pairs+=("$argument")
        fi
    done
    for pair in "${pairs[@]}"; do
        local user="${pair%%:*}" password="${pair#*:}"
        [[ "$pair" == *:* && -n "$user" && -n "$password" && "$pair" != *"'"* ]] || {
            echo "kamailio.sh: '$user…' is not user:password (no quotes)" >&2; exit 1; }
        sqlite3 "$dir/kam.db" "insert into subscriber(username,domain,password,ha1,ha1b) values('$user','127.0.0.1','$password','','');"
    done
    # Each user's pres-rules (RFC 5025, in the integrated XCAP server's table, doc_type 2): the other
    # provisioned users are allowed; any other watcher (a stranger too) stays pending (kamailio.cfg.in,
    # presence_xml). A stranger has no rules: every watcher of theirs is pending.
    local contacts=() pair
    for pair in "${pairs[@]}"; do
        [[ " ${strangers[*]} " == *" $pair "* ]] || contacts+=("$pair")
    done
    for pair in "${contacts[@]}"; do
        local owner="${pair%%:*}" others="" other
        for other in "${contacts[@]}"; do
            other="${other%%:*}"
            [ "$other" = "$owner" ] || others+="<cr:one id=\"sip:$other@127.0.0.1\"/>"
        done
        local rules="<?xml version=\"1.0\" encoding=\"UTF-8\"?><cr:ruleset xmlns=\"urn:ietf:params:xml:ns:pres-rules\" xmlns:cr=\"urn:ietf:params:xml:ns:common-policy\"><cr:rule id=\"contacts\"><cr:conditions><cr:identity>$others</cr:identity></cr:conditions><cr:actions><sub-handling>allow</sub-handling></cr:actions><cr:transformations><provide-services><all-services/></provide-services><provide-persons><all-persons/></provide-persons><provide-devices><all-devices/></provide-devices><provide-all-attributes/></cr:transformations></cr:rule></cr:ruleset>"
        sqlite3 "$dir/kam.db" "insert into xcap(username,domain,doc,doc_type,etag,source,doc_uri,port) values('$owner','127.0.0.1','$rules',2,'rules-$owner',1,'/pres-rules/users/sip:$owner@127.0.0.1/index',0);"
    done
    sed -e "s|@DB@|$dir/kam.db|g" -e "s|@RUNDIR@|$dir/run|g" -e "s|@SIPPORT@|$sip_port|g" -e "s|@WSPORT@|$ws_port|g" \
        "$HERE/kamailio.cfg.in" > "$dir/kamailio.cfg"
    kamailio -c -f "$dir/kamailio.cfg" -Y "$dir/run" > "$dir/check.log" 2>&1 || { echo "config check failed:"; tail -20 "$dir/check.log"; exit 1; }
    # The caller (a test runner) may have signals blocked, which children inherit: clear the
    # signal mask so that kamailio obeys SIGTERM.
    python3 -c 'import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execvp(sys.argv[1], sys.argv[1:])' \
        kamailio -DD -E -f "$dir/kamailio.cfg" -Y "$dir/run" -m "${KAMAILIO_SHM_MB:-64}" -M 8 > "$dir/kamailio.log" 2>&1 < /dev/null &
    echo $! > "$dir/kamailio.pid"
    if ! python3 "$HERE/sip_ping.py" 127.0.0.1 "$sip_port" 10; then
        echo "kamailio did not answer OPTIONS on 127.0.0.1:$sip_port within 10 s; log:"
        tail -20 "$dir/kamailio.log"
        stop "$dir"
        exit 1
    fi
    echo "ready pid=$(cat "$dir/kamailio.pid") sip=127.0.0.1:$sip_port ws=127.0.0.1:$ws_port"
}

stop() {
    local dir="$1" pid
    [ -f "$dir/kamailio.pid" ] || return 0
    pid="$(cat "$dir/kamailio.pid")"
    if kill "$pid" 2>/dev/null; then
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
        # still there after 5 s: force it (its children exit with it)
        if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    fi
    rm -f "$dir/kamailio.pid"
}

case "${1:-}" in
    start) shift; [ $# -ge 3 ] || { echo "usage: $0 start DIR SIP_PORT WS_PORT [user:password | ~user:password | @FILE ...]" >&2; exit 2; }; start "$@" ;;
    stop) shift; [ $# -eq 1 ] || { echo "usage: $0 stop DIR" >&2; exit 2; }; stop "$1" ;;
    *) echo "usage: $0 start DIR SIP_PORT WS_PORT [user:password | ~user:password | @FILE ...] | stop DIR" >&2; exit 2 ;;
esac
