/**
 * The announcement and reminder commands typed in chat. One list, read by the router (so no other
 * feature claims "cancel reminder ab12cd34" because its words look like a topic of the pack) and by
 * the announcements feature that carries them out.
 */
export const COMMANDS = Object.freeze({
  announce: /^(?:announce|new announcement|make an announcement|create announcement)[.!]?$/,
  list: /^(?:announcements|list announcements|show announcements)[.!?]?$/,
  cancel: /^cancel announcement ([a-z0-9]{8})[.!]?$/,
  myReminders: /^(?:my reminders|list reminders|show my reminders)[.!?]?$/,
  cancelReminder: /^cancel reminder ([a-z0-9]{8})[.!]?$/,
  subscribe: /^(un)?subscribe(?: to)?(?: the)? (?:daily )?worklists? reminders?[.!]?$/,
});

const COMMAND_PATTERNS: readonly RegExp[] = Object.values(COMMANDS);

/** Whether the (lower-case, cleaned) message is one of the commands. */
export function isAnnouncementCommand(lower: string): boolean {
  // Trimmed once, not once per command: this runs on every message.
  const trimmed = lower.trim();
  return COMMAND_PATTERNS.some((re) => re.test(trimmed));
}
