/** Words that mark a message as a follow-up to the answer before it. */

/** "done that, still red", "didn't work": the result of trying what the bot said. */
export const STILL_STUCK =
  /\b(?:still(?! (?:need|needs|have to|has to|got to|want|wants|going to|able|allowed|ok|okay|fine|valid|use|send|put|do|book|refer|on ers|on e-rs)\b)(?: not| isn'?t| red| the same| no| stuck| broken| showing| happening| getting| won'?t| can'?t| doesn'?t)?|didn'?t (?:work|help|fix)|did not (?:work|help|fix)|no luck|no joy|no change|not (?:fixed|sorted|solved|resolved)|same (?:problem|error|thing|issue|message)|(?:done|tried|did) (?:that|this|it|all that|those|all of that|all of those|all those|everything|all of them|all the above|all of the above|them all|the lot|each one))\b|^(?:nope|no|nah)\b.{0,12}\b(?:same|nothing)\b|\bsame\s*[.!]*$/;
/** "what about urgent ones?", "and for the PRUH?": asks the last question again for something else. */
export const REFERS_BACK =
  /^(?:what about|how about|and (?:for|if|what|the|a|an|in|at)|what if|same for|ok (?:and|what about))\b|\b(?:anything else|what (?:else|now|next)|then what|what do (?:i|we) do (?:now|next)|is that it|what'?s next|(?:thanks|ta|cheers|ok),? and\b|\band is there\b|(?:and )?then\?|next\?)|\bthen what\b|\bnow what\b|\b(?:and )?after that\b|\b(?:who|what|where|anyone|anybody|anything) else\b|\bis there anything (?:else )?(?:i|we) (?:need|have|should|must|ought)\b|\banything (?:else )?(?:i|we) (?:need|have|should|must) to do\b/;
/** "totally different thing", "something else": whatever follows is a new question. */
export const NEW_TOPIC =
  /\b(?:(?:totally|completely|entirely) (?:different|separate|unrelated)|something (?:else|different)|diff(?:erent)? (?:question|q|thing|topic|issue)|new (?:question|topic|q|query)|another (?:question|thing|one:|q)|unrelated|change of subject|on another note|^(?:btw|by the way)|separate (?:thing|question|issue|query|q)|(?:a )?quick (?:one|q|question)|while i have you|on a different note|different subject|one more thing|also,? (?:a )?(?:quick )?question)\b/;
/** What was tried did not work ("still red", "won't let me in either"): "done that" alone is not this. */
export const FAILED =
  /\b(?:still|didn'?t (?:work|help|fix|solve)|did not (?:work|help|fix|solve)|no luck|no joy|not (?:fixed|sorted|solved|working)|won'?t|can'?t|either|fail(?:ed|s|ing)?)\b/;
/** "how long should that take?", "by when?": asks for the time a rule gives. */
export const HOW_LONG =
  /\b(?:how long|how many (?:working )?days|how much time|by when|when should|when will|when do (?:they|we|i) (?:have to|need to)|what'?s the (?:deadline|timeframe|time frame|time limit)|deadline|time ?frame|time limit|(?:working )?days? limit|cut ?off|(?:tell me|give me|what'?s|whats) the date)\b/;
/** "what's their phone number?", "and email?": asks for a detail of the contact just given. */
export const ASKS_DETAIL =
  /\b(?:phone|number|tel|telephone|ring|call|email|e-mail|mailbox|address|contact details|details|link|portal|website)\b/;
/** "so is the appt still on?", "will the hospital tell her?": a yes/no question about what was just answered. */
export const ASKS_ABOUT_IT =
  /^(?:so |and |but |ok |okay )?(?:is|are|does|do|did|will|would|can|could|should|has|have|was)\b.*\b(?:the (?:appt|appointment|referral|ref|patient|pt|hospital|trust|provider|letter|gp|consultant|clinic)|it|that|this|she|he|they|them|her|him)\b/;
/** "what's the point though?", "why?": asks the reason for what was just answered. */
export const ASKS_WHY =
  /^(?:but |so |and |ok |okay |hmm,? )?(?:why\b|how come\b|what'?s the (?:point|reason)\b|what is the (?:point|reason)\b|what for\b)/;
/** "where can I see all the ones missing letters?": asks where something is shown, not a date. */
export const WHERE_TO_FIND =
  /\bwhere (?:can|do|would|will|should|could) (?:i|we|you) (?:see|find|look|check|get)\b|\bwhich (?:work)?list\b|\bis there a (?:work)?list\b/;
/** A yes/no question ("do we need to...", "can she...", "is there..."). */
export const YES_NO = /^(?:so |and |but |ok |okay )?(?:is|are|do|does|did|will|would|can|could|should|has|have|must)\b/;
/** "services ticked", "uploaded the bloods": a step reported done. */
export const DID_STEP =
  /\b(?:done|did|found|finished|completed|ticked|clicked|selected|uploaded|opened|logged (?:in|on)|set)\b/;
/** "what do I need to put in the request?", "anything in the subject line?": what goes in what was just given. */
export const ASKS_CONTENT =
  /\bwhat (?:do|should|shall|must) (?:i|we) (?:need to |have to )?(?:put|include|write|say|mention|add|attach)\b|\bwhat (?:goes|to put|to write|to include|needs to go) in\b|\bsubject line\b|\bin the (?:email|body|request|subject)\b/;
/** "tried every one of those tips": all of what was given, not one step of it. */
export const TRIED_ALL = /\b(?:every|all|each|everything|the lot|them all)\b/;
/** Feedback typed on the answer just given ("helpful", "not helpful"). */
export const HELPFUL = /^(?:👍\s*)?(?:helpful|that was helpful|useful|that helped)[.!]*$/;
export const NOT_HELPFUL = /^(?:👎\s*)?(?:not helpful|unhelpful|not useful|that didn'?t help|didn'?t help)[.!]*$/;
/** A follow-up this short ("key?", "any form?", "who then?") only makes sense after the answer before. */
export const FRAGMENT_WORDS = 3;
