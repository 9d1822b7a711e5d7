import type { Application } from '@microsoft/teams-ai';
import type { AppTurnState } from '../bot/state.js';
import type { SiteId } from '../knowledge/schema.js';
import { answerCard, guidanceUrl, sourceLine } from './answer-card.js';
import { steps, text } from './cards/card.js';
import { routeMarkdown, routesFor } from './contacts-view.js';
import { endDialog } from './dialog-state.js';
import type { FeatureDeps } from './feature-deps.js';
import { insightOf, routeTo } from './router.js';

const TIPS_ENTRY = 'finding-a-clinic-tips';

/** The pack's four tips for finding a service on e-RS, then the trust contacts for when still stuck. */
export function searchTipsCard(deps: FeatureDeps, sites: readonly SiteId[]) {
  const entry = deps.kb.byId.get(TIPS_ENTRY);
  if (!entry) throw new Error(`knowledge entry ${TIPS_ENTRY} is missing`);
  const routes = routesFor(deps.kb, 'find-clinic', { sites });
  return answerCard({
    title: entry.title,
    body: [
      steps(entry.steps),
      text("**Still stuck?** If you're still having difficulty finding a suitable clinic, you can contact:"),
      text(routes.map((r) => routeMarkdown(r)).join('\n\n')),
    ],
    source: sourceLine(entry),
    pageUrl: guidanceUrl(deps.config, entry.id),
  });
}

export function registerSearchTips(app: Application<AppTurnState>, deps: FeatureDeps): void {
  app.message(routeTo('search-tips'), async (context, state) => {
    const insight = insightOf(context);
    if (!insight) return;
    endDialog(state.conversation);
    await context.sendActivity({ attachments: [searchTipsCard(deps, insight.search.entities.sites)] });
  });
}
