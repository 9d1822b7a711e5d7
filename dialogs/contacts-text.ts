import type { Purpose, SiteId } from '../knowledge/schema.js';

/** Wording for the "who to contact" feature, kept together for review by the guidance owners. */

export const PURPOSE_LABELS: Readonly<Record<Purpose, string>> = Object.freeze({
  'find-clinic': "Can't find a suitable clinic",
  'deferred-not-booked': 'Deferred referral not booked by the date',
  'ag-not-actioned': 'A&G request not actioned',
  'downtime-2ww': '2WW referrals during e-RS downtime',
  'downtime-urgent-routine': 'Urgent and routine referrals during e-RS downtime',
  'smartcard-ra': 'Smartcards (Registration Authority)',
  training: 'e-RS training',
  'appointment-line': 'The appointment line (TAL)',
  'local-issue': 'Local e-RS problems at your practice',
});

/** What a button for each purpose sends: words the purpose reader understands when typed. */
export const PURPOSE_COMMANDS: Readonly<Record<Purpose, string>> = Object.freeze({
  'find-clinic': "who to contact: can't find a clinic",
  'deferred-not-booked': 'who to contact: deferred referral not booked',
  'ag-not-actioned': 'who to contact: A&G not actioned',
  'downtime-2ww': 'who to contact: 2WW email during downtime',
  'downtime-urgent-routine': 'who to contact: urgent and routine email during downtime',
  'smartcard-ra': 'who to contact: smartcard',
  training: 'who to contact: training',
  'appointment-line': 'who to contact: appointment line',
  'local-issue': 'who to contact: local practice problem',
});

export const MENU_PURPOSES: readonly Purpose[] = [
  'find-clinic',
  'deferred-not-booked',
  'ag-not-actioned',
  'smartcard-ra',
  'training',
  'downtime-2ww',
  'downtime-urgent-routine',
];

export const SITE_CHOICES: readonly { site: SiteId | 'all'; label: string; says: string }[] = [
  { site: 'gstt', label: "Guy's and St Thomas' / Evelina", says: 'GSTT' },
  { site: 'kch-dh', label: "King's Denmark Hill", says: "King's Denmark Hill" },
  { site: 'kch-pruh', label: "King's PRUH & South Sites", says: 'PRUH' },
  { site: 'lgt-qeh', label: 'Queen Elizabeth (LGT)', says: 'QEH' },
  { site: 'lgt-uhl', label: 'University Hospital Lewisham (LGT)', says: 'Lewisham hospital' },
  { site: 'dvh', label: 'Darent Valley', says: 'Darent Valley' },
  { site: 'all', label: 'All trusts', says: 'all trusts' },
];

export { BOROUGH_LABELS } from '../knowledge/schema.js';

export const CONTACT_TEXT = Object.freeze({
  menuTitle: 'Who to contact',
  menuPrompt:
    'What do you need a contact for? Pick one, or type it (for example "smartcard Bromley" or "A&G not actioned at King\'s").',
  askSite: 'Which hospital trust or site is it? Pick one, or type its name (for example "PRUH" or "Queen Elizabeth").',
  askBorough: 'Which borough is your practice in?',
  noContactInPack: 'The pack gives no email address or phone number for this.',
  unlisted:
    'The eRS Information Pack has no contact by that name, and I will not guess one. These are the contacts it gives.',
  noPhone: (who: string) => `The pack gives no phone number for ${who}. What it gives is below.`,
  noEmail: (who: string) => `The pack gives no email address for ${who}. What it gives is below.`,
  notAtSite: (site: string, purpose: string) => `The pack gives no ${purpose.toLowerCase()} contact for ${site}.`,
});
