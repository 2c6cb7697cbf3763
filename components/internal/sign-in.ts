/**
 * The built-in sign-in / sign-up step the shopper elements show when no customer token is known: one form, one submit
 * handler, one mapping of refusals to messages. Not public API.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { DropSlotClient } from '../../src/client.js';
import { AuthenticationError, ConflictError, ValidationError } from '../../src/errors.js';
import type { CustomerSession } from '../../src/schemas/customers.js';
import type { MessageKey } from './i18n.js';

export interface SignInFormOptions {
  msg: (key: MessageKey) => string;
  /** The line under the title: why signing in is needed here. */
  hint: string;
  busy: boolean;
  error?: MessageKey | undefined;
  onSubmit: (event: SubmitEvent) => void;
  onBack: () => void;
}

/** The form: email, password, Sign in (primary), Create account, Back. */
export function signInForm(o: SignInFormOptions): TemplateResult {
  return html`<form part="sign-in" aria-labelledby="sign-in-title" @submit=${o.onSubmit}>
    <p class="title" id="sign-in-title">${o.msg('signInTitle')}</p>
    <p>${o.hint}</p>
    <div part="field">
      <label for="email">${o.msg('email')}</label>
      <input part="input" id="email" name="email" type="email" autocomplete="email" required />
    </div>
    <div part="field">
      <label for="password">${o.msg('password')}</label>
      <input
        part="input"
        id="password"
        name="password"
        type="password"
        autocomplete="current-password"
        required
      />
    </div>
    ${o.error ? html`<p part="notice" class="danger" role="alert">${o.msg(o.error)}</p>` : nothing}
    <div part="actions">
      <button
        part="button button-primary"
        class="primary"
        type="submit"
        value="sign-in"
        data-primary
        ?disabled=${o.busy}
        aria-busy=${o.busy ? 'true' : 'false'}
      >
        ${o.msg('signIn')}
      </button>
      <button part="button" type="submit" value="sign-up" ?disabled=${o.busy}>${o.msg('signUp')}</button>
      <button part="button" type="button" ?disabled=${o.busy} @click=${o.onBack}>
        ${o.msg('pickerBack')}
      </button>
    </div>
  </form>`;
}

/** Signs in or up (by the button that submitted the form) with the form's email and password. */
export function submitSignIn(client: DropSlotClient, event: SubmitEvent): Promise<CustomerSession> {
  event.preventDefault();
  const data = new FormData(event.currentTarget as HTMLFormElement);
  const email = String(data.get('email') ?? '');
  const password = String(data.get('password') ?? '');
  const signUp = (event.submitter as HTMLButtonElement | null)?.value === 'sign-up';
  return signUp ? client.customers.signUp({ email, password }) : client.customers.signIn({ email, password });
}

/** The message for a refused sign-in or sign-up. */
export function signInErrorKey(e: unknown): MessageKey {
  return AuthenticationError.is(e)
    ? 'pickerSignInFailed'
    : ConflictError.is(e) && e.code === 'email_taken'
      ? 'pickerEmailTaken'
      : ValidationError.is(e)
        ? 'pickerSignUpInvalid'
        : 'error';
}

export interface AccountLineOptions {
  msg: (key: MessageKey) => string;
  signedIn: boolean;
  onSignOut: () => void;
  onSignIn: () => void;
}

/**
 * The account line: signed in, says so with the way out (for every element of the page, and every tab of the store);
 * signed out, the way in, for someone who booked elsewhere (what they booked shows once signed in).
 */
export function accountLine(o: AccountLineOptions): TemplateResult {
  return o.signedIn
    ? html`<p part="account" class="account">
        <span>${o.msg('signedIn')}</span>
        <button part="button sign-out" type="button" @click=${o.onSignOut}>${o.msg('signOut')}</button>
      </p>`
    : html`<p part="account" class="account">
        <button part="button account-sign-in" type="button" @click=${o.onSignIn}>${o.msg('signIn')}</button>
      </p>`;
}
