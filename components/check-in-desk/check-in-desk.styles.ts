/** Styles of `<check-in-desk>`: large targets and a result that reads at arm's length; logical properties (RTL). */
import { css } from 'lit';

export const deskStyles = css`
  :host {
    max-inline-size: 36rem;
  }
  .base {
    display: grid;
    gap: calc(var(--_space) * 2);
  }
  .title {
    margin: 0;
    font-size: 1.25rem;
    line-height: 1.2;
  }
  .desk-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space);
  }
  .sign-in,
  .code-form {
    display: grid;
    gap: calc(var(--_space) * 1.5);
  }
  .code-form {
    grid-template-columns: 1fr auto;
    align-items: end;
  }
  .field {
    display: grid;
    gap: calc(var(--_space) / 2);
  }
  input {
    min-block-size: 44px;
    padding-inline: calc(var(--_space) * 1.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_fg);
  }
  .camera {
    display: grid;
    justify-items: start;
    gap: var(--_space);
  }
  .video {
    inline-size: 100%;
    max-block-size: 60vh;
    border-radius: var(--_radius);
    background: #000000;
    object-fit: cover;
  }
  .camera-message {
    margin: 0;
    color: var(--_muted);
  }
  .error {
    margin: 0;
    color: var(--_danger);
  }
  .result {
    border-radius: var(--_radius);
  }
  .result.ok,
  .result.refused,
  .result.neutral {
    padding: calc(var(--_space) * 2);
    border: 2px solid currentColor;
  }
  .result.ok {
    color: var(--_success);
  }
  .result.refused {
    color: var(--_danger);
  }
  .result.neutral {
    color: var(--_muted);
  }
  .result-title {
    margin: 0;
    font-size: 1.25rem;
    font-weight: 700;
  }
  .result-details {
    display: grid;
    gap: calc(var(--_space) / 2);
    margin: var(--_space) 0 0;
    padding: 0;
    color: var(--_fg);
  }
  .detail {
    display: grid;
    grid-template-columns: minmax(6rem, max-content) 1fr;
    gap: var(--_space);
  }
  .detail dt {
    color: var(--_muted);
  }
  .detail dd {
    margin: 0;
    font-weight: 600;
  }
  .units {
    margin: 0;
    padding: 0;
    list-style: none;
  }
`;
