// Node flags for `retroplan registry stage` (one list for the CLI and bench/registry). The stager's
// main thread streams the whole input and output through short-lived buffers; with V8's default
// young generation (16 MB semi-spaces) they pile up between scavenges and peak memory grows with
// the input (bench/registry child, 1 December 2026: 1.10–1.26× at 1,000,000 rows against 10,000).
// 1 MB semi-spaces keep it flat (1.02×, 196 MB against 192 MB) for no measurable loss of speed.
// V8 sizes its heap when the process starts, so the CLI restarts itself with these flags.
export const REGISTRY_NODE_FLAGS = ['--max-semi-space-size=1'];
