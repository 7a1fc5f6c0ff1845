// Xpra's bencode dialect (the packet encoder of Xpra 3.1.3's HTML5 client): i<n>e, <len>:<bytes>,
// l...e, d...e (keys in insertion order, any type). Byte strings decode to Uint8Array; use
// text() for the ones that are text. Booleans encode as i1e/i0e.

const encoder = new TextEncoder();
const utf8 = new TextDecoder('utf-8', { fatal: false });

export class BencodeError extends Error {}

/** A Uint8Array (or string) as text: UTF-8, or the string itself. */
export function text(value) {
  if (value instanceof Uint8Array) return utf8.decode(value);
  if (value === undefined || value === null) return '';
  return String(value);
}

/** Encodes |value| (number, boolean, string, Uint8Array, Array, plain object, Map). */
export function bencode(value) {
  const parts = [];
  let size = 0;
  const push = (bytes) => {
    parts.push(bytes);
    size += bytes.length;
  };
  const ascii = (s) => push(encoder.encode(s));
  const walk = (v) => {
    if (typeof v === 'boolean') {
      ascii(v ? 'i1e' : 'i0e');
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new BencodeError('bencode: cannot encode ' + v);
      ascii('i' + Math.trunc(v) + 'e');
    } else if (typeof v === 'bigint') {
      ascii('i' + v.toString() + 'e');
    } else if (typeof v === 'string') {
      const bytes = encoder.encode(v);
      ascii(bytes.length + ':');
      push(bytes);
    } else if (v instanceof Uint8Array) {
      ascii(v.length + ':');
      push(v);
    } else if (Array.isArray(v)) {
      ascii('l');
      v.forEach(walk);
      ascii('e');
    } else if (v instanceof Map) {
      ascii('d');
      for (const [k, item] of v) {
        walk(k);
        walk(item);
      }
      ascii('e');
    } else if (v && typeof v === 'object') {
      ascii('d');
      for (const k of Object.keys(v)) {
        if (v[k] === undefined || v[k] === null) continue;
        walk(k);
        walk(v[k]);
      }
      ascii('e');
    } else {
      throw new BencodeError('bencode: cannot encode ' + typeof v);
    }
  };
  walk(value);
  const out = new Uint8Array(size);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

const MAX_DEPTH = 64;

/** Decodes one value from |bytes| (all of it). Dict keys become strings. */
export function bdecode(bytes) {
  let pos = 0;
  const fail = (what) => {
    throw new BencodeError(`bencode: ${what} at offset ${pos}`);
  };
  const find = (ch, from) => {
    const i = bytes.indexOf(ch, from);
    if (i < 0) fail('unterminated value');
    return i;
  };
  const digits = (from, to) => {
    let s = '';
    for (let i = from; i < to; i++) s += String.fromCharCode(bytes[i]);
    return s;
  };
  const decode = (depth) => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    if (pos >= bytes.length) fail('truncated data');
    const c = bytes[pos];
    if (c === 0x69) {  // 'i'
      const end = find(0x65, pos + 1);
      const s = digits(pos + 1, end);
      if (!/^-?\d+$/.test(s)) fail('bad int');
      pos = end + 1;
      const n = Number(s);
      return Number.isSafeInteger(n) ? n : Number(BigInt(s));
    }
    if ((c >= 0x30 && c <= 0x39) || c === 0x75) {  // digit or 'u' (utf-8 string)
      if (c === 0x75) pos++;
      const colon = find(0x3a, pos);
      const len = Number(digits(pos, colon));
      if (!Number.isSafeInteger(len) || len < 0) fail('bad string length');
      pos = colon + 1;
      if (pos + len > bytes.length) fail('truncated string');
      const s = bytes.subarray(pos, pos + len);
      pos += len;
      return s;
    }
    if (c === 0x6c) {  // 'l'
      pos++;
      const list = [];
      while (pos < bytes.length && bytes[pos] !== 0x65) list.push(decode(depth + 1));
      if (pos >= bytes.length) fail('unterminated list');
      pos++;
      return list;
    }
    if (c === 0x64) {  // 'd'
      pos++;
      const dict = {};
      while (pos < bytes.length && bytes[pos] !== 0x65) {
        const k = decode(depth + 1);
        const v = decode(depth + 1);
        dict[k instanceof Uint8Array ? utf8.decode(k) : String(k)] = v;
      }
      if (pos >= bytes.length) fail('unterminated dict');
      pos++;
      return dict;
    }
    fail('invalid type byte 0x' + c.toString(16));
  };
  const value = decode(0);
  if (pos !== bytes.length) fail('trailing bytes');
  return value;
}
