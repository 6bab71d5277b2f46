/**
 * Binary files people hand a flow tool by mistake, known by their first
 * bytes, with what to do instead: Flowfence reads flow exports, not packets
 * or raw sensor files, and the tools that turn those into exports are the
 * ones the user already has.
 */
interface KnownBinary {
  readonly magic: readonly (readonly number[])[];
  readonly what: string;
}

const KNOWN: readonly KnownBinary[] = [
  {
    // libpcap, both byte orders, microsecond and nanosecond variants.
    magic: [[0xd4, 0xc3, 0xb2, 0xa1], [0xa1, 0xb2, 0xc3, 0xd4], [0x4d, 0x3c, 0xb2, 0xa1], [0xa1, 0xb2, 0x3c, 0x4d]],
    what: 'a packet capture (pcap): turn it into flows first, e.g. `zeek -r FILE` and give the conn.log it writes',
  },
  {
    // pcapng starts with a Section Header Block.
    magic: [[0x0a, 0x0d, 0x0d, 0x0a]],
    what: 'a packet capture (pcapng): turn it into flows first, e.g. `zeek -r FILE` and give the conn.log it writes',
  },
  {
    // nfcapd files start with the 16-bit magic 0xA50C, little-endian.
    magic: [[0x0c, 0xa5]],
    what: 'an nfdump binary file (nfcapd): export it with `nfdump -r FILE -o csv` (or `-o json`) and give that',
  },
  {
    magic: [[0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00]], // "ElfFile\0"
    what: 'a Windows event log (.evtx): export its 4624 logon events as XML or NDJSON and give them with --logons',
  },
];

/** What a binary file is and what to give instead, or null when its first bytes are not a known format. */
export function knownBinaryFormat(head: Uint8Array): string | null {
  for (const known of KNOWN) {
    if (known.magic.some((magic) => magic.length <= head.length && magic.every((byte, i) => head[i] === byte))) return known.what;
  }
  return null;
}
