import { SOURCE_DOCUMENTS, type SourceId } from './schema.js';

/**
 * The one way the bot cites its sources, so a new edition of the pack is one change in
 * `SOURCE_DOCUMENTS` (knowledge/schema.ts), not a hunt through the wording files.
 *
 * @example citation('ers-pack', 'e-RS Downtime Protocol')
 *   // "Source: eRS Information Pack v4.1, October 2025: e-RS Downtime Protocol"
 */
export function citation(source: SourceId, section: string): string {
  const doc = SOURCE_DOCUMENTS[source];
  return source === 'ers-pack'
    ? `Source: ${doc.title} ${doc.version}, ${doc.date}: ${section}`
    : `Source: ${doc.title} (${doc.version}, ${doc.date}): ${section}`;
}

/** The pack's section the downtime advice comes from, as the pack titles it (cited and matched on). */
export const DOWNTIME_SECTION = 'e-RS Downtime Protocol';

/** "eRS Information Pack v4.1 (October 2025)": the pack's name as prose. */
export function packName(): string {
  const pack = SOURCE_DOCUMENTS['ers-pack'];
  return `${pack.title} ${pack.version} (${pack.date})`;
}
