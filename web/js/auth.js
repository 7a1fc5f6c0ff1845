// Xpra's challenge/response with hmac digests, computed with WebCrypto (Xpra 3.1.3's rules):
//   salt     = hex(HMAC-<salt_digest>(key = client_salt, message = server_salt))
//   response = hex(HMAC-<digest>(key = password, message = salt))
// Only hmac+sha1/sha256/sha384/sha512 are offered: WebCrypto has no MD5, and xor would send the
// password itself.

const HASHES = { sha1: 'SHA-1', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };

export const DIGESTS = ['hmac+sha512', 'hmac+sha384', 'hmac+sha256', 'hmac+sha1'];

const encoder = new TextEncoder();

function bytesOf(value) {
  return value instanceof Uint8Array ? value : encoder.encode(String(value));
}

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function supported(digest) {
  return DIGESTS.includes(digest) && !!globalThis.crypto?.subtle;
}

async function hmac(digest, key, message) {
  const hash = HASHES[digest.split('+')[1]];
  if (!hash || !crypto.subtle) throw new Error('unsupported digest ' + digest);
  const k = await crypto.subtle.importKey('raw', bytesOf(key), { name: 'HMAC', hash }, false, ['sign']);
  return hex(await crypto.subtle.sign('HMAC', k, bytesOf(message)));
}

/** A random client salt: 32 hex characters, from crypto.getRandomValues. */
export function clientSalt() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return hex(bytes);
}

/**
 * The challenge_response for a server challenge.
 * @returns {Promise<string>} hex digest
 */
export async function challengeResponse(digest, saltDigest, serverSalt, password, salt) {
  if (!globalThis.crypto?.subtle) {
    throw new Error('password authentication needs WebCrypto, which browsers give only to secure pages: ' +
      'open the https:// page of a wss:// bind, or use localhost');
  }
  if (!supported(digest)) throw new Error(`the server asks for digest '${digest}', which this client does not offer`);
  if (!supported(saltDigest)) throw new Error(`the server asks for salt digest '${saltDigest}', which this client does not offer`);
  const combined = await hmac(saltDigest, salt, serverSalt);
  return hmac(digest, password, combined);
}
