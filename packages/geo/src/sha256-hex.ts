import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { canonicalJson } from './canonical-json';

/** sha256 of a UTF-8 string or bytes, as lowercase hex. Pure JS and synchronous, so it runs in the browser too. */
export function sha256Hex(data: string | Uint8Array): string {
  return bytesToHex(sha256(typeof data === 'string' ? utf8ToBytes(data) : data));
}

/** sha256 of the canonical JSON of `value` (see {@link canonicalJson}). */
export function digestOf(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
