/**
 * Checks every answer a test receives against the OpenAPI document the server serves: the operation (method and path
 * template) must document the status, the content type, and the body must match that response's schema. Ajv compiles
 * each response schema once (OpenAPI 3.1 schemas are JSON Schema 2020-12).
 */
import assert from 'node:assert/strict';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

type Json = Record<string, any>;

interface Operation {
  method: string;
  pattern: RegExp;
  template: string;
  responses: Json;
}

export interface ContractChecker {
  /** Throws an AssertionError naming the operation when the answer does not match the document. */
  check(method: string, url: string, status: number, contentType: string | null, body: unknown): void;
}

const cache = new WeakMap<object, ContractChecker>();

export function contractChecker(document: Json): ContractChecker {
  const known = cache.get(document);
  if (known) return known;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: 'dropslot:openapi', components: document.components }, 'dropslot:openapi');
  const compiled = new Map<string, ValidateFunction>();
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(document.paths as Json)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    for (const [method, operation] of Object.entries(item as Json)) {
      operations.push({ method, pattern, template, responses: (operation as Json).responses });
    }
  }
  // Static segments win over parameters (`/drops/mine` before `/drops/{id}`), as in the router.
  const specificity = (t: string) => t.split('/').filter((part) => !part.startsWith('{')).length;
  operations.sort((a, b) => specificity(b.template) - specificity(a.template));

  const validator = (key: string, schema: Json): ValidateFunction => {
    const known = compiled.get(key);
    if (known) return known;
    // References point into the document's components, held by the schema registered above.
    const rebased = JSON.parse(
      JSON.stringify(schema).replaceAll('"#/components/', '"dropslot:openapi#/components/'),
    );
    const validate = ajv.compile(rebased);
    compiled.set(key, validate);
    return validate;
  };

  const checker: ContractChecker = {
    check(method, url, status, contentType, body) {
      const path = new URL(url, 'http://x').pathname;
      if (!path.startsWith('/v1/')) return;
      const candidates = operations.filter((op) => op.pattern.test(path));
      // A path the document does not know (a probe of an unknown route) or a method it does not serve is the
      // router's own 404/405, outside any operation.
      const operation = candidates.find((op) => op.method === method.toLowerCase());
      if (!operation) return;
      const where = `${method.toUpperCase()} ${operation.template} → ${status}`;
      const response = operation.responses[String(status)] ?? operation.responses.default;
      assert.ok(response, `${where}: the OpenAPI document does not declare this status`);
      if (status === 204 || status === 304) return;
      const content = response.content as Json | undefined;
      if (!content) return;
      const type = (contentType ?? '').split(';')[0]!.trim();
      const media = content[type];
      assert.ok(
        media,
        `${where}: content type ${type || '(none)'} is not declared (${Object.keys(content).join(', ')})`,
      );
      if (!type.includes('json') || !media.schema) return;
      const validate = validator(`${method} ${operation.template} ${status} ${type}`, media.schema);
      if (!validate(body)) {
        const errors = (validate.errors ?? [])
          .slice(0, 5)
          .map(
            (e) =>
              `${e.instancePath || '(root)'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
          );
        assert.fail(
          `${where}: the answer does not match the document:\n  ${errors.join('\n  ')}\n  body: ${JSON.stringify(body).slice(0, 500)}`,
        );
      }
    },
  };
  cache.set(document, checker);
  return checker;
}
