import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface BotProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  base: string;
  url: string;
  /** Milliseconds from spawn to the first GET /healthz 200. */
  startMs: number;
  /** CPU time (user + system) the process had used by then: start-up cost without the wait for a core. */
  startCpuMs: number;
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function healthy(base: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(`${base}/healthz`, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('error', () => resolve(false));
    req.setTimeout(1_000, () => {
      req.destroy();
      resolve(false);
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Spawns `node <args>` with the given environment on a free 127.0.0.1 port and waits for
 * GET /healthz 200, polling every 5 ms so the measured start time is within a few ms.
 */
export async function startBotProcess(
  name: string,
  nodeArgs: readonly string[],
  env: Record<string, string>,
  options: { cwd: string; timeoutMs?: number },
): Promise<BotProcess> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs], {
    cwd: options.cwd,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = started + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${log}`);
    if (await healthy(base)) break;
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name}: no GET /healthz 200 within ${options.timeoutMs ?? 30_000} ms:\n${log}`);
    }
    await sleep(5);
  }
  const startMs = performance.now() - started;
  const pid = child.pid ?? -1;
  const startCpuMs = cpuMs(pid);
  return {
    name,
    child,
    pid,
    base,
    url: `${base}/api/messages`,
    startMs,
    startCpuMs,
    output: () => log,
    stop: async (graceMs = 5_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resident set size in MB, from /proc (Linux), or NaN where that is not available. */
export function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * User + system CPU time of a process so far (or of one of its threads: the main thread's id is the
 * process id; the others are V8's collector and compiler threads and libuv's pool), from /proc/<pid>/stat (clock ticks of 10 ms on Linux). */
export function cpuMs(pid: number, thread?: number): number {
  try {
    const stat = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at state; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}
