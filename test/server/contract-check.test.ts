/**
 * The contract check that every server test's `call` runs: it refuses what the document does not say, so a test
 * whose answer drifts from the served OpenAPI document fails.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withApp } from '../support/app.js';
import { contractChecker } from '../support/contract.js';

describe('answers are checked against the served OpenAPI document', () => {
  it('accepts the real answers and refuses an undeclared status, a wrong type and a wrong body', () =>
    withApp('pglite', async (t) => {
      const contract = contractChecker(t.dropslot.openapi);
      const { dropId } = await t.drop();
      const real = await t.call('GET', `/v1/drops/${dropId}`);
      assert.equal(real.status, 200);
      const json = 'application/json';
      contract.check('GET', `/v1/drops/${dropId}`, 200, json, real.body);
      assert.throws(
        () => contract.check('GET', `/v1/drops/${dropId}`, 200, json, { ...real.body, startsAt: 42 }),
        /GET \/v1\/drops\/\{id\} → 200: the answer does not match the document/,
      );
      assert.throws(
        () => contract.check('GET', `/v1/drops/${dropId}`, 418, json, {}),
        /does not declare this status/,
      );
      assert.throws(
        () => contract.check('GET', `/v1/drops/${dropId}`, 200, 'text/html', '<p>'),
        /content type/,
      );
      // A problem whose `status` was overwritten by a string breaks the document.
      const problem = {
        type: 'https://dropslot.dev/problems/x',
        title: 'Conflict',
        status: 'active',
        code: 'x',
      };
      assert.throws(
        () =>
          contract.check('POST', `/v1/rentals/${dropId}/cancel`, 409, 'application/problem+json', problem),
        /does not match/,
      );
      // Unknown routes are the router's own 404, outside any operation.
      contract.check('GET', '/v1/no-such-thing', 404, 'application/problem+json', {});
    }));
});
