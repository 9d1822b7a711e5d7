import { z } from 'zod';
import type { Entities } from '../../knowledge/entities.js';
import { boroughId, priority, purpose, siteId } from '../../knowledge/schema.js';
import { type ConversationData, stateTime } from '../state.js';
import { compileCheck } from '../state-check.js';

/**
 * What the conversation last answered, and the details it was answered for, so that a follow-up
 * that only refines it ("its the pruh", "what about routine ones?", "it's 2pm now") is answered on
 * the same topic instead of being searched on its own. Saved in conversation state; state that no
 * longer fits this shape (an older release) is dropped, as dialogs are.
 */
export const topicSchema = z.object({
  feature: z.enum(['knowledge', 'contact', 'troubleshoot', 'downtime', 'deadline']),
  entryId: z.string().max(80).optional(),
  purpose: purpose.optional(),
  issue: z.number().int().min(1).max(8).optional(),
  situation: z.enum(['national', 'link', 'local', 'major-incident', 'restored']).optional(),
  sites: z.array(siteId),
  boroughs: z.array(boroughId),
  priority: priority.optional(),
  rule: z.enum(['deferral', 'letter', 'availability', 'rejection-letter']).optional(),
  start: z
    .object({
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      time: z.object({ hour: z.number().int().min(0).max(23), minute: z.number().int().min(0).max(59) }).optional(),
    })
    .optional(),
  /** The numbered step of the answer the person was last pointed to ("found it, what next?"). */
  step: z.number().int().min(1).max(50).optional(),
  /** When e-RS went down, as the person said it (an ISO instant). */
  downSince: z.string().max(40).optional(),
  /** How far the person's stated now ("it's now Tuesday 15 December") is from the clock, in minutes. */
  nowOffsetMinutes: z.number().int().optional(),
  at: z.string(),
});

export type Topic = z.infer<typeof topicSchema>;
/** topicSchema.safeParse, as plain checks: read every turn. */
const checkTopic = compileCheck(topicSchema);
export type TopicInput = Omit<Topic, 'at' | 'sites' | 'boroughs'> & Partial<Pick<Topic, 'sites' | 'boroughs'>>;

/** Remembers what was just answered (replacing what was there). */
export function rememberTopic(conversation: ConversationData, topic: TopicInput, now: Date): void {
  // Fields left undefined are not kept (the saved JSON would drop them anyway): one pass, every answer,
  // in the topic's own key order, then the places and the time (an "at" already there keeps its place).
  // No object rest or spread: on this path they cost more than the rest of the function.
  const clean: Record<string, unknown> = {};
  const fields = topic as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (key === 'sites' || key === 'boroughs') continue;
    const value = fields[key];
    if (value !== undefined) clean[key] = value;
  }
  clean.sites = topic.sites === undefined ? [] : topic.sites;
  clean.boroughs = topic.boroughs === undefined ? [] : topic.boroughs;
  clean.at = stateTime(now);
  conversation.topic = clean;
}

/** The topic last answered, unless it is older than the timeout or no longer fits (then dropped). */
export function recallTopic(conversation: ConversationData, now: Date, timeoutMinutes: number): Topic | undefined {
  const parsed = checkTopic(conversation.topic);
  if (!parsed.success) {
    delete conversation.topic;
    return undefined;
  }
  const age = now.getTime() - Date.parse(parsed.data.at);
  if (!(age >= 0 && age <= timeoutMinutes * 60_000)) {
    delete conversation.topic;
    return undefined;
  }
  return parsed.data;
}

/** The message's places and priority, with the topic's where the message names none. */
export function mergeEntities(own: Entities, topic: Topic): Entities {
  const places = own.sites.length > 0 || own.trusts.length > 0 || own.boroughs.length > 0;
  const merged: Entities = places
    ? { sites: own.sites, trusts: own.trusts, boroughs: own.boroughs }
    : { sites: topic.sites, trusts: [], boroughs: topic.boroughs };
  const priority = own.priority ?? topic.priority;
  if (priority) merged.priority = priority;
  return merged;
}
