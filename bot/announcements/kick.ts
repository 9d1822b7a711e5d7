/**
 * Wakes the delivery runner at once instead of at its next tick (a "send now" announcement, a
 * reminder, a reply Teams throttled). One per host, made in bot/deps.ts `appDeps` and passed to both
 * the app (which kicks) and the server's scheduler (which listens), so two hosts in one process never
 * wake each other's runner.
 */
export interface DeliveryKick {
  kick(): void;
  /** The scheduler's wake-up; returns how to stop listening. */
  onKick(fn: () => void): () => void;
}

export function createDeliveryKick(): DeliveryKick {
  let listener: (() => void) | undefined;
  return {
    kick: () => listener?.(),
    onKick: (fn) => {
      listener = fn;
      return () => {
        if (listener === fn) listener = undefined;
      };
    },
  };
}
