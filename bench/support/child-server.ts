/**
 * Runs a benchmark's server in a child process, so the load generator (autocannon, in the
 * parent) never shares the server's event loop. The child prints one line
 * `READY {"port":…,"token":"…"}` when it listens, and exits when its stdin closes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ChildServer {
  readonly base: string;
  readonly token: string;
  readonly extra: Record<string, unknown>;
  stop(): Promise<void>;
}

export async function startChildServer(script: URL, env: Record<string, string> = {}, args: string[] = []): Promise<ChildServer> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script.pathname, ...args], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<{ port: number; token: string } & Record<string, unknown>>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('READY ')) resolve(JSON.parse(line.slice(6)) as { port: number; token: string });
    });
    child.once('exit', (code) => reject(new Error(`benchmark server exited (${code}) before it was ready`)));
  });
  return {
    base: `http://127.0.0.1:${ready.port}`,
    token: ready.token,
    extra: ready,
    async stop() {
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** In the child: stop when the parent closes stdin (or dies). */
export function exitWhenParentLeaves(stop: () => Promise<void>): void {
  process.stdin.resume();
  process.stdin.on('end', () => {
    void stop().finally(() => process.exit(0));
  });
}
