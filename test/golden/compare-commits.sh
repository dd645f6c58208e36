#!/bin/bash
# Golden results across commits: runs the same backtest on two commits and compares what it wrote.
#   test/golden/compare-commits.sh <base-ref> [<ref>, default HEAD] [backtest arguments...]
# Default arguments: none (`npm start`'s embedded backtest). Each commit is exported (git archive) into a
# temporary folder sharing this checkout's node_modules. Compared: the printed table (without the timing
# line), results.json (without generated_at), trades.csv, report.html, and every run store's contents as
# a reader sees them (test/golden/dump-store.ts). Exit 0 when all are identical, 1 otherwise.
set -u
repo=$(git rev-parse --show-toplevel)
base=${1:?usage: compare-commits.sh <base-ref> [<ref>] [backtest args...]}
head=${2:-HEAD}
shift $(( $# >= 2 ? 2 : 1 ))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for side in base head; do
  ref=$([ $side = base ] && echo "$base" || echo "$head")
  mkdir -p "$work/$side/tree"
  git -C "$repo" archive "$ref" | tar -x -C "$work/$side/tree"
  ln -s "$repo/node_modules" "$work/$side/tree/node_modules"
  (cd "$work/$side/tree" && node src/cli/bin.js backtest --no-progress "$@" --out "$work/$side/out" > "$work/$side/stdout.txt" 2>&1) || { echo "$side ($ref): backtest failed"; tail "$work/$side/stdout.txt"; exit 1; }
  echo "$side ($ref): $(tail -1 "$work/$side/stdout.txt")"
done
same() { if "$@" > /dev/null; then echo "same: $label"; else echo "DIFFERENT: $label"; status=1; fi; }
label=table; same diff <(grep -v '^report:' "$work/base/stdout.txt") <(grep -v '^report:' "$work/head/stdout.txt")
label=results.json; same diff <(grep -v generated_at "$work/base/out/results.json") <(grep -v generated_at "$work/head/out/results.json")
label=trades.csv; same cmp "$work/base/out/trades.csv" "$work/head/out/trades.csv"
label=report.html; same cmp "$work/base/out/report.html" "$work/head/out/report.html"
for store in "$work"/base/out/stores/*.sqlite; do
  name=$(basename "$store")
  label="store $name"; same diff <(npx --prefix "$repo" tsx "$repo/test/golden/dump-store.ts" "$store") <(npx --prefix "$repo" tsx "$repo/test/golden/dump-store.ts" "$work/head/out/stores/$name")
done
exit $status
