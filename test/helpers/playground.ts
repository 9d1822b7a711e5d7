import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './botwire.js';

/** The Microsoft 365 Agents Playground (the chat UI the README suggests), started against a bot. */
export interface Playground {
  /** Its web page, on 127.0.0.1. */
  url: string;
  log(): string;
  stop(): Promise<void>;
}

const LOOPBACK_ONLY = fileURLToPath(new URL('./loopback-only.cjs', import.meta.url));
const CLI = createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/cli.js');

/**
 * Starts the Playground for the bot at `botUrl`. It has no host option and listens on every
 * interface, so it is started with a preload that makes its servers listen on 127.0.0.1 only; its
 * connector (the serviceUrl the bot replies to) is given as 127.0.0.1 too. It runs in a temporary
 * directory (its log and config file go there) with telemetry off and no browser of its own.
 */
export async function startPlayground(botUrl: string, timeoutMs = 60_000): Promise<Playground> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ers-playground-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--require',
      LOOPBACK_ONLY,
      CLI,
      '-e',
      botUrl,
      '-c',
      'msteams',
      '-p',
      String(port),
      '--service-url',
      `http://127.0.0.1:${port}/_connector`,
      '--disable-telemetry',
    ],
    {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_LOGFILE: path.join(dir, 'playground.log'),
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: path.join(dir, '.m365agentsplayground.yml'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  child.stdout?.on('data', (d: Buffer) => {
    log += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    log += d.toString();
  });
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`the Playground exited with ${child.exitCode}:\n${log.slice(-2000)}`);
    }
    if (log.includes(`Listening on ${port}`)) {
      try {
        if ((await fetch(url)).ok) break;
      } catch {
        // not serving yet
      }
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the Playground did not start within ${timeoutMs} ms:\n${log.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, log: () => log, stop };
}
