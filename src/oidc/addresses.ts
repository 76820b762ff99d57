// Whether an address is reachable from the internet at all: AWS fetches an OIDC issuer's discovery
// document and keys from the internet, so an issuer whose host has only private, loopback,
// link-local or shared (CGNAT) addresses cannot be reached by STS. Pure: node:net only.

import { BlockList, isIP } from 'node:net';

const NOT_ON_INTERNET = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) NOT_ON_INTERNET.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const) NOT_ON_INTERNET.addSubnet(net, prefix, 'ipv6');

/** True for an address no host on the internet can reach (RFC 1918, loopback, link-local, CGNAT, ULA); false for others and for non-addresses. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const a = mapped ?? address;
  const family = isIP(a);
  if (family === 0) return false;
  return NOT_ON_INTERNET.check(a, family === 4 ? 'ipv4' : 'ipv6');
}
