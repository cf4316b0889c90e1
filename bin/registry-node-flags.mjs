// Node flags for `retroplan registry stage` (one list for the CLI and bench/registry). The stager's
// main thread streams the whole input and output through short-lived buffers and strings; with V8's
// defaults they pile up between collections and peak memory grows with the input (bench/registry,
// 1 December 2026: up to 1.33× at 1,000,000 rows against 10,000).
// - 1 MB semi-spaces: young garbage is collected early (1.14–1.22× with this alone).
// - --optimize-for-size: V8 grows the old generation (main thread and workers) in smaller steps;
//   the main thread's heap peaked at 17–20 MB instead of 20–39 MB, and the ratio fell to 1.03–1.14×
//   (2 December 2026, six runs) for about 10 % more CPU time, the stager staying above 0.5× the floor.
// V8 sizes its heap when the process starts, so the CLI restarts itself with these flags.
export const REGISTRY_NODE_FLAGS = ['--max-semi-space-size=1', '--optimize-for-size'];
