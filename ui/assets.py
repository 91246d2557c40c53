"""The web chat's style sheet and the small script that opens a citation when [n] is clicked.

Colours come from Gradio's theme variables, so the page follows light and dark mode. Fonts
are the system's: nothing is fetched from the network.
"""

from __future__ import annotations

CSS = r"""
.gradio-container { max-width: 1400px !important; margin: 0 auto !important; }
footer { opacity: .6; }

/* header */
#nd-header { align-items: center; gap: 12px; flex-wrap: wrap; margin-bottom: 2px; }
.nd-brand { display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; }
.nd-brand-name { font-size: 1.5rem; font-weight: 700; letter-spacing: -.01em; }
.nd-brand-tag { color: var(--body-text-color-subdued); font-size: .95rem; }
.nd-status { display: inline-flex; align-items: center; gap: 6px; flex-wrap: wrap;
  font-size: .82rem; color: var(--body-text-color-subdued);
  border: 1px solid var(--border-color-primary); border-radius: 999px; padding: 4px 12px;
  background: var(--background-fill-primary); }
.nd-status span + span::before { content: "·"; margin-right: 6px; opacity: .6; }
.nd-status .nd-status-dot { width: 8px; height: 8px; border-radius: 50%; background: #22c55e;
  flex: none; }
.nd-status .nd-status-dot + span::before { content: none; }
.nd-status-error { color: #b91c1c; }
#nd-status { display: flex; justify-content: flex-end; }

/* the conversation */
#nd-transcript { height: calc(100vh - 300px); min-height: 380px; overflow-y: auto !important;
  border: 1px solid var(--border-color-primary); border-radius: 14px;
  background: var(--background-fill-secondary); padding: 18px 18px 8px; }
.nd-chat { display: flex; flex-direction: column; gap: 18px; font-size: 15.5px;
  line-height: 1.55; color: var(--body-text-color); }
.nd-turn { display: flex; flex-direction: column; gap: 8px; }
.nd-msg { display: flex; }
.nd-user { justify-content: flex-end; }
.nd-user .nd-bubble { background: var(--color-accent); color: white; padding: 9px 14px;
  border-radius: 16px 16px 4px 16px; max-width: 78%; white-space: pre-wrap;
  overflow-wrap: anywhere; }
.nd-bot { flex-direction: column; align-items: flex-start; max-width: 92%; }
.nd-answer, .nd-draft, .nd-pending, .nd-error, .nd-abstain {
  background: var(--background-fill-primary); border: 1px solid var(--border-color-primary);
  border-radius: 16px 16px 16px 4px; padding: 10px 15px; overflow-wrap: anywhere; }
.nd-answer p, .nd-abstain p { margin: 0 0 .5em; }
.nd-answer p:last-child, .nd-abstain p:last-child { margin-bottom: 0; }
.nd-draft { color: var(--body-text-color-subdued); white-space: pre-wrap; }
.nd-caret { display: inline-block; width: 7px; height: 1.05em; margin-left: 2px;
  vertical-align: text-bottom; background: var(--color-accent);
  animation: nd-blink 1s steps(1) infinite; }
@keyframes nd-blink { 50% { opacity: 0; } }
.nd-pending { color: var(--body-text-color-subdued); display: flex; align-items: center;
  gap: 10px; }
.nd-dots { display: inline-flex; gap: 4px; }
.nd-dots i { width: 6px; height: 6px; border-radius: 50%; background: var(--color-accent);
  animation: nd-bounce 1.2s infinite ease-in-out; }
.nd-dots i:nth-child(2) { animation-delay: .15s; }
.nd-dots i:nth-child(3) { animation-delay: .3s; }
@keyframes nd-bounce { 0%, 80%, 100% { opacity: .25; transform: translateY(0); }
  40% { opacity: 1; transform: translateY(-3px); } }
.nd-error { border-color: #fca5a5; color: #b91c1c; }
.nd-meta { font-size: .78rem; color: var(--body-text-color-subdued); margin: 5px 4px 0; }
.nd-notes { font-size: .78rem; color: var(--body-text-color-subdued); margin: 2px 4px 0; }
.nd-notes summary { cursor: pointer; }
.nd-notes ul { margin: 4px 0 0 18px; padding: 0; }
.nd-muted { color: var(--body-text-color-subdued); font-size: .9em; }

/* [n] markers */
button.nd-cite, .nd-cite-demo { display: inline-flex; align-items: center; justify-content: center;
  min-width: 1.45em; height: 1.45em; padding: 0 .35em; margin: 0 .12em; border: none;
  border-radius: 999px; background: var(--color-accent-soft, #e0e7ff);
  color: var(--color-accent, #4f46e5); font-size: .74em; font-weight: 700; line-height: 1;
  vertical-align: .28em; cursor: pointer; transition: background .15s, color .15s; }
button.nd-cite:hover, button.nd-cite:focus-visible { background: var(--color-accent);
  color: white; }
button.nd-cite:focus-visible, button.nd-sources-link:focus-visible {
  outline: 2px solid var(--color-accent); outline-offset: 2px; }
button.nd-sources-link { background: none; border: none; padding: 0; font: inherit;
  color: var(--color-accent); cursor: pointer; text-decoration: underline dotted; }

/* abstention: muted, not an answer */
.nd-abstain { background: transparent; border: 1px dashed var(--border-color-primary);
  color: var(--body-text-color-subdued); }
.nd-abstain-text { font-style: italic; }
.nd-abstain-icon { display: inline-flex; align-items: center; justify-content: center;
  width: 1.4em; height: 1.4em; margin-right: 8px; border-radius: 50%; font-style: normal;
  border: 1px solid var(--border-color-primary); font-size: .85em; }
.nd-closest-label { font-size: .75rem; text-transform: uppercase; letter-spacing: .06em;
  margin: 10px 0 6px; color: var(--body-text-color-subdued); }

/* welcome */
.nd-welcome { max-width: 620px; margin: 8vh auto 0; text-align: center;
  color: var(--body-text-color); }
.nd-welcome-title { font-size: 1.25rem; font-weight: 650; margin-bottom: 8px; }
.nd-welcome p { margin: 0 0 10px; }

/* ask row and examples */
#nd-ask-row { align-items: stretch; gap: 8px; margin-top: 10px; }
#nd-question textarea { font-size: 15.5px; }
#nd-examples { gap: 6px; flex-wrap: wrap; align-items: center; margin-top: 2px; }
#nd-examples button { flex: none !important; min-width: 0 !important; font-weight: 450; }
#nd-examples .nd-example { border-radius: 999px; }
#nd-clear { margin-left: auto; }

/* sources panel and cards */
#nd-sources { max-height: calc(100vh - 260px); overflow-y: auto !important; }
#nd-dates { gap: 10px; flex-wrap: nowrap; }
#nd-dates > * { min-width: 0 !important; flex: 1 1 0 !important; }
#nd-dates .timebox { display: flex; min-width: 0; }
#nd-dates .timebox input { flex: 1 1 auto; width: 0; min-width: 0; }
.nd-sources { display: flex; flex-direction: column; gap: 8px; }
.nd-panel-title { font-weight: 650; font-size: 1rem; }
.nd-sources-empty { color: var(--body-text-color-subdued); font-size: .9rem;
  border: 1px dashed var(--border-color-primary); border-radius: 12px; padding: 14px; }
.nd-group { display: flex; flex-direction: column; gap: 8px; }
.nd-group[hidden] { display: none; }
.nd-group-q { font-size: .8rem; color: var(--body-text-color-subdued);
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.nd-card { border: 1px solid var(--border-color-primary); border-radius: 12px;
  background: var(--background-fill-primary); transition: box-shadow .2s, border-color .2s; }
.nd-card > summary { display: flex; gap: 10px; padding: 10px 12px; cursor: pointer;
  list-style: none; }
.nd-card > summary::-webkit-details-marker { display: none; }
.nd-card-n { flex: none; display: inline-flex; align-items: center; justify-content: center;
  width: 1.6em; height: 1.6em; border-radius: 50%; background: var(--color-accent);
  color: white; font-size: .8rem; font-weight: 700; }
.nd-card-head { display: flex; flex-direction: column; gap: 2px; min-width: 0; }
.nd-card-title { font-weight: 600; line-height: 1.3; overflow-wrap: anywhere; }
.nd-card-byline { font-size: .78rem; color: var(--body-text-color-subdued); }
.nd-card-quote { font-size: .85rem; color: var(--body-text-color-subdued); font-style: italic;
  display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
.nd-card[open] .nd-card-quote { display: none; }
.nd-card-body { padding: 0 14px 10px; }
.nd-passage { font-family: Georgia, "Iowan Old Style", "Times New Roman", serif;
  font-size: .95rem; line-height: 1.6; white-space: pre-wrap; overflow-wrap: anywhere;
  max-height: 340px; overflow-y: auto; position: relative; color: var(--body-text-color);
  padding: 14px 0;
  --nd-fade: linear-gradient(to bottom, transparent 0, #000 18px, #000 calc(100% - 18px),
    transparent 100%);
  -webkit-mask-image: var(--nd-fade); mask-image: var(--nd-fade); }
mark.nd-quote { background: #fde68a; color: #1c1917; padding: 1px 2px; border-radius: 3px;
  box-decoration-break: clone; -webkit-box-decoration-break: clone; }
.dark mark.nd-quote { background: rgba(250, 204, 21, .38); color: inherit; }
.nd-link { display: inline-block; margin-top: 8px; font-size: .85rem;
  color: var(--color-accent); }
.nd-card.nd-selected { border-color: var(--color-accent);
  box-shadow: 0 0 0 3px var(--color-accent-soft, rgba(99, 102, 241, .25));
  animation: nd-flash 1.2s ease-out; }
@keyframes nd-flash { 0% { box-shadow: 0 0 0 7px var(--color-accent-soft, rgba(99,102,241,.4)); } }
.nd-card-closest > summary { padding-left: 14px; }

/* options and uploads */
.nd-hint { font-size: .78rem; color: var(--body-text-color-subdued); margin: -4px 2px 4px; }
.nd-update { font-size: .88rem; border-radius: 10px; padding: 10px 12px; margin-top: 6px;
  border: 1px solid var(--border-color-primary); display: flex; flex-direction: column; gap: 3px; }
.nd-update-ok { border-color: #86efac; }
.nd-update-warn { border-color: #fcd34d; }
.nd-update-counts { font-weight: 600; }
.nd-update-item { overflow-wrap: anywhere; }
.nd-update-failed b, .nd-update-error { color: #b91c1c; }

/* check a claim */
.nd-check { display: flex; flex-direction: column; gap: 10px; font-size: .88rem; }
.nd-check-claim { border: 1px solid var(--border-color-primary); border-radius: 10px;
  padding: 8px 10px; overflow-wrap: anywhere; }
.nd-check-ok { color: #15803d; }
.nd-check-bad { color: #b91c1c; }
.nd-check-none { color: #a16207; }
.nd-check-quote { margin: 6px 0 0; padding-left: 8px; border-left: 3px solid #cbd5e1; }
"""

