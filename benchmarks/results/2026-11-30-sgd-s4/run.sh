#!/bin/bash
# Online-SGD bench for issue 12, before and after the session-4 speed-ups, side by side under load (other helpers'
# jobs on the 2 cores). BEFORE is a checkout of commit 37c3068 (the code before this work) with this repository's
# node_modules; the two benches run one after the other (after, then before) so that both see much the same load.
# Output: this folder. Only round 1 was run on 2026-11-30 (the loop was stopped after it: each bench took 4.5-5.5 min
# of wall time at load 14-19).
# Usage: benchmarks/results/2026-11-30-sgd-s4/run.sh /path/to/before-checkout
set -u
before=$1
cd "$(dirname "$0")/../../.."
out=$PWD/benchmarks/results/2026-11-30-sgd-s4
unset OPENBLAS_CORETYPE
for round in 1 2; do
  uptime >> $out/uptime.txt
  nice -n 10 /usr/bin/time -v npx tsx benchmarks/refinetti2022/sgd.bench.ts --json > $out/after-$round.json 2> $out/after-$round.err
  uptime >> $out/uptime.txt
  (cd "$before" && nice -n 10 /usr/bin/time -v npx tsx benchmarks/refinetti2022/sgd.bench.ts --json) > $out/before-$round.json 2> $out/before-$round.err
done
uptime >> $out/uptime.txt
echo done >> $out/uptime.txt
