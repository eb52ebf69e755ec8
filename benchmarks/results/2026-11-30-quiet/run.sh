#!/bin/bash
# Quiet-window measurements for issue 12 (run when no helper is working). Output: .scratch/q-*.{json,txt}
cd "$(dirname "$0")/../../.."
unset OPENBLAS_CORETYPE
out=benchmarks/results/2026-11-30-quiet
uptime > $out/q-uptime-start.txt
/usr/bin/time -v node bin/aecheck.js bench --json --kernel gemm --sizes 512 --backend openblas openblas:f32 wasm auto > $out/q-gemm.json 2> $out/q-gemm.err
uptime >> $out/q-uptime-start.txt
npx tsx benchmarks/shevchenko2023/pgd.bench.ts --json --backend auto > $out/q-pgd.json 2> $out/q-pgd.err
uptime >> $out/q-uptime-start.txt
npx tsx benchmarks/persianrug2024/train.bench.ts --json > $out/q-train.json 2> $out/q-train.err
uptime >> $out/q-uptime-start.txt
npx tsx benchmarks/refinetti2022/sgd.bench.ts --json > $out/q-sgd.json 2> $out/q-sgd.err
uptime >> $out/q-uptime-start.txt
npx tsx benchmarks/refinetti2022/ode.bench.ts --json > $out/q-ode.json 2> $out/q-ode.err
uptime >> $out/q-uptime-start.txt
echo done >> $out/q-uptime-start.txt
