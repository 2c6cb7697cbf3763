/**
 * A partner's own storefront on the DropSlot SDK: no DropSlot elements, its own design. Drops (countdown, holds with a
 * timer, waitlist, ticket) and rentals (a date picker with live availability and a quote).
 */
import { useEffect, useState } from 'react';
import type { Store } from 'dropslot';
import { client } from './dropslot.js';
import { Account } from './Account.js';
import { Drops } from './Drops.js';
import { Rentals } from './Rentals.js';
import { problemText } from './format.js';

type View = 'drops' | 'rentals';

export function App() {
  const [store, setStore] = useState<Store | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [view, setView] = useState<View>('drops');

  useEffect(() => {
    client.store.retrieve().then(setStore, (e: unknown) => setError(problemText(e)));
  }, []);

  return (
    <div className="shell">
      <header className="masthead">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            ◆
          </span>
          <div>
            <h1>{store?.name ?? 'Kickback'}</h1>
            <p className="tagline">Limited drops and gear to rent</p>
          </div>
        </div>
        <nav aria-label="Sections">
          {(['drops', 'rentals'] as const).map((name) => (
            <button
              key={name}
              type="button"
              className={view === name ? 'tab active' : 'tab'}
              aria-pressed={view === name}
              onClick={() => setView(name)}
            >
              {name === 'drops' ? 'Drops' : 'Rent'}
            </button>
          ))}
        </nav>
        <Account />
      </header>
      <main>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {store && (view === 'drops' ? <Drops store={store} /> : <Rentals store={store} />)}
      </main>
    </div>
  );
}
