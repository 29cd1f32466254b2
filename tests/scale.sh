#!/bin/sh
# tests/scale.sh - `make test-scale`: nerq across processes and "hosts",
# each run checked byte for byte against one plain run over the same JSONL:
#  - GNU parallel --pipe -k on one host (the documented --block 10M, and a
#    small block so that many jobs really run);
#  - GNU parallel --sshlogin on two "hosts": a test-started sshd on
#    127.0.0.1 (temporary config, generated host and user keys, its own
#    port), the nerq binary and the rules sent along with --basefile;
#  - Dask distributed: a LocalCluster of 2 worker processes mapping the
#    Python binding over partitions of the JSONL (tests/scale_dask.py).
# Stops every server it started. Ends with "N passed, N failed".
. tests/lib.sh
PY=${PYTHON:-/usr/bin/python3}
ROOT=$PWD
SSHD_PID=

stop_sshd() { [ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null && wait "$SSHD_PID" 2>/dev/null; SSHD_PID=; }
trap 'stop_sshd; rm -rf "$T"' EXIT
trap 'exit 1' INT TERM

# -- the input: every corpus article and gold document, three times, each
#    line with its own id (a line without one would be named by its line
#    number, which differs between chunks)
"$PY" - "$T/in.jsonl" <<'PYEOF'
import json, os, sys
items = []
for name in sorted(os.listdir("corpus/articles")):
    if name.endswith(".txt"):
        with open("corpus/articles/" + name, encoding="utf-8", errors="replace") as f:
            items.append({"id": name, "text": f.read(), "src": "corpus"})
for rel in ("corpus/gold/gum_dev.jsonl", "corpus/gold/quotes_key.jsonl"):
    with open(rel, encoding="utf-8") as f:
        items += [json.loads(l) for l in f if l.strip()]
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for rep in range(3):
        for i, it in enumerate(items):
            it = dict(it, id="%s#%d" % (it["id"], rep))
            out.write(json.dumps(it, ensure_ascii=False) + "\n")
PYEOF
NLINES=$(wc -l <"$T/in.jsonl" | tr -d ' ')
"$NERQ" --rules "$RULES" -q --input jsonl "$T/in.jsonl" >"$T/one.jsonl"; RC=$?
check single-run rc_is 0
check single-run-all-records lines "$T/one.jsonl" "$NLINES"
echo "input: $NLINES documents, $(wc -c <"$T/in.jsonl" | tr -d ' ') bytes"

NERQ_ABS=$(cd "$(dirname "$NERQ")" && pwd)/$(basename "$NERQ")
CMD="$NERQ_ABS --rules $ROOT/$RULES -q -j 1 --input jsonl"

# -- GNU parallel on one host
parallel --pipe -k --block 10M $CMD <"$T/in.jsonl" >"$T/p10m.jsonl" 2>"$T/p.err"; RC=$?
check parallel-10M rc_is 0
check parallel-10M-identical cmp -s "$T/one.jsonl" "$T/p10m.jsonl"
parallel --pipe -k --block 50k -j 2 $CMD <"$T/in.jsonl" >"$T/p50k.jsonl" 2>"$T/p.err"; RC=$?
check parallel-small-blocks rc_is 0
check parallel-small-blocks-identical cmp -s "$T/one.jsonl" "$T/p50k.jsonl"
JOBS=$(parallel --pipe -k --block 50k -j 2 wc -l <"$T/in.jsonl" | wc -l | tr -d ' ')
echo "parallel: --block 50k gave $JOBS jobs"
check parallel-several-jobs sh -c "[ $JOBS -gt 4 ]"

# -- two "hosts" through a test-started sshd on loopback
SSHD=/usr/sbin/sshd
mkdir -p "$T/ssh" "$T/remote" && chmod 700 "$T/ssh"
ssh-keygen -q -t ed25519 -N '' -f "$T/ssh/host_key" && ssh-keygen -q -t ed25519 -N '' -f "$T/ssh/id"
cp "$T/ssh/id.pub" "$T/ssh/authorized_keys" && chmod 600 "$T/ssh/authorized_keys"
[ -d /run/sshd ] || mkdir -p /run/sshd # privilege-separation directory sshd requires
USER_NAME=$(id -un)
start_sshd() { # $1 = port
  cat >"$T/ssh/sshd_config" <<CONF
Port $1
ListenAddress 127.0.0.1
HostKey $T/ssh/host_key
PidFile $T/ssh/sshd.pid
AuthorizedKeysFile $T/ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
AllowUsers $USER_NAME
StrictModes no
UsePAM no
PrintMotd no
LogLevel ERROR
CONF
  "$SSHD" -D -e -f "$T/ssh/sshd_config" 2>>"$T/ssh/sshd.log" &
  SSHD_PID=$!
}
PORT=
for try in 1 2 3 4 5 6 7 8; do
  p=$((20000 + ($$ * 7 + try * 997) % 40000))
  start_sshd "$p"
  cat >"$T/ssh/config" <<CONF
Host nerq-host-1 nerq-host-2
  HostName 127.0.0.1
  Port $p
  User $USER_NAME
  IdentityFile $T/ssh/id
  IdentitiesOnly yes
  UserKnownHostsFile $T/ssh/known_hosts
  StrictHostKeyChecking accept-new
  BatchMode yes
  ConnectTimeout 5
CONF
  ok=
  for wait in 1 2 3 4 5 6 7 8 9 10; do
    if ssh -F "$T/ssh/config" nerq-host-1 true 2>/dev/null; then ok=1; break; fi
    kill -0 "$SSHD_PID" 2>/dev/null || break
    sleep 0.3
  done
  if [ -n "$ok" ]; then PORT=$p; break; fi
  stop_sshd
done
check sshd-started nonempty "$PORT"
echo "sshd: 127.0.0.1:$PORT (pid $SSHD_PID)"
check ssh-two-hosts sh -c "ssh -F '$T/ssh/config' nerq-host-2 echo hi | grep -q hi"

# The binary and the rules go along as base files into each host's work
# directory (the two hosts share this machine, so one directory).
cp "$NERQ_ABS" "$T/remote/nerq" && cp -R "$RULES" "$T/remote/rules"
SSHCMD="ssh -F $T/ssh/config"
(cd "$T/remote" && parallel --pipe -k --block 50k --ssh "$SSHCMD" \
   -S 1/nerq-host-1 -S 1/nerq-host-2 --workdir "$T/work" --joblog "$T/ssh.joblog" \
   --basefile nerq --basefile rules \
   ./nerq --rules rules -q -j 1 --input jsonl) <"$T/in.jsonl" >"$T/ssh.jsonl" 2>"$T/ssh.err"; RC=$?
check parallel-ssh rc_is 0
[ "$RC" -eq 0 ] || tail -n 20 "$T/ssh.err"
check parallel-ssh-identical cmp -s "$T/one.jsonl" "$T/ssh.jsonl"
check basefiles-transferred test -x "$T/work/nerq" -a -f "$T/work/rules/entities.rules"
HOSTS=$(awk -F '\t' 'NR > 1 { print $2 }' "$T/ssh.joblog" | sort | uniq -c | tr -s ' ' | tr '\n' ';')
echo "ssh jobs per host:$HOSTS"
check ssh-both-hosts-used sh -c "echo '$HOSTS' | grep -q nerq-host-1 && echo '$HOSTS' | grep -q nerq-host-2"
stop_sshd
check sshd-stopped sh -c "! kill -0 \$(cat '$T/ssh/sshd.pid' 2>/dev/null || echo 999999) 2>/dev/null"

# -- Dask distributed: 2 worker processes, the binding over partitions
PYTHONPATH="$ROOT/python${PYTHONPATH:+:$PYTHONPATH}" NERQ_LIB=${NERQ_LIB:-$ROOT/build/libnerq.so.0} \
  "$PY" tests/scale_dask.py "$T/in.jsonl" "$T/dask.jsonl" "$ROOT/$RULES" >"$T/dask.out" 2>"$T/dask.err"; RC=$?
check dask rc_is 0
[ "$RC" -eq 0 ] || tail -n 20 "$T/dask.err"
cat "$T/dask.out"
check dask-two-workers has "$T/dask.out" "workers 2 "
check dask-several-partitions sh -c "grep -q 'partitions [2-9]' '$T/dask.out'"
check dask-identical cmp -s "$T/one.jsonl" "$T/dask.jsonl"
summary
