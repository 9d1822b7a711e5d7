import type { Application } from '@microsoft/teams-ai';
import { type Entities, extractPriority } from '../knowledge/entities.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import type { BoroughId, ContactRoute, Purpose, SiteId } from '../knowledge/schema.js';
import { citation } from '../knowledge/sources.js';
import { answerCard } from './answer-card.js';
import { adaptiveCard, choiceList, heading, text } from './cards/card.js';
import {
  BOROUGH_LABELS,
  CONTACT_TEXT,
  MENU_PURPOSES,
  PURPOSE_COMMANDS,
  PURPOSE_LABELS,
  SITE_CHOICES,
} from './contacts-text.js';
import { asksSiteFirst, purposeNeedsSite, routeMarkdown, routesFor } from './contacts-view.js';
import { endDialog, setDialog } from './dialog-state.js';
import type { FeatureDeps } from './feature-deps.js';
import { insightOf, routeTo } from './router.js';
import type { AppTurnState } from './state.js';
import { rememberTopic } from './turn/topic.js';
import { detectPurpose, detectPurposes, downtimePurposeFor } from './understand.js';

const ALL = /^(?:all|all trusts|any|every|all of them|show all|the table)\b/;
const MENU_PICK = /^#?\s*([1-9])[.)]?$/;
/** Purposes answered without a follow-up question, so a message naming two can get both. */
const STANDALONE: ReadonlySet<Purpose> = new Set<Purpose>(['smartcard-ra', 'training', 'appointment-line']);

const ASKS_PHONE = /\b(?:phone|telephone|tel|number)\b/;
const ASKS_EMAIL = /\b(?:email|e-mail|mailbox|address)\b/;

/**
 * "What's Dee Leech's number?" when the pack gives only her email: say so first, then what it does
 * give, rather than let the person hunt for a number that is not there.
 */
function missingDetail(routes: readonly ContactRoute[], lower: string): string | undefined {
  const first = routes[0];
  if (!first) return undefined;
  const who = (first.who ?? 'this contact').replace(/^(?:the|your)\s+/i, '');
  if (ASKS_PHONE.test(lower) && !ASKS_EMAIL.test(lower) && routes.every((r) => (r.phones ?? []).length === 0))
    return CONTACT_TEXT.noPhone(who);
  if (ASKS_EMAIL.test(lower) && !ASKS_PHONE.test(lower) && routes.every((r) => (r.emails ?? []).length === 0))
    return CONTACT_TEXT.noEmail(who);
  return undefined;
}

export function contactCard(
  kb: KnowledgeBase,
  routes: readonly ContactRoute[],
  purpose: Purpose,
  named = false,
  lower = '',
) {
  const first = routes[0];
  const sections = [...new Set(routes.map((r) => r.section))];
  const source = citation(first?.source ?? 'ers-pack', sections.join('; '));
  // A contact asked for by name is given alone, under its own name rather than a purpose.
  // What the pack says before these contacts (knowledge/data/contact-lead-ins.json).
  const lead = named ? undefined : kb.leadIns[purpose]?.text;
  const missing = missingDetail(routes, lower);
  const body = [
    ...(missing ? [text(`**${missing}**`)] : []),
    ...(lead ? [text(lead)] : []),
    text(routes.length > 0 ? routes.map((r) => routeMarkdown(r)).join('\n\n') : CONTACT_TEXT.noContactInPack),
  ];
  const title = named && first ? `Contact: ${first.who}` : `Who to contact: ${PURPOSE_LABELS[purpose]}`;
  return answerCard({ title, body, source });
}

function purposeMenu(lead?: string) {
  return adaptiveCard([
    heading(CONTACT_TEXT.menuTitle),
    ...(lead ? [text(lead)] : []),
    text(CONTACT_TEXT.menuPrompt),
    text(MENU_PURPOSES.map((p, i) => `${i + 1}. ${PURPOSE_LABELS[p]}`).join('\n')),
    choiceList(MENU_PURPOSES.map((p) => ({ title: PURPOSE_LABELS[p], says: PURPOSE_COMMANDS[p] }))),
  ]);
}

function askSite() {
  return adaptiveCard([
    text(CONTACT_TEXT.askSite),
    choiceList(SITE_CHOICES.map((c) => ({ title: c.label, says: c.says }))),
  ]);
}

function askBorough() {
  return adaptiveCard([
    text(CONTACT_TEXT.askBorough),
    choiceList(Object.values(BOROUGH_LABELS).map((b) => ({ title: b, says: b }))),
  ]);
}

function readPurpose(lower: string): Purpose | undefined {
  const pick = MENU_PICK.exec(lower.trim());
  if (pick) return MENU_PURPOSES[Number(pick[1]) - 1];
  const mailbox = downtimePurposeFor(extractPriority(lower));
  if (mailbox && /\b(?:down|downtime|email)\b/.test(lower)) return mailbox;
  if (/\b(?:a ?& ?g|advice (?:and|&) guidance)\b/.test(lower)) return 'ag-not-actioned';
  if (/\bdefer\w*\b/.test(lower)) return 'deferred-not-booked';
  if (/\b(?:clinic|service)s?\b/.test(lower)) return 'find-clinic';
  return detectPurpose(lower);
}

