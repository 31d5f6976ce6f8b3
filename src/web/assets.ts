// The web app's stylesheet and its one small script, served from /web/ (same origin, so the Content-Security-Policy
// allows no inline code). The script shows a loading state on forms that start long work and draws the Adaptive
// Cards (a follow-up asks, an approval card's decision posts its form); every page works without it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Hono } from 'hono';

const CSS = `
:root { --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg: #fff; --accent: #0b5cad; --ok: #1a7f37; --bad: #b42318; --warn: #9a6700; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; }
.skip:focus { left: .5rem; z-index: 10; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; padding: .5rem 1rem; border-bottom: 1px solid var(--line); }
.brand { font-weight: 700; text-decoration: none; color: var(--fg); }
nav ul { display: flex; flex-wrap: wrap; gap: .25rem .75rem; list-style: none; margin: 0; padding: 0; }
nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
.who { margin-left: auto; display: flex; gap: .5rem; align-items: center; }
main { padding: 1rem; max-width: 72rem; margin: 0 auto; overflow-wrap: anywhere; }
h1 { font-size: 1.5rem; margin: .25rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.25rem 0 .5rem; }
button, .button { font: inherit; padding: .4rem .8rem; border: 1px solid var(--line); border-radius: 6px; background: #f6f8fa; color: var(--fg); cursor: pointer; text-decoration: none; display: inline-block; }
button.primary, .button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
button.danger { background: var(--bad); color: #fff; border-color: var(--bad); }
textarea, input, select { font: inherit; padding: .4rem; border: 1px solid #6e7781; border-radius: 6px; max-width: 100%; }
textarea { width: 100%; }
label { display: block; font-weight: 600; margin: .5rem 0 .25rem; }
.filters { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin-bottom: .5rem; }
.filters label { margin: 0; }
.filters div { display: flex; flex-direction: column; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: .25rem 1rem; margin: .5rem 0; }
.facts dt { color: var(--muted); font-size: .875rem; }
.facts dd { margin: 0; font-weight: 600; }
.headline { font-size: 1.1rem; font-weight: 600; margin: .25rem 0; }
.small { font-size: .875rem; color: var(--muted); }
.empty { color: var(--muted); font-style: italic; }
.ok { color: var(--ok); font-weight: 600; }
.error { color: var(--bad); font-weight: 600; }
.warn { color: var(--warn); }
.chat { display: grid; grid-template-columns: 16rem 1fr; gap: 1.5rem; }
.threads { list-style: none; padding: 0; }
.threads a[aria-current] { font-weight: 700; }
.turns { list-style: none; padding: 0; }
.turns > li { border-bottom: 1px solid var(--line); padding: .75rem 0; }
.question { font-weight: 600; background: #f6f8fa; padding: .5rem; border-radius: 6px; }
.followups button { margin: .15rem 0; }
.decide .buttons { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: .5rem; }
form[aria-busy="true"] { opacity: .6; }
.decide-cards .ac { border: 1px solid var(--line); border-radius: 6px; padding: .5rem; margin: .5rem 0; }
.chart svg { max-width: 100%; height: auto; }
@media (max-width: 640px) { .chat { grid-template-columns: 1fr; } .who { margin-left: 0; } main { padding: .75rem; } }
`;

const JS = `
document.addEventListener('submit', function (e) {
  var form = e.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-busy')) return;
  form.setAttribute('aria-busy', 'true');
  var note = form.querySelector('.busy') || document.createElement('p');
  note.className = 'busy small';
  note.setAttribute('role', 'status');
  note.textContent = 'Working on it…';
  form.appendChild(note);
  // Disabled after the submission started, so the clicked button's value is still sent.
  setTimeout(function () { form.querySelectorAll('button').forEach(function (b) { b.disabled = true; }); }, 0);
});
// Each reply also as the Adaptive Card Teams shows, drawn by the official renderer; a follow-up button asks it here,
// and an approval card's decision posts to that approval's decide route.
document.addEventListener('DOMContentLoaded', function () {
  if (!window.AdaptiveCards) return;
  document.querySelectorAll('[data-card]').forEach(function (host) {
    try {
      var card = new AdaptiveCards.AdaptiveCard();
      card.parse(JSON.parse(host.getAttribute('data-card')));
      card.onExecuteAction = function (action) {
        var data = (action && action.data) || {};
        // An approval's Approve/Reject: posted to its decide route like the Approvals page's buttons (the server
        // checks the session, CSRF token, role and segregation of duties again, and shows any refusal).
        var decide = host.getAttribute('data-decide');
        if (data.qm === 'approval' && decide && action.verb) {
          var form = document.createElement('form');
          form.method = 'post';
          form.action = decide;
          var fields = { _csrf: host.getAttribute('data-csrf') || '', decision: action.verb, reason: data['reason_' + action.verb] || data.comment || '' };
          Object.keys(fields).forEach(function (k) {
            var input = document.createElement('input');
            input.type = 'hidden';
            input.name = k;
            input.value = fields[k];
            form.appendChild(input);
          });
          document.body.appendChild(form);
          form.submit();
          return;
        }
        var q = data.qmAsk;
        var box = document.getElementById('question');
        if (!q || !box || !box.form) return;
        box.value = q;
        box.form.requestSubmit();
      };
      var el = card.render();
      if (el) host.appendChild(el);
    } catch (e) {
      host.textContent = 'The card could not be drawn.';
    }
  });
});
`;

/** The official Adaptive Cards renderer, served from the package (same origin, so the CSP allows it). */
const RENDERER = readFileSync(createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.min.js'), 'utf8');

/** Mounts GET /web/app.css, /web/app.js and /web/adaptivecards.js. */
export function mountAssets(app: Hono): void {
  app.get('/web/app.css', (c) => c.body(CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=300' }));
  app.get('/web/adaptivecards.js', (c) => c.body(RENDERER, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=86400' }));
  app.get('/web/app.js', (c) => c.body(JS, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=300' }));
}
