/** Sign in or sign up with email and password (the publishable key's customer routes); the token stays in memory. */
import { useState, type FormEvent } from 'react';
import { useStore } from '@nanostores/react';
import { $customer, signIn, signOut, signUp } from './dropslot.js';
import { problemText } from './format.js';

export function Account() {
  const customer = useStore($customer);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (customer) {
    return (
      <div className="account">
        <span data-testid="signed-in">Signed in as {customer.email ?? customer.name ?? 'guest'}</span>
        <button type="button" className="link" onClick={signOut}>
          Sign out
        </button>
      </div>
    );
  }

  const submit = (action: typeof signIn) => async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action(email, password);
    } catch (err) {
      setError(problemText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="account" aria-label="Sign in" onSubmit={submit(signIn)}>
      <label>
        Email
        <input
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </label>
      <label>
        Password
        <input
          type="password"
          autoComplete="current-password"
          required
          minLength={8}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <button type="submit" disabled={busy}>
        Sign in
      </button>
      <button type="button" className="link" disabled={busy} onClick={() => void submit(signUp)()}>
        Create account
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}
