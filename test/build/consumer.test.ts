/**
 * The package as a user gets it. This builds the package from the working tree in a scratch copy (so the repository's
 * own dist/ is never touched while other suites use it), packs it with `npm pack`, installs the tarball into a fresh
 * project under the OS temp dir next to React 19, Vue and vue-tsc (the versions this repository uses, so npm's cache
 * serves them), and type-checks three files against it — plain TypeScript (SDK, elements, events, the CDN entry), a
 * React 19 TSX file (the `dropslot/react` components and the JSX tags) and a Vue SFC (`dropslot/vue`) — once with
 * `moduleResolution: bundler` and once with `node16`.
 *
 * Each file also carries `@ts-expect-error` / `@vue-expect-error` lines: if a type were `any` (or a tag unknown), the
 * directive would be unused, which is itself an error, so the check fails both ways.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const scratch = mkdtempSync(path.join(tmpdir(), 'dropslot-consumer-'));
const build = path.join(scratch, 'package');
const app = path.join(scratch, 'app');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** What `npm run build` reads, copied from the working tree. */
const BUILD_INPUTS = [
  'src',
  'components',
  'scripts',
  'package.json',
  'rollup.config.mjs',
  'custom-elements-manifest.config.mjs',
  'tsconfig.json',
  'tsconfig.build.json',
  'tsconfig.cdn.json',
  '.prettierrc.json',
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
];

const versionOf = (name: string): string =>
  (
    JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  assert.equal(
    result.status,
    0,
    `${command} ${args.join(' ')} (in ${cwd}) failed:\n${result.stdout ?? ''}\n${result.stderr ?? ''}`,
  );
  return result.stdout;
}

const PLAIN_TS = `
import { createClient, verifyWebhook, type DropSlotClient } from 'dropslot';
import type { Drop } from 'dropslot/schemas';
import 'dropslot/components/slot-picker/define';
import 'dropslot/components/rental-checkout/define';
import { SlotPicker, ReserveEvent } from 'dropslot/components/slot-picker';
import { PaymentSucceedEvent, type CountdownEndDetail } from 'dropslot/events';

export const client: DropSlotClient = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_1' });
export const drop = (d: Drop): string => d.id;

const picker = document.createElement('slot-picker');
const isPicker: SlotPicker = picker;
picker.drop = 'drp_1';
picker.addEventListener('ds-reserve', (e) => {
  const reserve: ReserveEvent = e;
  const expiresAt: string | null | undefined = e.detail.reservation.expiresAt;
  void reserve;
  void expiresAt;
});
document.querySelector('rental-checkout')?.addEventListener('ds-rental-book', (e) => e.detail.order.id);
document.body.addEventListener('ds-payment-succeed', (e) => {
  const ok: PaymentSucceedEvent = e;
  void ok.detail.payment.status;
});
export const end = (d: CountdownEndDetail): string => d.startsAt;
void isPicker;

// @ts-expect-error -- not a property of <slot-picker>
picker.dropId = 'drp_1';
// @ts-expect-error -- a ReserveEvent's detail has no order
document.body.addEventListener('ds-reserve', (e) => e.detail.order);

// A webhook handler is typed from the contract: \`type\` narrows \`data\`.
export async function onWebhook(body: string, headers: Headers): Promise<string> {
  const event = await verifyWebhook('whsec_x', headers, body);
  if (event.type === 'rental.returned') {
    const points: number | undefined = event.data.pointsEarned;
    void points;
  }
  if (event.type === 'reservation.confirmed') {
    // @ts-expect-error -- a reservation event's data has no rentalOrderId typed as a string
    const order: string = event.data.rentalOrderId;
    void order;
    return event.data.reservationId;
  }
  return event.type;
}
`;

const CDN_TS = `
// A page that loads the script-tag bundle gets its tags and events typed by referencing its entry.
import type {} from 'dropslot/cdn/dropslot.js';
import type { TicketUpdateEvent } from 'dropslot/cdn/dropslot.js';

const ticket = document.querySelector('reservation-ticket');
ticket?.addEventListener('ds-ticket-update', (e) => {
  const update: TicketUpdateEvent = e;
  void update.detail.state;
});
document.createElement('check-in-desk').addEventListener('ds-check-in', (e) => e.detail.checkedInAt);
// @ts-expect-error -- refreshInterval is a number
document.createElement('reservation-ticket').refreshInterval = 'soon';
export {};
`;

const REACT_TSX = `
import { useState } from 'react';
import { SlotPicker, DropCountdown } from 'dropslot/react';
import { RentalCheckout } from 'dropslot/react/rental-checkout';
import 'dropslot/components/reservation-ticket/define';

export function Booking({ dropId }: { dropId: string }) {
  const [hold, setHold] = useState<string>();
  return (
    <>
      <DropCountdown drop={dropId} onDsCountdownEnd={(e) => console.log(e.detail.startsAt)} />
      <SlotPicker drop={dropId} required onDsReserve={(e) => setHold(e.detail.reservation.id)} />
      <RentalCheckout product="prd_1" onDsRentalConfirm={(e) => console.log(e.detail.order.qrToken)} />
      {/* React 19: the tags themselves, with on<event> listeners. */}
      <reservation-ticket reservation={hold} refresh-interval={30} onds-ticket-update={(e) => console.log(e.detail.state)} />
      <slot-picker drop={dropId} onds-hold-expire={(e) => console.log(e.detail.reservationId)} />
      {/* @ts-expect-error -- required is a boolean */}
      <SlotPicker required="yes" />
      {/* @ts-expect-error -- a hold-expire event has no reservation */}
      <slot-picker onds-hold-expire={(e) => e.detail.reservation} />
      {/* @ts-expect-error -- not a DropSlot tag */}
      <slot-pickr />
    </>
  );
}
`;

