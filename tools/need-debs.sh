#!/bin/sh
# tools/need-debs.sh CHECK-COMMAND PKG... - installs the Debian packages
# PKG... when CHECK-COMMAND (a shell command) fails: as root with apt-get,
# else through sudo, else prints the command to run and fails. Used by the
# Makefile's deps targets (python, test-scale).
check=$1; shift
sh -c "$check" >/dev/null 2>&1 && exit 0
echo "nerq: installing $*"
if [ "$(id -u)" = 0 ]; then apt-get install -y -qq -o DPkg::Lock::Timeout=600 "$@" ||
  { apt-get update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=600 "$@"; }
elif command -v sudo >/dev/null; then sudo apt-get install -y -qq "$@"
else echo "nerq: run: sudo apt-get install -y $*"; exit 1; fi
sh -c "$check" >/dev/null 2>&1 || { echo "nerq: still missing after install: $*"; exit 1; }
