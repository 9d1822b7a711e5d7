import { packName } from '../knowledge/sources.js';

/** Wording for the welcome and help replies, kept together for review by the guidance owners. */

export const MENU = Object.freeze([
  {
    label: 'Troubleshoot a problem',
    command: 'troubleshoot',
    hint: 'smartcard, PDS/Spine, NHS number, worklists, A&G',
  },
  { label: 'e-RS is down', command: 'e-RS is down', hint: 'which stage of the downtime protocol, where to email' },
  { label: 'Who to contact', command: 'who to contact', hint: 'by trust, site, borough or purpose' },
  {
    label: 'Work out a date',
    command: 'work out a date',
    hint: 'contact-by dates, letter deadlines, 2WW availability',
  },
  { label: "Can't find a service", command: 'tips for finding a service', hint: 'search tips for e-RS' },
] as const);

export const HELP = Object.freeze({
  title: 'e-RS Helper',
  intro: `I answer questions about using the NHS e-Referral Service (e-RS) in South East London, from the ${packName()}. Ask in your own words, for example "smartcard blocked Bromley", "PDS icon is red" or "2WW deferred on 3 April, contact-by date".`,
  typed:
    'You can also type any of these: "troubleshoot", "e-RS is down", "who to contact", "work out a date", "tips for finding a service", "help", or "cancel" to leave a conversation.',
  privacy: 'Please do not type patient names, NHS numbers or other patient-identifiable details.',
});

export const WELCOME = Object.freeze({
  title: 'Welcome to e-RS Helper',
  personal:
    'Hello! I help practice teams with the NHS e-Referral Service: troubleshooting, downtime, who to contact at each trust, and the dates you need to act on.',
  channel:
    'Hello, team! I help with the NHS e-Referral Service: troubleshooting, downtime, who to contact at each trust, and working out dates. Mention me (@e-RS Helper) with your question.',
});

export const CANCELLED = 'OK, I have stopped that. Ask me anything about e-RS, or type "help" to see what I can do.';
export const NOTHING_TO_CANCEL =
  'There is nothing to cancel. Ask me anything about e-RS, or type "help" to see what I can do.';
export const GREETING = 'Hello! What can I help you with on e-RS today?';
export const ACKNOWLEDGED = 'OK. Ask me anything else about e-RS, or type "help" to see what I can do.';
export const THANKS = "You're welcome. Ask me anything else about e-RS whenever you need.";
/** A card or link shared into the chat (from the message extension, or an unfurled guidance link). */
export const SHARED = 'Thanks for sharing that. If you have a question about e-RS, type it and I will answer it.';
