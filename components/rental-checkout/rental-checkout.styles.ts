import { css } from 'lit';

/**
 * Styles of `<rental-checkout>`, after the shared base styles: logical properties only (right-to-left works), 44px
 * targets, visible focus from the base, chosen days that stay visible in forced-colors mode.
 */
export const checkoutStyles = css`
  [part~='base'] {
    display: grid;
    gap: calc(var(--_space) * 2);
  }
  p,
  h2,
  h3,
  figure,
  dl {
    margin: 0;
  }
  h2,
  h3,
  .title {
    font-size: 1.1em;
    font-weight: 700;
  }
  .muted {
    color: var(--_muted);
  }
  .small {
    font-size: 0.875em;
  }
  .danger {
    color: var(--_danger);
  }
  .success {
    color: var(--_success);
    font-weight: 600;
  }
  .product {
    display: flex;
    gap: calc(var(--_space) * 2);
    align-items: center;
  }
  [part~='image'] {
    inline-size: 96px;
    block-size: 96px;
    object-fit: cover;
    border-radius: var(--_radius);
    border: 1px solid var(--_border);
  }
  .choose,
  .payment,
  .confirmed {
    display: grid;
    gap: calc(var(--_space) * 2);
  }
  .calendar-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space);
  }
  table[role='grid'] {
    inline-size: 100%;
    border-collapse: separate;
    border-spacing: 2px;
    table-layout: fixed;
  }
  th {
    font-weight: 600;
    color: var(--_muted);
    font-size: 0.875em;
  }
  [part~='day'] {
    block-size: 48px;
    text-align: center;
    border-radius: calc(var(--_radius) / 2);
    border: 1px solid transparent;
    cursor: pointer;
    vertical-align: middle;
    line-height: 1.1;
  }
  [part~='day']:hover {
    border-color: var(--_border);
  }
  .day-number {
    display: block;
    font-weight: 600;
  }
  .day-free {
    display: block;
    font-size: 0.75em;
    color: var(--_muted);
  }
  [part~='day'][aria-disabled='true'] {
    cursor: not-allowed;
    color: var(--_muted);
    text-decoration: line-through;
  }
  [part~='day'][aria-disabled='true'] .day-free {
    text-decoration: none;
  }
  [part~='day'].in-range {
    background: color-mix(in srgb, var(--_accent) 15%, var(--_bg));
  }
  [part~='day'].start,
  [part~='day'].end {
    background: var(--_accent);
    color: var(--_on-accent);
    border-color: var(--_accent);
  }
  [part~='day'].start .day-free,
  [part~='day'].end .day-free {
    color: inherit;
  }
  @media (forced-colors: active) {
    [part~='day'][aria-selected='true'] {
      border: 2px solid Highlight;
    }
  }
  .fields {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) * 2);
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
    border-radius: calc(var(--_radius) / 2);
    background: var(--_bg);
    color: var(--_fg);
    font: inherit;
  }
  input[type='number'] {
    inline-size: 6em;
  }
  .promo {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--_space);
  }
  .promo [part~='notice'] {
    flex-basis: 100%;
  }
  .check {
    display: flex;
    align-items: center;
    gap: var(--_space);
    min-block-size: 44px;
  }
  .check input {
    inline-size: 20px;
    block-size: 20px;
  }
  [part~='quote'] {
    inline-size: 100%;
    border-collapse: collapse;
  }
  [part~='quote'] th {
    text-align: start;
    font-weight: 400;
    color: var(--_fg);
    font-size: 1em;
    padding-block: 4px;
  }
  [part~='quote'] td {
    text-align: end;
    white-space: nowrap;
    font-variant-numeric: tabular-nums;
  }
  [part~='quote'] .period th {
    color: var(--_muted);
  }
  [part~='total'] th,
  [part~='total'] td {
    font-weight: 700;
    border-block-start: 1px solid var(--_border);
    padding-block-start: var(--_space);
  }
  [part~='quote'][aria-busy='true'] {
    cursor: progress;
  }
  [part~='actions'] {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
  }
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 4px calc(var(--_space) * 2);
  }
  dt {
    color: var(--_muted);
  }
  dd {
    margin: 0;
  }
  .qr-frame {
    display: grid;
    gap: var(--_space);
    justify-items: center;
  }
  .qr,
  .qr-placeholder {
    inline-size: min(100%, 14rem);
    aspect-ratio: 1;
  }
  .qr-light {
    fill: #ffffff;
  }
  .qr-dark {
    fill: #000000;
  }
  .code {
    font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace;
    font-size: 1em;
    line-height: 1.4;
    word-break: break-all;
  }
  [part~='account'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space);
    color: var(--_muted);
    font-size: 0.875em;
  }
  [part~='deadline'] {
    font-weight: 600;
  }
  .legend {
    margin-block-start: var(--_space);
    font-size: 0.875em;
  }
  .skeleton {
    display: grid;
    gap: var(--_space);
  }
  .skeleton span {
    display: block;
    block-size: 48px;
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_muted) 15%, var(--_bg));
  }
  .skeleton span:nth-child(2) {
    block-size: 240px;
  }
`;
