import { KnowledgeError, loadKnowledge } from '../load.js';

/**
 * `npm run kb:check [dir]`: validates knowledge/data (or `dir`), lists every problem, exits
 * non-zero on any.
 */
function main(dir: string | undefined): number {
  try {
    const kb = loadKnowledge(dir);
    const questions = kb.entries.reduce((sum, entry) => sum + entry.questions.length, 0);
    process.stdout.write(
      `kb:check ok: ${kb.entries.length} entries (${questions} questions), ${kb.contacts.routes.length} contact routes, ${kb.organisations.length} organisations\n`,
    );
    return 0;
  } catch (err: unknown) {
    if (err instanceof KnowledgeError) {
      process.stdout.write(`kb:check failed: ${err.problems.length} problem(s)\n`);
      for (const problem of err.problems) process.stdout.write(`  - ${problem}\n`);
      return 1;
    }
    process.stdout.write(`kb:check failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

process.exitCode = main(process.argv[2]);
