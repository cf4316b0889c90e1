import { Worker } from 'node:worker_threads';
new Worker(new URL('./_w.mjs', import.meta.url), process.env.YG ? { resourceLimits: { maxYoungGenerationSizeMb: Number(process.env.YG) } } : {});
