/** Styles of `<payment-step>`: a card with the amount, the method choice and one primary action. */
import { css } from 'lit';

export const paymentStyles = css`
  :host {
    max-inline-size: 28rem;
  }
  .base {
    display: grid;
    gap: calc(var(--_space) * 1.5);
    padding: calc(var(--_space) * 2.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
  }
  .title,
  .amount,
  .status {
    margin: 0;
  }
  .title {
    font-size: 1.25rem;
  }
  fieldset {
    display: grid;
    gap: var(--_space);
    margin: 0;
    padding: var(--_space) calc(var(--_space) * 1.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  label {
    display: flex;
    align-items: center;
    gap: var(--_space);
    min-block-size: 44px;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
  }
  .error {
    color: var(--_danger);
  }
  .succeeded {
    color: var(--_success);
    font-weight: 600;
  }
`;