/** A reply to the "who to contact" dialog's question, as read once by the router. */
export type ContactAnswer =
  | { step: 'purpose'; purpose: Purpose }
  | { step: 'site' | 'borough'; sites: SiteId[]; boroughs: BoroughId[]; all: boolean };

/** Reads a reply to the dialog's current question; undefined when it is not one. */
export function contactAccepts(step: string, lower: string, entities: Entities): ContactAnswer | undefined {
  if (step === 'purpose') {
    const purpose = readPurpose(lower);
    return purpose ? { step, purpose } : undefined;
  }
  if (step !== 'site' && step !== 'borough') return undefined;
  const all = ALL.test(lower);
  const named = step === 'site' ? entities.sites.length > 0 : entities.boroughs.length > 0;
  return named || all ? { step, sites: entities.sites, boroughs: entities.boroughs, all } : undefined;
}

type Next = { ask: 'site' | 'borough' } | { routes: ContactRoute[] };

/** Decides between answering and asking for the one thing still missing (site or borough). */
export function resolveContact(
  deps: FeatureDeps,
  purpose: Purpose,
  sites: readonly SiteId[],
  boroughs: readonly BoroughId[],
  all: boolean,
): Next {
  // The RA table has two rows: showing both beats a question. Only the long tables are asked about.
  const siteSpecific = purposeNeedsSite(deps.kb, purpose);
  if (siteSpecific && sites.length === 0 && !all) {
    // Short tables are more use than a question; the downtime tables are long, so ask.
    if (asksSiteFirst(purpose)) return { ask: 'site' };
  }
  return { routes: routesFor(deps.kb, purpose, { sites, boroughs }) };
}

/** Who to contact, by purpose and by trust, site or borough, from the contacts directory only. */
export function registerContacts(app: Application<AppTurnState>, deps: FeatureDeps): void {
  app.message(routeTo('contact'), async (context, state) => {
    const insight = insightOf(context);
    if (!insight) return;
    const now = deps.clock.now();
    const { sites, boroughs, priority } = insight.entities;
    const named = insight.intent.kind === 'contact' ? (insight.intent.routeIds ?? []) : [];
    const namedRoutes = named.map((id) => deps.kb.routesById.get(id)).filter((r): r is ContactRoute => !!r);
    const first = namedRoutes[0];
    if (first && !insight.continues) {
      endDialog(state.conversation);
      rememberTopic(state.conversation, { feature: 'contact', purpose: first.purpose, sites, boroughs, priority }, now);
      await context.sendActivity({
        attachments: [contactCard(deps.kb, namedRoutes, first.purpose, true, insight.lower)],
      });
      return;
    }
    const dialog = insight.continues === 'contact' ? insight.dialog : undefined;
    const answer = insight.accepted?.dialog === 'contact' ? insight.accepted.answer : undefined;
    const saved = dialog?.data ?? {};
    const purpose: Purpose | undefined =
      answer?.step === 'purpose'
        ? answer.purpose
        : ((saved.purpose as Purpose | undefined) ??
          (insight.intent.kind === 'contact' ? insight.intent.purpose : undefined));
    if (!purpose) {
      setDialog(state.conversation, 'contact', 'purpose', {}, now);
      // "Phone number for PALS?": the pack lists no such contact; say so before the ones it has.
      const unlisted = insight.intent.kind === 'contact' && insight.intent.unlisted === true;
      await context.sendActivity({ attachments: [purposeMenu(unlisted ? CONTACT_TEXT.unlisted : undefined)] });
      return;
    }
    const useSites = sites.length > 0 ? sites : ((saved.sites as SiteId[] | undefined) ?? []);
    const useBoroughs = boroughs.length > 0 ? boroughs : ((saved.boroughs as BoroughId[] | undefined) ?? []);
    const next = resolveContact(
      deps,
      purpose,
      useSites,
      useBoroughs,
      answer?.step !== 'purpose' && answer?.all === true,
    );
    if ('ask' in next) {
      setDialog(state.conversation, 'contact', next.ask, { purpose, sites: useSites, boroughs: useBoroughs }, now);
      await context.sendActivity({ attachments: [next.ask === 'site' ? askSite() : askBorough()] });
      return;
    }
    // The whole table was shown: naming a trust (or, for the RA, a borough) next narrows it down.
    if (purposeNeedsSite(deps.kb, purpose) && useSites.length === 0) {
      setDialog(state.conversation, 'contact', 'site', { purpose, sites: [], boroughs: useBoroughs }, now);
    } else if (purpose === 'smartcard-ra' && useBoroughs.length === 0 && next.routes.length > 1) {
      setDialog(state.conversation, 'contact', 'borough', { purpose, sites: useSites, boroughs: [] }, now);
    } else endDialog(state.conversation);
    // "A new starter needs a smartcard and training": both contacts, not just the first named.
    const also = dialog
      ? []
      : detectPurposes(insight.lower).filter((p) => p !== purpose && STANDALONE.has(p) && STANDALONE.has(purpose));
    const cards = [
      contactCard(deps.kb, next.routes, purpose, false, insight.lower),
      ...also.map((p) => contactCard(deps.kb, routesFor(deps.kb, p, { sites: useSites, boroughs: useBoroughs }), p)),
    ];
    rememberTopic(
      state.conversation,
      { feature: 'contact', purpose, sites: useSites, boroughs: useBoroughs, priority },
      now,
    );
    await context.sendActivity({ attachments: cards });
  });
}
