#!/usr/bin/env bash
# Nightly fuzzing: every atheris target of benchmarks/fuzz_ingest.py for a bounded time,
# then a short report of the crashes found. Exit 0: none; 1: crashes (listed); 2: set-up problem.
#
#   benchmarks/fuzz_nightly.sh                 # 300 s per target (4 targets: ~21 min)
#   FUZZ_SECONDS=60 benchmarks/fuzz_nightly.sh # shorter
#   PYTHON=/path/to/python benchmarks/fuzz_nightly.sh
#
# atheris is not a Parallax dependency: `.venv/bin/pip install atheris==3.0.0` first.
# Each new kind of crash is kept (with --keep-going) as out/fuzz/<target>/finding-<sha1>
# plus finding-<sha1>.txt (its traceback); libFuzzer's own artifacts (crash-, timeout-,
# oom-, slow-unit-) land in the same folder. Replay one with
#   $PYTHON benchmarks/fuzz_ingest.py --target <target> out/fuzz/<target>/<file>
# The log of the run is out/fuzz/nightly-<UTC time>.log.
set -u -o pipefail

cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-300}"
python="${PYTHON:-.venv/bin/python}"
[ -x "$python" ] || python="$(command -v python3)"
case "$seconds" in ''|*[!0-9]*) echo "FUZZ_SECONDS must be a whole number of seconds" >&2; exit 2;; esac

if ! "$python" -c "import atheris" 2>/dev/null; then
    echo "atheris is not installed for $python: $python -m pip install atheris==3.0.0" >&2
    exit 2
fi

mkdir -p out/fuzz
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
log="out/fuzz/nightly-$stamp.log"
marker="$(mktemp)"
trap 'rm -f "$marker"' EXIT

echo "fuzzing every target for $seconds s each; log: $log" >&2
PYTHONPATH="src${PYTHONPATH:+:$PYTHONPATH}" HF_HUB_OFFLINE=1 \
    "$python" benchmarks/fuzz_ingest.py --keep-going --max-total-time "$seconds" >"$log" 2>&1
status=$?
grep '^== ' "$log" >&2

found=0
while IFS= read -r -d '' artifact; do
    found=$((found + 1))
    kind="$(head -n 1 "$artifact.txt" 2>/dev/null || basename "$artifact" | cut -d- -f1)"
    echo "CRASH  $artifact  ($kind)"
done < <(find out/fuzz -type f \( -name 'finding-*' -o -name 'crash-*' -o -name 'timeout-*' \
             -o -name 'oom-*' -o -name 'slow-unit-*' \) ! -name '*.txt' -newer "$marker" -print0 | sort -z)

if [ "$found" -gt 0 ]; then
    echo "$found crash input(s) found tonight; see $log" >&2
    exit 1
fi
if [ "$status" -ne 0 ]; then
    echo "the fuzzer stopped with exit $status but left no crash input; see $log" >&2
    exit 1
fi
echo "no crashes in $seconds s per target" >&2
