/**
 * The browser bundles' stand-in for the SDK resources that need a secret key — webhook endpoints and audit logs. No
 * element calls them and a page must never hold a secret key, so the script-tag bundle leaves them out
 * (docs/decisions/0002); calling one rejects with an explanation. The npm SDK has the real resources. Not public API.
 */
function serverOnly(name: string): never {
  return new Proxy(
    {},
    {
      get: (_target, method) => () =>
        Promise.reject(
          new Error(`client.${name}.${String(method)}() needs a secret key: use the npm SDK on a server.`),
        ),
    },
  ) as never;
}

export const webhookEndpointsResource = (_transport: unknown): never => serverOnly('webhookEndpoints');
export const auditLogsResource = (_transport: unknown): never => serverOnly('auditLogs');
