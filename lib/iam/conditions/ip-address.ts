/**
 * `IpAddress` and `NotIpAddress` ("Condition operators: IP address condition operators"): the
 * request's address against an IPv4 or IPv6 address or CIDR block (RFC 4632, RFC 4291). An IPv4
 * address is never inside an IPv6 block nor the other way round; a value that is not an address
 * never matches.
 */
import type { ValueMatch } from './value-match';

/** An address as a 128-bit or 32-bit number, with its version. */
interface Address {
  readonly v6: boolean;
  readonly n: bigint;
}

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) {
    return undefined;
  }
  let n = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) {
      return undefined;
    }
    n = (n << 8n) | BigInt(part);
  }
  return n;
}

function parseV6(text: string): bigint | undefined {
  if (!/^[0-9A-Fa-f:.]+$/.test(text)) {
    return undefined;
  }
  let groups: string[];
  const halves = text.split('::');
  if (halves.length > 2) {
    return undefined;
  }
  const head = halves[0] === '' ? [] : halves[0].split(':');
  const tail = halves.length === 2 ? (halves[1] === '' ? [] : halves[1].split(':')) : [];
  const all = [...head, ...tail];
  // An embedded IPv4 address in the last group (::ffff:192.0.2.1) counts as two groups.
  let v4Tail: bigint | undefined;
  if (all.length > 0 && all[all.length - 1].includes('.')) {
    v4Tail = parseV4(all[all.length - 1]);
    if (v4Tail === undefined) {
      return undefined;
    }
  }
  const hexCount = all.length - (v4Tail === undefined ? 0 : 1);
  const width = hexCount + (v4Tail === undefined ? 0 : 2);
  if (halves.length === 2 ? width > 7 : width !== 8) {
    return undefined;
  }
  const fill = 8 - width;
  const hexHead = head.slice(0, v4Tail !== undefined && tail.length === 0 ? head.length - 1 : head.length);
  const hexTail = tail.slice(0, v4Tail !== undefined && tail.length > 0 ? tail.length - 1 : tail.length);
  groups = [...hexHead, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...hexTail];
  let n = 0n;
  for (const group of groups) {
    if (!/^[0-9A-Fa-f]{1,4}$/.test(group)) {
      return undefined;
    }
    n = (n << 16n) | BigInt(parseInt(group, 16));
  }
  return v4Tail === undefined ? n : (n << 32n) | v4Tail;
}

/** An address (`192.0.2.1`, `2001:db8::1`), or undefined. */
export function parseIpAddress(text: string): Address | undefined {
  const v4 = parseV4(text);
  if (v4 !== undefined) {
    return { v6: false, n: v4 };
  }
  const v6 = text.includes(':') ? parseV6(text) : undefined;
  return v6 === undefined ? undefined : { v6: true, n: v6 };
}

/** A block (`203.0.113.0/24`, `2001:db8::/32`, or one address), or undefined. */
export function parseIpBlock(text: string): { readonly address: Address; readonly bits: number } | undefined {
  const slash = text.indexOf('/');
  const address = parseIpAddress(slash < 0 ? text : text.slice(0, slash));
  if (address === undefined) {
    return undefined;
  }
  const max = address.v6 ? 128 : 32;
  if (slash < 0) {
    return { address, bits: max };
  }
  const bitsText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText) || Number(bitsText) > max) {
    return undefined;
  }
  return { address, bits: Number(bitsText) };
}

/** Whether `requestValue` is inside the block `policyValue`. */
export function ipAddressMatch(requestValue: string, policyValue: string): ValueMatch {
  const block = parseIpBlock(policyValue);
  const address = parseIpAddress(requestValue);
  if (block === undefined || address === undefined) {
    return 'invalid';
  }
  if (block.address.v6 !== address.v6) {
    return false;
  }
  const shift = BigInt((address.v6 ? 128 : 32) - block.bits);
  return (address.n >> shift) === (block.address.n >> shift);
}
