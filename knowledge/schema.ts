import { z } from 'zod';

/**
 * The shapes of the knowledge data under `knowledge/data/`. Everything the bot states comes from
 * these files; they are checked here at load time and in `npm run kb:check`.
 */

export const SOURCE_DOCUMENTS = {
  'ers-pack': { title: 'eRS Information Pack', version: 'v4.1', date: 'October 2025' },
  'bulk-service-update': {
    title: 'Bulk service update – NHS e-Referral Service',
    version: 'NHS Digital',
    date: 'last edited 27 January 2020',
  },
} as const;

export const sourceId = z.enum(['ers-pack', 'bulk-service-update']);
export type SourceId = z.infer<typeof sourceId>;

const id = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'ids are kebab-case');

export const trustId = z.enum(['gstt', 'kch', 'lgt', 'dvh', 'oxleas']);
export type TrustId = z.infer<typeof trustId>;

/** Sites the pack gives separate contacts for. `kch-dh` is King's Denmark Hill, `kch-pruh` PRUH & South Sites. */
export const siteId = z.enum(['gstt', 'kch-dh', 'kch-pruh', 'lgt-qeh', 'lgt-uhl', 'dvh', 'oxleas']);
export type SiteId = z.infer<typeof siteId>;

export const boroughId = z.enum(['bexley', 'bromley', 'greenwich', 'lambeth', 'lewisham', 'southwark']);
export type BoroughId = z.infer<typeof boroughId>;
/** Each borough's name as staff and the pack write it (contact menus, the insights page). */
export const BOROUGH_LABELS: Readonly<Record<BoroughId, string>> = Object.freeze({
  bexley: 'Bexley',
  bromley: 'Bromley',
  greenwich: 'Greenwich',
  lambeth: 'Lambeth',
  lewisham: 'Lewisham',
  southwark: 'Southwark',
});

export const priority = z.enum(['2ww', 'urgent', 'routine']);
export type Priority = z.infer<typeof priority>;

export const purpose = z.enum([
  'find-clinic',
  'deferred-not-booked',
  'ag-not-actioned',
  'downtime-2ww',
  'downtime-urgent-routine',
  'smartcard-ra',
  'training',
  'appointment-line',
  'local-issue',
]);
export type Purpose = z.infer<typeof purpose>;

export const organisationSchema = z.object({
  id: siteId,
  trust: trustId,
  name: z.string().min(3),
  /** Names staff use: "King's", "Denmark Hill", "PRUH", "Princess Royal", "QEH"... lower case. */
  aliases: z.array(z.string().min(2)).min(1),
});
export type Organisation = z.infer<typeof organisationSchema>;

export const contactRouteSchema = z
  .object({
    id,
    purpose,
    /** Which sites this route is for; absent means it applies whatever the provider. */
    sites: z.array(siteId).optional(),
    /** Which boroughs this route is for (RA contacts); absent means all. */
    boroughs: z.array(boroughId).optional(),
    /** Who or what: "Dee Leech (e-Referrals and Outpatients Systems Manager)", "the e-RS team". */
    who: z.string().optional(),
    /** What to do, in one or two chat-sized sentences, from the seeds. */
    how: z.string().min(10),
    emails: z.array(z.string().email()).default([]),
    cc: z.array(z.string().email()).default([]),
    phones: z.array(z.string()).default([]),
    links: z.array(z.object({ title: z.string(), url: z.string().url() })).default([]),
    source: sourceId,
    section: z.string().min(3),
  })
  .strict();
export type ContactRoute = z.infer<typeof contactRouteSchema>;

export const contactsSchema = z
  .object({
    organisations: z.array(organisationSchema),
    routes: z.array(contactRouteSchema),
  })
  .strict();
export type Contacts = z.infer<typeof contactsSchema>;

export const entrySchema = z
  .object({
    id,
    title: z.string().min(3),
    source: sourceId,
    /** Section path as the document titles it: "e-RS Trouble Shooting Guide > Issue 3". */
    section: z.string().min(3),
    /**
     * The lines of the source document this entry rests on, quoted word for word (list markers,
     * emphasis and spacing aside: knowledge/passages.ts). `kb:check` fails when one is no longer in
     * the source, and `kb:revise` lists the entries a changed passage affects.
     */
    passages: z.array(z.string().min(10)).default([]),
    /** The chat answer: concise, from the seeds, no pasted paragraphs. */
    answer: z.string().min(20).max(900),
    steps: z.array(z.string().min(3)).default([]),
    /** Ways staff ask this, in their words. */
    questions: z.array(z.string().min(3)).min(3),
    keywords: z.array(z.string().min(2)).min(1),
    related: z.array(id).default([]),
    /** Contact routes (ids in contacts.json) this entry shows. */
    contacts: z.array(id).default([]),
  })
  .strict();
