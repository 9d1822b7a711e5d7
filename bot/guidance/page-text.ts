/** Wording of the guidance pages, kept together for the people who own the guidance. */
export const PAGE_TEXT = Object.freeze({
  siteName: 'e-RS Helper guidance',
  skipLink: 'Skip to main content',
  navLabel: 'Guidance',
  navAll: 'All topics',
  navAbout: 'About, privacy and terms',
  searchLabel: 'Search the guidance',
  searchHint: 'For example: smartcard blocked, PDS red, downtime',
  searchButton: 'Search',
  indexTitle: 'e-RS guidance for South East London practices',
  indexIntro:
    'Every topic e-RS Helper answers from, grouped by section. Search above, or pick a topic. The same answers are in the e-RS Helper bot in Microsoft Teams.',
  contentsHeading: 'Sections',
  searchTitle: 'Search results',
  resultsFor: (n: number) => (n === 1 ? '1 topic matches' : `${n} topics match`),
  noResults: 'No guidance matches',
  noResultsHelp: 'Try other words, for example "smartcard blocked", "PDS red" or "downtime", or browse',
  outOfScope:
    'e-RS Helper covers e-RS processes only and gives no clinical advice, so nothing here answers that. Try words about the e-RS task, or browse',
  emptySearch: 'Type a word or two to search, or browse',
  stepsHeading: 'Steps',
  contactsHeading: 'Contacts',
  relatedHeading: 'Related topics',
  sectionLabel: 'Section',
  email: 'Email',
  cc: 'cc',
  phone: 'Phone',
  packVersion: 'Pack version',
  notFoundTitle: 'Page not found',
  notFoundBody:
    'There is no guidance page at this address. The link may be mistyped, or the topic may have moved in a newer version of the pack.',
  backToAll: 'Go to all topics',
  lastUpdated: 'Last updated',
  botVersion: 'e-RS Helper version',
  privacy: 'Privacy',
  terms: 'Terms of use',
  about: 'About',
});

/**
 * Wording of the about page (GET /guidance/about): what the bot is, privacy and terms. Plain
 * text; render.ts adds the markup (the bold warning, the lists, the training link). What it says
 * is kept must match what the code keeps: update it with README's privacy section.
 */
export const ABOUT_TEXT = Object.freeze({
  title: 'About e-RS Helper',
  pageTitle: 'About, privacy and terms',
  description: 'What e-RS Helper is, what it keeps and for how long, and its terms of use.',
  lede: 'e-RS Helper is a Microsoft Teams bot for practice teams in South East London (Bexley, Bromley, Greenwich, Lambeth, Lewisham and Southwark) who use the NHS e-Referral Service (e-RS).',
  intro: (pack: string, bsuTitle: string, bsuDate: string) =>
    `It answers questions about e-RS processes from the ${pack} and from NHS Digital's guidance “${bsuTitle}” (${bsuDate}): troubleshooting, the downtime protocol, who to contact, worklists, Advice & Guidance and working-day deadlines. These pages show the same guidance in a browser.`,
  privacyHeading: 'Privacy',
  /** Shown in bold, followed by {@link ABOUT_TEXT.noPatientData}. */
  noPatientDataWarning: 'Do not type patient-identifiable information',
  noPatientData:
    ' (names, NHS numbers, dates of birth, addresses or postcodes) into e-RS Helper. It does not need any to answer, and it holds no patient data. If a message looks as if it contains some, the bot warns you, and masks it before anything is kept.',
  keptHeading: 'What is kept, and for how long',
  kept: (dialogTimeoutMinutes: number, retentionDays: number): readonly string[] => [
    `Where you are in a guided conversation (for example which troubleshooting question it asked you last) and the topic it last answered with the trust, borough, priority or date it was answered for (never the message itself), so a follow-up such as “what about routine ones?” can be answered. Both are forgotten after ${dialogTimeoutMinutes} minutes.`,
    `Feedback you give on an answer (the topic, helpful or not, and the kind of chat) and, for questions it could not answer, only the words from the pack they used (never the question as typed), so the people who own the guidance can improve it. These are kept for ${retentionDays} days: older ones are removed whenever new feedback or questions are saved.`,
    'How many times each topic has been answered: a count per topic, with no names, messages or chats. It decides which topics the compose-box search shows first.',
    'For the people who own the guidance, counts per day of the questions asked by kind (troubleshooting, downtime, contacts...), of the topics answered and of the boroughs and trusts named: counts only, with no names, messages or chats.',
    'Service logs record events (such as “answered from the pack”) without the text of messages.',
  ],
  noCookies: 'These guidance pages set no cookies and run no scripts.',
  termsHeading: 'Terms of use',
  terms: (pack: string): readonly string[] => [
    'e-RS Helper gives guidance on e-RS processes only. It gives no clinical advice: clinical decisions stay with the clinician.',
    `Answers and contacts are taken from the ${pack} as published. e-RS Helper does not replace the pack, local policy or national guidance.`,
    'Contacts are for the purpose the pack gives them: please use them only for that.',
  ],
  /** Followed by a link to the training entry, then a full stop. */
  trainingLead: 'For help with e-RS training, see',
});
