// Worker entry: the CLI runs TypeScript through tsx's loader (bin/retroplan.mjs), and a worker
// thread starts without it, so register it here before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./stage-worker.ts');
