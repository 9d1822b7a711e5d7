import { z } from 'zod';
import { blank, cleanInput, stripControlChars } from '../safety/input-limits.js';
import { detectPii } from '../safety/pii.js';
import { plainLinks } from '../safety/plain-links.js';
import { trustId } from '../schema.js';
import { isIsoDate } from '../time/calendar-date.js';
import { fromLondon, isValidTime } from '../time/london-time.js';
import { ANNOUNCEMENT_KINDS, type Announcement, type Creator, type DowntimeScope, newId } from './model.js';

/** What an announcement is made from, whether it comes from the API or the chat form. */

const WHEN = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * An ISO 8601 date and time. Without an offset it is London wall-clock time (BST or GMT as in force
 * then), which is how the ICB writes times.
 *
 * @example parseWhen('2026-07-01T18:00') // 17:00Z (BST)
 */
export function parseWhen(value: string): Date | undefined {
  const m = WHEN.exec(value.trim());
  if (!m) return undefined;
  const [, date = '', hh = '', mm = '', ss, offset] = m;
  if (!isIsoDate(date)) return undefined;
  const time = { hour: Number(hh), minute: Number(mm) };
  if (!isValidTime(time) || Number(ss ?? 0) > 59) return undefined;
  if (offset) {
    const parsed = new Date(value.trim());
    return Number.isNaN(parsed.getTime()) ? undefined : parsed;
  }
  return new Date(fromLondon(date, time).getTime() + Number(ss ?? 0) * 1000);
}

// Date.UTC reads years 0-99 as 1900-1999, and a far-future date would sit in storage for ever.
const FIRST_YEAR = 2000;
const LAST_YEAR = 2099;

/** Announcement text as it is stored and shown: invisible and bidi characters removed, links plain. */
const announcementText = (max: number) =>
  z
    .string()
    .transform((v) => plainLinks(stripControlChars(v)).trim())
    .pipe(z.string().max(max));

const when = z.preprocess(
  blank,
  z
    .string()
    .max(40)
    .transform((v, ctx) => {
      const parsed = parseWhen(v);
      const year = Number(v.trim().slice(0, 4));
      if (parsed && (year < FIRST_YEAR || year > LAST_YEAR)) {
        ctx.addIssue({ code: 'custom', message: `must be a date between ${FIRST_YEAR} and ${LAST_YEAR}` });
        return z.NEVER;
      }
      if (!parsed) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be an ISO 8601 date and time, e.g. 2026-11-09T18:00 (London time) or 2026-11-09T18:00:00Z',
        });
        return z.NEVER;
      }
      return parsed.toISOString();
    })
    .optional(),
);

/** `"national"`, `"optum-vision"` (e-RS works on the web, not from the clinical system) or `{ "trusts": [...] }`. */
const scope = z
  .union([
    z.literal('national'),
    z.literal('optum-vision'),
    z.object({ trusts: z.array(trustId).min(1).max(trustId.options.length) }).strict(),
  ])
  .optional();

export function scopeOf(value: z.infer<typeof scope>): DowntimeScope | undefined {
  if (value === undefined) return undefined;
  if (value === 'national') return { kind: 'national' };
  if (value === 'optum-vision') return { kind: 'optum-vision' };
  return { kind: 'trusts', trusts: [...new Set(value.trusts)] };
}

const DOWNTIME_KINDS: ReadonlySet<string> = new Set(['planned-downtime', 'unplanned-downtime']);

const hasPii = (value: string | undefined) => value !== undefined && detectPii(cleanInput(value)).found;

export const announcementInputSchema = z
  .object({
    kind: z.enum(ANNOUNCEMENT_KINDS),
    title: announcementText(200).pipe(z.string().min(1, 'is required')),
    message: z.preprocess(blank, announcementText(4000).optional()),
    startsAt: when,
    endsAt: when,
    sendAt: when,
    targets: z.union([z.literal('all'), z.array(z.string().trim().min(1).max(512)).min(1).max(5000)]).default('all'),
    scope,
    stageNotices: z.boolean().optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.kind === 'planned-downtime' && !v.startsAt) {
      ctx.addIssue({ code: 'custom', path: ['startsAt'], message: 'is required for a planned downtime' });
    }
    if (v.startsAt && v.endsAt && v.endsAt <= v.startsAt) {
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
    }
    for (const name of ['scope', 'stageNotices'] as const) {
      if (v[name] !== undefined && !DOWNTIME_KINDS.has(v.kind)) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'is only for a planned or unplanned downtime' });
      }
    }
    for (const name of ['title', 'message'] as const) {
      if (hasPii(v[name])) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: 'looks like it contains patient-identifiable information; announcements must not',
        });
      }
    }
  });

export type AnnouncementInput = z.infer<typeof announcementInputSchema>;

export type InputResult =
  | { ok: true; value: AnnouncementInput }
  | { ok: false; fields: { field: string; message: string }[] };

export function parseAnnouncementInput(body: unknown): InputResult {
  const parsed = announcementInputSchema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    fields: parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })),
  };
}

/** A new announcement record from valid input; no `sendAt` means now. */
export function buildAnnouncement(input: AnnouncementInput, createdBy: Creator, now: Date): Announcement {
  return {
    id: newId(),
    kind: input.kind,
    title: input.title,
    ...(input.message ? { message: input.message } : {}),
    ...(input.startsAt ? { startsAt: input.startsAt } : {}),
    ...(input.endsAt ? { endsAt: input.endsAt } : {}),
    sendAt: input.sendAt ?? now.toISOString(),
    targets: input.targets,
    ...(input.scope !== undefined ? { scope: scopeOf(input.scope) } : {}),
    ...(input.stageNotices ? { stageNotices: true } : {}),
    createdBy,
    createdAt: now.toISOString(),
    status: 'scheduled',
  };
}
