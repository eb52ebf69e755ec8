// Worker entry of `verify --jobs`: runs the worker body, the TypeScript source in a checkout (through tsx's loader), the
// compiled file in an installed package or a built checkout. tsx's loader costs about a second of CPU per worker
// (measured: importing the compiled runner took 1.1 CPU s without it, 2.4 s with it), so the compiled path registers
// it only when the run loads TypeScript claim modules (`--claims my.ts`: workerData.typescriptModules).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { workerData } from 'node:worker_threads';

const source = new URL('./poolWorker.ts', import.meta.url);
const fromSource = existsSync(fileURLToPath(source));
if (fromSource || workerData?.typescriptModules === true) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(fromSource ? source.href : new URL('./poolWorker.js', import.meta.url).href);
