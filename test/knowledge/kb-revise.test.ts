import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadKnowledge } from '../../knowledge/load.js';
import { passageProblems, readSourceTexts } from '../../knowledge/passages.js';
import { projectRoot } from '../../knowledge/project-root.js';
import { compareDocuments } from '../../knowledge/revise/compare.js';
import { comparisonKey, parseDocument, readDocumentText } from '../../knowledge/revise/document.js';
import { lostContacts } from '../../knowledge/revise/impact.js';
import { buildReport, type ReviewReport, toHtml, toMarkdown } from '../../knowledge/revise/report.js';
import { RULES } from '../../knowledge/revise/rules.js';
import { currentPackText, PLANTED, revisedPackText, toDocx } from '../fixtures/pack-revision.js';

const kb = loadKnowledge();
const TSX = createRequire(import.meta.url).resolve('tsx/cli');

function review(newText: string): ReviewReport {
  const comparison = compareDocuments(parseDocument(currentPackText()), parseDocument(newText));
  return buildReport(comparison, kb, 'ers-pack', lostContacts(kb, 'ers-pack', newText), {
    currentFile: 'current.txt',
    newFile: 'new.txt',
  });
}

/** Each change in one line: kind, section, and the text it is about. */
function summary(report: ReviewReport): string[] {
  return report.items.map(({ change }) => {
    if (change.kind === 'section-added' || change.kind === 'section-removed')
      return `${change.kind} | ${change.section}`;
    if (change.kind === 'paragraph-changed') return `${change.kind} | ${change.section} | ${change.before.text}`;
    return `${change.kind} | ${change.section} | ${change.paragraph.text}`;
  });
}

function expectThePlantedChanges(report: ReviewReport) {
  expect(summary(report).sort()).toEqual(
    [
      `paragraph-changed | Appointment slot issues | ${PLANTED.oldDayCount}`,
      'paragraph-changed | e-RS Downtime Protocol | - For KCH Denmark Hill, urgent and routine referrals should be sent to: kch-tr.kchreferrals@nhs.net',
      `paragraph-removed | e-RS Downtime Protocol | ${PLANTED.deletedParagraph}`,
      `section-added | ${PLANTED.newSection}`,
    ].sort(),
  );
  expect(report.lostContacts.map((l) => l.detail)).toEqual([PLANTED.oldMailbox]);
  expect(report.version).toEqual({
    before: { version: 'v4.1', date: 'October 2025' },
    after: { version: 'v4.2', date: 'March 2026' },
    changed: true,
  });
}

describe('a content owner reviews a new version of the pack', () => {
  test('the current pack against itself: nothing changed, nothing lost', () => {
    const report = review(currentPackText());
    expect(report.items).toEqual([]);
    expect(report.lostContacts).toEqual([]);
    expect(report.version.changed).toBe(false);
  });

  test('the made-up v4.2 (plain text): every planted change, and nothing else', () => {
    expectThePlantedChanges(review(revisedPackText()));
  });

  test('the changed day count names the entry and the rule in the code that rest on it, with the words changed', () => {
    const item = review(revisedPackText()).items.find(
      (i) => i.change.kind === 'paragraph-changed' && i.change.before.text === PLANTED.oldDayCount,
    );
    expect(item?.impact.entries.map((e) => e.entry.id)).toEqual(['deferral-contact-date']);
    expect(item?.impact.rules.map((r) => r.where)).toEqual([
      'DEFERRAL_WORKING_DAYS.urgent in knowledge/rules/deadlines.ts',
    ]);
    const words = item?.change.kind === 'paragraph-changed' ? item.change.words : [];
    expect(words.filter((w) => w.removed).map((w) => w.value.trim())).toEqual(['20']);
    expect(words.filter((w) => w.added).map((w) => w.value.trim())).toEqual(['15']);
  });

  test('the moved mailbox names its contact route, the entries showing it, and the site it routes', () => {
    const report = review(revisedPackText());
    const item = report.items.find(
      (i) => i.change.kind === 'paragraph-changed' && i.change.before.text.includes(PLANTED.oldMailbox),
    );
    const route = kb.contacts.routes.find((r) => r.emails.includes(PLANTED.oldMailbox));
    expect(route).toBeDefined();
    expect(item?.impact.routes.map((r) => r.id)).toEqual([route?.id]);
    expect(item?.impact.organisations.map((o) => o.id)).toEqual(['kch-dh']);
    const showing = kb.entries.filter((e) => route && e.contacts.includes(route.id)).map((e) => e.id);
    expect(showing.length).toBeGreaterThan(0);
    expect(item?.impact.entries.map((e) => e.entry.id)).toEqual(expect.arrayContaining(showing));
    expect(report.lostContacts[0]?.routes.map((r) => r.id)).toEqual([route?.id]);
  });

  test('the deleted paragraph names the entry resting on it; the new section has nothing resting on it yet', () => {
    const report = review(revisedPackText());
    const removed = report.items.find((i) => i.change.kind === 'paragraph-removed');
    expect(removed?.impact.entries.map((e) => e.entry.id)).toEqual(['downtime-first-24-hours']);
    const added = report.items.find((i) => i.change.kind === 'section-added');
    expect(added?.change.kind === 'section-added' ? added.change.paragraphs.map((p) => p.text) : []).toEqual(
      PLANTED.newSectionText,
    );
  });

  test('the same revision as a Word document (bullets and emphasis as formatting) gives the same review', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ers-revise-'));
    try {
      const file = path.join(dir, 'pack-v4.2.docx');
      writeFileSync(file, await toDocx(revisedPackText()));
      expectThePlantedChanges(review(await readDocumentText(file)));
      // And the current pack as Word is no change at all: conversion alone is not a revision.
      const same = path.join(dir, 'pack-v4.1.docx');
      writeFileSync(same, await toDocx(currentPackText()));
      const report = review(await readDocumentText(same));
      expect(summary(report)).toEqual([]);
      expect(report.lostContacts).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the Markdown and HTML reports show each change; pack text is escaped in the HTML', () => {
    const report = review(revisedPackText().replace(PLANTED.newSectionText[1] ?? '', 'Tell the patient <b>now</b>.'));
    const md = toMarkdown(report);
    expect(md).toContain('Version: v4.1 → v4.2; date: October 2025 → March 2026.');
    expect(md).toContain('[-20-] {+15+}'.replace(' ', ''));
    expect(md).toContain(`| ${PLANTED.oldMailbox} |`);
    expect(md).toContain(`### 4. Section added: ${PLANTED.newSection}`);
    const html = toHtml(report);
    expect(html).toContain('<del>20</del><ins>15</ins>');
    expect(html).toContain('Tell the patient &lt;b&gt;now&lt;/b&gt;.');
    expect(html).not.toContain('<b>now</b>');
  });
});

