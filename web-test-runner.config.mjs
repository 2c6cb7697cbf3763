// Component tests in a real Chromium (@web/test-runner + Playwright): `npx web-test-runner`.
//
// Lit dev-mode warnings fail the tests. `nodeResolve: true` resolves the "development" export condition, so Lit runs
// its development build, which reports misuse (an update scheduled after an update, shadowed class fields, …) through
// `console.warn` with a `https://lit.dev/msg/<code>` link, once per message per page. A browser log filter could only
// hide or show those, never fail a test, so instead:
//   1. `testRunnerHtml` below puts a classic script in every test page, before any module runs, that wraps
//      `console.warn` and records every Lit warning except the expected notice "Lit is in dev mode" (code `dev-mode`);
//   2. test/components/support/setup.ts (every test file imports it first) fails the test in a root `afterEach` hook
//      when anything was recorded during it, fails the file when the recorder is missing, and fails it when Lit is not
//      in dev mode at all (then warnings would be silent and the check would prove nothing).
// The expected dev-mode notice is also kept out of the printed browser logs (`filterBrowserLogs`), as is the recorder's
// self-test; everything else, including Lit warnings, is still printed.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';

const LIT_DEV_MODE_NOTICE = 'Lit is in dev mode';
/** The fake warning of the recorder's own test (test/components/dropslot-config.test.ts), kept out of the logs. */
const SELF_TEST_MARKER = '[recorder self-test]';

/** Runs in the page before anything else: records Lit warnings in `window.__litWarnings`. */
const litWarningRecorder = `
  window.__litWarnings = [];
  (function () {
    var warn = console.warn;
    console.warn = function () {
      var message = Array.prototype.map.call(arguments, String).join(' ');
      var fromLit = message.indexOf('lit.dev/msg/') !== -1 || message.indexOf('${LIT_DEV_MODE_NOTICE}') !== -1;
      if (fromLit && message.indexOf('${LIT_DEV_MODE_NOTICE}') === -1) window.__litWarnings.push(message);
      return warn.apply(this, arguments);
    };
  })();
`;

/**
 * nanostores reads `process.env.NODE_ENV`, which bundlers replace at build time; do the same for the modules served to
 * the browser (development, like the rest of this setup) instead of faking a `process` global.
 */
const replaceNodeEnv = {
  name: 'replace-node-env',
  transform(context) {
    if (
      context.response.is('js') &&
      typeof context.body === 'string' &&
      context.body.includes('process.env.NODE_ENV')
    ) {
      return { body: context.body.replaceAll('process.env.NODE_ENV', '"development"') };
    }
    return undefined;
  },
};

export default {
  files: ['test/components/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  plugins: [esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json', target: 'es2022' }), replaceNodeEnv],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      },
    }),
  ],
  testRunnerHtml: (testFramework) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <script>${litWarningRecorder}</script>
  </head>
  <body>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
  testFramework: { config: { timeout: 10_000 } },
  filterBrowserLogs: ({ args }) =>
    !args.some(
      (arg) =>
        typeof arg === 'string' && (arg.includes(LIT_DEV_MODE_NOTICE) || arg.startsWith(SELF_TEST_MARKER)),
    ),
};
