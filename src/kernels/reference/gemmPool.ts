/**
 * Splits large GEMMs between the main thread and worker threads (one per extra core), over SharedArrayBuffers. Every
 * entry of C is computed by exactly one thread with the same micro-kernel and summation order, so the result is
 * identical to the single-threaded one. The main thread blocks with Atomics.wait until the workers finish, which keeps
 * the kernel API synchronous. Workers are created lazily, unref'ed (they never keep the process alive), and skipped when
 * only one core is available or AECHECK_THREADS=1.
 */
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { threadCount } from '../threads.ts';
import { gemmTiles } from './gemmTiles.ts';

/** Below this many multiply-adds the round trip to a worker (~60 µs) is not worth it. */
export const PARALLEL_THRESHOLD = 1 << 22;

/** Control words in the shared Int32Array. */
const CTL_GO = 0;
const CTL_DONE = 1;
const CTL_WORDS = 2;

interface PoolWorker {
  worker: Worker;
  port: MessagePort;
  ctl: Int32Array;
}

let pool: PoolWorker[] | undefined;

function workerCount(): number {
  return Math.max(0, Math.min(threadCount(), 8) - 1);
}

function workerSource(): string {
  return `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const gemmTiles = ${gemmTiles.toString()};
const ctl = new Int32Array(workerData.ctl);
const port = workerData.port;
for (;;) {
  Atomics.wait(ctl, ${CTL_GO}, 0);
  Atomics.store(ctl, ${CTL_GO}, 0);
  const msg = receiveMessageOnPort(port);
  if (msg) {
    const j = msg.message;
    if (j.stop) break;
    gemmTiles(new Float64Array(j.a), new Float64Array(j.bt), new Float64Array(j.c), j.m, j.n, j.k, j.i0, j.i1, j.symmetric);
  }
  Atomics.store(ctl, ${CTL_DONE}, 1);
  Atomics.notify(ctl, ${CTL_DONE});
}`;
}

function getPool(): PoolWorker[] {
  if (pool) return pool;
  pool = [];
  for (let w = 0; w < workerCount(); w++) {
    const { port1, port2 } = new MessageChannel();
    const ctl = new Int32Array(new SharedArrayBuffer(CTL_WORDS * 4));
    const worker = new Worker(workerSource(), {
      eval: true,
      workerData: { ctl: ctl.buffer, port: port2 },
      transferList: [port2],
    });
    worker.unref();
    port1.unref();
    pool.push({ worker, port: port1, ctl });
  }
  return pool;
}

/** Copies into a Float64Array over a SharedArrayBuffer (workers can read it without a copy). */
function shared(src: Float64Array): Float64Array {
  if (src.buffer instanceof SharedArrayBuffer) return src;
  const out = new Float64Array(new SharedArrayBuffer(src.length * 8));
  out.set(src);
  return out;
}

/**
 * Computes C = A·Btᵀ (upper triangle only when symmetric) for packed A (m×k) and Bt (n×k) into a new array, splitting the
 * rows so every thread gets about the same number of multiply-adds.
 */
export function gemmRowsParallel(
  a: Float64Array,
  bt: Float64Array,
  m: number,
  n: number,
  k: number,
  symmetric: boolean,
): Float64Array {
  const workers = m * n * k >= PARALLEL_THRESHOLD ? getPool() : [];
  if (workers.length === 0) {
    const c = new Float64Array(m * n);
    gemmTiles(a, bt, c, m, n, k, 0, m, symmetric);
    return c;
  }
  const threads = workers.length + 1;
  // Row boundaries (multiples of 4) with equal work: uniform rows, or for the upper triangle Σ_{i<s}(n − i) = share.
  const bounds = [0];
  for (let t = 1; t < threads; t++) {
    const frac = t / threads;
    const s = symmetric ? m * (1 - Math.sqrt(1 - frac)) : m * frac;
    bounds.push(Math.min(m, Math.max(bounds[t - 1], Math.round(s / 4) * 4)));
  }
  bounds.push(m);
  const sa = shared(a);
  const sb = shared(bt);
  const sc = new Float64Array(new SharedArrayBuffer(Math.max(1, m * n) * 8)).subarray(0, m * n);
  workers.forEach((w, idx) => {
    w.port.postMessage({
      a: sa.buffer,
      bt: sb.buffer,
      c: sc.buffer,
      m,
      n,
      k,
      i0: bounds[idx + 1],
      i1: bounds[idx + 2],
      symmetric,
    });
    Atomics.store(w.ctl, CTL_DONE, 0);
    Atomics.store(w.ctl, CTL_GO, 1);
    Atomics.notify(w.ctl, CTL_GO);
  });
  gemmTiles(sa, sb, sc, m, n, k, bounds[0], bounds[1], symmetric);
  for (const w of workers) Atomics.wait(w.ctl, CTL_DONE, 0);
  return sc;
}
