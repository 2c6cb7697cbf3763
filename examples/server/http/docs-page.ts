/**
 * `/docs`: the API reference, rendered from `/openapi.json` by Swagger UI (`swagger-ui-dist`, served from
 * node_modules, nothing from a CDN). The page runs under a strict Content-Security-Policy (`DOCS_CSP`, also in
 * docs/csp.md): only same-origin scripts and styles, no inline script, no `eval`, no third-party request. The online
 * validator badge is off (it would send the document to validator.swagger.io and shows a red "invalid" badge for
 * OpenAPI 3.1), and a small same-origin stylesheet and script fix what axe finds in Swagger UI's markup.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Hono } from 'hono';
import { ProblemCode } from '../../../src/schemas/index.js';
import type { AppEnv } from './context.js';
import { ApiError } from './problem.js';

/** The policy of the page and its assets. `img-src data:` is for Swagger UI's inline SVG icons in its stylesheet. */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const require = createRequire(import.meta.url);
const swaggerDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));

const TEXT_CSS = 'text/css; charset=utf-8';
const TEXT_JS = 'text/javascript; charset=utf-8';

/** Files served from `swagger-ui-dist`. */
const vendorAssets: Record<string, string> = {
  'swagger-ui.css': TEXT_CSS,
  'swagger-ui-bundle.js': TEXT_JS,
};

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>DropSlot API reference</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<link rel="stylesheet" href="/docs/assets/docs.css">
</head>
<body>
<div id="api"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script>
</body>
</html>`;

/** Starts Swagger UI on the page: the document, no online validator, deep links. */
const init = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#api',
  // Deep links would put a link inside each operation's toggle button (nested interactive controls).
  deepLinking: false,
  validatorUrl: null,
  // A light code theme whose colours all reach 4.5:1 (the default dark one has a red at 3.5:1).
  syntaxHighlight: { theme: 'idea' },
  plugins: [
    ({ React }) => ({
      wrapComponents: {
        // The document names one server, this origin: no unlabelled server picker.
        ServersContainer: () => () => null,
        // The title and description form the page's banner landmark.
        InfoContainer: (Original) => (props) =>
          React.createElement('div', { className: 'docs-banner', role: 'banner' }, React.createElement(Original, props)),
        // A level-2 heading between the page title (h1) and the tag headings (h3).
        operations: (Original) => (props) =>
          React.createElement(
            React.Fragment,
            null,
            React.createElement('h2', { className: 'docs-operations-title' }, 'Operations'),
            React.createElement(Original, props),
          ),
      },
    }),
  ],
});
`;

/** Overrides of Swagger UI's colours that fall short of WCAG AA contrast (4.5:1) on its white background. */
const css = `
.swagger-ui .opblock .opblock-summary-method { color: #000; text-shadow: none; }
.swagger-ui .info .title small pre, .swagger-ui .info .title small.version-stamp pre { color: #000; }
.swagger-ui .btn.authorize { color: #146b44; border-color: #146b44; }
.swagger-ui .btn.authorize svg { fill: #146b44; }
#api .json-schema-2020-12-expand-deep-button { color: #505050; }
.swagger-ui .parameter__in { color: #505050; }
.swagger-ui .json-schema-2020-12__constraint--string { color: #000; }
.docs-operations-title { font-family: sans-serif; font-size: 1.5rem; color: #3b4151; max-width: 1460px; margin: 0 auto; padding: 0 10px; }
.swagger-ui a, .swagger-ui .info a, .swagger-ui .info .link { color: #1f4fb8; text-decoration: underline; }
`;

const served: Record<string, { type: string; body: string }> = {
  'init.js': { type: TEXT_JS, body: init },
  'docs.css': { type: TEXT_CSS, body: css },
};

/** Mounts `/docs` and `/docs/assets/*`; every response carries `DOCS_CSP`. */
export function docsPage(app: Hono<AppEnv>): void {
  app.use('/docs', async (c, next) => {
    await next();
    c.header('content-security-policy', DOCS_CSP);
  });
  app.use('/docs/*', async (c, next) => {
    await next();
    c.header('content-security-policy', DOCS_CSP);
  });
  app.get('/docs', (c) => c.html(page));
  app.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    const own = served[file];
    if (own) return c.body(own.body, 200, { 'content-type': own.type, 'cache-control': 'no-cache' });
    const type = vendorAssets[file];
    if (!type) throw new ApiError(404, ProblemCode.notFound, 'No such asset.');
    return c.body(await readFile(path.join(swaggerDir, file)), 200, {
      'content-type': type,
      'cache-control': 'public, max-age=3600',
    });
  });
}
