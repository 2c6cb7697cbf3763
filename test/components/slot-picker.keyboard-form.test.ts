import { sendKeys } from '@web/test-runner-commands';
import { equal, freshApi, mount, ok, recordEvents, waitFor, waitForAttribute } from './support/setup.js';
import { choose, mountPicker, pickerIn, primary, radios } from './support/picker.js';
import type { SlotPicker } from '../../components/slot-picker/slot-picker.js';
import type { FakeApi } from './support/fake-api.js';

/** A picker with four slots on two days, after a focusable button to Tab from. */
async function keyboardPicker(
  api: FakeApi,
  around = '<div><button id="before">Before</button>{picker}</div>',
) {
  const { drop, slots } = api.addDrop({
    slots: [
      { startsAt: '2030-05-01T14:00:00.000Z' },
      { startsAt: '2030-05-01T15:00:00.000Z' },
      { startsAt: '2030-05-02T14:00:00.000Z' },
      { startsAt: '2030-05-02T15:00:00.000Z' },
    ],
  });
  const el = mountPicker(api, drop.id, { around, token: api.addCustomer() });
  await waitForAttribute(el, 'state', 'open');
  await el.updateComplete;
  return { el, slots };
}

const focusedIndex = (el: SlotPicker): number =>
  radios(el).indexOf(el.shadowRoot!.activeElement as HTMLElement);
const checkedIndex = (el: SlotPicker): number =>
  radios(el).findIndex((r) => r.getAttribute('aria-checked') === 'true');

async function press(el: SlotPicker, key: string): Promise<void> {
  await sendKeys({ press: key });
  await el.updateComplete;
}

describe('<slot-picker> keyboard (APG radio group, roving tabindex)', () => {
  it('Tab enters on the first slot; arrows move and choose; Home/End; wrap; one tab stop', async () => {
    const api = freshApi();
    const { el, slots } = await keyboardPicker(api);
    document.getElementById('before')!.focus();
    await press(el, 'Tab');
    equal(focusedIndex(el), 0, 'Tab lands on the first slot');
    equal(checkedIndex(el), -1, 'focus alone does not choose');

    await press(el, 'Space');
    equal(checkedIndex(el), 0, 'Space chooses the focused slot');
    equal(el.selectedSlotId, slots[0]!.id);

    await press(el, 'ArrowDown');
    equal(focusedIndex(el), 1);
    equal(checkedIndex(el), 1, 'arrows move the choice with the focus');
    await press(el, 'ArrowRight');
    equal(focusedIndex(el), 2, 'across days');
    await press(el, 'ArrowUp');
    equal(focusedIndex(el), 1);
    await press(el, 'ArrowLeft');
    equal(focusedIndex(el), 0);
    await press(el, 'ArrowUp');
    equal(focusedIndex(el), 3, 'wraps to the last');
    await press(el, 'ArrowDown');
    equal(focusedIndex(el), 0, 'wraps to the first');
    await press(el, 'End');
    equal(focusedIndex(el), 3);
    equal(checkedIndex(el), 3);
    await press(el, 'Home');
    equal(focusedIndex(el), 0);
    equal(radios(el).filter((r) => r.tabIndex === 0).length, 1, 'one tab stop: the chosen slot');
    equal(radios(el)[0]!.tabIndex, 0);

    await press(el, 'Tab');
    equal(el.shadowRoot!.activeElement, primary(el), 'the next Tab leaves the group for Reserve');
    await press(el, 'Shift+Tab');
    equal(focusedIndex(el), 0, 'and Shift+Tab returns to the chosen slot');
  });

  it('Enter on Reserve takes the hold; Enter on Confirm confirms (real key presses)', async () => {
    const api = freshApi();
    const { el } = await keyboardPicker(api);
    document.getElementById('before')!.focus();
    await press(el, 'Tab');
    await press(el, 'ArrowDown');
    await press(el, 'Tab');
    await press(el, 'Enter');
    await waitForAttribute(el, 'state', 'hold');
    await el.updateComplete;
    equal(el.shadowRoot!.activeElement, primary(el), 'focus on Confirm');
    await press(el, 'Enter');
    await waitForAttribute(el, 'state', 'confirmed');
  });

  it('right to left: ArrowLeft moves forward', async () => {
    const api = freshApi();
    const { el } = await keyboardPicker(
      api,
      '<div dir="rtl"><button id="before">Before</button>{picker}</div>',
    );
    document.getElementById('before')!.focus();
    await press(el, 'Tab');
    await press(el, 'ArrowLeft');
    equal(focusedIndex(el), 1);
    await press(el, 'ArrowRight');
    equal(focusedIndex(el), 0);
  });

  it('clicking a slot chooses and focuses it; a programmatic choice fires no change', async () => {
    const api = freshApi();
    const { el, slots } = await keyboardPicker(api);
    const events = recordEvents(el, 'change');
    await choose(el, 2);
    equal(checkedIndex(el), 2);
    equal(focusedIndex(el), 2);
    el.selectedSlotId = slots[1]!.id;
    await el.updateComplete;
    equal(checkedIndex(el), 1, 'the property chooses');
    equal(events.length, 0, 'no change event for choices that do not change the value');
  });

  it('Reserve without a choice says to choose and focuses the slots', async () => {
    const api = freshApi();
    const { el } = await keyboardPicker(api);
    primary(el).click();
    await el.updateComplete;
    await waitFor(() => focusedIndex(el) === 0, 'focus on the first slot');
    equal(el.shadowRoot!.querySelector('[part~="notice"]')!.textContent, 'Choose a time first.');
  });
});

