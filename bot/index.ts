import { systemClock } from '../knowledge/time/clock.js';
import { createAdapter } from './adapter.js';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { appDeps } from './deps.js';
import { createInsightsRecorder } from './insights/recorder.js';
import { createLogger, routeConsoleToLogger } from './logger.js';
import { createServer } from './server.js';
import { createStorage } from './storage/create-storage.js';

try {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  routeConsoleToLogger(logger);
  const storage = await createStorage(config.storage, logger);
  const insights = createInsightsRecorder(storage, logger);
  const deps = appDeps({ storage, clock: systemClock, logger, insights });
  const adapter = createAdapter(config);
  const http = createServer(config, deps, { app: createApp(config, { ...deps, adapter }), adapter });
  const url = await http.listen();
  logger.info(
    { event: 'server.started', url, mode: config.mode, storage: config.storage.kind },
    'e-RS Helper listening',
  );
  // Counts wait up to BATCH_WINDOW_MS to share a write: the ones waiting are written before the
  // database closes, and closing it folds its write-ahead log back into the file.
  const flushCounts = () => Promise.allSettled([insights.flushed(), deps.usage.flushed()]);
  const closeStorage = () => (deps.storage as { close?: () => void }).close?.();
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(
      signal,
      () =>
        void http
          .close()
          .then(flushCounts)
          .finally(() => {
            closeStorage();
            process.exit(0);
          }),
    );
} catch (err: unknown) {
  process.stderr.write(`${err instanceof ConfigError ? err.message : `e-RS Helper failed to start: ${String(err)}`}\n`);
  process.exit(1);
}
