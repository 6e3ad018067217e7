import { BlockList, isIPv4 } from 'node:net';

/** An address, or a CIDR range when `prefix` is set (TRUSTED_PROXIES, parsed once by the config). */
export interface ProxyRange {
  readonly address: string;
  readonly prefix: number | null;
  readonly family: 'ipv4' | 'ipv6';
}

/** Decides whose X-Forwarded-For header to believe: only that of the configured proxies. */
export class ProxyTrust {
  private readonly trusted = new BlockList();

  constructor(proxies: readonly ProxyRange[]) {
    for (const { address, prefix, family } of proxies) {
      if (prefix === null) this.trusted.addAddress(address, family);
      else this.trusted.addSubnet(address, prefix, family);
    }
  }

  /** True when the connection comes from one of the trusted proxies. */
  trusts(peer: string | undefined): boolean {
    if (!peer) return false;
    const address = unmapped(peer);
    return this.trusted.check(address, isIPv4(address) ? 'ipv4' : 'ipv6');
  }
}

/** "::ffff:10.0.0.1" (an IPv4 client on a dual-stack socket) is 10.0.0.1. */
export function unmapped(address: string): string {
  return address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
}
