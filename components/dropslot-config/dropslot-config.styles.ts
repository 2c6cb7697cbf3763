import { css } from 'lit';

/** `<dropslot-config>` has no box of its own: its children lay out as if it were not there. */
export const configStyles = css`
  :host {
    display: contents;
  }
`;
