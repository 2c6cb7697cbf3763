import { css } from 'lit';

/**
 * Styles of `<slot-picker>`, after the shared base styles. Logical properties only (right-to-left works), 44px targets,
 * visible focus from the base, no motion when reduced motion is asked for, and a chosen slot that stays visible in
 * forced-colors mode.
 */
export const pickerStyles = css`
  :host {
    --_slot-min: var(--ds-slot-min-width, 11.5rem);
  }
  [part~='base'] {
    display: grid;
    gap: calc(var(--_space) * 2);
  }
  p {
    margin: 0;
  }
  .title {
    font-weight: 700;
  }
  [part~='heading'] {
    font-weight: 700;
  }
  [part~='slots'] {
    display: grid;
    gap: calc(var(--_space) * 2);
  }
  [part~='day'] {
    display: grid;
    gap: var(--_space);
  }
  [part~='day-label'] {
    color: var(--_muted);
    font-weight: 600;
  }
  .day-slots {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(var(--_slot-min), 1fr));
    gap: var(--_space);
  }
  [part~='slot'] {
    display: flex;
    flex-direction: column;
    justify-content: center;
    gap: 2px;
    min-block-size: 44px;
    min-inline-size: 44px;
    box-sizing: border-box;
    padding-block: var(--_space);
    padding-inline: calc(var(--_space) * 1.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    cursor: pointer;
    text-align: start;
    user-select: none;
    transition:
      border-color 120ms ease,
      box-shadow 120ms ease;
  }
  [part~='slot']:hover {
    border-color: var(--_accent);
  }
  [part~='slot-selected'] {
    border-color: var(--_accent);
    background: var(--_accent);
    color: var(--_on-accent);
  }
  [part~='slot-selected'] [part~='slot-remaining'] {
    color: inherit;
  }
  [part~='slot'][aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.6;
  }
  [part~='slot-time'] {
    font-weight: 600;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  [part~='summary'] {
    font-weight: 600;
  }
  [part~='account'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space);
    color: var(--_muted);
    font-size: 0.875em;
  }
  [part~='slot-remaining'] {
    color: var(--_muted);
    font-size: 0.875em;
  }
  [part~='actions'] {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
  }
  [part~='notice'] {
    padding-block: var(--_space);
    padding-inline: calc(var(--_space) * 1.5);
    border-inline-start: 4px solid var(--_accent);
    background: var(--_bg);
  }
  .danger,
  [part~='error'] p {
    color: var(--_danger);
  }
  [part~='notice'].danger {
    border-inline-start-color: var(--_danger);
  }
  [part~='hold'],
  [part~='waitlist'],
  [part~='confirmed'],
  [part~='expired'],
  [part~='error'],
  [part~='sign-in'] {
    display: grid;
    gap: calc(var(--_space) * 1.5);
    padding: calc(var(--_space) * 2);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  [part~='hold'],
  .promoted {
    border-color: var(--_accent);
    border-inline-start-width: 4px;
  }
  [part~='confirmed'] {
    border-color: var(--_success);
    border-inline-start-width: 4px;
  }
  [part~='confirmed'] .title {
    color: var(--_success);
  }
  [part~='expired'],
  [part~='error'] {
    border-color: var(--_danger);
    border-inline-start-width: 4px;
  }
  [part~='timer'] {
    font-weight: 700;
    font-variant-numeric: tabular-nums;
  }
  [part~='timer'].urgent {
    color: var(--_danger);
  }
  .position {
    font-size: 1.125em;
    font-weight: 600;
  }
  [part~='offline'] {
    padding-block: var(--_space);
    padding-inline: calc(var(--_space) * 1.5);
    border-radius: var(--_radius);
    background: var(--_fg);
    color: var(--_bg);
  }
  [part~='field'] {
    display: grid;
    gap: 4px;
  }
  [part~='input'] {
    min-block-size: 44px;
    box-sizing: border-box;
    padding-inline: var(--_space);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_fg);
  }
  .skeleton-list {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(var(--_slot-min), 1fr));
    gap: var(--_space);
  }
  [part~='skeleton'] {
    display: block;
    block-size: 56px;
    border-radius: var(--_radius);
    background: linear-gradient(90deg, var(--_border) 25%, var(--_bg) 50%, var(--_border) 75%);
    background-size: 200% 100%;
    animation: ds-shimmer 1.4s linear infinite;
  }
  .skeleton-label {
    grid-column: 1 / -1;
    block-size: 1.25em;
    inline-size: 40%;
  }
  @keyframes ds-shimmer {
    from {
      background-position: 100% 0;
    }
    to {
      background-position: -100% 0;
    }
  }
  @media (forced-colors: active) {
    [part~='slot-selected'] {
      border: 3px solid Highlight;
    }
    [part~='skeleton'] {
      background: GrayText;
    }
  }
`;
