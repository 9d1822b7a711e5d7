import type { TrustId } from '../../knowledge/schema.js';
import type { Feature } from './recorder.js';

/** Wording of the insights page, kept together for the people who own the guidance. */
export const INSIGHTS_TEXT = Object.freeze({
  title: 'What staff ask e-RS Helper',
  siteName: 'e-RS Helper insights',
  skipLink: 'Skip to main content',
  intro:
    'Counts of the questions practice staff asked e-RS Helper, for the people who own the guidance. No message text, names or chats are kept: only how many questions went to each feature, which topics were answered, the places named, feedback per topic, and the pack’s own words from questions it could not answer.',
  rangeLegend: 'Dates',
  from: 'From',
  to: 'To',
  dateHint: 'For example 2026-11-02',
  show: 'Show',
  download: 'Download these figures (CSV)',
  badRange: (why: string) => `Those dates could not be used: ${why} Showing the last 12 weeks instead.`,
  badDate: 'a date must be written as year-month-day, for example 2026-11-02.',
  rangeBackwards: 'the first date is after the last.',
  rangeTooLong: (days: number) => `the range can be at most ${days} days.`,
  rangeLine: (from: string, to: string) => `From ${from} to ${to} (London dates).`,
  totals: (questions: number, answers: number, feedback: number, unanswered: number) =>
    `${questions} questions, ${answers} answers from the pack, ${feedback} feedback responses, ${unanswered} questions not answered.`,
  showTable: 'Show the figures as a table',
  perWeekHeading: 'Questions per week, by feature',
  perWeekDesc: (weeks: number) => `Stacked bars, one for each of ${weeks} weeks; each colour is a feature.`,
  weekCol: 'Week beginning',
  totalCol: 'Total',
  topTopicsHeading: 'Top topics answered',
  topTopicsIntro:
    'Answers from the pack search. Guided troubleshooting, downtime and contact answers are counted under their feature above.',
  topTopicsDesc: (n: number) => `Horizontal bars for the ${n} topics answered most often.`,
  topicCol: 'Topic',
  answersCol: 'Answers',
  feedbackHeading: 'Helpful and not helpful, per topic',
  feedbackWeeksDesc: 'Stacked bars per week: helpful and not helpful answers.',
  feedbackTrendIntro:
    'The trend compares each topic’s share of helpful answers with the same number of days before the range.',
  helpfulCol: 'Helpful',
  notHelpfulCol: 'Not helpful',
  shareCol: 'Helpful share',
  previousCol: 'Before the range',
  trendCol: 'Trend',
  trend: Object.freeze({ up: 'Better', down: 'Worse', same: 'Same', new: 'No earlier feedback' }),
  unansweredHeading: 'Questions it could not answer, grouped',
  unansweredIntro:
    'Kept only as the pack’s words each question used (never as typed), grouped by those words. The suggestions are the topics it offered.',
  wordsCol: 'The pack’s words used',
  timesCol: 'Times',
  lastCol: 'Last asked',
  suggestedCol: 'Topics offered',
  noWords: '(no words from the pack)',
  downtimeHeading: 'Downtime advice used per day, against announced downtimes',
  downtimeDesc:
    'Bars per day: questions that went to downtime advice. Days covered by a downtime announcement are shaded.',
  dayCol: 'Day',
  usedCol: 'Downtime advice used',
  announcedCol: 'Announced downtime',
  placesHeading: 'Boroughs and trusts asked about',
  placesIntro: 'Where a question named one. A question can name more than one.',
  boroughsCaption: 'Boroughs named',
  trustsCaption: 'Trusts named',
  boroughsDesc: 'Horizontal bars: questions naming each borough.',
  trustsDesc: 'Horizontal bars: questions naming each trust.',
  placeCol: 'Place',
  questionsCol: 'Questions',
  none: 'Nothing recorded in these dates.',
  shaded: 'Shaded: a downtime was announced for that day.',
  helpfulLegend: 'Helpful',
  notHelpfulLegend: 'Not helpful',
  unauthorised: 'This page needs the announcements API key.',
  turnedOff: 'The insights page is turned off on this server: set ANNOUNCE_API_KEY to turn it on.',
});

export const FEATURE_LABELS: Readonly<Record<Feature, string>> = Object.freeze({
  knowledge: 'Pack search',
  troubleshooting: 'Troubleshooting',
  downtime: 'Downtime',
  deadlines: 'Dates and deadlines',
  contacts: 'Contacts',
  'search-tips': 'Search tips',
});

export { BOROUGH_LABELS } from '../../knowledge/schema.js';

export const TRUST_LABELS: Readonly<Record<TrustId, string>> = Object.freeze({
  gstt: "Guy's and St Thomas' (GSTT)",
  kch: "King's College Hospital (KCH)",
  lgt: 'Lewisham and Greenwich (LGT)',
  dvh: 'Darent Valley Hospital (DVH)',
  oxleas: 'Oxleas',
});
