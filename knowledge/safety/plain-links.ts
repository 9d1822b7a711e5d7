/**
 * Markdown links and images written out as text, so a broadcast cannot show "Reset your smartcard
 * PIN here" over a link to somewhere else: `[text](url)` becomes `text (url)` and Teams shows the
 * address itself.
 *
 * @example plainLinks('[PIN reset](https://evil.example)') // 'PIN reset (https://evil.example)'
 */
export function plainLinks(text: string): string {
  return text.replace(/!?\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g, (_m, label: string, url: string) =>
    label.trim() ? `${label} (${url})` : url,
  );
}
