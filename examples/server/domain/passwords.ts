/**
 * Password rules for accounts created through the API: at least 8 characters (the contract), not one of the ~50,000
 * most common passwords, not built from the e-mail address, the person's name or the store's name, and a strength
 * estimate of at least 3 of 4 from zxcvbn-ts (which knows dictionaries, keyboard walks, repeats, sequences and dates,
 * and is given the e-mail, name and store name as words to penalise). The dictionaries (~1 MB) load on first use.
 */
import { invalidField } from '../http/problem.js';

/** The lowest zxcvbn score accepted (0 too guessable … 4 very unguessable). */
export const MIN_SCORE = 3;

type Checker = { check(password: string, userInputs: string[]): { score: number } };

let loading: Promise<{ zxcvbn: Checker; common: Set<string> }> | undefined;

function load() {
  loading ??= (async () => {
    const [{ ZxcvbnFactory }, language] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
    ]);
    const zxcvbn = new ZxcvbnFactory({
      dictionary: { ...language.dictionary },
      graphs: language.adjacencyGraphs,
    }) as unknown as Checker;
    const common = new Set(language.dictionary['passwords-common'] as string[]);
    return { zxcvbn, common };
  })();
  return loading;
}

const normalise = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** Refuses a weak password with 400 `validation_failed` on `body.password`, saying why in words. */
export async function assertStrongPassword(
  password: string,
  context: { email: string; name?: string | null | undefined; storeName: string },
): Promise<void> {
  const { zxcvbn, common } = await load();
  const refuse = (why: string) => {
    throw invalidField('body.password', why);
  };
  if (common.has(password.toLowerCase()))
    refuse('This password is one of the most common passwords; choose another.');
  const flat = normalise(password);
  const local = context.email.split('@')[0] ?? '';
  for (const [what, value] of [
    ['your e-mail address', context.email],
    ['your e-mail address', local],
    ['your name', context.name ?? ''],
    ["the store's name", context.storeName],
  ] as const) {
    const word = normalise(value);
    if (word.length >= 4 && flat.includes(word)) refuse(`The password must not contain ${what}.`);
  }
  const inputs = [
    context.email,
    local,
    context.name ?? '',
    context.storeName,
    ...context.storeName.split(/\s+/),
  ];
  const result = zxcvbn.check(password, inputs.filter(Boolean));
  if (result.score < MIN_SCORE) {
    refuse('This password is too easy to guess: use a longer phrase of unrelated words.');
  }
}
