import { DateTime } from 'luxon';
import type { TrainFreeze } from '../../freeze/freeze-status.js';
import { html, type SafeHtml } from './html.js';

/**
 * The pages in the navigation, in order. A page added later (metrics) adds its entry here and its
 * route in dashboard-routes.ts; nothing else changes.
 */
export const NAV: readonly { readonly href: string; readonly label: string }[] = [
  { href: '/releases', label: 'Releases' },
  { href: '/calendar', label: 'Calendar' },
  { href: '/components', label: 'Components' },
  { href: '/metrics', label: 'Metrics' },
];

export interface PageFrame {
  readonly title: string;
  /** The path of the page, to mark its navigation entry as current. */
  readonly path: string;
  /** The signed-in person and the CSRF token their forms carry; null on the sign-in page. */
  readonly session: { readonly user: string; readonly csrf: string } | null;
  /** Trains frozen right now (the banner); empty when none is. */
  readonly frozen?: readonly TrainFreeze[];
  readonly timezone?: string;
}

export function when(iso: string, zone: string): SafeHtml {
  const at = DateTime.fromISO(iso, { zone });
  return html`<time datetime="${iso}">${at.isValid ? at.toFormat('ccc d LLL yyyy, HH:mm ZZZZ') : iso}</time>`;
}

export function renderPage(frame: PageFrame, body: SafeHtml): string {
  const zone = frame.timezone ?? 'UTC';
  const current = (href: string) => frame.path === href || frame.path.startsWith(`${href}/`);
  const frozen = (frame.frozen ?? []).filter((train) => train.frozen && train.release !== null);
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · shipgate</title>
<link rel="stylesheet" href="/assets/dashboard.css">
<script src="/assets/dashboard.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/">shipgate</a>
  ${frame.session === null
    ? null
    : html`<nav aria-label="Main"><ul>${NAV.map((item) => html`<li><a href="${item.href}"${current(item.href) ? html` aria-current="page"` : null}>${item.label}</a></li>`)}</ul></nav>
  <form class="who" method="post" action="/sign-out"><span>${frame.session.user}</span><input type="hidden" name="csrf" value="${frame.session.csrf}"><button type="submit">Sign out</button></form>`}
</header>
${frozen.length === 0
  ? null
  : html`<section class="banner" aria-label="Code freeze"><h2>Code freeze</h2><ul>${frozen.map((train) => html`<li><strong>${train.title}</strong> train frozen until ${when(train.release?.freeze.end ?? '', zone)}${train.release?.freeze.end === train.release?.at ? ', when its release is cut' : html`, for the release of ${when(train.release?.at ?? '', zone)}`}</li>`)}</ul></section>`}
<main id="main">
<h1>${frame.title}</h1>
${body}
</main>
</body>
</html>
`;
  return page.text;
}
