import { css } from 'lit';

/** Styles of `<drop-countdown>`, after the shared base styles. Logical properties only, so right-to-left works. */
export const countdownStyles = css`
  :host {
    --_size: var(--ds-countdown-size, 1.75em);
    display: inline-block;
  }
  [part~='base'],
  [part~='time'],
  [part~='segment'] {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: var(--_space);
  }
  [part~='segment'] {
    gap: 0.15em;
  }
  [part~='label'],
  [part~='unit'] {
    color: var(--_muted);
  }
  [part~='label'] {
    font-weight: 600;
  }
  .live [part~='label'] {
    color: var(--_accent);
  }
  [part~='value'] {
    font-size: var(--_size);
    font-weight: 700;
    font-variant-numeric: tabular-nums;
  }
  [part~='skeleton'] {
    inline-size: 12em;
    block-size: var(--_size);
    border-radius: var(--_radius);
    background: var(--_border);
  }
  [part~='error'] {
    margin: 0;
    color: var(--_danger);
  }
`;
