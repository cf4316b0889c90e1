import { availableParallelism } from 'node:os';
import { wholeNumberFromEnv } from '../shared/env-settings.ts';
import { ThreadPool } from '../shared/thread-pool.ts';
import { evaluateBody, type EvaluationOutcome } from './evaluation-job.ts';

export interface EvaluationRunner {
  run(body: unknown): Promise<EvaluationOutcome>;
  close(): Promise<void>;
}

/**
 * Where POST /api/evaluate's work runs (issue 9, bench/server). Validation, the engine and the
 * ~18 kB of JSON cost ~200 µs of CPU per case; on the server's thread that time is taken from
 * every other request, and a busy evaluator holds up logins and the worklist. With `threads` > 0
 * it runs on that many worker threads (each with its own engine memos); 0 runs it in-process.
 */
export function evaluationRunner(threads: number): EvaluationRunner {
  if (threads === 0) return { run: async (body) => evaluateBody(body), close: async () => undefined };
  const pool = new ThreadPool<unknown, EvaluationOutcome>(new URL('./evaluation-worker.mjs', import.meta.url), threads, null, 'an evaluation thread');
  return { run: (body) => pool.run(body), close: () => pool.close() };
}

/**
 * RETROPLAN_EVALUATION_THREADS (0 to 16); by default one fewer than the machine's cores, at
 * least 1 and at most 4 (the server's own thread keeps a core for HTTP and the database).
 */
export function evaluationThreadsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return wholeNumberFromEnv(env, 'RETROPLAN_EVALUATION_THREADS', { min: 0, max: 16, fallback: Math.max(1, Math.min(4, availableParallelism() - 1)) });
}
