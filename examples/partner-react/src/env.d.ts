/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The DropSlot API's base URL (default: `http://127.0.0.1:8787`, what `npm start` serves). */
  readonly VITE_DROPSLOT_API?: string;
  /** The store's publishable key (`pk_…`). */
  readonly VITE_DROPSLOT_KEY?: string;
}
