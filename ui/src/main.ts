// The tracking console: wires the search box to the panels and starts the live feed.
import 'vis-timeline/styles/vis-timeline-graph2d.min.css';
import '../styles.css';
import { ApiClient } from './api-client.js';
import { loadContents } from './contents-panel.js';
import { byId, fill } from './dom.js';
import { idLabel } from './id-label.js';
import { parseSearch, type SearchTarget } from './identifiers.js';
import type { JourneyPanel } from './journey-panel.js';
import { LiveFeed } from './live-feed.js';
import { loadState } from './state-panel.js';
import { TokenDialog } from './token-dialog.js';
import { TokenStore } from './token-store.js';
import { TracePanel } from './trace-panel.js';

const tokens = new TokenStore();
const dialog = new TokenDialog(document.body);
const api = new ApiClient(tokens, (reason) => dialog.ask(reason));

const form = byId<HTMLFormElement>('search');
const input = byId<HTMLInputElement>('search-input');
const searchError = byId('search-error');
const results = byId('results');
const current = byId('current');

const select = (epc: string) => {
  input.value = epc;
  void search(epc);
};

// vis-timeline and Chart.js are most of the bundle: load them with the first search, so the search
// box and the live feed are usable as soon as the page itself has loaded.
let journey: Promise<JourneyPanel> | null = null;
const journeyPanel = (): Promise<JourneyPanel> =>
  (journey ??= import('./journey-panel.js').then(
    ({ JourneyPanel }) => new JourneyPanel(api, byId('journey-body'), byId('sensor-body')),
  ));
const trace = new TracePanel(api, byId('trace-body'), byId('trace-direction'), select);

// Only the latest search may fill the panels: starting one aborts the requests of the one before.
let running: AbortController | null = null;

async function search(text: string): Promise<void> {
  const parsed = parseSearch(text);
  if ('error' in parsed) {
    searchError.textContent = parsed.error;
    return;
  }
  searchError.textContent = '';
  const target: SearchTarget = parsed;
  const url = new URL(window.location.href);
  url.searchParams.set('q', target.id);
  history.replaceState(null, '', url);
  results.hidden = false;
  fill(current, idLabel(target.id, 'id current-id'));
  current.setAttribute('data-kind', target.kind);
  running?.abort();
  running = new AbortController();
  const context = { signal: running.signal, onSelect: select };
  const statePromise = loadState(api, target, byId('state-body'), context).then((state) => {
    // Show the identifier as the service knows it (its canonical Digital Link).
    if (state !== null) fill(current, idLabel(state.epc, 'id current-id'));
    return state;
  });
  await Promise.all([
    Promise.all([statePromise, journeyPanel()]).then(([state, panel]) =>
      panel.load(target, state, context.signal),
    ),
    loadContents(api, target, byId('contents-body'), { ...context, state: statePromise }),
    trace.load(target),
  ]);
}

// A shared tablet changes hands: the next operator enters their own token without closing the tab.
byId('token-button').addEventListener('click', () => {
  void dialog.ask('Enter the token to use from now on.').then((token) => tokens.set(token));
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void search(input.value);
  // Scanners type fast and press Enter; select the text so the next scan replaces it.
  input.select();
});

new LiveFeed({
  api,
  list: byId<HTMLOListElement>('feed-list'),
  status: byId('feed-status'),
  message: byId('feed-message'),
  onSelect: select,
}).start();

const initial = new URL(window.location.href).searchParams.get('q');
if (initial !== null && initial !== '') {
  input.value = initial;
  void search(initial);
}
input.focus();
