/** `client.apiKeys` and `client.members` send exactly the contract requests and map the team and key conflicts. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { http, HttpResponse } from 'msw';
import { ConflictError, type ApiKey, type Member } from '../../src/index.js';
import {
  BASE,
  SK,
  T,
  client,
  contractTests,
  id,
  problem,
  problemHeaders,
  recordRequests,
  server,
  useServer,
  type ContractCase,
} from './fixtures.js';

useServer();
const seen = recordRequests();

const key: ApiKey = {
  id: id(),
  kind: 'publishable',
  prefix: 'pk_test_Ab3x',
  label: 'Shop widgets',
  allowedOrigins: ['https://shop.example'],
  status: 'active',
  createdAt: T,
  revokedAt: null,
  expiresAt: null,
  replacedBy: null,
};
const member: Member = {
  id: id(),
  email: 'sam@shop.example',
  name: 'Sam',
  role: 'staff',
  status: 'invited',
  createdAt: T,
};
const next = { ...key, id: id(), prefix: 'pk_test_Zz9q', secret: `pk_test_${'a'.repeat(32)}` };

const cases: ContractCase[] = [
  {
    name: 'apiKeys.list',
    method: 'GET',
    path: 'api-keys',
    query: { limit: '5' },
    response: { data: [key], hasMore: false },
    call: (c) => c.apiKeys.list({ limit: 5 }),
  },
  {
    name: 'apiKeys.retrieve',
    method: 'GET',
    path: `api-keys/${key.id}`,
    response: key,
    call: (c) => c.apiKeys.retrieve(key.id),
  },
  {
    name: 'apiKeys.create',
    method: 'POST',
    path: 'api-keys',
    body: { kind: 'publishable', label: 'Shop widgets', allowedOrigins: ['https://shop.example'] },
    status: 201,
    response: next,
    call: (c) =>
      c.apiKeys.create({
        kind: 'publishable',
        label: 'Shop widgets',
        allowedOrigins: ['https://shop.example'],
      }),
  },
  {
    name: 'apiKeys.update',
    method: 'PATCH',
    path: `api-keys/${key.id}`,
    body: { label: null, allowedOrigins: [] },
    response: { ...key, label: null, allowedOrigins: [] },
    call: (c) => c.apiKeys.update(key.id, { label: null, allowedOrigins: [] }),
  },
  {
    name: 'apiKeys.revoke',
    method: 'POST',
    path: `api-keys/${key.id}/revoke`,
    response: { ...key, status: 'revoked', revokedAt: T },
    call: (c) => c.apiKeys.revoke(key.id),
  },
  {
    name: 'apiKeys.roll',
    method: 'POST',
    path: `api-keys/${key.id}/roll`,
    body: { expiresPreviousAfter: 3600 },
    response: { ...next, previous: { ...key, status: 'expiring', expiresAt: T, replacedBy: next.id } },
    call: (c) => c.apiKeys.roll(key.id, { expiresPreviousAfter: 3600 }),
  },
  {
    name: 'apiKeys.roll with the default overlap',
    method: 'POST',
    path: `api-keys/${key.id}/roll`,
    body: {},
    response: { ...next, previous: { ...key, status: 'expiring', expiresAt: T, replacedBy: next.id } },
    call: (c) => c.apiKeys.roll(key.id),
  },
  {
    name: 'members.list',
    method: 'GET',
    path: 'members',
    response: { data: [member], hasMore: false },
    call: (c) => c.members.list(),
  },
  {
    name: 'members.retrieve',
    method: 'GET',
    path: `members/${member.id}`,
    response: member,
    call: (c) => c.members.retrieve(member.id),
  },
  {
    name: 'members.invite',
    method: 'POST',
    path: 'members/invitations',
    body: { email: 'sam@shop.example', name: 'Sam', role: 'staff' },
    status: 201,
    response: { ...member, notificationId: id() },
    call: (c) => c.members.invite({ email: 'sam@shop.example', name: 'Sam', role: 'staff' }),
  },
  {
    name: 'members.update',
    method: 'PATCH',
    path: `members/${member.id}`,
    body: { role: 'owner' },
    response: { ...member, role: 'owner' },
    call: (c) => c.members.update(member.id, { role: 'owner' }),
  },
  {
    name: 'members.del',
    method: 'DELETE',
    path: `members/${member.id}`,
    response: { id: member.id, deleted: true },
    call: (c) => c.members.del(member.id),
  },
];

describe('client.apiKeys and client.members send the contract request', () => {
  contractTests(cases, seen);

  test('an owner signed in (publishable key + token) sends both credentials', async () => {
    server.use(http.get(`${BASE}/v1/members`, () => HttpResponse.json({ data: [], hasMore: false })));
    await client({ publishableKey: 'pk_test_abc', customerToken: 'tok' }).members.list();
    assert.equal(seen[0]!.headers.get('authorization'), 'Bearer pk_test_abc');
    assert.equal(seen[0]!.headers.get('x-customer-token'), 'tok');
  });

  for (const [code, call] of [
    ['last_owner', () => client({ secretKey: SK }).members.del(member.id)],
    ['last_secret_key', () => client({ secretKey: SK }).apiKeys.revoke(key.id)],
    ['api_key_rolled', () => client({ secretKey: SK }).apiKeys.roll(key.id)],
    [
      'member_exists',
      () => client({ secretKey: SK }).members.invite({ email: 'sam@shop.example', role: 'staff' }),
    ],
  ] as const) {
    test(`409 ${code} is a ConflictError with its code`, async () => {
      const answer = () => HttpResponse.json(problem(409, code), { status: 409, headers: problemHeaders });
      server.use(
        http.delete(`${BASE}/v1/members/${member.id}`, answer),
        http.post(`${BASE}/v1/api-keys/${key.id}/revoke`, answer),
        http.post(`${BASE}/v1/api-keys/${key.id}/roll`, answer),
        http.post(`${BASE}/v1/members/invitations`, answer),
      );
      const error = await call().catch((e: unknown) => e);
      assert.ok(ConflictError.is(error));
      assert.equal(error.code, code);
      assert.equal(error.status, 409);
      assert.equal(error.requestId, 'req_123');
    });
  }
});
