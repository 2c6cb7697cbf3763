/**
 * `npm run dropslot -- <command>`: the platform operator's command line.
 *
 *   store create --name <name> --owner-email <email> [--owner-name <name>] [--slug <slug>] [--currency EUR]
 *                [--time-zone Europe/Berlin] [--locale en] [--allowed-origin https://shop.example]…
 *
 * Creates a store on the configured database (DATABASE_URL, or the PGlite directory under DATA_DIR: stop a server
 * that uses the same directory first, PGlite allows one process) through the same code as `POST /v1/stores`, and prints
 * the store's keys (shown only now) and the owner's invitation link.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { StoreCreate } from '../../src/schemas/index.js';
import { loadConfig } from './config.js';
import { systemClock, type Clock } from './clock.js';
import { transaction, type Database } from './db/index.js';
import { provisionStore, signInvitation } from './domain/stores.js';
import { ApiError } from './http/problem.js';

const USAGE = `Usage:
  npm run dropslot -- store create --name <name> --owner-email <email> [--owner-name <name>] [--slug <slug>]
                                   [--currency EUR] [--time-zone Europe/Berlin] [--locale en]
                                   [--allowed-origin <origin>]... [--json]`;

export interface CliResult {
  storeId: string;
  slug: string;
  publishableKey: string;
  secretKey: string;
  ownerEmail: string;
  invitationUrl: string;
  invitationToken: string;
  invitationExpiresAt: string;
}

/** Runs one CLI command against an open database; returns the exit code. */
export async function runCli(
  argv: string[],
  env: {
    db: Database;
    clock: Clock;
    publicUrl: string;
    out: (line: string) => void;
    err: (line: string) => void;
  },
): Promise<{ code: number; result?: CliResult }> {
  const [noun, verb, ...rest] = argv;
  if (noun !== 'store' || verb !== 'create') {
    env.err(USAGE);
    return { code: 2 };
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        name: { type: 'string' },
        'owner-email': { type: 'string' },
        'owner-name': { type: 'string' },
        slug: { type: 'string' },
        currency: { type: 'string' },
        'time-zone': { type: 'string' },
        locale: { type: 'string' },
        'allowed-origin': { type: 'string', multiple: true },
        json: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    env.err(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return { code: 2 };
  }
  const parsed = StoreCreate.safeParse({
    name: values.name,
    ownerEmail: values['owner-email'],
    ...(values['owner-name'] !== undefined && { ownerName: values['owner-name'] }),
    ...(values.slug !== undefined && { slug: values.slug }),
    ...(values.currency !== undefined && { currency: values.currency }),
    ...(values['time-zone'] !== undefined && { timeZone: values['time-zone'] }),
    ...(values.locale !== undefined && { locale: values.locale }),
    ...(values['allowed-origin'] !== undefined && { allowedOrigins: values['allowed-origin'] }),
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      env.err(`--${issue.path.join('.').replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)}: ${issue.message}`);
    env.err(USAGE);
    return { code: 2 };
  }
  const body = parsed.data;
  const now = env.clock.now();
  let result: CliResult;
  try {
    result = await transaction(env.db, async (tx) => {
      const made = await provisionStore(
        tx,
        {
          name: body.name,
          slug: body.slug,
          currency: body.currency,
          locale: body.locale,
          timeZone: body.timeZone,
          allowedOrigins: body.allowedOrigins,
          owner: { email: body.ownerEmail, name: body.ownerName },
        },
        now,
        { ua: 'dropslot-cli' },
      );
      const invitation = await signInvitation(
        tx,
        { userId: made.owner!.id, storeId: made.store.id, role: 'owner' },
        now,
        env.publicUrl,
      );
      return {
        storeId: made.store.id,
        slug: made.store.slug,
        publishableKey: made.publishableKey,
        secretKey: made.secretKey,
        ownerEmail: made.owner!.email,
        invitationUrl: invitation.url,
        invitationToken: invitation.token,
        invitationExpiresAt: invitation.expiresAt,
      };
    });
  } catch (error) {
    if (error instanceof ApiError) {
      env.err(`${error.detail}`);
      return { code: 1 };
    }
    throw error;
  }
  if (values.json) {
    env.out(JSON.stringify(result, null, 2));
  } else {
    env.out(`Store created: ${body.name} (${result.slug}, ${result.storeId})`);
    env.out(`  publishable key  ${result.publishableKey}`);
    env.out(`  secret key       ${result.secretKey}   (shown only now: keep it on your server)`);
    env.out(
      `Owner ${result.ownerEmail} is invited; send them this link (valid until ${result.invitationExpiresAt}):`,
    );
    env.out(`  ${result.invitationUrl}`);
  }
  return { code: 0, result };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const config = loadConfig();
  const { openConfiguredDatabase } = await import('./boot.js');
  const handle = await openConfiguredDatabase(config);
  try {
    const { code } = await runCli(process.argv.slice(2), {
      db: handle.db,
      clock: systemClock,
      publicUrl: config.publicUrl,
      out: (line) => console.log(line),
      err: (line) => console.error(line),
    });
    process.exitCode = code;
  } finally {
    await handle.close();
  }
}
