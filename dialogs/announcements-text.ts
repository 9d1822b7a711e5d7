import { citation, DOWNTIME_SECTION } from '../knowledge/sources.js';

/** Wording for announcements and reminders, kept together for review by the guidance owners. */

export const ANNOUNCE_SOURCE = citation('ers-pack', DOWNTIME_SECTION);
export const WORKLIST_SOURCE = citation('ers-pack', 'Managing your worklists');

export const KIND_LABELS = Object.freeze({
  'planned-downtime': 'Planned e-RS downtime',
  'unplanned-downtime': 'e-RS is down',
  restored: 'e-RS restored',
  general: 'Announcement',
});

export const ANN_TEXT = Object.freeze({
  notAllowed:
    'Sorry, only ICB announcers can make or manage announcements. If you think you should be one, ask your ICB e-RS team.',
  when: 'When',
  until: 'Until',
  howLong: 'How long',
  starts: 'Started',
  beforeHeading: 'What to do while e-RS is down (e-RS Downtime Protocol, first 24 hours):',
  restoredHeading: 'What to do now:',
  unplannedNoStart: 'The ICB will say when e-RS went down; until then, follow the first stage of the protocol:',
  formTitle: 'New announcement',
  formHint:
    'Times are London time. Leave the send time blank to send as soon as you confirm. Do not include patient details.',
  kindLabel: 'Kind',
  titleLabel: 'Title',
  messageLabel: 'Message (optional)',
  startsLabel: 'Downtime starts (date and time)',
  endsLabel: 'Downtime ends (date and time)',
  sendLabel: 'Send at (date and time; blank: now)',
  preview: 'Preview',
  confirm: (when: string, count: number) =>
    `This goes to ${count} conversation${count === 1 ? '' : 's'} ${when}. Send it?`,
  sendNow: 'now',
  sendAtWhen: (when: string) => `on ${when}`,
  confirmButton: 'Confirm',
  scheduled: (id: string, when: string) =>
    `Announcement ${id} is scheduled for ${when}. Type "announcements" to see it, or "cancel announcement ${id}" to stop it.`,
  sendingNow: (id: string) => `Announcement ${id} is being sent now. I will tell you here how it went.`,
  invalid: (problems: string) => `I could not make that announcement: ${problems}`,
  listTitle: 'Announcements',
  listEmpty: 'There are no announcements yet. Type "announce" to make one.',
  listLine: (id: string, title: string, status: string, when: string) => `**${id}** ${title}: ${status} (${when})`,
  cancelButton: (id: string) => `Cancel ${id}`,
  cancelled: (id: string) => `Announcement ${id} is cancelled: it will not be sent.`,
  cannotCancelSent: (id: string) =>
    `Announcement ${id} has already been sent (or is being sent), so it cannot be cancelled.`,
  notFound: (id: string) => `I could not find announcement ${id}.`,
  summary: (title: string, s: { delivered: number; failed: number; inactive: number }) =>
    `Announcement "${title}" has been sent: delivered to ${s.delivered}, failed ${s.failed}, not installed or blocked ${s.inactive}.`,
});

export const REMINDER_TEXT = Object.freeze({
  offer: 'Remind me on that date',
  labelLabel: 'Reminder label (optional; no patient details)',
  labelWarning:
    'The reminder comes to you in a 1:1 chat at 9:00 on that working day. Do not put anything in the label that could identify the patient: no names, NHS numbers, dates of birth or addresses.',
  defaultLabel: 'e-RS date from the deadline calculator',
  piiRefused:
    'I have not set that reminder: the label looks like it identifies a patient (a name, NHS number, date of birth or address). Please use a label without patient details, e.g. "2WW deferral, check booked".',
  badDate: 'I could not read the date for that reminder. Please work the date out again and use the button.',
  past: 'That date has already passed, so I cannot set a reminder for it.',
  tooMany: 'You already have 50 reminders waiting. Type "my reminders" to cancel some first.',
  set: (when: string, label: string, id: string) =>
    `Reminder ${id} set for ${when}: "${label}". Type "my reminders" to see or cancel your reminders.`,
  listTitle: 'Your reminders',
  listEmpty: 'You have no reminders waiting.',
  listLine: (id: string, when: string, label: string) => `**${id}** ${when}: ${label}`,
  cancelButton: (id: string) => `Cancel reminder ${id}`,
  cancelled: (id: string) => `Reminder ${id} is cancelled.`,
  notFound: (id: string) => `I could not find a reminder ${id} of yours that is still waiting.`,
  fired: 'Reminder from e-RS Helper',
  firedBody: (when: string, label: string) => `Today (${when}): ${label}`,
  firedHint:
    'Check the referral on e-RS: for a deferral, look at the "Referrals pending external action" worklist. Ask me "who do I contact" if it has not been booked.',
  worklistTitle: 'Daily e-RS worklist check',
  /** Around the pack's line on reviewing worklists daily (knowledge/data/worklists.json: dailyReview). */
  worklistGreeting: 'Good morning.',
  worklistListIntro: 'The six worklists are:',
  subscribed:
    'This conversation will get a reminder to check the six e-RS worklists at 9:00 on working days. Type "unsubscribe worklist reminders" to stop.',
  alreadySubscribed: 'This conversation already gets the 9:00 worklist reminder on working days.',
  unsubscribed: 'The daily worklist reminder is off for this conversation.',
  notSubscribed: 'This conversation was not getting the worklist reminder.',
});
