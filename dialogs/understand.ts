import { extractPriority } from '../knowledge/entities.js';
import type { Priority, Purpose, Routing } from '../knowledge/schema.js';
import type { SearchResult } from '../knowledge/search.js';
import { isAnnouncementCommand } from './announcement-commands.js';

/**
 * Reads what a message is about, so that each feature's route can claim it. One pure function
 * decides between features, which keeps precedence in one place (and testable) instead of
 * scattered across route selectors: a question that names a problem goes to its dialog, a date
 * question to the calculator, anything else to the knowledge search.
 */

export type IssueNumber = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;
export type DowntimeSituation = 'national' | 'link' | 'local' | 'major-incident' | 'restored';

export type Intent =
  | { kind: 'troubleshoot-menu' }
  | { kind: 'troubleshoot'; issue: IssueNumber }
  | { kind: 'downtime'; situation?: DowntimeSituation }
  | { kind: 'deadline' }
  | { kind: 'calculator' }
  /** `unlisted`: a contact asked for by a name the pack does not have ("phone number for PALS"). */
  | { kind: 'contact'; purpose?: Purpose; routeIds?: string[]; unlisted?: true }
  | { kind: 'search-tips' }
  /** From the pack: the search's answer, or the entry named when routing knows it better. */
  | { kind: 'knowledge'; entryId?: string }
  /** An announcement or reminder command: carried out by the announcements feature, claimed by none else. */
  | { kind: 'command' };

