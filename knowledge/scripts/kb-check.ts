import { KnowledgeError, loadKnowledge } from '../load.js';
import {
  lineKeys,
  packLineProblems,
  packLines,
  passageFound,
  passageProblems,
  readSourceTexts,
  SOURCE_FILES,
} from '../passages.js';
import { RULES } from '../revise/rules.js';

/**
 * `npm run kb:check [dataDir] [sourceDir]`: validates knowledge/data (or `dataDir`) and checks every
 * entry's source passages, and those of the pack lines said outside entries (downtime stage advice,
 * contact lead-ins, worklists, deadline advice, exception examples), are still in knowledge/source (or `sourceDir`) word for word; lists every
 * problem, exits non-zero on any.
 */
function main(dir: string | undefined, sourceDir: string | undefined): number {
  try {
    const kb = loadKnowledge(dir);
    const sources = readSourceTexts(sourceDir);
    const problems = [...passageProblems(kb.entries, sources), ...packLineProblems(kb, sources)];
    // The day counts and stages the code computes with must still be what the pack says.
    for (const rule of RULES) {
      if (!passageFound(rule.passage, lineKeys(sources[rule.source]))) {
        problems.push(
          `rule "${rule.name}" (${rule.where}): its line is gone from ${SOURCE_FILES[rule.source]}: "${rule.passage}"`,
        );
      }
    }
    if (problems.length > 0) throw new KnowledgeError(problems);
    const questions = kb.entries.reduce((sum, entry) => sum + entry.questions.length, 0);
    const passages = kb.entries.reduce((sum, entry) => sum + entry.passages.length, 0);
    const lines = packLines(kb).length;
    process.stdout.write(
      `kb:check ok: ${kb.entries.length} entries (${questions} questions, ${passages} source passages), ${lines} pack lines outside entries, ${kb.contacts.routes.length} contact routes, ${kb.organisations.length} organisations\n`,
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

process.exitCode = main(process.argv[2], process.argv[3]);
