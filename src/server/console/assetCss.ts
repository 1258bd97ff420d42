/** The console's style sheet (served as a file: the CSP allows no inline style). */
export const consoleCss = `
:root { --ink: #1b1f24; --muted: #4a5561; --line: #c9d1d9; --accent: #0b5cad; --bg: #ffffff; --panel: #f5f7fa;
  --na: #5c6670; --awaiting: #8a5a00; --provisioned: #1a7f37; --failed: #b42318; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--accent); }
a:focus, button:focus, input:focus, select:focus, textarea:focus { outline: 3px solid #f2b600; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 10; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 1rem; padding: .75rem 1.5rem; background: #0d2a4a; color: #fff; }
header a { color: #fff; }
header nav ul { display: flex; flex-wrap: wrap; gap: 1rem; list-style: none; margin: 0; padding: 0; }
header nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
header .who { margin-left: auto; display: flex; gap: .75rem; align-items: center; }
header .who button { background: #fff; color: #0d2a4a; }
main { padding: 1rem 1.5rem 3rem; max-width: 80rem; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--panel); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.status { display: inline-block; padding: 0 .4rem; border-radius: .3rem; font-weight: 600; border: 1px solid currentColor; white-space: nowrap; }
.status-na { color: var(--na); } .status-awaiting { color: var(--awaiting); }
.status-provisioned { color: var(--provisioned); } .status-failed { color: var(--failed); }
form.inline { display: inline; }
form.panel, .panel { background: var(--panel); border: 1px solid var(--line); border-radius: .4rem; padding: .75rem 1rem; margin: .5rem 0 1rem; }
label { display: block; font-weight: 600; margin: .4rem 0 .2rem; }
input, select, textarea { font: inherit; padding: .3rem .4rem; border: 1px solid #6b7785; border-radius: .25rem; max-width: 100%; }
textarea { width: 36rem; }
button { font: inherit; padding: .35rem .8rem; border-radius: .25rem; border: 1px solid #0b5cad; background: #0b5cad; color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: #0b5cad; }
.filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; }
.filters label { margin: 0; }
.notice { border-left: 4px solid var(--accent); background: var(--panel); padding: .5rem 1rem; margin: .5rem 0 1rem; }
.notice.error { border-color: var(--failed); }
.notice.ok { border-color: var(--provisioned); }
.hint { color: var(--muted); font-size: .9rem; }
.field-error { color: var(--failed); font-weight: 600; }
ol.timeline { list-style: none; padding: 0; border-left: 3px solid var(--line); margin-left: .5rem; }
ol.timeline li { position: relative; padding: .2rem 0 .8rem 1rem; }
ol.timeline li::before { content: ""; position: absolute; left: -.5rem; top: .6rem; width: .7rem; height: .7rem; border-radius: 50%; background: var(--accent); }
.cards { display: flex; flex-wrap: wrap; gap: 1rem; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: .4rem; padding: .5rem 1rem; min-width: 11rem; }
.card .count { font-size: 1.8rem; font-weight: 700; display: block; }
svg.chart { max-width: 100%; height: auto; background: #fff; border: 1px solid var(--line); }
svg.chart .axis { stroke: #6b7785; } svg.chart .grid { stroke: #e3e8ee; }
svg.chart .line { fill: none; stroke: #0b5cad; stroke-width: 2; }
svg.chart text { fill: var(--ink); font-size: 12px; }
svg.chart .mark-na { fill: var(--na); } svg.chart .mark-awaiting { fill: var(--awaiting); }
svg.chart .mark-provisioned { fill: var(--provisioned); } svg.chart .mark-failed { fill: var(--failed); }
.legend { display: flex; gap: 1rem; flex-wrap: wrap; padding: 0; list-style: none; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`