describe('<slot-picker> form association', () => {
  it('in a plain form: valueMissing when required, then the reservation id in FormData', async () => {
    const api = freshApi();
    const token = api.addCustomer();
    const { drop } = api.addDrop();
    const form = mount<HTMLFormElement>(
      `<form><slot-picker name="reservation" required drop="${drop.id}" api="${api.api}" publishable-key="${api.key}" customer-token="${token}"></slot-picker><button>Book</button></form>`,
    );
    const el = form.querySelector('slot-picker')!;
    await waitForAttribute(el, 'state', 'open');
    await el.updateComplete;
    equal(el.form, form);
    equal(el.willValidate, true);
    equal(el.validity.valueMissing, true);
    equal(el.validationMessage, 'Reserve a time to continue.');
    equal(form.checkValidity(), false);
    equal(new FormData(form).has('reservation'), false);
    const invalid = recordEvents(el, 'invalid');
    let submitted = 0;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      submitted++;
    });
    form.requestSubmit();
    equal(submitted, 0, 'an invalid form does not submit');
    equal(invalid.length, 1, 'the picker reported itself invalid');

    await choose(el, 0);
    primary(el).click();
    await waitForAttribute(el, 'state', 'hold');
    await el.updateComplete;
    const id = el.value;
    ok(id, 'a reservation id');
    equal(el.validity.valid, true);
    equal(new FormData(form).get('reservation'), id, 'FormData has the held reservation');
    form.requestSubmit();
    equal(submitted, 1);

    primary(el).click(); // Confirm
    await waitForAttribute(el, 'state', 'confirmed');
    await el.updateComplete;
    equal(new FormData(form).get('reservation'), id, 'and the confirmed one');
  });

  it('not required: always valid; a reset forgets the choice but never a reservation', async () => {
    const api = freshApi();
    const { drop } = api.addDrop();
    const form = mount<HTMLFormElement>(
      `<form><slot-picker name="reservation" drop="${drop.id}" api="${api.api}" publishable-key="${api.key}"></slot-picker></form>`,
    );
    const el = form.querySelector('slot-picker')!;
    await waitForAttribute(el, 'state', 'open');
    await el.updateComplete;
    equal(el.checkValidity(), true);
    await choose(el, 0);
    form.reset();
    await el.updateComplete;
    equal(el.selectedSlotId, undefined);
  });

  it('a disabled fieldset disables the picker', async () => {
    const api = freshApi();
    const { drop } = api.addDrop();
    const form = mount<HTMLFormElement>(
      `<form><fieldset disabled><slot-picker name="r" drop="${drop.id}" api="${api.api}" publishable-key="${api.key}"></slot-picker></fieldset></form>`,
    );
    const el = form.querySelector('slot-picker')!;
    await pickerReady(el);
    equal(primary(el).disabled, true);
    equal(radios(el)[0]!.getAttribute('aria-disabled'), 'true');
    await choose(el, 0);
    equal(el.selectedSlotId, undefined, 'a disabled picker cannot be chosen in');
  });
});

async function pickerReady(el: SlotPicker): Promise<void> {
  await waitForAttribute(el, 'state', 'open');
  await el.updateComplete;
}

void pickerIn;
