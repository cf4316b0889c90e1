import { Worker } from 'node:worker_threads';

interface Thread<Out> {
  readonly worker: Worker;
  readonly pending: Map<number, { resolve: (result: Out) => void; reject: (error: Error) => void }>;
}

/**
 * A few worker threads running one job script (`thread-pool-worker.mjs` serves it): a job goes
 * to an idle thread, else a new one up to `size`, else the one with the fewest waiting. Threads
 * start on first use and do not keep the process alive while idle; a thread that dies fails its
 * waiting jobs and is replaced on the next job.
 */
export class ThreadPool<In, Out> {
  private threads: Thread<Out>[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly script: URL,
    private readonly size: number,
    private readonly workerData: unknown,
    /** What the threads do, for error messages ("a database reader"). */
    private readonly role: string,
  ) {}

  private start(): Thread<Out> {
    const worker = new Worker(this.script, { workerData: this.workerData });
    const thread: Thread<Out> = { worker, pending: new Map() };
    worker.on('message', (message: { id: number; ok: boolean; result?: Out; message?: string }) => {
      const waiting = thread.pending.get(message.id);
      thread.pending.delete(message.id);
      if (thread.pending.size === 0) worker.unref();
      if (message.ok) waiting?.resolve(message.result as Out);
      else waiting?.reject(new Error(message.message ?? `${this.role} failed`));
    });
    const fail = (error: Error) => {
      for (const waiting of thread.pending.values()) waiting.reject(error);
      thread.pending.clear();
      this.threads = this.threads.filter((t) => t !== thread);
    };
    worker.on('error', fail);
    worker.on('exit', () => fail(new Error(`${this.role} stopped`)));
    worker.unref();
    return thread;
  }

  private pick(): Thread<Out> {
    const idle = this.threads.find((t) => t.pending.size === 0);
    if (idle) return idle;
    if (this.threads.length < this.size) {
      const thread = this.start();
      this.threads.push(thread);
      return thread;
    }
    return this.threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  run(input: In): Promise<Out> {
    if (this.closed) return Promise.reject(new Error(`${this.role} pool is closed`));
    const thread = this.pick();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      // Referenced while a job is in flight, so the process waits for its answer.
      thread.worker.ref();
      thread.worker.postMessage({ id, input });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const threads = this.threads;
    this.threads = [];
    await Promise.all(
      threads.map(
        (thread) =>
          new Promise<void>((resolve) => {
            thread.worker.once('exit', () => resolve());
            thread.worker.ref();
            thread.worker.postMessage('close');
          }),
      ),
    );
  }
}
