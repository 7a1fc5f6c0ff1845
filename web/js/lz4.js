// LZ4 block decompression, as Xpra packs it: a 4-byte little-endian uncompressed size, then one
// raw LZ4 block (python-lz4's store_size=True format; the same inside rgb draw packets).

export class Lz4Error extends Error {}

const MAX_SIZE = 256 * 1024 * 1024;  // Xpra's limit for one decompressed payload

/** Decompresses |input| (size header + block) into a new Uint8Array. */
export function lz4Decompress(input) {
  if (input.length < 4) throw new Lz4Error('lz4: data shorter than its size header');
  const size = (input[0] | (input[1] << 8) | (input[2] << 16) | (input[3] << 24)) >>> 0;
  if (size > MAX_SIZE) throw new Lz4Error('lz4: declared size ' + size + ' is too big');
  const out = new Uint8Array(size);
  let ip = 4;
  let op = 0;
  const end = input.length;
  while (ip < end) {
    const token = input[ip++];
    let literals = token >>> 4;
    if (literals === 15) {
      let b;
      do {
        if (ip >= end) throw new Lz4Error('lz4: truncated literal length');
        b = input[ip++];
        literals += b;
      } while (b === 255);
    }
    if (ip + literals > end || op + literals > size) throw new Lz4Error('lz4: literals overrun');
    out.set(input.subarray(ip, ip + literals), op);
    ip += literals;
    op += literals;
    if (ip >= end) break;  // the last sequence has literals only
    if (ip + 2 > end) throw new Lz4Error('lz4: truncated match offset');
    const offset = input[ip] | (input[ip + 1] << 8);
    ip += 2;
    if (offset === 0 || offset > op) throw new Lz4Error('lz4: bad match offset');
    let length = token & 15;
    if (length === 15) {
      let b;
      do {
        if (ip >= end) throw new Lz4Error('lz4: truncated match length');
        b = input[ip++];
        length += b;
      } while (b === 255);
    }
    length += 4;
    if (op + length > size) throw new Lz4Error('lz4: match overruns the output');
    let from = op - offset;
    if (offset >= length) {
      out.copyWithin(op, from, from + length);
      op += length;
    } else {
      for (let i = 0; i < length; i++) out[op++] = out[from++];  // overlapping copy
    }
  }
  if (op !== size) throw new Lz4Error(`lz4: produced ${op} bytes, expected ${size}`);
  return out;
}

/** zlib (RFC 1950) decompression with the browser's own DecompressionStream. */
export async function zlibDecompress(input) {
  const stream = new Blob([input]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
