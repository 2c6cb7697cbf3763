/**
 * Where webhook messages may go. A receiver URL is `http(s)://`; every address its host resolves to must be public
 * unicast: loopback, private (RFC 1918), link-local (cloud metadata at 169.254.169.254), unique-local, CGNAT,
 * multicast, reserved and unspecified addresses are refused, so a store's endpoint cannot make the server call into
 * its own network (SSRF). The check runs when an endpoint is saved and again on every delivery, on the very address
 * the connection uses, so a name that later re-resolves to a private address (DNS rebinding) is refused too.
 *
 * Only when explicitly switched on (`allowPrivate`, `WEBHOOK_ALLOW_PRIVATE_URLS=true`: a receiver on the developer's
 * machine or network) are loopback, private, unique-local and CGNAT addresses allowed. Link-local addresses and the
 * cloud metadata services are refused even then.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress, LookupOptions } from 'node:dns';
import ipaddr from 'ipaddr.js';

/** Resolves a host name to its addresses (all of them). */
export type Resolver = (hostname: string) => Promise<string[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/** Why a URL or address may not receive webhooks. */
export class DestinationRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DestinationRefused';
  }
}

/** The range name (ipaddr.js) of an address, IPv4-mapped IPv6 addresses taken as their IPv4 address. */
export function addressRange(address: string): string {
  return ipaddr.process(address).range();
}

/** Whether an address is public unicast (the only kind a webhook may reach outside development). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return addressRange(address) === 'unicast';
}

/** Ranges the switch `allowPrivate` opens: the developer's own machine and networks. */
const PRIVATE_RANGES = new Set(['loopback', 'private', 'uniqueLocal', 'carrierGradeNat']);
/** Metadata services that sit outside link-local (AWS over IPv6, Alibaba Cloud): never reachable. */
const METADATA = new Set(['fd00:ec2::254', '100.100.100.200']);

/** Whether an address may receive webhooks: public unicast, or (with `allowPrivate`) a private-network address. */
export function isAllowedAddress(address: string, allowPrivate: boolean): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  if (METADATA.has(parsed.toNormalizedString()) || METADATA.has(parsed.toString())) return false;
  const range = parsed.range();
  return range === 'unicast' || (allowPrivate && PRIVATE_RANGES.has(range));
}

/** The host of a URL as a resolver takes it (IPv6 literals without brackets). */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * The addresses a receiver URL reaches; throws `DestinationRefused` when the scheme is not http(s), the host does not
 * resolve, or (unless `allowPrivate`) any address is not public.
 */
export async function checkDestination(
  url: string,
  options: { allowPrivate: boolean; resolve: Resolver },
): Promise<string[]> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DestinationRefused('The URL is not valid.');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new DestinationRefused('Webhook URLs must be https:// or http://.');
  }
  const host = hostOf(parsed);
  let addresses: string[];
  if (ipaddr.isValid(host)) addresses = [host];
  else {
    try {
      addresses = await options.resolve(host);
    } catch {
      if (options.allowPrivate) return [];
      throw new DestinationRefused(`The host ${host} does not resolve.`);
    }
    if (addresses.length === 0 && !options.allowPrivate) {
      throw new DestinationRefused(`The host ${host} does not resolve.`);
    }
  }
  for (const address of addresses) {
    if (!isAllowedAddress(address, options.allowPrivate)) {
      const range = ipaddr.isValid(address) ? addressRange(address) : 'invalid';
      throw new DestinationRefused(
        options.allowPrivate
          ? `The host ${host} resolves to ${address}, a ${range} address; webhooks never go to link-local, ` +
              'metadata, multicast or reserved addresses.'
          : `The host ${host} resolves to ${address}, a ${range} address; webhooks go to public addresses only.`,
      );
    }
  }
  return addresses;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `net.connect` lookup that resolves with `resolve` and refuses non-public addresses (unless `allowPrivate`): the
 * socket connects to exactly the address that was checked.
 */
export function guardedLookup(options: { allowPrivate: boolean; resolve: Resolver }) {
  return (hostname: string, lookupOptions: LookupOptions, callback: LookupCallback): void => {
    options
      .resolve(hostname)
      .then((addresses) => {
        const allowed = addresses.filter((a) => isAllowedAddress(a, options.allowPrivate));
        if (allowed.length === 0) {
          const shown = addresses[0] ?? 'nothing';
          throw new DestinationRefused(
            `The host ${hostname} resolves to ${shown}; webhooks go to public addresses only.`,
          );
        }
        const entries = allowed.map((address) => ({
          address,
          family: ipaddr.parse(address).kind() === 'ipv6' ? 6 : 4,
        }));
        if (lookupOptions.all) callback(null, entries);
        else callback(null, entries[0]!.address, entries[0]!.family);
      })
      .catch((error: NodeJS.ErrnoException) => callback(error, ''));
  };
}
