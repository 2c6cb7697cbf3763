/**
 * The public design tokens (`--ds-*`) every element reads, with their defaults, and shared base rules
 * (visible focus, 44px targets, reduced motion). Elements add their own styles after these.
 */
import { css } from 'lit';

export const baseStyles = css`
  :host {
    --_accent: var(--ds-color-accent, #1f5eff);
    --_on-accent: var(--ds-color-on-accent, #ffffff);
    --_fg: var(--ds-color-text, #16181d);
    --_muted: var(--ds-color-muted, #5b6170);
    --_bg: var(--ds-color-surface, #ffffff);
    --_border: var(--ds-color-border, #c9ced8);
    --_danger: var(--ds-color-danger, #b3261e);
    --_success: var(--ds-color-success, #1b7a3a);
    --_radius: var(--ds-radius, 10px);
    --_font: var(--ds-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_space: var(--ds-space, 8px);
    --_focus: var(--ds-focus-ring, 3px solid #1f5eff);
    display: block;
    color: var(--_fg);
    font-family: var(--_font);
    line-height: 1.4;
  }
  :host([hidden]) {
    display: none;
  }
  button,
  input {
    font: inherit;
  }
  button {
    min-block-size: 44px;
    min-inline-size: 44px;
    padding: 0 calc(var(--_space) * 2);
    border-radius: var(--_radius);
    border: 1px solid var(--_border);
    background: var(--_bg);
    color: var(--_fg);
    cursor: pointer;
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
  :focus-visible {
    outline: var(--_focus);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  @media (prefers-reduced-motion: reduce) {
    * {
      animation: none !important;
      transition: none !important;
    }
  }
`;
