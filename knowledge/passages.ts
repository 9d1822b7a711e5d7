import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { KnowledgeBase } from './load.js';
import { projectRoot } from './project-root.js';
import { comparisonKey } from './revise/document.js';
import type { Entry, PackLine, SourceId } from './schema.js';

/**
 * The source passages entries rest on. A passage is a line of the source document quoted word for
 * word; it is compared by {@link comparisonKey}, so a pack read from Word (no "- " bullets, straight
 * quotes) still matches, but a changed word does not.
 */

/** The file in `knowledge/source/` each source id is read from. */
export const SOURCE_FILES: Readonly<Record<SourceId, string>> = Object.freeze({
  'ers-pack': 'ers-information-pack-v4.1.txt',
  'bulk-service-update': 'bulk-service-update.txt',
});

export type SourceTexts = Readonly<Record<SourceId, string>>;

export function defaultSourceDir(): string {
  return path.join(projectRoot(), 'knowledge', 'source');
}

export function readSourceTexts(dir: string = defaultSourceDir()): SourceTexts {
  return {
    'ers-pack': readFileSync(path.join(dir, SOURCE_FILES['ers-pack']), 'utf8'),
    'bulk-service-update': readFileSync(path.join(dir, SOURCE_FILES['bulk-service-update']), 'utf8'),
  };
}

/** The comparison keys of a document's lines, blank lines left out. */
export function lineKeys(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map(comparisonKey)
    .filter((k) => k.length > 0);
}

/** Below this, a passage is a heading-like line ("After 24 hours") and must be a whole line, not part of one. */
const SHORT_PASSAGE = 30;

/** Whether a passage (compared) is the line `lineKey`, or part of it. */
export function restsOn(passageKey: string, lineKey: string): boolean {
  if (passageKey.length === 0) return false;
  return passageKey.length < SHORT_PASSAGE ? lineKey === passageKey : lineKey.includes(passageKey);
}

/** Whether a passage (a whole line or part of one) is still in a document's lines. */
export function passageFound(passage: string, keys: readonly string[]): boolean {
  const key = comparisonKey(passage);
  return keys.some((k) => restsOn(key, k));
}

/** Every entry with no passage, or with a passage its source no longer contains, one line each. */
export function passageProblems(entries: readonly Entry[], sources: SourceTexts): string[] {
  const keys = new Map<SourceId, string[]>();
  const keysOf = (source: SourceId) => {
    let k = keys.get(source);
    if (!k) {
      k = lineKeys(sources[source]);
      keys.set(source, k);
    }
    return k;
  };
  const problems: string[] = [];
  for (const entry of entries) {
    if (entry.passages.length === 0) {
      problems.push(`entry "${entry.id}" names no source passage (passages): run npm run kb:passages`);
      continue;
    }
    for (const passage of entry.passages) {
      if (!passageFound(passage, keysOf(entry.source))) {
        const short = passage.length > 80 ? `${passage.slice(0, 77)}...` : passage;
        problems.push(`entry "${entry.id}": its source passage is gone from ${SOURCE_FILES[entry.source]}: "${short}"`);
      }
    }
  }
  return problems;
}

/** A line of the pack the bot says outside entries, named by the data file and place that hold it. */
export interface PackLineAt {
  /** "downtime-advice.json: stage 1, line 2", "contact-lead-ins.json: find-clinic"... */
  readonly where: string;
  readonly text: string;
  readonly passages: readonly string[];
}

type PackLineData = Pick<
  KnowledgeBase,
  | 'downtimeStages'
  | 'downtimeSituations'
  | 'downtimeSummary'
  | 'leadIns'
  | 'issues'
  | 'worklists'
  | 'worklistsDailyReview'
  | 'deadlineAdvice'
>;

/**
 * Every pack line said outside entries: downtime advice, contact lead-ins, worklists, deadline advice,
 * exception examples.
 */
export function packLines(kb: PackLineData): PackLineAt[] {
  const lines: PackLineAt[] = [];
  const summary = kb.downtimeSummary;
  if (summary.overview.text !== '') lines.push({ where: 'downtime-advice.json: overview', ...summary.overview });
  for (const [stage, line] of Object.entries(summary.summaries)) {
    if (line.text !== '') lines.push({ where: `downtime-advice.json: summary of stage ${stage}`, ...line });
  }
  const numbered = (file: string, name: string, advice: readonly PackLine[]) =>
    advice.forEach((line, i) => {
      lines.push({ where: `${file}: ${name}, line ${i + 1}`, text: line.text, passages: line.passages });
    });
  for (const [stage, advice] of Object.entries(kb.downtimeStages))
    numbered('downtime-advice.json', `stage ${stage}`, advice);
  for (const [situation, advice] of Object.entries(kb.downtimeSituations))
    numbered('downtime-advice.json', situation, advice);
  for (const [purpose, line] of Object.entries(kb.leadIns)) {
    if (line) lines.push({ where: `contact-lead-ins.json: ${purpose}`, text: line.text, passages: line.passages });
  }
  if (kb.worklistsDailyReview.text !== '')
    lines.push({ where: 'worklists.json: dailyReview', ...kb.worklistsDailyReview });
  numbered('worklists.json', 'worklists', kb.worklists);
  for (const [key, line] of Object.entries(kb.deadlineAdvice)) {
    if (line.text !== '')
      lines.push({ where: `deadline-advice.json: ${key}`, text: line.text, passages: line.passages });
  }
  for (const [issue, { advice, exception }] of Object.entries(kb.issues)) {
    if (advice) lines.push({ where: `troubleshooting-issues.json: issue ${issue} advice`, ...advice });
    if (exception) {
      lines.push({
        where: `troubleshooting-issues.json: issue ${issue}`,
        text: exception.example,
        passages: [exception.passage],
      });
    }
  }
  return lines;
}

/** Every pack line said outside entries with a passage the pack no longer contains, one line each. */
export function packLineProblems(kb: PackLineData, sources: SourceTexts): string[] {
  const keys = lineKeys(sources['ers-pack']);
  const problems: string[] = [];
  for (const { where, passages } of packLines(kb)) {
    for (const passage of passages) {
      if (!passageFound(passage, keys)) {
        const short = passage.length > 80 ? `${passage.slice(0, 77)}...` : passage;
        problems.push(`${where}: its source passage is gone from ${SOURCE_FILES['ers-pack']}: "${short}"`);
      }
    }
  }
  return problems;
}
