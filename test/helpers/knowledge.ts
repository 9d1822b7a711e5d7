import { type AppDeps, appDeps, type Knowledge, loadAppKnowledge } from '../../bot/deps.js';

let loaded: Knowledge | undefined;

/**
 * The pack, loaded once per test file: it is read-only, and loading and indexing it (~40 ms) for
 * each of the hundreds of transcripts would only slow the suite. Production loads it in bot/index.ts.
 */
export function testKnowledge(): Knowledge {
  loaded ??= loadAppKnowledge();
  return loaded;
}

/** The host's deps as bot/index.ts makes them, on the test's storage, clock and logger. */
export function testDeps(base: Pick<AppDeps, 'storage' | 'clock' | 'logger' | 'insights'>): AppDeps {
  return appDeps({ ...base, knowledge: testKnowledge() });
}
