/**
 * Query and index text normalisation. The same function runs over the knowledge entries when the
 * index is built and over every user message, so a variant ("two week wait", "USC", "2 ww") and the
 * pack's own wording ("Urgent Suspected Cancer (2WW)") meet on one canonical token ("2ww").
 *
 * The synonyms and stop words are content, kept in `knowledge/data/synonyms.json` and
 * `stop-words.json` where the guidance owners can review them; `loadKnowledge` checks them and
 * builds one {@link Normaliser} per knowledge base with {@link createNormaliser}.
 */

/** The retrieval vocabulary, as validated from `knowledge/data/` (see `vocabularySchema`). */
export interface Vocabulary {
  /** Canonical token → the ways staff write it, in cleaned form; longest variant wins. */
  readonly synonyms: Readonly<Record<string, readonly string[]>>;
  /** Words that carry no meaning for retrieval. */
  readonly stopWords: readonly string[];
}

const HTML_ENTITIES: Readonly<Record<string, string>> = Object.freeze({
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  rsquo: "'",
  lsquo: "'",
  ldquo: '"',
  rdquo: '"',
  ndash: '-',
  mdash: '-',
});

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]+);/gi, (whole, body: string) => {
    const lower = body.toLowerCase();
    if (!lower.startsWith('#')) return HTML_ENTITIES[lower] ?? whole;
    const code = lower.startsWith('#x') ? Number.parseInt(lower.slice(2), 16) : Number.parseInt(lower.slice(1), 10);
    // "&#99999999;" is no character: left as typed rather than thrown on (String.fromCodePoint throws).
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * The one place message markup is undone, for every reader of text (the turn's cleaner
 * `cleanInput`, and {@link foldForSearch} for search and contact finding): Teams `<at>…</at>`
 * mentions and HTML tags become spaces (teams-ai strips the bot's own mention, but a channel
 * message may carry others), entities are decoded, and typographic quotes become straight ones.
 */
export function stripMarkup(text: string): string {
  return decodeEntities(text.replace(/<at\b[^>]*>[\s\S]*?<\/at>/gi, ' ').replace(/<[^>]*>/g, ' '))
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"');
}

/**
 * Text as search compares it: {@link stripMarkup}, then lower case without accents, apostrophes
 * ("King's" → "kings") or punctuation. "&" survives so "A&G" stays one idea.
 */
export function foldForSearch(text: string): string {
  // Most messages are plain ASCII with no markup: only the steps that can change such text run.
  if (NEEDS_FULL_FOLD.test(text)) return foldFully(text);
  const ampersand = text.includes('&');
  // An entity needs "&...;"; without both, stripMarkup leaves ASCII text with no "<" as it is.
  if (ampersand && text.includes(';')) return foldFully(text);
  let folded = text.toLowerCase();
  if (folded.includes("'")) folded = folded.replace(/(\w)'(\w)/g, '$1$2').replace(/(\w)s'/g, '$1s');
  folded = folded.replace(/[^a-z0-9&]+/g, ' ');
  // Without "&" the line above already leaves single spaces between words.
  if (ampersand) folded = folded.replace(/\s*&\s*/g, ' & ').replace(/\s+/g, ' ');
  return folded.trim();
}

/** Text {@link foldForSearch}'s shortcut cannot take: anything not ASCII (accents, curly quotes), a tag, a backtick. */
const NEEDS_FULL_FOLD = /[\u0080-\uffff]|[<`]/;

/** {@link foldForSearch} step by step, for any text (exported so tests can hold the shortcut to it). */
export function foldFully(text: string): string {
  return stripMarkup(text)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u201b\u2032`\u00b4]/g, "'")
    .replace(/(\w)'(\w)/g, '$1$2')
    .replace(/(\w)s'/g, '$1s')
    .replace(/[^a-z0-9&]+/g, ' ')
    .replace(/\s*&\s*/g, ' & ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Phrases looked for as whole words in folded text (`` ` ${folded} `.includes(` ${phrase} `) ``),
 * found by their first word: a message's few words pick the few phrases that can be in it, rather
 * than one scan of the message per phrase. In text built from whole words separated by single
 * spaces, a padded phrase can only start at a word equal to its first word; a phrase whose padded
 * form does not start with a space and a word is always checked, so the answer is `includes`'s.
 */
export class WordPhrases {
  private readonly byFirst = new Map<string, number[]>();
  private readonly always: number[] = [];

  /** @param padded each phrase with a space either side (` phrase `), as `includes` looks for it. */
  constructor(private readonly padded: readonly string[]) {
    padded.forEach((phrase, index) => {
      const first = phrase.startsWith(' ') ? phrase.slice(1, Math.max(1, phrase.indexOf(' ', 1))) : '';
      if (first === '') {
        this.always.push(index);
        return;
      }
      const list = this.byFirst.get(first) ?? [];
      list.push(index);
      this.byFirst.set(first, list);
    });
  }

  /**
   * Indexes, in phrase order, of the phrases `text` contains.
   * @param text `` ` ${words.join(' ')} ` ``
   * @param words the text's words (non-empty, no spaces)
   */
  found(text: string, words: readonly string[]): number[] {
    const found: number[] = [];
    const check = (index: number) => {
      if (!found.includes(index) && text.includes(this.padded[index] as string)) found.push(index);
    };
    for (const index of this.always) check(index);
    for (const word of words) for (const index of this.byFirst.get(word) ?? []) check(index);
    return found.sort((a, b) => a - b);
  }

  /** Whether `text` contains any of the phrases (arguments as for {@link found}). */
  some(text: string, words: readonly string[]): boolean {
    for (const index of this.always) if (text.includes(this.padded[index] as string)) return true;
    for (const word of words) {
      for (const index of this.byFirst.get(word) ?? []) if (text.includes(this.padded[index] as string)) return true;
    }
    return false;
  }
}

interface PhraseTable {
  /** First word → variants starting with it (as word arrays), longest first. */
  readonly byFirst: ReadonlyMap<string, ReadonlyArray<{ words: readonly string[]; canonical: string }>>;
}

function buildPhraseTable(synonyms: Readonly<Record<string, readonly string[]>>): PhraseTable {
  const byFirst = new Map<string, Array<{ words: readonly string[]; canonical: string }>>();
  for (const [canonical, variants] of Object.entries(synonyms)) {
    for (const variant of [canonical, ...variants]) {
      const words = foldForSearch(variant).split(' ').filter(Boolean);
      const first = words[0];
      if (first === undefined) continue;
      const list = byFirst.get(first) ?? [];
      list.push({ words, canonical });
      byFirst.set(first, list);
    }
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.words.length - a.words.length);
  return { byFirst };
}

/** The vocabulary-dependent half of normalisation; {@link foldForSearch} needs no vocabulary. */
export interface Normaliser {
  /** Canonical tokens, for callers that must not stem or drop them. */
  readonly canonicalTerms: ReadonlySet<string>;
  readonly stem: (word: string) => string;
  readonly expandSynonyms: (words: readonly string[]) => string[];
  readonly tokens: (text: string) => string[];
  /**
   * {@link tokens} of a text already folded by {@link foldForSearch} (search folds a message once),
   * optionally with its words already split (`folded.split(' ').filter(Boolean)`; not changed).
   */
  readonly tokensOfFolded: (folded: string, words?: readonly string[]) => string[];
  readonly normaliseQuery: (text: string) => string;
}

/** Builds the phrase table once; call once per knowledge base and pass the result in. */
export function createNormaliser(vocabulary: Vocabulary): Normaliser {
  const phrases = buildPhraseTable(vocabulary.synonyms);
  const canonicalTerms: ReadonlySet<string> = new Set(Object.keys(vocabulary.synonyms));
  const stopWords: ReadonlySet<string> = new Set(vocabulary.stopWords);

  /**
   * A light English stemmer: enough that "blocked"/"blocking"/"blocks" meet on "block" without
   * a dictionary. Short words and canonical terms are left alone.
   */
  function stem(word: string): string {
    if (word.length <= 4 || canonicalTerms.has(word) || /\d/.test(word)) return word;
    if (word.endsWith('ies') && word.length > 5) return `${word.slice(0, -3)}y`;
    if (word.endsWith('ing') && word.length > 6) return undouble(word.slice(0, -3));
    if (word.endsWith('ed') && word.length > 5) return undouble(word.slice(0, -2));
    if (word.endsWith('es') && /(ch|sh|x|ss)es$/.test(word)) return word.slice(0, -2);
    if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
    return word;
  }

  function undouble(word: string): string {
    return /([b-df-hj-np-tv-z])\1$/.test(word) && !word.endsWith('ll') && !word.endsWith('ss')
      ? word.slice(0, -1)
      : word;
  }

  /** Replaces known variants with their canonical token, longest phrase first. */
  function expandSynonyms(words: readonly string[]): string[] {
    const out: string[] = [];
    let i = 0;
    while (i < words.length) {
      const word = words[i] as string;
      const candidates = phrases.byFirst.get(word);
      let matched = false;
      if (candidates) {
        for (const { words: phrase, canonical } of candidates) {
          if (i + phrase.length > words.length) continue;
          let ok = true;
          for (let k = 1; k < phrase.length; k++) {
            if (words[i + k] !== phrase[k]) {
              ok = false;
              break;
            }
          }
          if (ok) {
            out.push(canonical);
            i += phrase.length;
            matched = true;
            break;
          }
        }
      }
      if (!matched) {
        out.push(word);
        i += 1;
      }
    }
    return out;
  }

  /**
   * The retrieval tokens of a text: cleaned, synonyms made canonical, stop words dropped, stemmed,
   * duplicates removed (order kept).
   *
   * @example tokens("<at>e-RS Helper</at> Smart card blocked at King's!") → ['smartcard', 'block', 'kch']
   */
  function tokens(text: string): string[] {
    return tokensOfFolded(foldForSearch(text));
  }

  function tokensOfFolded(folded: string, split: readonly string[] = folded.split(' ').filter(Boolean)): string[] {
    let words = split;
    // A question ending in "for" ("what is advice and guidance for") asks for the purpose.
    if (words.length > 2 && words.at(-1) === 'for') words = [...words, 'purpose'];
    const seen = new Set<string>();
    const out: string[] = [];
    for (const word of expandSynonyms(words)) {
      if (stopWords.has(word)) continue;
      const stemmed = stem(word);
      if (seen.has(stemmed)) continue;
      seen.add(stemmed);
      out.push(stemmed);
    }
    return out;
  }

  /** The normalised query string: the tokens joined by single spaces. */
  function normaliseQuery(text: string): string {
    return tokens(text).join(' ');
  }

  return Object.freeze({ canonicalTerms, stem, expandSynonyms, tokens, tokensOfFolded, normaliseQuery });
}
