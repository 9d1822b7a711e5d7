import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createRenderer } from '../../dialogs/announcement-cards.js';
import { defaultDataDir, KnowledgeError, loadKnowledge } from '../../knowledge/load.js';
import { packLineProblems, readSourceTexts, SOURCE_FILES } from '../../knowledge/passages.js';
import { projectRoot } from '../../knowledge/project-root.js';
import { comparisonKey } from '../../knowledge/revise/document.js';
import { impactOf } from '../../knowledge/revise/impact.js';
import { readable } from '../helpers/setup.js';

const TSX = createRequire(import.meta.url).resolve('tsx/cli');
const kb = loadKnowledge();

/** The current pack with one phrase changed, as a revision might. */
function packWith(from: string, to: string) {
  const sources = readSourceTexts();
  expect(sources['ers-pack']).toContain(from);
  return { ...sources, 'ers-pack': sources['ers-pack'].replace(from, to) };
}

describe('pack text said outside entries is data, checked against the pack', () => {
  test('the downtime stage advice, contact lead-ins and exception examples load, each line resting on the pack', () => {
    expect(Object.values(kb.downtimeStages).map((lines) => lines.length)).toEqual([3, 4, 3]);
    expect(Object.keys(kb.downtimeSituations)).toEqual(['link', 'local', 'majorIncident', 'restored']);
    expect(kb.downtimeSummary.summaries[2].text).toMatch(/^Urgent Suspected Cancer \(2WW\) referrals go by email/);
    expect(Object.keys(kb.leadIns).sort()).toEqual([
      'ag-not-actioned',
      'deferred-not-booked',
      'downtime-2ww',
      'downtime-urgent-routine',
      'find-clinic',
    ]);
    expect(kb.issues[2].exception?.example).toBe('EXCEPTION: Patient without NHS number');
    expect(packLineProblems(kb, readSourceTexts())).toEqual([]);
  });

  test("the daily worklist reminder lists the pack's six worklists from worklists.json, in its order", () => {
    expect(kb.worklists).toHaveLength(6);
    const said = readable(createRenderer(kb).worklist('2026-11-09'));
    const at = kb.worklists.map((w, i) => said.indexOf(`${i + 1}. ${w.text}`));
    expect(at.every((position, i) => position > (at[i - 1] ?? -1))).toBe(true);
    expect(said).toContain('6. Referrals pending external action');
  });

  test("the daily worklist reminder opens with the pack's line on reviewing them, from worklists.json", () => {
    expect(kb.worklistsDailyReview.text).toBe('All worklists must be monitored and reviewed on a daily basis.');
    const said = readable(createRenderer(kb).worklist('2026-11-09'));
    expect(said).toContain(
      'Good morning. All worklists must be monitored and reviewed on a daily basis. The six worklists are:',
    );
  });

  test("the deadline answers' advice lines load from deadline-advice.json, each resting on the pack", () => {
    expect(Object.keys(kb.deadlineAdvice)).toEqual([
      'deferral-heard-by',
      'deferral-escalate',
      'deferral-2ww',
      'letter-worklist',
      'rejection-letter',
    ]);
    expect(packLineProblems(kb, packWith('until the letter has been attached', 'once the letter is attached'))).toEqual(
      [expect.stringMatching(/^deadline-advice\.json: letter-worklist: its source passage is gone from /)],
    );
    expect(
      packLineProblems(kb, packWith('should have heard from the provider', 'will hear from the provider')),
    ).toEqual([expect.stringMatching(/^deadline-advice\.json: deferral-heard-by: /)]);
    // The pack says it twice (Managing your worklists, and its top tips): gone from both, it is named.
    const weekly = packWith('on a daily basis.', 'every week.');
    weekly['ers-pack'] = weekly['ers-pack'].replaceAll('on a daily basis.', 'every week.');
    expect(packLineProblems(kb, weekly)).toEqual([expect.stringMatching(/^worklists\.json: dailyReview: /)]);
  });

  test('a changed word in the pack names every line that rests on it', () => {
    const edited = packWith('keep a log of all referrals', 'keep a list of all referrals');
    expect(packLineProblems(kb, edited)).toEqual([
      expect.stringMatching(/^downtime-advice\.json: overview: its source passage is gone from /),
      expect.stringMatching(/^downtime-advice\.json: summary of stage 1: its source passage is gone from /),
      expect.stringMatching(
        /^downtime-advice\.json: stage 1, line 2: its source passage is gone from ers-information-pack-v4\.1\.txt: "GP practices should keep a log/,
      ),
      expect.stringMatching(/^downtime-advice\.json: stage 2, line 2: its source passage is gone from /),
      expect.stringMatching(/^downtime-advice\.json: restored, line 2: its source passage is gone from /),
    ]);
    expect(packLineProblems(kb, packWith('local provider business continuity plans', 'provider plans'))).toEqual([
      expect.stringMatching(/^downtime-advice\.json: majorIncident, line 1: /),
    ]);
    expect(packLineProblems(kb, packWith('please contact them.', 'please email them.'))).toEqual([
      expect.stringMatching(/^contact-lead-ins\.json: ag-not-actioned: /),
    ]);
    expect(packLineProblems(kb, packWith('EXCEPTION: Patient without NHS number', 'EXCEPTION: No NHS number'))).toEqual(
      [expect.stringMatching(/^troubleshooting-issues\.json: issue 2: /)],
    );
  });
});

