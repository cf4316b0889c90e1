// Node flags for `retroplan registry stage` (one list for the CLI and bench/registry). The stager's
// main thread streams the whole input and output through short-lived buffers; with V8's default
// young generation (16 MB semi-spaces) they pile up between scavenges and peak memory grows with
// the input (bench/registry, 1 December 2026: up to 1.33× at 1,000,000 rows against 10,000).
// 1 MB semi-spaces take most of that away (bench/registry: 1.14–1.22×) for a few per cent more CPU.
// V8 sizes its heap when the process starts, so the CLI restarts itself with these flags.
export const REGISTRY_NODE_FLAGS = ['--max-semi-space-size=1'];
