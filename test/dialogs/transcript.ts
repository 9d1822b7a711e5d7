import type { Activity } from 'botbuilder';
import { expect } from 'vitest';
import { readable } from '../helpers/setup.js';

/** An assertReply check: the reply (text and cards) says every one of these. */
export function says(...facts: string[]) {
  return (activity: Partial<Activity>): void => {
    const text = readable(activity);
    for (const fact of facts) expect(text).toContain(fact);
  };
}

/** An assertReply check: the reply says none of these. */
export function saysNot(...facts: string[]) {
  return (activity: Partial<Activity>): void => {
    const text = readable(activity);
    for (const fact of facts) expect(text).not.toContain(fact);
  };
}

/** An assertReply check combining several. */
export function all(...checks: ((activity: Partial<Activity>) => void)[]) {
  return (activity: Partial<Activity>): void => {
    for (const check of checks) check(activity);
  };
}

/** An assertReply check: these lines appear in this order. */
export function inOrder(...facts: string[]) {
  return (activity: Partial<Activity>): void => {
    const text = readable(activity);
    let from = -1;
    for (const fact of facts) {
      const at = text.indexOf(fact, from + 1);
      expect(at, `"${fact}" after position ${from}`).toBeGreaterThan(from);
      from = at;
    }
  };
}
