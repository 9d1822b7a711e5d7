import { readFileSync } from 'node:fs';

/** The parts of a V8 .cpuprofile this summary reads. */
interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileLine {
  name: string;
  where: string;
  ms: number;
  /** Share of the busy (non-idle) time. */
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  busyMs: number;
  /** Self time per function: where the CPU actually was. */
  topSelf: ProfileLine[];
  /** Self time per package or project folder. */
  byArea: ProfileLine[];
  /** Time with the function anywhere on the stack, for the project's own functions. */
  ourInclusive: ProfileLine[];
  /** Inclusive time of the steps a turn is made of (state, search, cards, sending, logging). */
  steps: ProfileLine[];
}

/** Where a script lives, short: a package name, `ours:<folder>/<file>`, or a node internal. */
export function areaOf(url: string): string {
  if (url === '') return '(native / VM)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] ?? url;
  if (url.startsWith('node:')) return 'node internals';
  const ours = /\/dist\/((?:bot|dialogs|knowledge)(?:\/[^/]+)*)\.js$/.exec(url);
  if (ours) return `ours:${ours[1]}`;
  return url;
}

// Package names hold '@', so keys join name and place with a character no name or path has.
const SEP = '\u0000';
const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/**
 * Steps of a turn, matched by function name anywhere on the stack, with the script they live in.
 * Names are those of teams-ai 1.7 / botbuilder 4.23 and of this project's files.
 */
const STEP_PATTERNS: ReadonlyArray<{ step: string; fn: RegExp; where: RegExp }> = [
  { step: 'turn state load (storage read)', fn: /^load$/, where: /teams-ai.*TurnState/ },
  { step: 'turn state save (storage write)', fn: /^save$/, where: /teams-ai.*TurnState/ },
  { step: 'storage (any call)', fn: /^(read|write|delete)$/, where: /Storage|storage/ },
  {
    step: 'computeInsight (search, deadline, intent)',
    fn: /^computeInsight$/,
    where: /turn-insight|dialogs\/turn\/route/,
  },
  { step: 'knowledge search', fn: /^search$/, where: /knowledge\/search/ },
  { step: 'deadline reading', fn: /^answerDeadline$/, where: /time\/deadlines/ },
  { step: 'cards (adaptiveCard and builders)', fn: /./, where: /dialogs\/(cards\/card|answer-card)/ },
  { step: 'sending replies (sendActivity)', fn: /^sendActivity$|^sendActivities$/, where: /botbuilder-core/ },
  {
    step: 'outgoing HTTP to connector',
    fn: /^sendRequest$|^request$/,
    where: /botframework-connector|ms-rest|core-http|undici|node:_http_client/,
  },
  { step: 'logging (pino)', fn: /./, where: /node_modules\/pino/ },
  { step: 'JSON parse / stringify', fn: /^(parse|stringify)$/, where: /^$/ },
];

/** Reads a .cpuprofile and tells where the bot's CPU time went. */
export function summariseProfile(file: string, top = 15, skipMs = 0): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  // Start-up (module loading, index build) is measured on its own; only the load counts here.
  let elapsed = 0;
  const counted = profile.samples.map((id, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    elapsed += ms;
    return { id, ms: elapsed >= skipMs ? ms : 0 };
  });
  const selfMs = new Map<number, number>();
  let totalMs = 0;
  for (const { id, ms } of counted) {
    totalMs += ms;
    selfMs.set(id, (selfMs.get(id) ?? 0) + ms);
  }
  let idleMs = 0;
  const fnSelf = new Map<string, { name: string; where: string; ms: number }>();
  const areaSelf = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    const name = functionName || '(anonymous)';
    const where = SPECIAL.has(name) ? '' : `${areaOf(url)}:${lineNumber + 1}`;
    const key = `${name}${SEP}${where}`;
    const line = fnSelf.get(key) ?? { name, where, ms: 0 };
    line.ms += ms;
    fnSelf.set(key, line);
    const area = SPECIAL.has(name) ? name : areaOf(url);
    areaSelf.set(area, (areaSelf.get(area) ?? 0) + ms);
  }
  const busyMs = totalMs - idleMs;
  const share = (ms: number) => (busyMs > 0 ? ms / busyMs : 0);

  // Inclusive time: each sample credits every distinct function (and step) on its stack once.
  const ourInclusive = new Map<string, number>();
  const stepInclusive = new Map<string, number>();
  for (const { id, ms } of counted) {
    if (ms === 0) continue;
    const seen = new Set<string>();
    const steps = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      if (!node) break;
      const { functionName, url, lineNumber } = node.callFrame;
      const area = areaOf(url);
      if (area.startsWith('ours:')) seen.add(`${functionName || '(anonymous)'}${SEP}${area}:${lineNumber + 1}`);
      for (const pattern of STEP_PATTERNS) {
        if (pattern.fn.test(functionName) && pattern.where.test(url)) steps.add(pattern.step);
      }
    }
    for (const key of seen) ourInclusive.set(key, (ourInclusive.get(key) ?? 0) + ms);
    for (const step of steps) stepInclusive.set(step, (stepInclusive.get(step) ?? 0) + ms);
  }

  const lines = (entries: Iterable<[string, number]>): ProfileLine[] =>
    [...entries]
      .map(([key, ms]) => {
        const [name = key, where = ''] = key.split(SEP);
        return { name, where, ms, share: share(ms) };
      })
      .sort((a, b) => b.ms - a.ms);

  return {
    totalMs,
    busyMs,
    topSelf: [...fnSelf.values()]
      .map((line) => ({ ...line, share: share(line.ms) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top),
    byArea: lines(areaSelf).slice(0, top),
    ourInclusive: lines(ourInclusive).slice(0, top),
    steps: lines(stepInclusive),
  };
}
