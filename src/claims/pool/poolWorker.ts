/** The body of a `verify --jobs N` worker thread: runs the tasks it is sent, one at a time, and posts each result. */
import { parentPort } from 'node:worker_threads';
import { type ClaimTask, runTask } from './runTask.ts';

if (!parentPort) throw new Error('poolWorker.ts must run in a worker thread');
const port = parentPort;
port.on('message', async (task: ClaimTask) => {
  try {
    port.postMessage({ index: task.index, result: await runTask(task) });
  } catch (e) {
    port.postMessage({ index: task.index, crash: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
