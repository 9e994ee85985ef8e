/**
 * IpAddress / NotIpAddress: the context address (IPv4 or IPv6) inside a policy CIDR block or equal to a
 * policy address. Addresses are eight 16-bit words (IPv4 uses two) so both families share one compare.
 */
import { operator, type OperatorFamily } from './operator.js';

export interface IpBlock {
  v6: boolean;
  words: number[];
  prefix: number;
}

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    bytes.push(n);
  }
  return [(bytes[0]! << 8) | bytes[1]!, (bytes[2]! << 8) | bytes[3]!];
}

function parseIpv6(text: string): number[] | undefined {
  let body = text;
  const lastColon = text.lastIndexOf(':');
  // An embedded IPv4 tail (`::ffff:10.0.0.1`) becomes its two hex words.
  if (text.includes('.', lastColon)) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    body = `${text.slice(0, lastColon + 1)}${v4[0]!.toString(16)}:${v4[1]!.toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const read = (s: string): number[] | undefined => {
    if (s === '') return [];
    const words: number[] = [];
    for (const w of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(w)) return undefined;
      words.push(parseInt(w, 16));
    }
    return words;
  };
  const head = read(halves[0]!);
  if (head === undefined) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const rest = read(halves[1]!);
  if (rest === undefined || head.length + rest.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - rest.length).fill(0), ...rest];
}

/** Reads `a.b.c.d`, `a.b.c.d/n`, an IPv6 address or an IPv6 CIDR. */
export function parseIpBlock(value: string): IpBlock | undefined {
  const text = value.trim();
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const v6 = address.includes(':');
  const words = v6 ? parseIpv6(address) : parseIpv4(address);
  if (words === undefined) return undefined;
  const max = v6 ? 128 : 32;
  let prefix = max;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p) || Number(p) > max) return undefined;
    prefix = Number(p);
  }
  return { v6, words, prefix };
}

export function blockContains(block: IpBlock, address: IpBlock): boolean {
  if (block.v6 !== address.v6) return false;
  let bits = block.prefix;
  for (let i = 0; bits > 0; i += 1, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if (((block.words[i]! ^ address.words[i]!) & mask) !== 0) return false;
  }
  return true;
}

const ip: OperatorFamily<IpBlock, IpBlock> = {
  variables: false,
  glob: false,
  preparePolicy: parseIpBlock,
  prepareContext: (v) => (v.includes('/') ? undefined : parseIpBlock(v)),
  test: (c, p) => blockContains(p, c),
};

export const IpAddress = operator('IpAddress', ip);
export const NotIpAddress = operator('NotIpAddress', ip, true);
