import { equal, freshApi, mount, ok, part, text, waitForAttribute } from './support/setup.js';
import '../../components/dropslot-config/define.js';
import '../../components/drop-countdown/define.js';
import { $config } from '../../components/internal/config.js';
import type { DropslotConfig } from '../../components/dropslot-config/dropslot-config.js';

describe('<dropslot-config>', () => {
  it('configures the page when it connects, and renders its children', async () => {
    const api = freshApi();
    const el = mount<DropslotConfig>(
      `<dropslot-config api="${api.api}" publishable-key="${api.key}" locale="de" customer-token="ct_page"><p>Child</p></dropslot-config>`,
    );
    await el.updateComplete;
    equal($config.get().api, api.api);
    equal($config.get().publishableKey, api.key);
    equal($config.get().locale, 'de');
    equal($config.get().customerToken, 'ct_page');
    equal(getComputedStyle(el).display, 'contents', 'no box of its own');
    equal(el.shadowRoot!.querySelector('slot')!.assignedElements()[0]!.textContent, 'Child');
  });

  it('applies attribute changes to the elements of the page, wherever they are', async () => {
    const api = freshApi();
    const { drop } = api.addDrop({ startsIn: 3_600_000 });
    const countdown = mount(`<drop-countdown drop="${drop.id}"></drop-countdown>`);
    const config = mount<DropslotConfig>(
      `<dropslot-config api="${api.api}" publishable-key="${api.key}"></dropslot-config>`,
    );
    await waitForAttribute(countdown, 'phase', 'upcoming');
    equal(text(part(countdown, 'label')), 'Opens in');
    config.setAttribute('locale', 'ar');
    await config.updateComplete;
    equal($config.get().locale, 'ar');
    await (countdown as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    equal(text(part(countdown, 'label')), 'يبدأ خلال');
  });

  it('lets an element override the page configuration', async () => {
    const api = freshApi();
    const { drop } = api.addDrop({ startsIn: 3_600_000 });
    mount(`<dropslot-config api="${api.api}" publishable-key="${api.key}" locale="de"></dropslot-config>`);
    const countdown = mount(`<drop-countdown drop="${drop.id}" locale="en"></drop-countdown>`);
    await waitForAttribute(countdown, 'phase', 'upcoming');
    equal(text(part(countdown, 'label')), 'Opens in');
  });

  it('ignores empty values (a removed attribute keeps the value set before)', async () => {
    const el = mount<DropslotConfig>(
      `<dropslot-config api="https://a.example" publishable-key="pk_a"></dropslot-config>`,
    );
    await el.updateComplete;
    el.removeAttribute('api');
    await el.updateComplete;
    equal($config.get().api, 'https://a.example');
  });
});

describe('test setup: the Lit dev-mode warning recorder', () => {
  it('records Lit warnings but not the expected dev-mode notice', () => {
    const recorded = window.__litWarnings!;
    const before = recorded.length;
    console.warn(
      'Lit is in dev mode. Not recommended for production! See https://lit.dev/msg/dev-mode for more information.',
    );
    equal(recorded.length, before, 'the dev-mode notice is expected');
    console.warn('[recorder self-test] See https://lit.dev/msg/change-in-update for more information.');
    equal(recorded.length, before + 1, 'a Lit warning is recorded (and would fail this test)');
    recorded.splice(before); // this one was on purpose
    ok(globalThis.litIssuedWarnings, 'Lit runs its development build');
  });
});
