/** Wording of the search message extension (compose box), kept together for the guidance owners. */
export const ME_TEXT = Object.freeze({
  /** Shown instead of a long contacts table (downtime addresses) the search did not narrow down. */
  contactsOnPage: 'The contacts for each provider are on the guidance page: use "Open in browser".',
  noResults: 'No guidance matches that. Try other words, e.g. "smartcard blocked", "PDS red" or "downtime".',
  outOfScope:
    'e-RS Helper covers e-RS processes only, not clinical questions. Try e.g. "smartcard blocked", "PDS red" or "downtime".',
});
