import { it } from 'node:test';
import { withApp } from '../support/app.js';

it('explore', () =>
  withApp('pglite', async (t) => {
    const { dropId, slotIds } = await t.drop({ capacity: 1 });
    const c = await t.customer();
    const log = (name: string, r: any) => console.log(name, r.status, JSON.stringify(Object.fromEntries(r.headers)), JSON.stringify(r.body).slice(0, 300));
    log('nul', await t.call('POST', '/v1/reservations', { token: c.token, body: { slotId: slotIds[0], customerNote: 'a\u0000b' } }));
    log('cors-err', await t.call('POST', '/v1/reservations', { headers: { origin: 'https://shop.example' }, body: { slotId: slotIds[0] } }));
    log('cors-ok', await t.call('GET', '/v1/store', { headers: { origin: 'https://shop.example' } }));
    log('big', await t.call('POST', '/v1/reservations', { token: c.token, body: { slotId: slotIds[0], customerNote: 'x'.repeat(70000) } }));
    log('extra', await t.call('POST', '/v1/reservations', { token: c.token, body: { slotId: slotIds[0], extra: 1 } }));
    const products = await t.call('GET', '/v1/products', { key: t.store.secretKey });
    log('feb30', await t.call('POST', '/v1/drops', { key: t.store.secretKey, body: { productId: products.body.data[0].id, name: 'x', startsAt: '2030-02-30T00:00:00Z', endsAt: '2030-03-30T00:00:00Z' } }));
    log('y0', await t.call('POST', '/v1/drops', { key: t.store.secretKey, body: { productId: products.body.data[0].id, name: 'x', startsAt: '0000-01-01T00:00:00Z', endsAt: '2030-03-30T00:00:00Z' } }));
    log('nulname', await t.call('POST', '/v1/products', { key: t.store.secretKey, body: { sku: 'A1', name: 'a\u0000', price: { amount: 1, currency: 'EUR' } } }));
    log('nulext', await t.call('POST', '/v1/customer-sessions', { key: t.store.secretKey, body: { externalId: 'a\u0000' } }));
    log('null body', await t.call('POST', '/v1/reservations', { token: c.token, rawBody: 'null', headers: { 'content-type': 'application/json' } }));
    log('limit', await t.call('GET', '/v1/drops?limit=abc'));
    log('limit', await t.call('GET', '/v1/drops?startingAfter=zzz'));
    log('405', await t.call('PUT', '/v1/products'));
    log('stream404', await t.call('GET', '/v1/drops/00000000-0000-4000-8000-000000000000/stream'));
    log('slot big cap', await t.call('PATCH', `/v1/slots/${slotIds[0]}`, { key: t.store.secretKey, body: { capacityTotal: 1.5 } }));
    log('startsAt local', await t.call('PATCH', `/v1/drops/${dropId}`, { key: t.store.secretKey, body: { startsAt: '2030-02-01T00:00:00+01:00' } }));
    log('sign-up weird', await t.call('POST', '/v1/customers/sign-up', { body: { email: 'A@B.example', password: 'x'.repeat(8) } }));
    log('sign-in', await t.call('POST', '/v1/customers/sign-in', { body: { email: 'a@b.example', password: 'x'.repeat(8) } }));
    console.log(t.dropslot.app.routes.map((r) => `${r.method} ${r.path}`).join('\n'));
  }));
