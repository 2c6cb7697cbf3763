/**
 * custom-elements.json is what editors, the React and Vue bindings and the element reference are generated from, so
 * its events must be the ones the elements really fire. This generates the manifest afresh (into a temp dir) and
 * compares each element's events with the `dispatchEvent(new …)` calls in the element's folder, read with the
 * TypeScript parser; the event names come from the event classes themselves (`static eventName`).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import * as events from '../../components/events.js';
import { editorData, sources } from '../../scripts/bindings.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const scratch = mkdtempSync(path.join(tmpdir(), 'dropslot-manifest-'));

interface ManifestEvent {
  name: string;
  type?: { text: string };
  description?: string;
}
interface Declaration {
  name: string;
  tagName?: string;
  customElement?: boolean;
  events?: ManifestEvent[];
}
let elements: (Declaration & { tagName: string; module: string })[] = [];
let manifest: { modules: { path: string; declarations?: Declaration[] }[] };

before(() => {
  execFileSync(
    process.execPath,
    [
      path.join(root, 'node_modules/@custom-elements-manifest/analyzer/cem.js'),
      'analyze',
      '--config',
      'custom-elements-manifest.config.mjs',
    ],
    { cwd: root, stdio: 'pipe', env: { ...process.env, CEM_OUTDIR: path.relative(root, scratch) } },
  );
  manifest = JSON.parse(readFileSync(path.join(scratch, 'custom-elements.json'), 'utf8')) as typeof manifest;
  elements = manifest.modules.flatMap((mod) =>
    (mod.declarations ?? [])
      .filter((d): d is Declaration & { tagName: string } => Boolean(d.customElement && d.tagName))
      .map((d) => ({ ...d, module: mod.path })),
  );
});

after(() => rmSync(scratch, { recursive: true, force: true }));

/** Event class name → event name, from the classes' `static eventName`. */
const eventNameOf = new Map<string, string>(
  Object.entries(events)
    .filter(([, value]) => typeof value === 'function' && 'eventName' in value)
    .map(([name, value]) => [name, (value as { eventName: string }).eventName]),
);

/** The events an element's folder dispatches: `dispatchEvent(new XEvent(…))` and `dispatchEvent(new Event('name'))`. */
function dispatched(tag: string): Map<string, string> {
  const found = new Map<string, string>();
  const dir = path.join(root, 'components', tag);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.events.ts'))) {
    const source = ts.createSourceFile(
      file,
      readFileSync(path.join(dir, file), 'utf8'),
      ts.ScriptTarget.Latest,
    );
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        node.expression.name.text === 'dispatchEvent'
      ) {
        const arg = node.arguments[0];
        assert.ok(
          arg && ts.isNewExpression(arg) && ts.isIdentifier(arg.expression),
          `${tag}/${file}: dispatchEvent() is given a \`new SomeEvent(…)\` (so this test can name it)`,
        );
        const cls = arg.expression.text;
        const first = arg.arguments?.[0];
        if (cls === 'Event' || cls === 'CustomEvent') {
          assert.ok(first && ts.isStringLiteral(first), `${tag}/${file}: new ${cls}() has a literal name`);
          found.set(first.text, cls);
        } else {
          const name = eventNameOf.get(cls);
          assert.ok(
            name,
            `${tag}/${file}: ${cls} is exported from components/events.ts with a static eventName`,
          );
          found.set(name, cls);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

test('the manifest lists every element', () => {
  const tags = readdirSync(path.join(root, 'components'), { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'internal')
    .map((e) => e.name)
    .sort();
  assert.deepEqual(elements.map((e) => e.tagName).sort(), tags);
});

test('each element lists exactly the events it dispatches, with their classes', () => {
  let total = 0;
  for (const element of elements) {
    const fired = dispatched(element.tagName);
    const listed = new Map((element.events ?? []).map((e) => [e.name, e.type?.text]));
    assert.deepEqual(
      [...listed.keys()].sort(),
      [...fired.keys()].sort(),
      `<${element.tagName}>: the manifest's events (its @fires tags) are the ones it dispatches`,
    );
    for (const [name, cls] of fired)
      assert.equal(listed.get(name), cls, `<${element.tagName}> ${name} is a ${cls}`);
    for (const event of element.events ?? []) assert.ok(event.description, `${event.name} has a description`);
    total += fired.size;
  }
  assert.ok(total >= 15, `found the elements' events (${total})`);
});

test('every ds- event is declared in HTMLElementEventMap', () => {
  // A compile-time check, made here by compiling a listener per event against the sources.
  const lines = [...eventNameOf].map(
    ([cls, name]) =>
      `document.body.addEventListener('${name}', (e) => { const x: events.${cls} = e; void x; void e.detail; });`,
  );
  const file = path.join(root, 'test/build/.event-map-check.ts');
  const program = ts.createProgram({
    rootNames: [file],
    options: {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
      skipLibCheck: true,
      types: [],
      experimentalDecorators: true,
    },
    host: (() => {
      const host = ts.createCompilerHost({});
      const read = host.readFile.bind(host);
      host.readFile = (name) =>
        path.resolve(name) === file
          ? `import * as events from '../../components/events.js';\n${lines.join('\n')}\n`
          : read(name);
      const exists = host.fileExists.bind(host);
      host.fileExists = (name) => path.resolve(name) === file || exists(name);
      return host;
    })(),
  });
  const diagnostics = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && path.resolve(d.file.fileName) === file)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  assert.deepEqual(diagnostics, []);
  assert.ok(lines.length >= 15);
});

test('the committed React and Vue bindings are the ones this manifest generates (npm run build:bindings)', async () => {
  const generated = (await sources(manifest)) as Record<string, string>;
  assert.ok(Object.keys(generated).length >= elements.length + 3);
  for (const [file, text] of Object.entries(generated)) {
    assert.equal(
      readFileSync(path.join(root, file), 'utf8'),
      text,
      `${file} is up to date (run npm run build:bindings after changing an element)`,
    );
  }
  for (const element of elements) {
    const react = generated[`src/react/${element.tagName}.ts`] ?? '';
    for (const event of element.events ?? []) {
      const prop = `on${event.name.replace(/(^|-)(\w)/g, (_m: string, _d: string, c: string) => c.toUpperCase())}`;
      assert.match(react, new RegExp(`${prop}: '${event.name}' as EventName<${event.type?.text}>`));
    }
  }
});

test('the editor data (VS Code, web-types) lists every tag with its attributes and events', () => {
  const data = editorData(manifest) as Record<string, string>;
  const html = JSON.parse(data['dist/vscode.html-custom-data.json']!) as {
    tags: { name: string; attributes: { name: string }[] }[];
  };
  const webTypes = JSON.parse(data['dist/web-types.json']!) as {
    contributions: { html: { elements: { name: string; js: { events: { name: string }[] } }[] } };
  };
  const css = JSON.parse(data['dist/vscode.css-custom-data.json']!) as { properties: { name: string }[] };
  assert.deepEqual(html.tags.map((t) => t.name).sort(), elements.map((e) => e.tagName).sort());
  const picker = html.tags.find((t) => t.name === 'slot-picker');
  assert.ok(picker?.attributes.some((a) => a.name === 'publishable-key'));
  for (const element of elements) {
    const entry = webTypes.contributions.html.elements.find((e) => e.name === element.tagName);
    assert.deepEqual(
      entry?.js.events.map((e) => e.name),
      (element.events ?? []).map((e) => e.name),
    );
  }
  assert.ok(css.properties.some((p) => p.name === '--ds-color-accent'));
});