describe('a revision of the pack changes a line the downtime advice rests on', () => {
  test('kb:revise names the pack lines outside entries that rest on it, with the entries', () => {
    const text = 'GP practices should keep a log of all referrals that need to be made once e-RS becomes available.';
    const impact = impactOf([{ text, key: comparisonKey(text) }], kb, 'ers-pack');
    expect(impact.packLines.map((line) => line.where)).toEqual([
      'downtime-advice.json: overview',
      'downtime-advice.json: summary of stage 1',
      'downtime-advice.json: stage 1, line 2',
      'downtime-advice.json: stage 2, line 2',
      'downtime-advice.json: restored, line 2',
    ]);
    expect(impact.packLines[2]?.text).toBe(
      'Keep a log of all referrals that need to be made once e-RS becomes available.',
    );
    expect(impact.entries.length).toBeGreaterThan(0);
    expect(impactOf([{ text, key: comparisonKey(text) }], kb, 'bulk-service-update').packLines).toEqual([]);
  });
});

describe('an author makes mistakes in the new data files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ers-pack-data-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function edit(file: string, change: (data: Record<string, unknown>) => void) {
    const where = path.join(dir, file);
    const data = JSON.parse(readFileSync(where, 'utf8')) as Record<string, unknown>;
    change(data);
    writeFileSync(where, JSON.stringify(data));
  }

  test('every problem is reported at load, in one error naming the file', () => {
    cpSync(defaultDataDir(), path.join(dir, 'data'), { recursive: true });
    const data = (file: string) => path.join('data', file);
    // A troubleshooting entry listing its own contacts would be a second mapping.
    edit(data('entries/troubleshooting.json'), (entries) => {
      const list = entries as unknown as Array<{ id: string; contacts: string[] }>;
      const ts5 = list.find((e) => e.id.startsWith('ts-5-'));
      if (ts5) ts5.contacts = ['smartcard-ra-bromley'];
    });
    edit(data('contacts.json'), (contacts) => {
      const routes = contacts.routes as Array<{ purpose: string }>;
      contacts.routes = routes.filter((r) => r.purpose !== 'local-issue');
    });
    edit(data('troubleshooting-issues.json'), (file) => {
      const issues = file.issues as Record<string, { exception?: { example: string } }>;
      const four = issues['4']?.exception;
      if (four) four.example = 'EXCEPTION: sensitive patient';
    });
    edit(data('downtime-advice.json'), (file) => {
      (file.stages as Record<string, unknown>)['3'] = [];
    });
    edit(data('contact-lead-ins.json'), (file) => {
      (file.leadIns as Record<string, unknown>)['no-such-purpose'] = { text: 'Some lead-in text', passages: ['x'] };
    });
    let error: unknown;
    try {
      loadKnowledge(path.join(dir, 'data'));
    } catch (err: unknown) {
      error = err;
    }
    expect(error).toBeInstanceOf(KnowledgeError);
    const problems = (error as KnowledgeError).problems.join('\n');
    expect(problems).toMatch(/entries\/troubleshooting\.json: entry "ts-5-smartcard-blocked" lists contacts/);
    expect(problems).toMatch(
      /troubleshooting-issues\.json: issue 1 names purpose "local-issue", which no contact route has/,
    );
    expect(problems).toMatch(
      /troubleshooting-issues\.json: issue 4: the exception example is not quoted from its passage/,
    );
    expect(problems).toMatch(/downtime-advice\.json: stages\.3: /);
    expect(problems).toMatch(/contact-lead-ins\.json: leadIns\.no-such-purpose/);
  });

  test('npm run kb:check fails when a stage advice line is gone from the pack', () => {
    const sources = path.join(dir, 'source');
    mkdirSync(sources);
    const texts = packWith('ICB to liaise with local providers', 'ICB to work with local providers');
    writeFileSync(path.join(sources, SOURCE_FILES['ers-pack']), texts['ers-pack']);
    writeFileSync(path.join(sources, SOURCE_FILES['bulk-service-update']), texts['bulk-service-update']);
    const run = spawnSync(process.execPath, [TSX, 'knowledge/scripts/kb-check.ts', 'knowledge/data', sources], {
      cwd: projectRoot(),
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/kb:check failed: \d+ problem\(s\)/);
    expect(run.stdout).toContain('downtime-advice.json: stage 1, line 3: its source passage is gone');
  });
});
