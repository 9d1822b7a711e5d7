import type { Application } from '@microsoft/teams-ai';
import type { SiteId } from '../knowledge/schema.js';
import { answerCard, guidanceUrl, sourceLine } from './answer-card.js';
import { steps, text } from './cards/card.js';
import { routeMarkdown, routesFor } from './contacts-view.js';
import { endDialog } from './dialog-state.js';
import type { FeatureDeps } from './feature-deps.js';
import { insightOf, routeTo } from './router.js';
import type { AppTurnState } from './state.js';
import { KB_TEXT } from './knowledge-text.js';
import { rememberTopic } from './turn/topic.js';

const TIPS_TEXT = Object.freeze({
  // The pack's lead-in (contact-lead-ins.json) follows, when the data has one.
  stillStuck: (leadIn: string | undefined) => (leadIn ? `**Still stuck?** ${leadIn}` : '**Still stuck?**'),
  nameTheTrust:
    '**Still stuck?** Tell me the trust or site (e.g. "PRUH", "QEH", "Guy\'s", "Denmark Hill") and I\'ll give you its e-RS contact.',
});

/** The pack's four tips for finding a service on e-RS, then the trust contacts for when still stuck. */
export function searchTipsCard(deps: FeatureDeps, sites: readonly SiteId[], step?: number) {
  const id = deps.kb.routing.searchTipsEntry;
  const entry = deps.kb.byId.get(id);
  if (!entry) throw new Error(`knowledge entry ${id} is missing`);
  // Every trust's contact would double the card: with no trust named, ask for it instead.
  const routes = sites.length > 0 ? routesFor(deps.kb, 'find-clinic', { sites }) : [];
  const contacts =
    routes.length > 0
      ? [
          text(TIPS_TEXT.stillStuck(deps.kb.leadIns['find-clinic']?.text)),
          text(routes.map((r) => routeMarkdown(r)).join('\n\n')),
        ]
      : [text(TIPS_TEXT.nameTheTrust)];
  // "tried both, still nothing" after the first tip: the next one first, then the rest as before.
  const next = step !== undefined ? entry.steps[step - 1] : undefined;
  const lead = next && step ? [text(KB_TEXT.nextStep(step, entry.steps.length, next))] : [];
  return answerCard({
    title: entry.title,
    body: [...lead, steps(entry.steps), ...contacts],
    source: sourceLine(entry),
    pageUrl: guidanceUrl(deps.config, entry.id),
  });
}

export function registerSearchTips(app: Application<AppTurnState>, deps: FeatureDeps): void {
  app.message(routeTo('search-tips'), async (context, state) => {
    const insight = insightOf(context);
    if (!insight) return;
    endDialog(state.conversation);
    const { sites, boroughs } = insight.entities;
    const entry = deps.kb.byId.get(deps.kb.routing.searchTipsEntry);
    // Back after trying some of the tips: the one after the last given (or after the one named).
    const tried = insight.refines?.entryId === entry?.id ? (insight.refines?.step ?? 1) : undefined;
    const step = tried !== undefined && entry && tried < entry.steps.length ? tried + 1 : undefined;
    // "it's for the PRUH" next is answered with that trust's contact for finding a clinic.
    rememberTopic(
      state.conversation,
      { feature: 'contact', purpose: 'find-clinic', entryId: entry?.id, step, sites, boroughs },
      deps.clock.now(),
    );
    await context.sendActivity({ attachments: [searchTipsCard(deps, sites, step)] });
  });
}
