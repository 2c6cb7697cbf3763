/**
 * A pass-through stand-in for `zod/mini`, used ONLY by the script-tag bundle (`dist/cdn/dropslot.js`): the rollup
 * config resolves `zod/mini` to this module there. Every builder the contract (`src/schemas/`) calls returns a schema
 * object whose `parse` returns its input and whose `safeParse` succeeds — except that object schemas still refuse a
 * value that is not an object, so a garbled body cannot crash the error path. Checks (`.check(...)`) are accepted and
 * ignored. `registry()` keeps metadata, as the SDK reads schema names from it for error messages.
 *
 * Why: the widgets talk only to the DropSlot API, and full response validation (schemas + zod, ~13 KB gz) does not fit
 * the 35 KB budget. The npm SDK keeps full validation. See docs/decisions/0002-cdn-bundle-without-response-validation.md.
 * Not public API.
 */

/** One issue of a failed parse, shaped like zod's. */
export interface ShimIssue {
  path: PropertyKey[];
  message: string;
  code: string;
}

export type SafeParseResult<T> =
  | { success: true; data: T; error?: undefined }
  | { success: false; data?: undefined; error: { issues: ShimIssue[] } };

/** A schema that accepts what it is given. */
export class ShimSchema {
  constructor(
    /** What the real schema would be (`string`, `object`, …), for debugging. */
    readonly kind: string,
    /** The wrapped schema, shape or options the builder was given. */
    readonly def?: unknown,
  ) {}

  parse<T>(value: T): T {
    const result = this.safeParse(value);
    if (!result.success) throw new TypeError(result.error.issues[0]?.message ?? 'Invalid value');
    return result.data;
  }

  safeParse<T>(value: T): SafeParseResult<T> {
    return { success: true, data: value };
  }

  /** Refinements and transforms are not run here. */
  check(..._checks: unknown[]): this {
    return this;
  }
}

class ShimObject extends ShimSchema {
  override safeParse<T>(value: T): SafeParseResult<T> {
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return { success: true, data: value };
    return {
      success: false,
      error: { issues: [{ path: [], message: 'Expected an object', code: 'invalid_type' }] },
    };
  }
}

class ShimEnum extends ShimSchema {
  /** The allowed values, as zod's `options`. */
  readonly options: readonly string[];
  /** The allowed values as a `{ value: value }` object, as zod's `enum`. */
  readonly enum: Record<string, string>;
  constructor(values: readonly string[]) {
    super('enum', values);
    this.options = values;
    this.enum = Object.fromEntries(values.map((v) => [v, v]));
  }
}

type Shape = Record<string, unknown>;
const schema =
  (kind: string) =>
  (def?: unknown, ..._rest: unknown[]): ShimSchema =>
    new ShimSchema(kind, def);
const objectOf =
  (kind: string) =>
  (shape: Shape = {}, ..._rest: unknown[]): ShimSchema =>
    new ShimObject(kind, shape);
/** A check (`z.minLength(1)`, `z.trim()`, …): a marker that `.check()` ignores. */
const check =
  (kind: string) =>
  (..._args: unknown[]): { kind: string } => ({ kind });

// Primitive and string-format schemas (`z.email()` and `z.regex()` also serve as checks; `.check` ignores them).
export const string = schema('string');
export const number = schema('number');
export const int = schema('int');
export const boolean = schema('boolean');
export const bigint = schema('bigint');
export const date = schema('date');
export const unknown = schema('unknown');
export const any = schema('any');
export const uuid = schema('uuid');
export const email = schema('email');
export const url = schema('url');
export const literal = schema('literal');
export const iso = { datetime: schema('datetime'), date: schema('date'), time: schema('time') };
export const coerce = { number: schema('number'), string: schema('string'), boolean: schema('boolean') };

// Composites.
export const object = objectOf('object');
export const strictObject = objectOf('strictObject');
export const looseObject = objectOf('looseObject');
export const array = schema('array');
export const optional = schema('optional');
export const nullable = schema('nullable');
export const nullish = schema('nullish');
export const union = schema('union');
export const discriminatedUnion = schema('discriminatedUnion');
export const record = schema('record');
export const partialRecord = schema('partialRecord');
export const partial = (base?: ShimSchema, ..._rest: unknown[]): ShimSchema =>
  new ShimObject('partial', base);
export const extend = (base?: ShimSchema, shape?: Shape): ShimSchema =>
  new ShimObject('extend', { ...(base?.def as Shape | undefined), ...shape });
// `enum` is a reserved word: export it under its zod name from a local binding.
const enumOf = (values: readonly string[]): ShimEnum => new ShimEnum(values);
export { enumOf as enum };

// Checks.
export const regex = check('regex');
export const minLength = check('minLength');
export const maxLength = check('maxLength');
export const length = check('length');
export const minimum = check('minimum');
export const maximum = check('maximum');
export const gt = check('gt');
export const gte = check('gte');
export const lt = check('lt');
export const lte = check('lte');
export const trim = check('trim');
export const toLowerCase = check('toLowerCase');
export const toUpperCase = check('toUpperCase');
export const refine = check('refine');

/** A metadata registry, as `z.registry()`: `add` / `get` / `has` / `remove`. */
export function registry<Meta>() {
  const entries = new Map<unknown, Meta>();
  const reg = {
    add(schema: unknown, meta: Meta) {
      entries.set(schema, meta);
      return reg;
    },
    get: (schema: unknown): Meta | undefined => entries.get(schema),
    has: (schema: unknown): boolean => entries.has(schema),
    remove(schema: unknown) {
      entries.delete(schema);
      return reg;
    },
    clear() {
      entries.clear();
      return reg;
    },
  };
  return reg;
}

/** `z.config()` is accepted and ignored (there are no messages to localise). */
export function config(..._args: unknown[]): Record<string, never> {
  return {};
}
