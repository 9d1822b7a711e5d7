/** Wording for knowledge answers, kept together for review by the guidance owners. */
export const KB_TEXT = Object.freeze({
  didYouMean: 'Did you mean one of these? Pick one or type its number (1-3).',
  notFound:
    'I couldn\'t find that in the eRS Information Pack. Try different words (for example "smartcard blocked", "PDS red", "defer to provider"), or type "help" to see what I can do.',
  notFoundTraining: 'For questions the pack does not cover, contact e-RS training:',
  outOfScopeClinical:
    "I can't help with clinical questions: I cover e-RS processes only, from the eRS Information Pack. For specialist clinical advice, the pack suggests e-RS Advice & Guidance or Consultant Connect.",
  outOfScopeEmergency:
    "A patient who needs care now needs your usual emergency route, not e-RS: the eRS Information Pack says A&G is not for emergency patient care. I can't help with clinical decisions.",
  outOfScopeOutsideArea:
    "The eRS Information Pack only covers South East London practices (Bexley, Bromley, Greenwich, Lambeth, Lewisham and Southwark) and their local providers (GSTT, King's, Lewisham and Greenwich, Darent Valley, Oxleas). It has no contacts for other areas: ask your own ICB or the provider directly.",
  outOfScopeSmallTalk:
    'I only help with the NHS e-Referral Service (e-RS) for South East London practices. Type "help" to see what I can do.',
  helpful: 'Helpful',
  notHelpful: 'Not helpful',
  thanksHelpful: 'Thanks for the feedback.',
  thanksNotHelpful:
    'Thanks: I\'ve passed that on to the people who maintain the guidance. Type "help" to see other ways I can help.',
  noAnswerToRate: 'There is no recent answer to give feedback on.',
  ratedHelpful: 'You marked this answer helpful. Thanks for the feedback.',
  ratedNotHelpful:
    'You marked this answer not helpful: I\'ve passed that on to the people who maintain the guidance. Type "help" to see other ways I can help.',
  related: 'Related',
  nearestAnswer:
    "This is the nearest answer I found in the pack; if it isn't what you meant, try one of the options below.",
  nameTheTrust:
    'Contacts differ by trust: tell me the trust or site (e.g. "PRUH", "QEH", "Guy\'s", "Denmark Hill") and I\'ll give you its contact.',
  notQuite: 'Not quite what you asked? You might mean:',
  standsFor: (acronym: string, expansion: string) => `**${acronym}** stands for ${expansion}.`,
  nextStep: (step: number, of: number, says: string) => `**Next, step ${step} of ${of}:** ${says}`,
});
