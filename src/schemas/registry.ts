import * as z from 'zod/mini';

/** Metadata the OpenAPI generator reads from every named contract schema. */
export interface ContractMeta {
  /** Component name in the OpenAPI document (`#/components/schemas/{id}`). */
  id: string;
  /** One-line description shown in the API reference. */
  description?: string;
}

/**
 * Every named schema of the contract. The reference backend turns this registry into the
 * `components.schemas` section of `/openapi.json`; nothing else restates a shape.
 */
export const contract = z.registry<ContractMeta>();

/**
 * Registers `schema` under `id` in the contract registry and returns it unchanged.
 *
 * @example
 * ```ts
 * import * as z from 'zod/mini';
 * import { named } from 'dropslot/schemas';
 *
 * export const Note = named('Note', 'A note on a reservation.', z.object({ text: z.string() }));
 * ```
 */
export function named<T extends z.ZodMiniType>(id: string, description: string, schema: T): T {
  contract.add(schema, { id, description });
  return schema;
}
