#!/bin/sh
# tests/kg.sh - `make test-kg`: loads a corpus run into Virtuoso and asks
# it questions over SPARQL. Starts virtuoso-t on loopback, on two free
# ports, with a temporary database and virtuoso.ini; bulk-loads the
# N-Triples of `nerq --format ntriples corpus/articles`; runs the
# queries of tests/kg_query.py over HTTP; stops the server. Ends with
# the line "N passed, N failed".
set -u
NERQ_BIN=${NERQ_BIN:-./nerq}
VIRTUOSO=${VIRTUOSO:-virtuoso-t}
ISQL=${ISQL:-isql-vt}
tmp=$(mktemp -d /tmp/nerq-kg.XXXXXX)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null
    i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
    kill -9 "$pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

fail() { echo "FAIL $*"; echo "0 passed, 1 failed"; exit 1; }

# Two free loopback ports (the kernel's choice, released just before use).
set -- $(/usr/bin/python3 -c '
import socket
ss = [socket.socket() for _ in range(2)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])')
sql_port=$1 http_port=$2

"$NERQ_BIN" --rules rules --format ntriples corpus/articles > "$tmp/corpus.nt" || fail "nerq --format ntriples"
echo "corpus: $(wc -l < "$tmp/corpus.nt") triples"

mkdir -p "$tmp/db" "$tmp/vsp"
cat > "$tmp/virtuoso.ini" <<INI
[Database]
DatabaseFile    = $tmp/db/virtuoso.db
ErrorLogFile    = $tmp/db/virtuoso.log
LockFile        = $tmp/db/virtuoso.lck
TransactionFile = $tmp/db/virtuoso.trx
xa_persistent_file = $tmp/db/virtuoso.pxa
FileExtend      = 200
TempStorage     = TempDatabase
[TempDatabase]
DatabaseFile    = $tmp/db/virtuoso-temp.db
TransactionFile = $tmp/db/virtuoso-temp.trx
[Parameters]
ServerPort      = 127.0.0.1:$sql_port
DisableUnixSocket = 1
MaxClientConnections = 4
CheckpointInterval = 0
DirsAllowed     = ., $tmp
NumberOfBuffers = 4000
MaxDirtyBuffers = 3000
ThreadsPerQuery = 1
[HTTPServer]
ServerPort      = 127.0.0.1:$http_port
ServerRoot      = $tmp/vsp
MaxClientConnections = 4
ServerThreads   = 4
[SPARQL]
ResultSetMaxRows = 10000
MaxQueryExecutionTime = 60
INI

(cd "$tmp/db" && exec "$VIRTUOSO" +configfile "$tmp/virtuoso.ini" +foreground > "$tmp/server.out" 2>&1) &
pid=$!
isql() { "$ISQL" "127.0.0.1:$sql_port" dba dba "$@"; }
i=0
until isql exec="status();" > /dev/null 2>&1; do
  i=$((i + 1))
  if [ $i -gt 150 ] || ! kill -0 "$pid" 2>/dev/null; then
    tail -20 "$tmp/db/virtuoso.log" 2>/dev/null; cat "$tmp/server.out"; fail "virtuoso did not start"
  fi
  sleep 0.2
done
echo "virtuoso up on 127.0.0.1:$sql_port (SQL) and 127.0.0.1:$http_port (HTTP)"

isql exec="ld_dir('$tmp', 'corpus.nt', 'urn:nerq:test'); rdf_loader_run(); checkpoint;" > "$tmp/load.out" 2>&1 ||
  { cat "$tmp/load.out"; fail "bulk load"; }
isql exec="SELECT ll_state, ll_error FROM DB.DBA.load_list;" > "$tmp/state.out" 2>&1
grep -q "^2 *NULL" "$tmp/state.out" || { cat "$tmp/state.out"; fail "load_list reports an error"; }

/usr/bin/python3 tests/kg_query.py "http://127.0.0.1:$http_port/sparql" "urn:nerq:test" "$tmp/corpus.nt"
rc=$?
isql exec="shutdown();" > /dev/null 2>&1
i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
exit $rc
