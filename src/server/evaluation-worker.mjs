// An evaluation thread of evaluation-pool.ts: validates, evaluates and serialises a case off the
// server's event loop (POST /api/evaluate). The engine is TypeScript: tsx's loader is registered
// here, since a worker does not inherit a loader the main thread registered at run time.
import { register } from 'tsx/esm/api';
import { serveJobs } from '../shared/thread-pool-worker.mjs';

register();
const { evaluateBody } = await import('./evaluation-job.ts');
serveJobs(evaluateBody);