const VUE_SFC = `
<script setup lang="ts">
import 'dropslot/components/slot-picker/define';
import type { ReserveEvent } from 'dropslot/events';

const props = defineProps<{ dropId: string }>();
function onReserve(event: ReserveEvent) {
  console.log(event.detail.reservation.expiresAt);
}
function onCountdownEnd(event: Event) {
  void event;
}
</script>

<template>
  <slot-picker :drop="props.dropId" required @ds-reserve="onReserve" @ds-confirm="(e) => console.log(e.detail.reservation.state)" />
  <drop-countdown :drop="props.dropId" @ds-countdown-end="onCountdownEnd" />
  <!-- @vue-expect-error a ReserveEvent's detail has no order -->
  <slot-picker @ds-reserve="(e) => e.detail.order" />
  <!-- @vue-expect-error required is a boolean -->
  <slot-picker :required="'yes'" />
</template>
`;

before(() => {
  // 1. Build the package from a copy of the working tree and pack it.
  mkdirSync(build);
  for (const input of BUILD_INPUTS) {
    if (existsSync(path.join(root, input)))
      cpSync(path.join(root, input), path.join(build, input), { recursive: true });
  }
  symlinkSync(path.join(root, 'node_modules'), path.join(build, 'node_modules'), 'dir');
  run(npm, ['run', 'build', '--silent'], build);
  const [packed] = JSON.parse(run(npm, ['pack', '--json', '--pack-destination', scratch], build)) as {
    filename: string;
  }[];
  const tarball = path.join(scratch, packed!.filename);

  // 2. A fresh project that depends on the tarball.
  mkdirSync(path.join(app, 'src'), { recursive: true });
  const dependencies = {
    dropslot: `file:${tarball}`,
    react: versionOf('react'),
    vue: versionOf('vue'),
  };
  const devDependencies = {
    '@types/react': versionOf('@types/react'),
    typescript: versionOf('typescript'),
    'vue-tsc': versionOf('vue-tsc'),
  };
  writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify(
      { name: 'consumer', private: true, type: 'module', dependencies, devDependencies },
      null,
      2,
    ),
  );
  run(
    npm,
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'],
    app,
  );
  writeFileSync(path.join(app, 'src/plain.ts'), PLAIN_TS);
  writeFileSync(path.join(app, 'src/cdn.ts'), CDN_TS);
  writeFileSync(path.join(app, 'src/app.tsx'), REACT_TSX);
  writeFileSync(path.join(app, 'src/Booking.vue'), VUE_SFC);
  // As docs/sdk.md says: load the Vue types once for the project.
  writeFileSync(path.join(app, 'src/env.d.ts'), "import type {} from 'dropslot/vue';\n");
  const base = {
    target: 'ES2022',
    lib: ['ES2023', 'DOM', 'DOM.Iterable'],
    strict: true,
    noEmit: true,
    jsx: 'react-jsx',
    // Our declarations and every dependency's are checked too.
    skipLibCheck: false,
    types: [],
  };
  for (const [name, options] of Object.entries({
    bundler: { module: 'ESNext', moduleResolution: 'bundler' },
    node16: { module: 'Node16', moduleResolution: 'node16' },
  })) {
    writeFileSync(
      path.join(app, `tsconfig.${name}.json`),
      JSON.stringify(
        {
          compilerOptions: { ...base, ...options },
          vueCompilerOptions: { strictTemplates: true },
          include: ['src/**/*.ts', 'src/**/*.tsx', 'src/**/*.vue'],
        },
        null,
        2,
      ),
    );
  }
});

after(() => rmSync(scratch, { recursive: true, force: true }));

function typecheck(config: string): void {
  const result = spawnSync(
    process.execPath,
    [path.join(app, 'node_modules/vue-tsc/bin/vue-tsc.js'), '-p', config, '--pretty', 'false'],
    { cwd: app, encoding: 'utf8' },
  );
  assert.equal(result.status, 0, `vue-tsc -p ${config}:\n${result.stdout}\n${result.stderr}`);
}

test('the packed package holds what it declares (LICENSE, CHANGELOG, no source maps)', () => {
  const installed = path.join(app, 'node_modules/dropslot');
  for (const file of [
    'LICENSE',
    'CHANGELOG.md',
    'README.md',
    'dist/cdn/dropslot.d.ts',
    'dist/web-types.json',
  ])
    assert.ok(existsSync(path.join(installed, file)), `${file} is in the package`);
  const listing = execFileSync('find', [installed, '-name', '*.map'], { encoding: 'utf8' });
  assert.equal(listing.trim(), '', 'no source maps');
});

test('a TS file, a React 19 TSX file and a Vue SFC type-check against it (moduleResolution bundler)', () => {
  typecheck('tsconfig.bundler.json');
});

test('the same files type-check with moduleResolution node16', () => {
  typecheck('tsconfig.node16.json');
});
