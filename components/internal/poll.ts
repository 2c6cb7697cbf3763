/**
 * Follows the server after something it settles on its own (a payment's webhook confirming a hold or an order): reads
 * until `done` holds or `attempts` reads were made, `intervalMs` apart, and answers the last read. Not public API.
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { intervalMs = 300, attempts = 20 } = {},
): Promise<T> {
  let value = await read();
  for (let i = 1; i < attempts && !done(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    value = await read();
  }
  return value;
}
