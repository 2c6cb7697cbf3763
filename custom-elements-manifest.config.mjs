// `npm run build:manifest`: the Custom Elements Manifest (custom-elements.json, referenced by package.json
// "customElements") generated from the elements' JSDoc (@summary @slot @csspart @cssprop @fires) and Lit decorators
// (`litelement: true`).
//
// Three small plugins adapt the analyzer to this repository's layout:
// - `define('tag', Class)` (components/internal/define.ts) registers the elements instead of `customElements.define`;
//   the analyzer is taught to read it.
// - The shared bases in components/internal/ are analysed only so that their public attributes (api, publishable-key,
//   locale, customer-token) are inherited into every element; the internal modules are then removed, as are helper
//   modules (styles, QR, .ics, scanner), since none of them is public API.
// - Module paths point at the published JavaScript (`dist/components/<tag>/<tag>.js`), not at the TypeScript sources.
import path from 'node:path';

const clean = (p) => p.replace(/^\.?\//, '');
const isInternal = (p) => clean(p).startsWith('components/internal/');

/** Public modules: `components/<tag>/<tag>.ts`, `<tag>.events.ts` and `define.ts`. */
function isPublic(p) {
  const [root, folder, file] = clean(p).split('/');
  return (
    root === 'components' &&
    (file === 'define.ts' || file === `${folder}.ts` || file === `${folder}.events.ts`)
  );
}

const published = (p) => `dist/${clean(p).replace(/\.ts$/, '.js')}`;

/** Reads `define('tag', Class)` calls as custom element definitions. */
function defineHelper() {
  const definitions = [];
  return {
    name: 'dropslot-define-helper',
    analyzePhase({ ts, node, moduleDoc }) {
      if (
        !ts.isCallExpression(node) ||
        !ts.isIdentifier(node.expression) ||
        node.expression.text !== 'define'
      )
        return;
      const [tag, cls] = node.arguments;
      if (!tag || !cls || !ts.isStringLiteral(tag) || !ts.isIdentifier(cls)) return;
      const source = node.getSourceFile();
      // Where the class comes from: `import { Class } from './class.js'` in the same module.
      let module = moduleDoc.path;
      for (const statement of source.statements) {
        if (!ts.isImportDeclaration(statement) || !statement.importClause?.namedBindings) continue;
        const bindings = statement.importClause.namedBindings;
        if (ts.isNamedImports(bindings) && bindings.elements.some((e) => e.name.text === cls.text)) {
          const spec = statement.moduleSpecifier.text.replace(/\.js$/, '.ts');
          module = path.posix.join(path.posix.dirname(clean(moduleDoc.path)), spec);
        }
      }
      moduleDoc.exports ??= [];
      moduleDoc.exports.push({
        kind: 'custom-element-definition',
        name: tag.text,
        declaration: { name: cls.text, module },
      });
      definitions.push({ tag: tag.text, name: cls.text, module });
    },
    moduleLinkPhase({ moduleDoc }) {
      for (const definition of definitions) {
        if (clean(moduleDoc.path) !== clean(definition.module)) continue;
        const declaration = moduleDoc.declarations?.find((d) => d.name === definition.name);
        if (declaration) {
          declaration.customElement = true;
          declaration.tagName = definition.tag;
        }
      }
    },
  };
}

/**
 * Events come from the `@fires` tags alone. The analyzer also guesses an event from each `dispatchEvent(new X(arg))`,
 * naming it after the argument (`payment`, `quote`, `order`, …): those names never fire and are dropped. An event
 * without a `{Type}` gets its class from the `*.events.ts` modules (`static readonly eventName = 'ds-…'`).
 * test/build/manifest.test.ts checks the result against what the elements really dispatch.
 */
function documentedEventsOnly() {
  /** Class name → names of its `@fires` tags. */
  const fires = new Map();
  /** Event name → event class name, from the `*.events.ts` modules. */
  const classOf = new Map();
  return {
    name: 'dropslot-documented-events',
    analyzePhase({ ts, node }) {
      if (ts.isClassDeclaration(node) && node.name) {
        const names = ts
          .getJSDocTags(node)
          .filter((tag) => tag.tagName.text === 'fires' || tag.tagName.text === 'event')
          .map(
            (tag) => /^\s*(?:\{[^}]*\}\s*)?([\w-]+)/.exec(ts.getTextOfJSDocComment(tag.comment) ?? '')?.[1],
          )
          .filter(Boolean);
        if (names.length) fires.set(node.name.text, new Set(names));
        for (const member of node.members) {
          if (
            ts.isPropertyDeclaration(member) &&
            member.name.getText() === 'eventName' &&
            member.initializer &&
            ts.isStringLiteral(member.initializer)
          ) {
            classOf.set(member.initializer.text, node.name.text);
          }
        }
      }
    },
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const d of mod.declarations ?? []) {
          if (!d.customElement) continue;
          const documented = fires.get(d.name) ?? new Set();
          const events = (d.events ?? []).filter((e) => e.name && documented.has(e.name));
          for (const event of events) {
            if (!event.type && classOf.has(event.name)) event.type = { text: classOf.get(event.name) };
          }
          if (events.length) d.events = events;
          else delete d.events;
        }
      }
    },
  };
}

/** Removes internal and helper modules (after inheritance was applied) and points paths at `dist/`. */
function publicModulesOnly() {
  return {
    name: 'dropslot-public-modules',
    packageLinkPhase({ customElementsManifest }) {
      customElementsManifest.modules = customElementsManifest.modules.filter((mod) => isPublic(mod.path));
      const fix = (ref) => {
        if (ref?.module) ref.module = published(ref.module);
      };
      for (const mod of customElementsManifest.modules) {
        mod.path = published(mod.path);
        mod.exports = mod.exports?.filter((e) => !isInternal(e.declaration?.module ?? ''));
        for (const e of mod.exports ?? []) fix(e.declaration);
        for (const d of mod.declarations ?? []) {
          // `dispatchEvent(new SomeEvent(…))` is recorded as a nameless event; the @fires tags name them all.
          if (d.events) d.events = d.events.filter((e) => e.name);
          // `@fires name - {Type} text` (type after the dash) is read as `@fires {Type} name - text`.
          for (const event of d.events ?? []) {
            const typed = /^\{(\w+)\}\s*(.*)$/s.exec(event.description ?? '');
            if (typed && !event.type) {
              event.type = { text: typed[1] };
              event.description = typed[2];
            }
          }
          // Private reactive state (`static properties = { x: { state: true } }`) is not an attribute.
          const privateFields = new Set(
            (d.members ?? []).filter((m) => m.privacy === 'private').map((m) => m.name),
          );
          if (d.attributes) d.attributes = d.attributes.filter((a) => !privateFields.has(a.fieldName));
          fix(d.superclass);
          for (const member of [...(d.members ?? []), ...(d.attributes ?? []), ...(d.events ?? [])]) {
            fix(member.inheritedFrom);
          }
        }
      }
    },
  };
}

export default {
  globs: ['components/**/*.ts'],
  exclude: ['components/cdn*.ts', 'components/**/*.styles.ts', 'components/internal/!(base|light-base).ts'],
  // `CEM_OUTDIR` (relative to the repo) lets a test write a fresh manifest elsewhere; the CLI's --outdir cannot.
  outdir: process.env.CEM_OUTDIR ?? '.',
  litelement: true,
  packagejson: false,
  plugins: [defineHelper(), publicModulesOnly(), documentedEventsOnly()],
};
