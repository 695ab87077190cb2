#!/bin/bash
# An archive-sized run through the command line: peak memory and CPU of each command.
#
#   benchmarks/archive.sh DIR [ARTICLES]     (default 100000; DIR must not exist)
#
# Generates DIR with benchmarks/newsroom.py (3 target locales), then runs extract, update,
# build and status as a cron job would, each a new process, twice: the first pass, and again
# with nothing changed. Prints one line per command: CPU seconds (user, system), wall seconds,
# and peak resident memory (maxrss, KiB), as /usr/bin/time reports them.
set -euo pipefail
dir=$1
articles=${2:-100000}
here=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$here/.venv/bin/python}
[ -e "$dir" ] && { echo "$dir exists" >&2; exit 2; }
/usr/bin/time -f "generate user %U sys %S wall %e maxrss_kb %M" "$python" "$here/benchmarks/newsroom.py" "$dir" --articles "$articles" >/dev/null
cd "$dir"
for pass in first again; do
  for command in extract update build status; do
    /usr/bin/time -f "$pass $command user %U sys %S wall %e maxrss_kb %M" \
      "$python" -c 'from translate_flow.cli import app; app()' "$command" >/dev/null 2>/tmp/archive-$$.err || true
    tail -1 /tmp/archive-$$.err
  done
done
rm -f /tmp/archive-$$.err