export type Entry = z.infer<typeof entrySchema>;

export const entriesSchema = z.array(entrySchema).min(1);

const deadlineRule = z.enum(['deferral', 'letter', 'availability', 'rejection-letter']);

/** Entry ids the conversation routes by (knowledge/data/routing.json), checked against the entries. */
export const routingSchema = z
  .object({
    $comment: z.string().optional(),
    dateRuleEntries: z.record(id, deadlineRule),
    /** The entry that states each rule: a priority asked after a rule's answer gets that line. */
    ruleEntries: z.record(deadlineRule, id),
    /** Entries that say when to do something: a question stating a time or day near one gets it. */
    timingEntries: z.array(id),
    downtimeDetailEntries: z.array(id),
    optumConfigurationEntry: id,
    searchTipsEntry: id,
    smartcardOrderingEntry: id,
    /**
     * A contact purpose that depends on the priority: "and routine?" after the 2WW downtime mailbox
     * asks for the urgent and routine one.
     */
    purposeByPriority: z.record(purpose, z.record(z.enum(['2ww', 'urgent', 'routine']), purpose)).default({}),
    /** Entries that hold for some boroughs only (Bromley's ROP, the others' DXS): a practice's borough picks one. */
    boroughEntries: z.record(id, z.array(boroughId)).default({}),
    /** "and 2WW ones?" after an entry for one priority: the entry for that priority (2WW go by email after 24 hours). */
    entryByPriority: z.record(id, z.record(z.enum(['2ww', 'urgent', 'routine']), id)).default({}),
  })
  .strict();
export type Routing = z.infer<typeof routingSchema>;

/** What the pack does not cover (knowledge/data/scope.json). */
export const scopeSchema = z
  .object({
    $comment: z.string().optional(),
    outsideAreaPlaces: z
      .array(
        z
          .string()
          .min(2)
          .regex(/^[a-z ]+$/, 'lower-case words only'),
      )
      .min(1),
    /**
     * Towns whose practices are outside South East London though a provider the pack lists is there
     * (Darent Valley Hospital is in Dartford): a practice there is not ours, a referral there is.
     */
    outsidePracticeAreas: z
      .array(
        z
          .string()
          .min(2)
          .regex(/^[a-z ]+$/, 'lower-case words only'),
      )
      .default([]),
    /** Areas inside South East London, each with its borough ("orpington": "bromley"). */
    areas: z.record(z.string().regex(/^[a-z ]+$/, 'lower-case words only'), boroughId),
  })
  .strict();
export type Scope = z.infer<typeof scopeSchema>;

/**
 * Canonical search token → the ways staff write it (knowledge/data/synonyms.json). A canonical
 * token is one lower-case word that is not a substring of ordinary words; `loadKnowledge` also
 * checks that no variant is listed under two tokens.
 */
export const synonymsSchema = z
  .object({
    $comment: z.string().optional(),
    synonyms: z.record(
      z.string().regex(/^[a-z0-9]+$/, 'canonical tokens are one lower-case word'),
      z.array(z.string().regex(/[a-z0-9&]/, 'a variant needs a letter, digit or "&"')).min(1),
    ),
  })
  .strict();
export type SynonymsFile = z.infer<typeof synonymsSchema>;

/** Words dropped from queries and the index (knowledge/data/stop-words.json). */
export const stopWordsSchema = z
  .object({
    $comment: z.string().optional(),
    stopWords: z.array(z.string().regex(/^(?:[a-z0-9]+|&)$/, 'stop words are one cleaned word')).min(1),
  })
  .strict();
export type StopWordsFile = z.infer<typeof stopWordsSchema>;

/** A line of the pack's advice the bot says, with the source lines it rests on (checked by kb:check). */
export const packLineSchema = z
  .object({
    text: z.string().min(10),
    /** Lines of the source, quoted word for word (compared as in knowledge/passages.ts). */
    passages: z.array(z.string().min(10)).min(1),
  })
  .strict();
export type PackLine = z.infer<typeof packLineSchema>;