# Runs once when the conversation component mounts (Gradio's js_on_load: `element` is the
# component's root). Clicks on [n] open card n in the sources panel; new content scrolls the
# conversation to the end unless the reader has scrolled up.
TRANSCRIPT_JS = r"""
const scroller = element.closest('#nd-transcript') || element;
const showSource = (turn, n) => {
  if (!/^\d+$/.test(turn || '') || (n && !/^\d+$/.test(n))) return;
  const panel = document.querySelector('#nd-sources .nd-sources');
  if (!panel) return;
  panel.querySelectorAll('.nd-group').forEach((group) => {
    group.hidden = group.dataset.turn !== turn;
  });
  panel.querySelectorAll('.nd-card.nd-selected').forEach((card) => {
    card.classList.remove('nd-selected');
  });
  const card = n ? panel.querySelector(`.nd-card[data-turn="${turn}"][data-n="${n}"]`) : null;
  if (!card) return;
  card.open = true;
  void card.offsetWidth;
  card.classList.add('nd-selected');
  card.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
};
element.addEventListener('click', (event) => {
  const target = event.target.closest('button.nd-cite[data-n], button.nd-sources-link');
  if (!target || !element.contains(target)) return;
  event.preventDefault();
  showSource(target.dataset.turn, target.dataset.n);
});
let pinned = true;
scroller.addEventListener('scroll', () => {
  pinned = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 60;
});
new MutationObserver(() => {
  if (pinned) scroller.scrollTop = scroller.scrollHeight;
}).observe(element, { childList: true, subtree: true, characterData: true });
"""

# Runs once when the sources panel mounts: an open card's passage scrolls to its highlight.
SOURCES_JS = r"""
const reveal = (box) => {
  const mark = box.querySelector('mark.nd-quote');
  if (mark) box.scrollTop = Math.max(0, mark.offsetTop - 46);
};
const revealOpen = () => element.querySelectorAll('.nd-card[open] .nd-passage').forEach(reveal);
new MutationObserver(revealOpen).observe(element, { childList: true, subtree: true });
element.addEventListener('toggle', (event) => {
  const box = event.target.open && event.target.querySelector('.nd-passage');
  if (box) reveal(box);
}, true);
revealOpen();
"""
