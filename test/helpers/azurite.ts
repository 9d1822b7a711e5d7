import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './botwire.js';

/** Azurite's published development account; the key is public and only valid against the emulator. */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteHandle {
  connectionString: string;
  port: number;
  stop(): Promise<void>;
}

const AZURITE_BIN = fileURLToPath(new URL('../../node_modules/.bin/azurite-blob', import.meta.url));
const HOST = '127.0.0.1';

function answers(port: number): Promise<boolean> {
  return new Promise((resolveAnswer) => {
    // Any HTTP status (403 without a signature) means the blob service is listening.
    const req = request(
      { host: HOST, port, path: `/${AZURITE_ACCOUNT}?comp=list`, method: 'GET', timeout: 500 },
      (res) => {
        res.resume();
        resolveAnswer(true);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolveAnswer(false));
    req.end();
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveExit) => child.once('exit', () => resolveExit()));
}

async function startOnce(port: number, location: string): Promise<ChildProcess | undefined> {
  const child = spawn(
    AZURITE_BIN,
    [
      '--silent',
      '--skipApiVersionCheck',
      '--loose',
      '--disableTelemetry',
      // Azurite refuses --location together with --inMemoryPersistence; the temp folder is its cwd instead,
      // so anything it might still write lands there and is removed by stop().
      '--inMemoryPersistence',
      '--blobHost',
      HOST,
      '--blobPort',
      String(port),
    ],
    // Azurite's own chatter stays out of the test output (which fails on stray console lines).
    { cwd: location, stdio: 'ignore', env: { ...process.env, AZURITE_DISABLE_TELEMETRY: 'true' } },
  );
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return undefined;
    if (await answers(port)) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  await exited(child);
  return undefined;
}

/**
 * Starts a private Azurite blob service on 127.0.0.1 with nothing kept on disk.
 * Call `stop()` in `afterAll`: it kills the process and removes its temp folder.
 */
export async function startAzurite(): Promise<AzuriteHandle> {
  const location = await mkdtemp(join(tmpdir(), 'ers-azurite-'));
  // The port is free when probed but can be taken before Azurite binds it, so a few attempts.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = await startOnce(port, location);
    if (!child) continue;
    return {
      port,
      connectionString: [
        'DefaultEndpointsProtocol=http',
        `AccountName=${AZURITE_ACCOUNT}`,
        `AccountKey=${AZURITE_KEY}`,
        `BlobEndpoint=http://${HOST}:${port}/${AZURITE_ACCOUNT};`,
      ].join(';'),
      async stop() {
        child.kill('SIGTERM');
        const killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited(child);
        clearTimeout(killTimer);
        await rm(location, { recursive: true, force: true });
      },
    };
  }
  await rm(location, { recursive: true, force: true });
  throw new Error('Azurite blob service did not start');
}
