/** Styles of `<reservation-ticket>`: a card with the QR code centred; logical properties throughout (RTL). */
import { css } from 'lit';

export const ticketStyles = css`
  :host {
    --_qr-size: var(--ds-ticket-qr-size, min(100%, 16rem));
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
  .header {
    display: grid;
    gap: calc(var(--_space) / 2);
  }
  .title {
    margin: 0;
    font-size: 1.25rem;
    line-height: 1.2;
  }
  .status,
  .message,
  .drop-name {
    margin: 0;
  }
  .status {
    font-weight: 600;
  }
  .status.good {
    color: var(--_success);
  }
  .status.bad,
  .error {
    color: var(--_danger);
  }
  .drop-name {
    font-size: 1.1rem;
    font-weight: 600;
  }
  .message {
    color: var(--_muted);
  }
  .details {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: calc(var(--_space) / 2) calc(var(--_space) * 1.5);
    margin: 0;
  }
  .details dt {
    color: var(--_muted);
  }
  .details dd {
    margin: 0;
  }
  .qr-frame {
    display: grid;
    justify-items: center;
    gap: var(--_space);
    margin: 0;
  }
  .qr {
    display: block;
    inline-size: var(--_qr-size);
    block-size: auto;
    aspect-ratio: 1;
    /* Scanners need dark on light whatever the theme: the code keeps its own colours. */
    background: #ffffff;
    border-radius: calc(var(--_radius) / 2);
  }
  .qr-light {
    fill: #ffffff;
  }
  .qr-dark {
    fill: #000000;
  }
  figcaption {
    display: grid;
    justify-items: center;
    gap: calc(var(--_space) / 4);
    max-inline-size: 100%;
  }
  .token-label {
    color: var(--_muted);
    font-size: 0.875rem;
  }
  .token {
    max-inline-size: 100%;
    overflow-wrap: anywhere;
    font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
    font-size: 0.875rem;
    user-select: all;
  }
  .calendar {
    display: inline-flex;
    align-items: center;
    justify-self: start;
    min-block-size: 44px;
    padding-inline: calc(var(--_space) * 2);
    border: 1px solid var(--_accent);
    border-radius: var(--_radius);
    color: var(--_accent);
    font-weight: 600;
    text-decoration: none;
  }
  .calendar:hover {
    text-decoration: underline;
  }
  .retry,
  .cancel {
    justify-self: start;
  }
  .cancel-ask {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space);
  }
  .cancel-ask p {
    flex-basis: 100%;
    margin: 0;
  }
  .danger {
    border-color: var(--_danger);
    color: var(--_danger);
  }
  .skeleton {
    display: grid;
    gap: var(--_space);
  }
  .bone {
    block-size: 1rem;
    border-radius: calc(var(--_radius) / 2);
    background: var(--_border);
    opacity: 0.5;
    animation: pulse 1.2s ease-in-out infinite alternate;
  }
  .bone.title-bone {
    block-size: 1.5rem;
    inline-size: 50%;
  }
  .bone.short {
    inline-size: 70%;
  }
  .bone.square {
    justify-self: center;
    inline-size: var(--_qr-size);
    block-size: auto;
    aspect-ratio: 1;
  }
  @keyframes pulse {
    to {
      opacity: 0.25;
    }
  }
`;