const ERS =
  /\b(?:e-?rs|e-?referrals?(?: service)?|e ?referral system|the system|system'?s|system (?:is|has|was|went|came|come|back|fell|fall|crashed|died|broke|keeps)|choose and book)\b/;
const DOWN =
  /\b(?:down|outage|offline|off ?line|lost (?:e-?rs|access|connection|connectivity|the system)|dead|died|dies|dying|kaput|(?:been|is|went|gone|still|was) (?:off|out)|(?:off|out|down) (?:for|since)|fell over|fall(?:en|s)? over|fail(?:s|ed|ing)?|failure|broke(?:n)?|out of action|crashed|unavailable|not (?:working|loading|available|responding|opening|launching)|(?:isn'?t|is not|won'?t|wont|doesn'?t) (?:work|working|load|loading|open|opening|launch)|(?:can'?t|cannot|unable to) (?:access|get (?:in|on|into)|open|load|log ?(?:in|on))|(?:does|did|has done|is doing|doing) nothing|(?:not|isn'?t|wasn'?t) doing anything|nothing happens|nothing (?:is )?happening|gone (?:for|since)|been gone|timing out|times out|timed out|keeps (?:crashing|freezing|hanging|logging (?:me|us) out)|freezing|frozen)\b/;
const DOWNTIME_WORD = /\b(?:downtime|down time|outage|(?:without|no) (?:e-?rs|the system))\b/;
const RESTORED =
  /\b(?:back (?:up|on ?line|working)|restored|working again|up and running|is back|came back|come back|back to normal)\b/;
/** Providers' automatic replies on the downtime addresses, set when e-RS is restored. */
const AUTO_REPLY =
  /\b(?:auto-?repl(?:y|ies)|automatic repl(?:y|ies)|out of office repl(?:y|ies)|e-?mail(?:s|ed)?\b.{0,40}\bbounced)\b/;
/** "goes down and doesn't come back", "not back yet": still down. */
const NOT_RESTORED =
  /\b(?:not|\w+n'?t|never|without)\s+(?:yet\s+|been\s+|coming\s+)?(?:back|restored|come back|came back|coming back|working again)\b|\bnot (?:back|restored)\b/;
const LINK = /\b(?:optum|emis|vision)\b/;
const LINK_WORDS = /\b(?:link|links|integrat\w*|launch\w*|icon|button|from|from within|through|via|inside|in)\b/;
const LOCAL =
  /\b(?:only (?:us|our (?:practice|surgery|site)|this practice|me|our)|just (?:us|our (?:practice|surgery)|me|this practice)|our (?:practice|surgery) only|local (?:issue|problem)|nobody else|no one else|everyone else(?: \w+){0,4} (?:is|are|seems?|seem to be) (?:fine|ok|okay|working)|(?:one|two|three|some|a few|a couple of|couple of)(?: of)? (?:our |the |my )?(?:pcs?|computers?|machines?|terminals?|workstations?|laptops?)|only (?:on )?(?:one|my|this|that) (?:pc|computer|machine|terminal|workstation|laptop)|(?:fine|ok|okay|working) (?:for|at) (?:the )?(?:practice|surgery|practices|surgeries) (?:next door|nearby|down the road)|other (?:practices|surgeries)(?: \w+){0,4} (?:are|seem|seem to be|say (?:theirs|it) is|say (?:theirs'?s|its|it'?s)) (?:fine|ok|okay|working)|(?:just|only) for (?:us|me|our (?:practice|surgery))|(?:the )?icb (?:hasn'?t|has not|haven'?t|have not) (?:said|announced|emailed|told)|(?:the )?rest of us can|(?:everyone|everybody) else can|(?:practices?|surgery|surgeries) (?:next door|nearby|down the road|round the corner|across the road)(?: \w+){0,3} (?:is|are|seems?|seem to be) (?:fine|ok|okay|working|alright)|(?:only|just) (?:down |broken |not working |off )?(?:at|for|in) (?:our|my|this) (?:practice|surgery|site)|others? (?:are |is |seem |seems )?(?:fine|ok|okay|working))\b/;
const MAJOR =
  /\b(?:cyber|ransomware|hack(?:ed|ers?)?|power (?:cut|outage|failure|loss)|no power|no electricity|blackout)\b/;
/** A card, said alone, is the smartcard in an e-RS question ("her card says locked"). */
const CARD = /\bcards?\b/;
const SMARTCARD = /\b(?:smart ?cards?|smrt ?cards?|smartcrd|smart crd|rsa token|registration authority)\b|\bra\b/;

const TROUBLESHOOT_MENU =
  /^(?:troubleshoot(?:ing)?|trouble ?shoot(?:ing)?(?: guide)?|(?:(?:i|we)(?: have|'ve got|'ve| ve got| have got| got) )?an? (?:e-?rs )?(?:problem|issue)(?: with e-?rs)?|(?:e-?rs )?(?:problems?|issues?)|something'?s? (?:wrong|not working)(?: with e-?rs)?|fix (?:a|an|my) (?:e-?rs )?(?:problem|issue)|help with (?:a|an) (?:e-?rs )?(?:problem|issue)|(?:common )?(?:e-?rs )?errors?|troubleshooting menu)[.!?]*$/;
const CALCULATOR =
  /^(?:work out a date|(?:open |show )?(?:the )?(?:date |deadline )?calculator|calculate a (?:date|deadline)|deadline calculator|dates?)[.!?]*$/;
const CONTACT_MENU =
  /^(?:who (?:do i|should i|to|can i) (?:contact|email|call|ring|phone|ask)|contacts?|contact list|key contacts|who to contact\??)[.!?]*$/;
const TIPS = /\b(?:search tips|tips? (?:for|on) (?:finding|searching)|finding (?:a|the right) (?:service|clinic))\b/;

const CONTACT_WORDS =
  /\b(?:who (?:do|should|can|to|would)|who'?s|who is|contact(?:s| details| number)?|email(?: address)?|e-?mail|mailbox|phone|ring|call|telephone|number for|escalate|chase|nudge|get hold of)\b/;

/** "Can I use A&G to chase a clinic letter?" asks what A&G is for, not about an unanswered request. */
const USE_AG_FOR =
  /\b(?:use|using|send|sending)\s+(?:the\s+|an?\s+)?(?:e-?rs\s+)?(?:a ?& ?g|a and g|advice (?:and|&) guidance|advice)(?:\s+requests?)?\s+(?:to|for)\b/;

/**
 * A signal's `needs`: what every match of its test holds (a word its patterns all require), looked
 * for first as one plain scan, so most messages skip the longer patterns. Must hold for every text
 * the test accepts: test/dialogs/understand-needs.test.ts compares the readings with and without.
 */
type Signal = { needs?: RegExp; test: (t: string) => boolean };

const PURPOSE_SIGNALS: readonly ({ purpose: Purpose } & Signal)[] = [
  {
    purpose: 'ag-not-actioned',
    needs: /a ?& ?g|a and g|advice/,
    test: (t) =>
      !USE_AG_FOR.test(t) &&
      /\b(?:a ?& ?g|a and g|advice (?:and|&) guidance|advice requests?|advice and guidance requests?)\b/.test(t) &&
      /\b(?:not (?:been )?(?:actioned|actiond|answered|responded|replied|looked at|picked up|touched)|no (?:reply|response|answer|action)|(?:haven'?t|hasn'?t|have not|has not|didn'?t|not yet) (?:been )?(?:actioned|actiond|action|responded|replied|answered|come back|got back|heard|looked at|picked up|touched)|untouched|(?:hasn'?t|haven'?t|has not|have not|not) (?:had|got|received) (?:a |any )?(?:response|reply|answer)|for (?:over |more than )?(?:a|an|\d+|two|three|four|several|few) (?:weeks?|wks?|days?|months?|fortnights?)|fortnight|ignored|outstanding|still waiting|sat there|sitting there|gathering dust|nobody (?:picks up|answers)|still (?:says|shows|showing|sat|sitting|at|on|pending)|chas\w*|nudg\w*|prod|hurry|follow(?:ing)? (?:it |this |that )?up|overdue|unanswered|unactioned|nothing back|no news|\d+\s*(?:wks?|weeks?|days?|months?) ago|ages)\b/.test(
        t,
      ),
  },
  {
    purpose: 'deferred-not-booked',
    needs: /defer|pending external action|waiting for|asi|appointment slot issue/,
    test: (t) =>
      /\b(?:defer\w*|pending external action|waiting for (?:the )?(?:provider|hospital|trust) to book|asi|appointment slot issue)\b/.test(
        t,
      ) &&
      /\b(?:not (?:been |yet )?(?:contacted|booked|called|heard|rung)|heard (?:zilch|nothing|nowt|zip)|date (?:has |now |is )?(?:gone|passed)|(?:nobody|no one|no-one)(?:'?s| has| have)? (?:yet )?(?:contacted|booked|called|rung|heard|been in touch|phoned|rang)|been and gone|no (?:contact|call|appointment|booking|word)|(?:haven'?t|hasn'?t|have not|has not|didn'?t|not yet) (?:been )?(?:contacted|booked|called|heard|rung|had)|heard nothing|still waiting|chas\w*|escalat\w*|past the date|passed the date|overdue|missed the date|by the date)\b/.test(
        t,
      ),
  },
  {
    purpose: 'find-clinic',
    needs: /clinic|service|specialt/,
    test: (t) =>
      /\b(?:can'?t|cannot|unable to|couldn'?t|can not|not able to|struggling to|trouble|difficulty|problems?|hard to)\b[\w\s']{0,20}\b(?:find|finding|locate|see|get|search\w*)\b[\w\s']{0,30}\b(?:clinics?|services?|specialt\w*)\b/.test(
        t,
      ) ||
      /\b(?:clinics?|services?)\b[\w\s']{0,25}\b(?:not|isn'?t|aren'?t|won'?t|doesn'?t|don'?t) (?:show\w*|appear\w*|listed|come up|coming up|there)\b/.test(
        t,
      ) ||
      /\bno (?:suitable |appropriate |matching )?(?:clinics?|services?) (?:found|showing|available|listed|in the search)\b/.test(
        t,
      ),
  },
  {
    purpose: 'training',
    needs: /train|course|webinar|teach|learn|show/,
    test: (t) =>
      /\b(?:training|trained|courses?|webinars?|teach\w*|learn(?:ing)? (?:e-?rs|how))\b/.test(t) ||
      // A bare "train" is the verb only with someone to train: "a train ticket" is not e-RS.
      /\btrain (?:me|us|staff|someone|somebody|new|our|my|the (?:team|staff)|people|admin|reception\w*|on)\b/.test(t) ||
      /\b(?:show(?:ing)?|teach(?:ing)?) (?:them |her |him |us |staff |people )?how\b|\bneeds? (?:showing|teaching)\b/.test(
        t,
      ),
  },
  { purpose: 'appointment-line', needs: /appointment line|tal/, test: (t) => /\b(?:appointment line|tal)\b/.test(t) },
  { purpose: 'smartcard-ra', test: (t) => SMARTCARD.test(t) },
];

/** "What does the pending external action worklist show?" asks what it is, not about a stuck referral. */
const ASKS_WHAT_A_WORKLIST_IS =
  /^(?=.*\b(?:worklist|list)\b)(?=.*\b(?:what (?:actually |exactly |really )?(?:is|does|do|are|s|kinds?|sort|sorts|types?|goes|sits)|what'?s|which (?:referrals|refs)|meaning|mean|explain|used for)\b)(?!.*\b(?:stuck|still|sitting|sat|waiting|weeks?|months?|ages|cancel\w*|chase|re-?refer|not (?:been )?booked|hasn'?t|haven'?t)\b)/;

/** Appointment letters (who sends them) are not the referral letter the deadline rule times. */
const APPOINTMENT_LETTER = /\b(?:appointment|appt|booking|confirmation) (?:confirmation )?letters?\b/;
const REFERRAL_LETTER = /\b(?:referral letters?|attach\w*|upload\w*|\d)\b/;

const ISSUE_SIGNALS: readonly ({ issue: IssueNumber } & Signal)[] = [
  {
    issue: 1,
    needs: /temp/,
    test: (t) =>
      /\b(?:temporary|temp|temporarily registered) (?:patients?|residents?|registration|reg)\b|\btemporary resident\b/.test(
        t,
      ),
  },
  {
    issue: 2,
    needs: /nhs/,
    test: (t) =>
      /\b(?:no|without(?: an?)?|hasn'?t (?:got )?an?|has not (?:got )?an?|doesn'?t have an?|does not have an?|lacks an?|missing|never had an?|not got an?)\s+nhs (?:number|no\.?|num)\b/.test(
        t,
      ) || /\bnhs (?:number|no\.?) (?:missing|not (?:found|available|known|allocated))\b/.test(t),
  },
  {
    issue: 3,
    needs: /pds|spine|red|sync/,
    test: (t) =>
      /\bpds\b/.test(t) ||
      /\bspine\b[\w\s']{0,40}\b(?:sync\w*|synchron\w*|match\w*|mismatch\w*|differ\w*|register\w*|error\w*|out of date)\b/.test(
        t,
      ) ||
      /\b(?:sync\w*|synchron\w*|mismatch\w*)\b[\w\s']{0,30}\bspine\b/.test(t) ||
      /\bred (?:bar|icon|banner)\b|\b(?:bar|icon) (?:is |has gone |gone |turned )?red\b/.test(t) ||
      /\b(?:bar|icon|banner)\b[\w\s']{0,35}\b(?:is|has gone|gone|turned|showing|shows)\s+red\b/.test(t) ||
      /\bnot (?:synced|synchronised|synchronized|in sync)\b/.test(t),
  },
  {
    issue: 4,
    needs: /sensitive|flag|restricted/,
    test: (t) => /\bsensitive\b|\bs ?flag(?:ged)?\b|\brestricted (?:record|patient|flag)\b/.test(t),
  },
  {
    issue: 5,
    test: (t) =>
      SMARTCARD.test(t) &&
      /\b(?:not (?:working|recognised|recognized|reading|read)|stopped|block\w*|lock\w*|expired|won'?t|wont|doesn'?t|does not|broke\w*|error\w*|problems?|issues?|faulty|pin|unlock\w*|reset|fail\w*|wrking|workin|not wrk\w*)\b/.test(
        t,
      ),
  },
  {
    issue: 6,
    needs: /book/,
    test: (t) =>
      /\b(?:patient|pt|they|he|she)\b[\w\s']{0,20}\b(?:hasn'?t|has not|haven'?t|didn'?t|did not|not|never|forgot to|still not)\b[\w\s']{0,10}\bbook(?:ed)?\b/.test(
        t,
      ) && !/\b(?:provider|hospital|trust|deferred|defer)\b/.test(t),
  },
  {
    issue: 7,
    needs: /pending external action|waiting for|book/,
    test: (t) =>
      (/\bpending external action\b/.test(t) && !ASKS_WHAT_A_WORKLIST_IS.test(t)) ||
      /\bwaiting for (?:the )?(?:provider|hospital|trust) to book\b/.test(t) ||
      /\b(?:provider|hospital|trust)\b[\w\s']{0,15}\b(?:hasn'?t|has not|haven'?t|not|never|still not)\b[\w\s']{0,10}\bbook(?:ed)?\b/.test(
        t,
      ),
  },
];

const DOWN_ALONE =
  /\b(?:(?:been|went|gone|is|was|still|goes|go|going|it'?s) down|(?:it|ers|e-rs|system) went off|^went off|down (?:since|for|from)|been (?:dead|off|out) (?:since|for|more|over))\b/;

const PAS = /\b(?:pas|patient administration system)\b/;
/** "PAS outage", "PAS will be down": the provider's system, not e-RS. */
const PAS_DOWN = /\b(?:pas|patient administration system)\b.{0,20}\b(?:outage|down|offline|downtime)\b/;

function downtimeSituation(t: string): DowntimeSituation | undefined | false {
  if (MAJOR.test(t)) return 'major-incident';
  const aboutErs = ERS.test(t);
  if (aboutErs && RESTORED.test(t) && !NOT_RESTORED.test(t)) return 'restored';
  // "the referrals we emailed bounced with an auto-reply": the providers' replies once e-RS is back.
  if (AUTO_REPLY.test(t)) return 'restored';
  // "down since 8am", "went down at 2" mean e-RS here even without its name.
  const down = DOWNTIME_WORD.test(t) || (aboutErs && DOWN.test(t)) || DOWN_ALONE.test(t);
  if (!down) return false;
  // A provider's PAS outage is the bulk service update guidance, not the e-RS downtime protocol.
  if (PAS.test(t) && !(aboutErs && DOWN.test(t) && !PAS_DOWN.test(t))) return false;
  // "her card just says locked, she can't get into e-RS": one person's smartcard, not an outage.
  if ((SMARTCARD.test(t) || CARD.test(t)) && !DOWNTIME_WORD.test(t)) return false;
  // "Optum is down but I need the worklists": the clinical system, not e-RS, so e-RS on the web.
  if (LINK.test(t) && !aboutErs && !DOWNTIME_WORD.test(t)) return 'link';
  if (LINK.test(t) && (LINK_WORDS.test(t) || /\bweb(?:site|-based)?\b/.test(t))) return 'link';
  if (LOCAL.test(t)) return 'local';
  return undefined;
}

/** Someone new to the practice or to Optum: not configured there yet, rather than a broken link. */
const NEW_USER =
  /\b(?:new|newly|first (?:time|day|week)|never|configur\w*|set ?up|setting up|starter|joined|just started|locum|registrar|trainee)\b/;

/** Whether the words say the fault is local ("only us", "other practices are fine"). */
export function downtimeSituationOf(text: string): DowntimeSituation | undefined {
  return LOCAL.test(text) ? 'local' : undefined;
}

const WHO_TO =
  /^who to contact\b|\bwho (?:do|should|can|would) (?:i|we)\b|\bwhere (?:do|should|can) (?:i|we) (?:send|email)\b/;

const DOWN_SINCE =
  /\b\d+\s*(?:h|hrs?|hours?|days?|weeks?|working days?|am|pm)\b|\d{1,2}[:/.]\d{2}|\b(?:since|ago|yesterday|today|for (?:a|an|over|more than) \w+)\b/;

function downtimeMailboxPurpose(t: string): Purpose | undefined {
  // Saying when it went down asks for the stage's advice, which names the mailboxes too.
  if (!WHO_TO.test(t) || DOWN_SINCE.test(t)) return undefined;
  return downtimePurposeFor(extractPriority(t));
}

/** The downtime mailboxes for a priority: 2WW has its own, urgent and routine share theirs. */
export function downtimePurposeFor(priority: Priority | undefined): Purpose | undefined {
  if (priority === '2ww') return 'downtime-2ww';
  return priority ? 'downtime-urgent-routine' : undefined;
}

export interface UnderstandInput {
  /** Lower-case cleaned message text. */
  text: string;
  search: SearchResult;
  /** True when the deadline reader found a date question (an answer, a question back or a date error). */
  isDeadlineQuestion: boolean;
  /** Entry ids that route (knowledge/data/routing.json). */
  routing: Routing;
}

/** `everyPattern` (for tests only): the signal's test whatever its `needs` say. */
interface Reads {
  everyPattern?: boolean;
}

function signals(signal: Signal, text: string, reads: Reads): boolean {
  if (reads.everyPattern !== true && signal.needs !== undefined && !signal.needs.test(text)) return false;
  return signal.test(text);
}

export function detectPurpose(text: string, reads: Reads = {}): Purpose | undefined {
  return PURPOSE_SIGNALS.find((p) => signals(p, text, reads))?.purpose;
}

/** Every purpose a message names, in PURPOSE_SIGNALS order ("a smartcard and training"). */
export function detectPurposes(text: string, reads: Reads = {}): Purpose[] {
  return PURPOSE_SIGNALS.filter((p) => signals(p, text, reads)).map((p) => p.purpose);
}

export function detectIssue(text: string, reads: Reads = {}): IssueNumber | undefined {
  return ISSUE_SIGNALS.find((s) => signals(s, text, reads))?.issue;
}

const TS_ENTRY = /^ts-([1-8])-/;

/**
 * A question with no date in it that the pack answers outright with something other than a date
 * rule ("does the patient get reminders when deferred?", "who tells the patient when it's
 * rejected?") wants that answer, not the calculator asking for a date.
 */
function answeredBetterByPack(text: string, search: SearchResult, routing: Routing): boolean {
  const top = search.results[0]?.entry.id;
  return (
    top !== undefined && search.confidence === 'confident' && !/\d/.test(text) && !(top in routing.dateRuleEntries)
  );
}

/** A question about a detail ("which form", "how often", "who"), as opposed to "what do we do now". */
const DETAIL_QUESTION = /\b(?:which|what|how often|how do|how does|who|whose|where)\b/;
const WHAT_TO_DO_NOW =
  /\bwhat (?:do|should|shall|can|must) (?:we|i|practices?|the practice) do\b|\b(?:which|what) stage\b|\bwhat now\b/;

export function understand({ text, search, isDeadlineQuestion, routing }: UnderstandInput): Intent {
  if (isAnnouncementCommand(text)) return { kind: 'command' };
  // Not the pack's to answer (a clinical decision, another area): the knowledge reply says so.
  if (search.outOfScope !== undefined) return { kind: 'knowledge' };
  if (TROUBLESHOOT_MENU.test(text)) return { kind: 'troubleshoot-menu' };
  if (CALCULATOR.test(text)) return { kind: 'calculator' };
  if (CONTACT_MENU.test(text)) return { kind: 'contact' };
  if (TIPS.test(text)) return { kind: 'search-tips' };

  const situation = downtimeSituation(text);
  // "Who do I email 2WW referrals to during downtime?" asks for a trust's mailbox, not the stage:
  // the contacts dialog asks which trust, where the downtime advisor would ask when it went down.
  const mailbox = situation === undefined ? downtimeMailboxPurpose(text) : undefined;
  if (mailbox) return { kind: 'contact', purpose: mailbox };
  const detail = search.confidence === 'confident' ? search.results[0]?.entry.id : undefined;
  // "What do I write in the email when e-RS is down?" has one answer at every stage; "which form do we
  // use for 2WW during downtime?" asks about one stage's detail, not which stage we are in.
  const detailQuestion =
    DETAIL_QUESTION.test(text) &&
    !WHAT_TO_DO_NOW.test(text) &&
    detail?.startsWith('downtime-') &&
    detail !== 'downtime-overview';
  if (
    situation === undefined &&
    !DOWN_SINCE.test(text) &&
    detail &&
    (routing.downtimeDetailEntries.includes(detail) || detailQuestion)
  )
    return { kind: 'knowledge' };
  // "How do we tell the appointment line about a planned outage?" is the provider's guidance (the
  // bulk service update), not the practices' downtime protocol.
  const providerSide = search.confidence === 'confident' && search.results[0]?.entry.source === 'bulk-service-update';
  if (situation === undefined && !DOWN_SINCE.test(text) && providerSide) return { kind: 'knowledge' };
  // A new user who can't open e-RS from Optum may not be configured there yet: that is not an outage.
  if (situation === 'link' && detail === routing.optumConfigurationEntry && NEW_USER.test(text))
    return { kind: 'knowledge' };
  if (situation !== false) return situation ? { kind: 'downtime', situation } : { kind: 'downtime' };

  const purpose = detectPurpose(text);
  const chase = purpose === 'ag-not-actioned' || purpose === 'deferred-not-booked';
  // "The contact-by date has gone and he's heard nothing": a chase, not a date question.
  if (chase && !/\d/.test(text)) return { kind: 'contact', purpose };
  if (
    isDeadlineQuestion &&
    !(APPOINTMENT_LETTER.test(text) && !REFERRAL_LETTER.test(text)) &&
    !answeredBetterByPack(text, search, routing)
  )
    return { kind: 'deadline' };

  const issue = detectIssue(text);
  if (chase) return { kind: 'contact', purpose };
  if (issue !== undefined) return { kind: 'troubleshoot', issue };
  if (purpose === 'find-clinic')
    return CONTACT_WORDS.test(text) ? { kind: 'contact', purpose } : { kind: 'search-tips' };
  // "When should we order a smartcard?" asks about timing, which the pack answers, not who to call.
  const asksWhen = /^when\b/.test(text) && search.confidence === 'confident';
  if (purpose && !asksWhen && (CONTACT_WORDS.test(text) || purpose === 'training' || purpose === 'smartcard-ra')) {
    // "how do I order a smartcard" is about the RA; "what roles go on a smartcard" is a pack answer.
    const top = search.results[0]?.entry.id ?? '';
    if (
      purpose !== 'smartcard-ra' ||
      CONTACT_WORDS.test(text) ||
      /\b(?:order|request|get|new|apply|ra)\b/.test(text) ||
      top === routing.smartcardOrderingEntry
    ) {
      return { kind: 'contact', purpose };
    }
  }

  const top = search.results[0];
  const match = top && search.confidence !== 'none' ? TS_ENTRY.exec(top.entry.id) : null;
  if (match && search.confidence === 'confident')
    return { kind: 'troubleshoot', issue: Number(match[1]) as IssueNumber };
  // The tips have their own shorter card (tips, then the trust contacts) than the entry's answer.
  if (top && search.confidence === 'confident' && top.entry.id === routing.searchTipsEntry)
    return { kind: 'search-tips' };
  return { kind: 'knowledge' };
}
