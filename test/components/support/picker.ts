/** Helpers for `<slot-picker>` tests: mounting against a fake API and reading it through parts and roles. */
import '../../../components/slot-picker/define.js';
import type { SlotPicker } from '../../../components/slot-picker/slot-picker.js';
import type { FakeApi } from './fake-api.js';
import { button, byRole, mount, part, text, waitForAttribute } from './setup.js';

export interface PickerOptions {
  /** A customer token for the picker (`customer-token`); none shows the sign-in step on reserve. */
  token?: string;
  /** Extra attributes. */
  attributes?: string;
  /** Markup around the picker; `{picker}` is replaced by it. */
  around?: string;
}

/** Mounts a `<slot-picker>` for the drop, configured for the fake API, and returns it. */
export function mountPicker(api: FakeApi, dropId: string, options: PickerOptions = {}): SlotPicker {
  const token = options.token ? ` customer-token="${options.token}"` : '';
  const picker = `<slot-picker drop="${dropId}" api="${api.api}" publishable-key="${api.key}"${token} ${options.attributes ?? ''}></slot-picker>`;
  const root = mount(options.around ? options.around.replace('{picker}', picker) : picker);
  return (root.localName === 'slot-picker' ? root : root.querySelector('slot-picker')) as SlotPicker;
}

/** Mounts and waits for a state. */
export async function pickerIn(
  state: string,
  api: FakeApi,
  dropId: string,
  options: PickerOptions = {},
): Promise<SlotPicker> {
  const el = mountPicker(api, dropId, options);
  await waitForAttribute(el, 'state', state);
  await el.updateComplete;
  return el;
}

export const radios = (el: Element): HTMLElement[] => byRole(el, 'radio');

export const primary = (el: Element): HTMLButtonElement => {
  const found = el.shadowRoot?.querySelector<HTMLButtonElement>('[part~="button-primary"]');
  if (!found) throw new Error(`no primary button in state ${el.getAttribute('state')}`);
  return found;
};

/** Chooses the slot at `index` with a click and waits for the render. */
export async function choose(el: SlotPicker, index: number): Promise<void> {
  radios(el)[index]!.click();
  await el.updateComplete;
}

/** Chooses a slot and reserves it with a click; resolves in the `hold` state. */
export async function reserve(el: SlotPicker, index = 0): Promise<void> {
  await choose(el, index);
  primary(el).click();
  await waitForAttribute(el, 'state', 'hold');
  await el.updateComplete;
}

export const clickButton = async (el: SlotPicker, label: string | RegExp): Promise<void> => {
  const found = button(el, label);
  if (!found) throw new Error(`no button "${label}" in state ${el.getAttribute('state')}`);
  found.click();
  await el.updateComplete;
};

export const noticeText = (el: Element): string => text(part(el, 'notice'));
