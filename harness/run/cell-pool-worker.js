// A worker thread of `runCellPool` (harness/run/cell-pool.ts). It registers the TypeScript loader
// (a worker does not inherit the one its parent registered), imports the task module named in
// `workerData.module`, creates its runner once with `workerData.init` (`createCellRunner(init)`),
// then runs the tasks it is sent, one at a time, answering each with its result or its error (and,
// while it runs, with what the task reports as progress).
// Plain JavaScript: it runs before the loader is registered.
import { parentPort, workerData } from 'node:worker_threads';

const { register } = await import('tsx/esm/api');
register();
const module = await import(workerData.module);
const runner = module.createCellRunner(workerData.init);

/** An error as data: its name, message, code and located issues survive the thread boundary. */
function serialise(error) {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), code: null, issues: null, stack: null };
  return {
    name: error.name,
    message: error.message,
    code: typeof error.code === 'string' ? error.code : null,
    issues: Array.isArray(error.issues) ? error.issues : null,
    stack: error.stack ?? null,
  };
}

parentPort.on('message', async (message) => {
  if (message.kind === 'close') {
    parentPort.close();
    return;
  }
  try {
    const report = (progress) => parentPort.postMessage({ kind: 'progress', index: message.index, progress });
    const result = await runner.run(message.task, report);
    parentPort.postMessage({ index: message.index, result, error: null });
  } catch (error) {
    parentPort.postMessage({ index: message.index, result: null, error: serialise(error) });
  }
});
parentPort.postMessage({ kind: 'ready' });
