import type { KnowledgeBase } from '../knowledge/load.js';
import type { BoroughId, ContactRoute, Priority, Purpose, SiteId } from '../knowledge/schema.js';
import { mailto, tel } from './cards/card.js';

/** Which sites a route serves, as a short label: "KCH Denmark Hill", "LGT (QEH, UHL)". */
const SITE_SHORT: Readonly<Record<SiteId, string>> = Object.freeze({
  gstt: 'GSTT (incl. Evelina)',
  'kch-dh': 'KCH Denmark Hill',
  'kch-pruh': 'KCH PRUH & South Sites',
  'lgt-qeh': 'LGT Queen Elizabeth (QEH)',
  'lgt-uhl': 'LGT University Hospital Lewisham (UHL)',
  dvh: 'Darent Valley Hospital',
  oxleas: 'Oxleas',
});

export function siteLabel(site: SiteId): string {
  return SITE_SHORT[site];
}

export function routeLabel(route: ContactRoute): string {
  const sites = route.sites ?? [];
  if (sites.length === 2 && sites.every((s) => s.startsWith('lgt-'))) return 'LGT (QEH and UHL)';
  if (sites.length > 0) return sites.map(siteLabel).join(', ');
  if (route.boroughs && route.boroughs.length > 0) {
    const names = route.boroughs.map((b) => b[0]?.toUpperCase() + b.slice(1));
    return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '');
  }
  return route.who ?? '';
}

/**
 * One route as chat markdown: where, who, what to do, then every address and number as a link.
 * Details come only from the contacts data, so nothing here can invent a contact.
 */
export function routeMarkdown(route: ContactRoute, options: { showHow?: boolean; showWho?: boolean } = {}): string {
  const label = routeLabel(route);
  // Under a heading that already says what the mailbox is for, the site is enough.
  const noAddress = route.emails.length === 0 && route.phones.length === 0;
  const whoWanted = options.showWho !== false;
  const heading =
    !whoWanted || !route.who || route.who === label
      ? label
      : route.who.includes(label)
        ? route.who
        : `${label} – ${route.who}`;
  const parts = [`**${heading}**`];
  // With no address to write to, what to do is the whole instruction (GSTT: "use the addresses on the
  // specialty pages"), so it is never left out.
  if (options.showHow !== false || noAddress) parts.push(route.how);
  if (route.emails.length > 0) parts.push(`Email: ${route.emails.map(mailto).join(' and ')}`);
  if (route.cc.length > 0) parts.push(`cc: ${route.cc.map(mailto).join(', ')}`);
  if (route.phones.length > 0) parts.push(`Phone: ${route.phones.map(tel).join(', ')}`);
  for (const link of route.links) parts.push(`[${link.title}](${link.url})`);
  return parts.join('\n');
}

export interface RouteFilter {
  sites?: readonly SiteId[];
  boroughs?: readonly BoroughId[];
}

/**
 * The routes for a purpose, narrowed to the sites or boroughs asked about. Routes with no site or
 * borough (a general contact such as the GP IT facilitator) always stay. An empty filter keeps all:
 * the caller shows the whole table.
 */
/**
 * Keeps the routes for the priority asked about: a 2WW question gets the 2WW mailboxes, an urgent or
 * routine one the urgent and routine mailboxes. Unchanged when nothing would be left.
 */
export function forPriority(routes: readonly ContactRoute[], priority: Priority | undefined): ContactRoute[] {
  if (!priority) return [...routes];
  const other = priority === '2ww' ? 'downtime-urgent-routine' : 'downtime-2ww';
  const kept = routes.filter((r) => r.purpose !== other);
  return kept.length > 0 ? kept : [...routes];
}

export function routesFor(kb: KnowledgeBase, purpose: Purpose, filter: RouteFilter = {}): ContactRoute[] {
  const all = kb.contacts.routes.filter((r) => r.purpose === purpose);
  const sites = filter.sites ?? [];
  const boroughs = filter.boroughs ?? [];
  return all.filter((r) => {
    if (r.sites && sites.length > 0) return r.sites.some((s) => sites.includes(s));
    if (r.boroughs && boroughs.length > 0) return r.boroughs.some((b) => boroughs.includes(b));
    return true;
  });
}

/**
 * The downtime mailboxes are long tables (a row per site, two priorities): the trust is asked for
 * before they are shown, by "who to contact" and by troubleshooting alike.
 */
export function asksSiteFirst(purpose: Purpose): boolean {
  return purpose === 'downtime-2ww' || purpose === 'downtime-urgent-routine';
}

/** True when the purpose's contacts differ by site (so the bot should ask which one). */
export function purposeNeedsSite(kb: KnowledgeBase, purpose: Purpose): boolean {
  return kb.contacts.routes.some((r) => r.purpose === purpose && (r.sites?.length ?? 0) > 0);
}
