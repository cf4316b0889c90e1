// The worker side of thread-pool.ts: answers each job with the handler's result or its error
// message, and closes on 'close'. Plain JavaScript, so any worker script can use it.
import { parentPort } from 'node:worker_threads';

export function serveJobs(handle, onClose = () => undefined) {
  parentPort.on('message', (message) => {
    if (message === 'close') {
      onClose();
      parentPort.close();
      return;
    }
    try {
      parentPort.postMessage({ id: message.id, ok: true, result: handle(message.input) });
    } catch (error) {
      parentPort.postMessage({ id: message.id, ok: false, message: error instanceof Error ? error.message : String(error) });
    }
  });
}