const issueSchema = z
  .object({
    /** The contact purposes (contacts.json) for this issue; empty when the pack gives none. */
    contacts: z.array(purpose),
    /**
     * "with-answer": shown with the issue's answer (and on its guidance page); "if-still-stuck":
     * only after "No, still stuck", as the pack's "If the problem persists" says.
     */
    shown: z.enum(['with-answer', 'if-still-stuck']),
    /** What the pack says to do besides contacting someone, said with the contacts. */
    advice: packLineSchema.optional(),
    /** The pack's example of the line that says why a referral is emailed as an exception. */
    exception: z
      .object({
        example: z.string().regex(/^EXCEPTION: /, 'an example starts "EXCEPTION: "'),
        /** Issue 3 of the pack asks for the subject line only; issues 2 and 4 for subject and body. */
        in: z.enum(['subject', 'subject-and-body']),
        passage: z.string().min(10),
      })
      .strict()
      .optional(),
  })
  .strict();
export type IssueContacts = z.infer<typeof issueSchema>;

/**
 * The troubleshooting guide's eight issues beyond their entries (knowledge/data/troubleshooting-issues.json):
 * the one mapping from an issue to its contacts, read by the troubleshooting dialog and, through the
 * entries' contacts it fills in, by the guidance pages and the knowledge answers.
 */
export const troubleshootingIssuesSchema = z
  .object({
    $comment: z.string().optional(),
    issues: z
      .object({
        1: issueSchema,
        2: issueSchema,
        3: issueSchema,
        4: issueSchema,
        5: issueSchema,
        6: issueSchema,
        7: issueSchema,
        8: issueSchema,
      })
      .strict(),
  })
  .strict();
export type TroubleshootingIssues = z.infer<typeof troubleshootingIssuesSchema>;

/**
 * The advice for each stage of the downtime protocol, and for the other situations it describes
 * (knowledge/data/downtime-advice.json).
 */
export const downtimeAdviceSchema = z
  .object({
    $comment: z.string().optional(),
    /** The protocol in one line, said when no time is known yet. */
    overview: packLineSchema,
    /** Each stage in one line, for the schedule of when each stage starts. */
    summaries: z.object({ 1: packLineSchema, 2: packLineSchema, 3: packLineSchema }).strict(),
    stages: z
      .object({
        1: z.array(packLineSchema).min(1),
        2: z.array(packLineSchema).min(1),
        3: z.array(packLineSchema).min(1),
      })
      .strict(),
    situations: z
      .object({
        /** e-RS not available from Optum/Vision: the web version. */
        link: z.array(packLineSchema).min(1),
        /** A problem at one practice or a few. */
        local: z.array(packLineSchema).min(1),
        /** A cyber-attack or power outage. */
        majorIncident: z.array(packLineSchema).min(1),
        restored: z.array(packLineSchema).min(1),
      })
      .strict(),
  })
  .strict();
export type DowntimeAdvice = z.infer<typeof downtimeAdviceSchema>;

/** The pack's six worklists, in its order and words (knowledge/data/worklists.json). */
export const worklistsSchema = z
  .object({
    $comment: z.string().optional(),
    /** The pack's line on how often to review them, said first by the daily worklist reminder. */
    dailyReview: packLineSchema,
    worklists: z.array(packLineSchema).min(1),
  })
  .strict();

/** The pack's lines a deadline answer says, named by the rule that gives them (knowledge/rules/deadlines.ts). */
export const deadlineAdviceKey = z.enum([
  'deferral-heard-by',
  'deferral-escalate',
  'deferral-2ww',
  'letter-worklist',
  'rejection-letter',
]);
export type DeadlineAdviceKey = z.infer<typeof deadlineAdviceKey>;

/** The pack's lines said in a deadline answer, after its date or its working (knowledge/data/deadline-advice.json). */
export const deadlineAdviceSchema = z
  .object({
    $comment: z.string().optional(),
    advice: z
      .object({
        'deferral-heard-by': packLineSchema,
        'deferral-escalate': packLineSchema,
        'deferral-2ww': packLineSchema,
        'letter-worklist': packLineSchema,
        'rejection-letter': packLineSchema,
      } satisfies Record<DeadlineAdviceKey, typeof packLineSchema>)
      .strict(),
  })
  .strict();
export type DeadlineAdvice = z.infer<typeof deadlineAdviceSchema>;

/** What the pack says before the contacts for a purpose (knowledge/data/contact-lead-ins.json). */
export const contactLeadInsSchema = z
  .object({
    $comment: z.string().optional(),
    leadIns: z.record(purpose, packLineSchema),
  })
  .strict();
export type ContactLeadIns = z.infer<typeof contactLeadInsSchema>;
