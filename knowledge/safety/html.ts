/**
 * HTML escaping for every page the bot serves (guidance, insights, the pack revision report): all
 * text goes in through {@link html}, which escapes it unless it is already {@link SafeHtml}, so pack
 * text, contacts and search words can never become markup.
 */
const ESCAPES: Readonly<Record<string, string>> = Object.freeze({
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
});

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Markup that is already safe: only {@link html} and {@link raw} make one. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | false | null | undefined | readonly HtmlValue[];

function interpolate(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(interpolate).join('');
  if (value === false || value === null || value === undefined) return '';
  return escapeHtml(String(value));
}

/** The tiny template: `html\`<p>${text}</p>\`` escapes `text`; nested `html` results go in as they are. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += interpolate(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** For trusted constant markup only (a stylesheet). */
export function raw(value: string): SafeHtml {
  return new SafeHtml(value);
}
