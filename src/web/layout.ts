// The page shell every web page shares: a skip link, the navigation (current page marked), the signed-in person
// with the sign-out button, and the page's main content. Text goes through hono's html template, which escapes
// every interpolated value; only other html templates pass through unescaped.
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { WebPrincipal } from '../access/web-sessions.js';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export const NAV: readonly { path: string; label: string }[] = [
  { path: '/', label: 'Ask' },
  { path: '/approvals', label: 'Approvals' },
  { path: '/spend', label: 'Spend' },
  { path: '/forecast', label: 'Forecast' },
  { path: '/sourcing', label: 'Sourcing' },
  { path: '/suppliers', label: 'Suppliers' },
  { path: '/contracts', label: 'Contracts' },
  { path: '/findings', label: 'Findings' },
  { path: '/ledger', label: 'Ledger' },
  { path: '/autonomy', label: 'Autonomy' },
  { path: '/metrics', label: 'Metrics' },
];

export type PageOptions = {
  title: string;
  /** The nav entry to mark current. */
  path?: string;
  principal?: WebPrincipal | undefined;
  csrf?: string | undefined;
};

/** A hidden form field carrying the CSRF token. */
export function csrfField(csrf: string | undefined): Html {
  return html`<input type="hidden" name="_csrf" value="${csrf ?? ''}">`;
}

/** A whole page. */
export function page(o: PageOptions, body: Html): Html {
  const nav = o.principal
    ? html`<nav aria-label="Main"><ul>${NAV.map(
        (n) => html`<li><a href="${n.path}"${n.path === o.path ? html` aria-current="page"` : ''}>${n.label}</a></li>`,
      )}</ul></nav>
      <form method="post" action="/auth/sign-out" class="who">${csrfField(o.csrf)}<span>${o.principal.user.name}</span>
        <button type="submit">Sign out</button></form>`
    : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · Quartermaster</title>
<link rel="stylesheet" href="/web/app.css">
<script src="/web/adaptivecards.js" defer></script>
<script src="/web/app.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><a class="brand" href="/">Quartermaster</a>${nav}</header>
<main id="main" tabindex="-1">
<h1>${o.title}</h1>
${body}
</main>
</body>
</html>`;
}

/** A table with a caption; `empty` is shown instead when there are no rows. */
export function table(caption: string, columns: readonly string[], rows: readonly (readonly (string | Html)[])[], empty: string): Html {
  if (rows.length === 0) return html`<p class="empty">${empty}</p>`;
  return html`<div class="scroll" role="region" aria-label="${caption}" tabindex="0"><table>
<caption>${caption}</caption>
<thead><tr>${columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr>${r.map((cell) => html`<td>${cell}</td>`)}</tr>`)}</tbody>
</table></div>`;
}