describe('npm run kb:revise and kb:check on the made-up revision', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ers-revise-cli-'));
    writeFileSync(path.join(dir, 'pack-v4.2.docx'), await toDocx(revisedPackText()));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('kb:revise writes the review as Markdown and HTML and says what it found', () => {
    const out = path.join(dir, 'out');
    const run = spawnSync(
      process.execPath,
      [TSX, 'knowledge/scripts/kb-revise.ts', path.join(dir, 'pack-v4.2.docx'), '--out', out],
      { cwd: projectRoot(), encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      '1 section(s) added, 0 removed; 0 paragraph(s) added, 1 removed, 2 changed; 1 contact detail(s) gone',
    );
    expect(readFileSync(path.join(out, 'review-pack-v4.2.md'), 'utf8')).toContain(PLANTED.newMailbox);
    expect(readFileSync(path.join(out, 'review-pack-v4.2.html'), 'utf8')).toContain('<h1>Pack revision review');
  });

  test('kb:revise with a missing file says so and writes nothing', () => {
    const run = spawnSync(process.execPath, [TSX, 'knowledge/scripts/kb-revise.ts', path.join(dir, 'nope.docx')], {
      cwd: projectRoot(),
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('No such file');
  });

  test('kb:check fails on the revised text, naming each entry and rule whose line is gone', () => {
    const sources = path.join(dir, 'source');
    mkdirSync(sources);
    writeFileSync(path.join(sources, 'ers-information-pack-v4.1.txt'), revisedPackText());
    writeFileSync(path.join(sources, 'bulk-service-update.txt'), readSourceTexts()['bulk-service-update']);
    const run = spawnSync(process.execPath, [TSX, 'knowledge/scripts/kb-check.ts', 'knowledge/data', sources], {
      cwd: projectRoot(),
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('entry "deferral-contact-date": its source passage is gone');
    expect(run.stdout).toContain('entry "downtime-first-24-hours": its source passage is gone');
    expect(run.stdout).toContain('entry "downtime-after-5-working-days": its source passage is gone');
    expect(run.stdout).toContain('rule "Deferred urgent referral: provider contacts the patient within"');
    expect(run.stdout).toMatch(/kb:check failed: 4 problem\(s\)/);
  });
});

describe('source passages', () => {
  test('every entry names at least one passage, and every passage and rule line is in the current source', () => {
    expect(kb.entries.every((e) => e.passages.length > 0)).toBe(true);
    expect(passageProblems(kb.entries, readSourceTexts())).toEqual([]);
    const packKeys = currentPackText().split('\n').map(comparisonKey);
    for (const rule of RULES) expect(packKeys.some((k) => k.includes(comparisonKey(rule.passage)))).toBe(true);
  });

  test('a passage is compared without list markers, emphasis, curly quotes or spacing, but a changed word counts', () => {
    expect(comparisonKey('- Confirm the patient is **available**  for ‘28’ days')).toBe(
      "confirm the patient is available for '28' days",
    );
    expect(comparisonKey('1. Log on with a [smartcard](#).')).toBe('log on with a smartcard.');
    const entry = kb.byId.get('deferral-contact-date');
    if (!entry) throw new Error('deferral-contact-date is missing');
    const sources = readSourceTexts();
    const edited = { ...sources, 'ers-pack': sources['ers-pack'].replace('40 working days', '45 working days') };
    expect(passageProblems([entry], edited)).toEqual([
      'entry "deferral-contact-date": its source passage is gone from ers-information-pack-v4.1.txt: "- 40 working days for routine referrals"',
    ]);
  });
});
