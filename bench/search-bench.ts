import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Fuse from 'fuse.js';
import { type KnowledgeBase, loadKnowledge, loadKnowledgeFromObjects } from '../knowledge/load.js';
import { projectRoot } from '../knowledge/project-root.js';
import type { Entry } from '../knowledge/schema.js';
import { createSearch } from '../knowledge/search.js';
import { type Latency, summarise } from './load.js';
import { BASELINE_FUSE_OPTIONS, seedParagraphs } from './paragraphs.js';

export interface LabelledQuestion {
  q: string;
  /** The entry id, any of several, or "none" for an out-of-scope question (kb-eval's format). */
  expect: string | string[];
}

/** Top-1 accuracy as `npm run kb:eval` counts it: in-scope questions only, any labelled id is right. */
function top1Share(questions: readonly LabelledQuestion[], topId: (q: string) => string | undefined): number {
  const inScope = questions.filter((item) => item.expect !== 'none');
  const right = inScope.filter((item) => {
    const got = topId(item.q);
    return got !== undefined && (Array.isArray(item.expect) ? item.expect : [item.expect]).includes(got);
  }).length;
  return right / inScope.length;
}

export function labelledQuestions(
  file = path.join(projectRoot(), 'test', 'fixtures', 'kb-questions.jsonl'),
): LabelledQuestion[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LabelledQuestion);
}

export interface SearchFigures {
  queries: number;
  /** First pass over the question set: the engine's word cache is cold. */
  firstPass: Latency;
  /** Later passes: what a running bot sees once common words are cached. */
  warm: Latency;
  buildMs: number;
  /** Share of questions whose top result is the labelled entry (ours only). */
  top1?: number;
}

/** Times each call of `run` over the question set, `passes` times; the first pass is reported apart. */
function timeQueries(questions: readonly string[], passes: number, run: (q: string) => unknown): [Latency, Latency] {
  const first: number[] = [];
  const warm: number[] = [];
  for (let pass = 0; pass < passes; pass++) {
    for (const q of questions) {
      const started = performance.now();
      run(q);
      const ms = performance.now() - started;
      (pass === 0 ? first : warm).push(ms);
    }
  }
  return [summarise(first), summarise(warm)];
}

export function benchOurSearch(questions: readonly LabelledQuestion[], passes = 6): SearchFigures {
  const kb = loadKnowledge();
  const built = performance.now();
  const search = createSearch(kb);
  const buildMs = performance.now() - built;
  const [firstPass, warm] = timeQueries(
    questions.map((item) => item.q),
    passes,
    (q) => search.search(q),
  );
  const top1 = top1Share(questions, (q) => search.search(q).results[0]?.entry.id);
  return { queries: questions.length, firstPass, warm, buildMs, top1 };
}

export function benchBaselineSearch(
  questions: readonly LabelledQuestion[],
  passes = 3,
): SearchFigures & {
  paragraphs: number;
} {
  const paragraphs = seedParagraphs();
  const built = performance.now();
  const fuse = new Fuse(paragraphs, BASELINE_FUSE_OPTIONS);
  const buildMs = performance.now() - built;
  const [firstPass, warm] = timeQueries(
    questions.map((item) => item.q),
    passes,
    (q) => fuse.search(q, { limit: 1 }),
  );
  return { queries: questions.length, firstPass, warm, buildMs, paragraphs: paragraphs.length };
}

/** A small deterministic PRNG (mulberry32), so every run grows the same synthetic knowledge base. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tas', 'vo', 'zel', 'qua', 'dri', 'pom'];

/**
 * Changes about a third of the longer words, so a clone adds new vocabulary and new postings rather
 * than duplicating the original's (which would leave the index the same size).
 */
function perturb(text: string, random: () => number): string {
  return text.replace(/[A-Za-z]{5,}/g, (word) =>
    random() < 0.35 ? `${word}${SYLLABLES[Math.floor(random() * SYLLABLES.length)]}` : word,
  );
}

function cloneEntry(entry: Entry, copy: number, random: () => number): Entry {
  const suffix = (id: string) => `${id}-x${copy}`;
  return {
    ...entry,
    id: suffix(entry.id),
    title: perturb(entry.title, random),
    answer: perturb(entry.answer, random),
    steps: entry.steps.map((step) => perturb(step, random)),
    questions: entry.questions.map((q) => perturb(q, random)),
    keywords: entry.keywords.map((k) => perturb(k, random)),
    related: entry.related.map(suffix),
  };
}

/** The real entries plus `factor - 1` perturbed copies of each, validated by the real loader. */
export function grownKnowledge(kb: KnowledgeBase, factor: number): KnowledgeBase {
  const random = prng(factor * 7919);
  const entries: Entry[] = [...kb.entries];
  for (let copy = 1; copy < factor; copy++)
    for (const entry of kb.entries) entries.push(cloneEntry(entry, copy, random));
  return loadKnowledgeFromObjects(
    { file: 'contacts.json', data: kb.contacts },
    [{ file: 'grown.json', data: entries }],
    {
      synonyms: { file: 'synonyms.json', data: { synonyms: kb.vocabulary.synonyms } },
      stopWords: { file: 'stop-words.json', data: { stopWords: kb.vocabulary.stopWords } },
    },
  );
}

export interface GrowthFigures {
  factor: number;
  entries: number;
  loadMs: number;
  buildMs: number;
  latency: Latency;
  /** Labelled questions whose top result is the labelled entry or one of its clones. */
  top1: number;
}

export function benchGrowth(questions: readonly LabelledQuestion[], factors: readonly number[]): GrowthFigures[] {
  const kb = loadKnowledge();
  return factors.map((factor) => {
    const loaded = performance.now();
    const grown = grownKnowledge(kb, factor);
    const loadMs = performance.now() - loaded;
    const built = performance.now();
    const search = createSearch(grown);
    const buildMs = performance.now() - built;
    // The first pass is discarded, as a running bot would have its word cache warm.
    const [, latency] = timeQueries(
      questions.map((item) => item.q),
      2,
      (q) => search.search(q),
    );
    // A clone answers the same topic as its original, so a clone on top still counts as right.
    const topic = (id: string | undefined) => id?.replace(/-x\d+$/, '');
    const top1 = top1Share(questions, (q) => topic(search.search(q).results[0]?.entry.id));
    return { factor, entries: grown.entries.length, loadMs, buildMs, latency, top1 };
  });
}
