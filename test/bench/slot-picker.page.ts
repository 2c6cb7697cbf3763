/**
 * The page script of the `<slot-picker>` first-render benchmark (test/bench/slot-picker.bench.ts), bundled with esbuild
 * like a store's script. The bundle's first statement (an esbuild banner) marks `ds-script-start`; this script sets up
 * an in-page fake API with a drop of 48 slots, adds the element, and marks `ds-rendered` when its 48 slots are in the
 * DOM. Then, in the same page, it times a baseline: the same 48 slots as a plain `innerHTML` list (Intl warm by then).
 * With `?cold-baseline` it times only the baseline, in a fresh page (Intl cold, as for the element's first render).
 */
import { setFetchForTesting } from '../../components/internal/client.js';
// A named import: the package's `sideEffects` list names the built define modules, so a bare import of the source
// define module would be dropped by the bundler.
import { SlotPicker } from '../../components/slot-picker/define.js';
import { FakeApi } from '../components/support/fake-api.js';

declare global {
  interface Window {
    __bench?: {
      /** Script start → 48 slots in the element's DOM, in ms. */
      fromScript: number;
      /** Element added → 48 slots in its DOM, in ms. */
      fromElement: number;
      /** Script start → the first frame after the render. */
      toFrame: number;
      /** The plain innerHTML list of the same 48 slots, in ms. */
      baseline: number;
      slots: number;
    };
  }
}

if (customElements.get('slot-picker') !== SlotPicker) throw new Error('<slot-picker> is not defined');

const SLOTS = 48;
const api = new FakeApi({ branchZone: 'Europe/Berlin' });
setFetchForTesting(api.fetch);
const { drop, slots } = api.addDrop({
  // Four days of twelve 30-minute slots, from 10:00 on.
  slots: Array.from({ length: SLOTS }, (_, i) => ({
    offsetMinutes: Math.floor(i / 12) * 24 * 60 + (i % 12) * 30,
    capacityTotal: 20,
    capacityReserved: i % 7,
  })),
});

/** Adds the element and resolves when its 48 slots are in its DOM. */
async function renderPicker(): Promise<void> {
  const picker = document.createElement('slot-picker');
  picker.setAttribute('drop', drop.id);
  picker.setAttribute('api', api.api);
  picker.setAttribute('publishable-key', api.key);
  picker.setAttribute('locale', 'en');
  performance.mark('ds-element-added');
  document.body.append(picker);
  await new Promise<void>((resolve) => {
    const observer = new MutationObserver(() => {
      if ((picker.shadowRoot?.querySelectorAll('[role="radio"]').length ?? 0) < SLOTS) return;
      performance.mark('ds-rendered');
      observer.disconnect();
      resolve();
    });
    observer.observe(picker.shadowRoot!, { childList: true, subtree: true });
  });
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
  performance.mark('ds-frame');
}

/** The baseline: the same slots, grouped by day and formatted with Intl, as one innerHTML string. */
function baseline(): number {
  const t0 = performance.now();
  const zone = 'Europe/Berlin';
  const dayKey = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const dayLabel = new Intl.DateTimeFormat('en', {
    timeZone: zone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  });
  const time = new Intl.DateTimeFormat('en', { timeZone: zone, timeStyle: 'short' });
  let html = '<div role="radiogroup">';
  let day = '';
  for (const slot of slots) {
    const start = new Date(slot.startsAt);
    const key = dayKey.format(start);
    if (key !== day) {
      html += `${day ? '</div>' : ''}<div role="group"><p>${dayLabel.format(start)}</p>`;
      day = key;
    }
    html += `<div role="radio" aria-checked="false" tabindex="-1"><span>${`${time.format(start)} – ${time.format(new Date(slot.endsAt))}`}</span><span>${slot.capacityRemaining} left</span></div>`;
  }
  html += '</div></div>';
  const host = document.createElement('div');
  document.body.append(host);
  host.innerHTML = html;
  const count = host.querySelectorAll('[role="radio"]').length;
  const ms = performance.now() - t0;
  if (count !== SLOTS) throw new Error(`baseline rendered ${count} slots`);
  return ms;
}

const between = (from: string, to: string): number => performance.measure(`${from}→${to}`, from, to).duration;

if (new URLSearchParams(location.search).has('cold-baseline')) {
  // The baseline alone, in a page where nothing used Intl yet (as the element's first render has to).
  const baselineMs = baseline();
  window.__bench = { fromScript: NaN, fromElement: NaN, toFrame: NaN, baseline: baselineMs, slots: SLOTS };
} else {
  await renderPicker();
  window.__bench = {
    fromScript: between('ds-script-start', 'ds-rendered'),
    fromElement: between('ds-element-added', 'ds-rendered'),
    toFrame: between('ds-script-start', 'ds-frame'),
    baseline: baseline(), // after the element: Intl is warm by now
    slots: document.querySelector('slot-picker')!.shadowRoot!.querySelectorAll('[role="radio"]').length,
  };
}
