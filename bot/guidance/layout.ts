import { createHash } from 'node:crypto';
import type { PageBanner } from '../../dialogs/downtime-live.js';
import { html, raw, type SafeHtml } from '../../knowledge/safety/html.js';
import type { Config } from '../config.js';
import { PAGE_TEXT } from './page-text.js';

/**
 * The frame every guidance page shares: the stylesheet and the Content-Security-Policy that allows it
 * by hash, the site's paths, the header, the downtime banner and the footer. The pages themselves
 * are in pages.ts, their wording in page-text.ts.
 */

export type { PageBanner };

export type SiteConfig = Pick<
  Config,
  'publicBaseUrl' | 'version' | 'pack' | 'retentionDays' | 'dialogTimeoutMinutes'
> & {
  banner?: PageBanner;
};

/*
 * NHS palette: #005EB8 (blue) on white is 5.9:1, text #212B32 on white 15:1, secondary text #4C6272
 * 6.2:1; focus is the NHS yellow (#FFEB3B) with a dark underline, visible on every background here.
 */
export const GUIDANCE_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{font-family:Arial,"Helvetica Neue",Helvetica,sans-serif;font-size:100%;line-height:1.5;color:#212b32;background:#fff;-webkit-text-size-adjust:100%}
body{margin:0}
a{color:#005eb8;text-decoration:underline;text-underline-offset:.15em}
a:visited{color:#330072}
a:hover{color:#7c2855;text-decoration-thickness:3px}
a:focus-visible,button:focus-visible,input:focus-visible{outline:4px solid transparent;background:#ffeb3b;color:#212b32;box-shadow:0 -2px #ffeb3b,0 4px #212b32;text-decoration:none}
input:focus-visible{box-shadow:inset 0 0 0 2px #212b32;outline:4px solid #ffeb3b;outline-offset:0}
.skip-link{position:absolute;left:-9999px;top:0;padding:.5rem 1rem;background:#ffeb3b;color:#212b32}
.skip-link:focus{left:1rem;z-index:10}
.wrap{max-width:60rem;margin:0 auto;padding:0 1rem}
.site-header{background:#005eb8;color:#fff;padding:1rem 0}
.site-header a,.site-header a:visited{color:#fff}
.site-header a:focus-visible{color:#212b32}
.site-name{display:inline-block;font-size:1.375rem;font-weight:700;text-decoration:none;margin-bottom:.5rem}
.site-nav ul{list-style:none;margin:0 0 .75rem;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.5rem}
.search{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
.search label{flex-basis:100%;font-weight:700}
.search .hint{flex-basis:100%;margin:-.25rem 0 0;font-size:.9375rem}
.search input{flex:1 1 16rem;min-width:0;font:inherit;padding:.5rem;border:2px solid #212b32;border-radius:0;color:#212b32;background:#fff}
.search button{font:inherit;font-weight:700;padding:.5rem 1.25rem;border:2px solid #fff;background:#007f3b;color:#fff;cursor:pointer}
.search button:hover{background:#00662f}
main{display:block;padding:1.5rem 0 2.5rem}
h1{font-size:2rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.5rem;line-height:1.3;margin:2rem 0 .75rem}
h3{font-size:1.1875rem;line-height:1.35;margin:1.5rem 0 .5rem}
p,ul,ol{margin:0 0 1rem}
li{margin-bottom:.35rem}
.lede{font-size:1.1875rem}
.meta,.section-path{color:#4c6272}
.breadcrumb ol{list-style:none;padding:0;margin:0 0 .5rem;display:flex;flex-wrap:wrap;gap:.25rem}
.breadcrumb li+li::before{content:"\\203A";margin:0 .4rem;color:#4c6272}
.contents{columns:2 18rem;padding-left:1.25rem}
.topics{padding-left:1.25rem}
.results{padding-left:1.5rem}
.results p{margin:.25rem 0 .25rem}
.contact{border-left:4px solid #005eb8;padding:.25rem 0 .25rem 1rem;margin:0 0 1.25rem}
.contact h3{margin-top:0}
.contact ul{list-style:none;padding:0}
.downtime-banner{background:#fff9c4;border-bottom:4px solid #ffeb3b;padding:.75rem 0}
.downtime-banner p{margin:0}
.source{border-top:1px solid #d8dde0;padding-top:1rem;margin-top:2rem;color:#4c6272}
.site-footer{background:#f0f4f5;border-top:4px solid #005eb8;padding:1.25rem 0;font-size:.9375rem}
.site-footer ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.5rem}
@media print{
.skip-link,.site-nav,.search,.breadcrumb{display:none}
.site-header{background:none;color:#000;border-bottom:2px solid #000;padding:0 0 .5rem}
.site-header a,.site-header a:visited{color:#000}
html{font-size:11pt;color:#000}
a,a:visited{color:#000}
main a[href^="http"]:not(.url)::after{content:" (" attr(href) ")";font-size:.9em}
.contact,h2,h3{break-inside:avoid;break-after:avoid-page}
.site-footer{background:none;border-top:1px solid #000}
}
`.trim();

/**
 * No scripts, no frames, nothing from other hosts; the page's one stylesheet is inline and allowed
 * by hash, so a page still works from a file saved for offline use. Every server-rendered page uses it.
 */
export function inlineStyleCsp(css: string): string {
  const hash = createHash('sha256').update(css, 'utf8').digest('base64');
  return [
    "default-src 'none'",
    `style-src 'sha256-${hash}'`,
    // data: only for the empty icon, which stops browsers asking for a /favicon.ico that 404s.
    "img-src 'self' data:",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const GUIDANCE_CSP = inlineStyleCsp(GUIDANCE_CSS);

/** The path prefix of the public base URL ("" at the host root), for links that work on any host. */
export function basePath(site: Pick<SiteConfig, 'publicBaseUrl'>): string {
  try {
    return new URL(site.publicBaseUrl).pathname.replace(/\/+$/, '');
  } catch (err: unknown) {
    if (err instanceof TypeError) return '';
    throw err;
  }
}

/** Root-relative links keep the site usable behind a proxy or on a test port; canonical links are absolute. */
export function guidancePath(site: Pick<SiteConfig, 'publicBaseUrl'>, entryId?: string): string {
  const root = `${basePath(site)}/guidance`;
  return entryId === undefined ? root : `${root}/${encodeURIComponent(entryId)}`;
}

export function aboutPath(site: SiteConfig, anchor?: string): string {
  return `${guidancePath(site)}/about${anchor ? `#${anchor}` : ''}`;
}

export interface PageParts {
  title: string;
  body: SafeHtml;
  /** Path from the site root for the canonical link, e.g. "/guidance/ts-5-smartcard-blocked". */
  canonicalPath?: string;
  /** The search words, put back in the search box. */
  query?: string;
  description?: string;
}

function bannerHtml(site: SiteConfig): SafeHtml | '' {
  const b = site.banner;
  if (!b) return '';
  const link = b.entryId ? html` <a href="${guidancePath(site, b.entryId)}">${b.linkText ?? b.entryId}</a>` : '';
  return html`<div class="downtime-banner" role="status">
<div class="wrap">
<p><strong>${b.heading}:</strong> ${b.lines.join(' ')}${link}</p>
</div>
</div>`;
}

export function page(site: SiteConfig, parts: PageParts): string {
  const origin = (() => {
    try {
      return new URL(site.publicBaseUrl).origin;
    } catch (err: unknown) {
      if (err instanceof TypeError) return '';
      throw err;
    }
  })();
  const canonical = parts.canonicalPath ? `${origin}${parts.canonicalPath}` : undefined;
  const doc = html`<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${parts.title} – ${PAGE_TEXT.siteName}</title>
${parts.description ? html`<meta name="description" content="${parts.description}">` : ''}
${canonical ? html`<link rel="canonical" href="${canonical}">` : ''}
<link rel="icon" href="data:,">
<style>${raw(GUIDANCE_CSS)}</style>
</head>
<body>
<a class="skip-link" href="#main">${PAGE_TEXT.skipLink}</a>
<header class="site-header">
<div class="wrap">
<a class="site-name" href="${guidancePath(site)}">${PAGE_TEXT.siteName}</a>
<nav class="site-nav" aria-label="${PAGE_TEXT.navLabel}">
<ul>
<li><a href="${guidancePath(site)}">${PAGE_TEXT.navAll}</a></li>
<li><a href="${aboutPath(site)}">${PAGE_TEXT.navAbout}</a></li>
</ul>
</nav>
<form class="search" role="search" method="get" action="${guidancePath(site)}">
<label for="q">${PAGE_TEXT.searchLabel}</label>
<p class="hint" id="q-hint">${PAGE_TEXT.searchHint}</p>
<input id="q" name="q" type="search" maxlength="200" autocomplete="off" aria-describedby="q-hint" value="${parts.query ?? ''}">
<button type="submit">${PAGE_TEXT.searchButton}</button>
</form>
</div>
</header>
${bannerHtml(site)}
<main id="main" tabindex="-1">
<div class="wrap">
${parts.body}
</div>
</main>
<footer class="site-footer">
<div class="wrap">
<p>${PAGE_TEXT.lastUpdated}: ${site.pack.date} (${site.pack.title} ${site.pack.version}). ${PAGE_TEXT.botVersion} ${site.version}.</p>
<ul>
<li><a href="${aboutPath(site)}">${PAGE_TEXT.about}</a></li>
<li><a href="${aboutPath(site, 'privacy')}">${PAGE_TEXT.privacy}</a></li>
<li><a href="${aboutPath(site, 'terms')}">${PAGE_TEXT.terms}</a></li>
</ul>
</div>
</footer>
</body>
</html>
`;
  return doc.value;
}
