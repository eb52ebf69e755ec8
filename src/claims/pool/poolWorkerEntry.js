// Worker entry: registers tsx's loader in the worker thread, then runs the TypeScript worker body.
import { register } from 'tsx/esm/api';

register();
await import('./poolWorker.ts');
