// A TypeDoc plugin for the API contract (src/schemas): each contract name gets one readable page.
//
// The contract exports every shape twice under one name: a `zod/mini` schema (a value) and its inferred type
// (`export type Drop = z.infer<typeof Drop>`). Left alone, TypeDoc renders two pages per name, and the types as
// `ZodMiniObject<{ cancelledAt: ZodMiniNullable<…> }>`. With this plugin:
// - an inferred object type is documented as an interface (its properties listed, each with its comment);
// - a schema whose name is also a type is folded into that type's page (it keeps the schema's comment);
// - a schema without a type of its own (a list page, a query) shows the data it validates: `ZodMiniType<{ … }>`.
import ts from 'typescript';
import { Application, Comment, Context, Converter, ReferenceType, ReflectionKind } from 'typedoc';

const isContract = (symbol) =>
  symbol?.getDeclarations()?.some((d) => /[\\/]src[\\/]schemas[\\/]/.test(d.getSourceFile().fileName)) ??
  false;

/** `src/schemas` → `dropslot/schemas`, `components/slot-picker/slot-picker` → `dropslot/components/slot-picker`. */
function importName(name) {
  if (name === 'src') return 'dropslot';
  const element = /^components\/([\w-]+)\/\1$/.exec(name);
  if (element) return `dropslot/components/${element[1]}`;
  return `dropslot/${name.replace(/^(src|components)\//, '')}`;
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  /** Names of the contract types documented as interfaces. */
  const contractInterfaces = new Set();
  const getComment = Context.prototype.getComment;
  Context.prototype.getComment = function (symbol, kind) {
    const comment = getComment.call(this, symbol, kind);
    if (kind !== ReflectionKind.TypeAlias || !isContract(symbol)) return comment;
    const type = this.checker.getDeclaredTypeOfSymbol(symbol);
    const objectLike =
      !type.isUnion() && (type.flags & ts.TypeFlags.Object) !== 0 && type.getProperties().length > 0;
    if (!objectLike) return comment;
    const result = comment?.clone() ?? new Comment();
    if (result.summary.length === 0) {
      // The schema's comment (`/** A customer's place in a slot. */ export const Reservation = …`) describes both.
      const value =
        symbol.valueDeclaration ?? symbol.getDeclarations()?.find((d) => ts.isVariableDeclaration(d));
      const schemaComment = value ? getComment.call(this, symbol, ReflectionKind.Variable) : undefined;
      if (schemaComment) result.summary = schemaComment.summary;
    }
    contractInterfaces.add(symbol.name);
    result.modifierTags.add('@interface');
    return result;
  };

  // The element classes' JSDoc tags (read by the custom elements manifest) are known tags here too.
  app.on(Application.EVENT_BOOTSTRAP_END, () => {
    const known = app.options.getValue('blockTags');
    const extra = [
      '@summary',
      '@fires',
      '@event',
      '@slot',
      '@csspart',
      '@cssprop',
      '@cssproperty',
      '@attribute',
      '@attr',
    ];
    app.options.setValue('blockTags', [...new Set([...known, ...extra])]);
  });

  // Members the elements inherit from Lit (`createProperty`, `styles`, …) are Lit's API, documented by Lit: left out.
  const litMembers = new Set();
  const LIT_LIFECYCLE = new Set([
    'styles',
    'properties',
    'shadowRootOptions',
    'formAssociated',
    'render',
    'createRenderRoot',
    'connectedCallback',
    'disconnectedCallback',
    'attributeChangedCallback',
    'willUpdate',
    'update',
    'updated',
    'firstUpdated',
  ]);
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.parent?.kindOf(ReflectionKind.Class)) return;
    const symbol = context.getSymbolFromReflection(reflection);
    const declarations = symbol?.getDeclarations() ?? [];
    const fromLit =
      declarations.length > 0 &&
      declarations.every((d) => /[\\/]node_modules[\\/]/.test(d.getSourceFile().fileName));
    // The elements' own overrides of Lit's lifecycle are implementation, not API.
    if (fromLit || LIT_LIFECYCLE.has(reflection.name)) litMembers.add(reflection);
  });

  /** Contract schemas (variables) → the `ZodMiniType<output>` to show, computed while the program is at hand. */
  const schemas = new Map();
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Variable)) return;
    const symbol = context.getSymbolFromReflection(reflection);
    if (!isContract(symbol)) return;
    let shown;
    if (!(symbol.flags & ts.SymbolFlags.TypeAlias)) {
      // `ZodMiniType<output>`: the data this schema accepts, instead of the schema's own generic type.
      const zod = context.checker.getTypeOfSymbol(symbol).getProperty('_zod');
      const output = zod && context.checker.getTypeOfSymbol(zod).getProperty('output');
      if (output) {
        shown = ReferenceType.createBrokenReference('ZodMiniType', context.project, 'zod');
        shown.typeArguments = [
          context.converter.convertType(
            context.withScope(reflection),
            context.checker.getTypeOfSymbol(output),
          ),
        ];
      }
    }
    schemas.set(reflection, shown);
  });

  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const project = context.project;
    for (const [variable, shown] of schemas) {
      const siblings = variable.parent?.children ?? [];
      const type = siblings.find(
        (r) =>
          r !== variable &&
          r.name === variable.name &&
          r.kindOf(ReflectionKind.TypeAlias | ReflectionKind.Interface),
      );
      if (type) {
        if (!type.comment?.summary.length && variable.comment) type.comment = variable.comment.clone();
        project.removeReflection(variable);
      } else if (shown) {
        variable.type = shown;
      }
    }
    schemas.clear();
    // Their properties come from `z.object({ id: Id, … })`: the schema behind a property is no "default value".
    for (const property of project.getReflectionsByKind(ReflectionKind.Property)) {
      if (property.parent?.kindOf(ReflectionKind.Interface) && contractInterfaces.has(property.parent.name))
        delete property.defaultValue;
    }
    // Modules under the names a user imports them by (`dropslot/schemas`, not `src/schemas`).
    for (const mod of project.children ?? []) mod.name = importName(mod.name);
    for (const member of litMembers) project.removeReflection(member);
    litMembers.clear();
  });
}
