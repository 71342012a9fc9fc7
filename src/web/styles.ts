/**
 * @module The one stylesheet of the web journey and the QA console: system fonts, high contrast
 * (WCAG AA), visible focus.
 */

/** The stylesheet, served at `/web/v4/assets/web.css` and `/__admin/ui/console.css`. */
export const STYLESHEET = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #4a4a4a; --accent: #0a4f99;
  --ok: #1d6b2f; --bad: #a4161a; --line: #c8c8c8; --panel: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: #fff; }
header { background: var(--accent); color: #fff; padding: 0.5rem 1rem; }
header .brand { margin: 0; font-weight: 600; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 0 0 0.5rem; }
h3 { font-size: 1rem; margin: 0.5rem 0; }
section, fieldset, details { border: 1px solid var(--line); border-radius: 6px; padding: 0.75rem 1rem;
  margin: 0 0 1rem; background: var(--panel); }
legend { font-weight: 600; padding: 0 0.25rem; }
.part { margin: 0.5rem 0 0.75rem; padding-bottom: 0.5rem; border-bottom: 1px dashed var(--line); }
.part:last-child { border-bottom: 0; }
label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
.inline label { display: inline; margin-right: 0.5rem; }
input, select, button, textarea { font: inherit; }
input[type=text], input[type=password], input[type=number], select {
  padding: 0.3rem 0.4rem; border: 1px solid #767676; border-radius: 4px; background: #fff; color: var(--ink); }
button { padding: 0.35rem 0.8rem; border: 1px solid var(--accent); border-radius: 4px;
  background: var(--accent); color: #fff; cursor: pointer; margin: 0.2rem 0.3rem 0.2rem 0; }
button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--bad); border-color: var(--bad); }
button:disabled { background: #e6e6e6; color: #505050; border-color: #767676; cursor: not-allowed; }
:focus-visible { outline: 3px solid #d97706; outline-offset: 2px; }
.status { margin: 0.25rem 0 0; color: var(--muted); }
.status.ok { color: var(--ok); }
.status.bad { color: var(--bad); font-weight: 600; }
.hint { color: var(--muted); margin: 0.25rem 0; }
.end { text-align: center; padding: 2rem 1rem; }
.code { font-family: ui-monospace, Menlo, Consolas, monospace; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 0.9rem; }
th, td { border: 1px solid var(--line); padding: 0.25rem 0.4rem; text-align: left; vertical-align: top; }
th { background: #e9edf2; }
pre { background: #fff; border: 1px solid var(--line); padding: 0.5rem; overflow: auto; max-height: 16rem;
  font-size: 0.8rem; }
.panels { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 0 1rem; }
.panels > .wide { grid-column: 1 / -1; }
@media (max-width: 40rem) { .panels { grid-template-columns: minmax(0, 1fr); } }
.row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: flex-end; margin: 0.25rem 0; }
.row > div { display: flex; flex-direction: column; }
main.wide { max-width: 90rem; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`
