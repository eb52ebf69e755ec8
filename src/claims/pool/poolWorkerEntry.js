// Worker entry of `verify --jobs`: registers tsx's loader in the worker thread (user claim modules may be TypeScript),
// then runs the worker body: the TypeScript source in a checkout, the compiled file in an installed package.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const source = new URL('./poolWorker.ts', import.meta.url);
await import(existsSync(fileURLToPath(source)) ? source.href : new URL('./poolWorker.js', import.meta.url).href);
