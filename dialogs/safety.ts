import type { Application } from '@microsoft/teams-ai';
import { ActivityTypes } from 'botbuilder';
import { PII_WARNING } from '../knowledge/safety/pii.js';
import type { FeatureDeps } from './feature-deps.js';
import { insightOf } from './router.js';
import type { AppTurnState } from './state.js';

function tenantOf(activity: { conversation?: { tenantId?: string }; channelData?: unknown }): string | undefined {
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const id = channelData?.tenant?.id ?? activity.conversation?.tenantId;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Turn guards: activities from tenants not on ALLOWED_TENANTS get no answer (and are logged), and a
 * message with patient-identifiable information is answered, but only after a warning.
 */
export function registerSafety(app: Application<AppTurnState>, deps: FeatureDeps): void {
  const allowed = new Set(deps.config.allowedTenants);
  app.turn('beforeTurn', async (context) => {
    if (allowed.size === 0) return true;
    const tenant = tenantOf(context.activity);
    if (tenant && allowed.has(tenant)) return true;
    deps.logger.warn(
      { event: 'tenant.refused', tenant: tenant ?? 'none', type: context.activity.type },
      'activity from a tenant not allowed',
    );
    return false;
  });
}

/** Sends the patient-identifiable information warning ahead of the answer, once per message. */
export function registerPiiWarning(app: Application<AppTurnState>): void {
  app.turn('beforeTurn', async (context) => {
    if (context.activity.type === ActivityTypes.Message && insightOf(context)?.piiFound) {
      await context.sendActivity(PII_WARNING);
    }
    return true;
  });
}
