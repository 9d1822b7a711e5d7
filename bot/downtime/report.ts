import type { CurrentDowntime } from '../../knowledge/announcements/current-downtime.js';
import type { DowntimeScope } from '../../knowledge/announcements/model.js';
import { DOWNTIME_STAGE_LABELS } from '../../knowledge/rules/downtime-stages.js';

/** The current downtime as `GET /api/downtime` gives it: plain JSON, times as ISO 8601 UTC. */
export interface DowntimeReport {
  status: 'none' | 'down' | 'restored';
  asAt: string;
  announcementId?: string;
  title?: string;
  planned?: boolean;
  scope?: 'national' | 'optum-vision' | { trusts: string[] };
  startedAt?: string;
  announcedAt?: string;
  endsAt?: string;
  stage?: { number: 1 | 2 | 3; label: string; startedAt: string } | null;
  nextStage?: { number: 2 | 3; label: string; startsAt: string } | null;
  restoredAt?: string;
  restoredBy?: 'announced' | 'planned-end';
}

function scopeJson(scope: DowntimeScope): DowntimeReport['scope'] {
  return scope.kind === 'trusts' ? { trusts: [...scope.trusts] } : scope.kind;
}

export function downtimeReport(current: CurrentDowntime, now: Date): DowntimeReport {
  const asAt = now.toISOString();
  if (current.kind === 'none') return { status: 'none', asAt };
  if (current.kind === 'restored') {
    return {
      status: 'restored',
      asAt,
      announcementId: current.announcementId,
      scope: scopeJson(current.scope),
      ...(current.startedAt ? { startedAt: current.startedAt.toISOString() } : {}),
      restoredAt: current.restoredAt.toISOString(),
      restoredBy: current.how,
    };
  }
  const stage = current.stage;
  return {
    status: 'down',
    asAt,
    announcementId: current.announcementId,
    title: current.title,
    planned: current.planned,
    scope: scopeJson(current.scope),
    startedAt: current.startedAt.toISOString(),
    announcedAt: current.announcedAt.toISOString(),
    ...(current.endsAt ? { endsAt: current.endsAt.toISOString() } : {}),
    // An Optum/Vision link problem has no stages: null, not absent, so a client sees it was considered.
    stage: stage ? { number: stage.stage, label: stage.label, startedAt: stage.stageStartedAt.toISOString() } : null,
    nextStage:
      stage?.nextStage && stage.nextStageAt
        ? {
            number: stage.nextStage,
            label: DOWNTIME_STAGE_LABELS[stage.nextStage],
            startsAt: stage.nextStageAt.toISOString(),
          }
        : null,
  };
}
