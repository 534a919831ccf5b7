/** The photo types a report may carry, recognised by their first bytes (never by name or claimed type). */
export type PhotoMime = 'image/jpeg' | 'image/png' | 'image/heic' | 'image/webp';

const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1']);

/**
 * The image type of `bytes` from its signature: JPEG (FF D8 FF), PNG (89 'PNG' \r\n 1A \n),
 * WebP ('RIFF' … 'WEBP') or HEIC (ISO-BMFF 'ftyp' with a HEIF brand); null for anything else.
 *
 * @example
 * sniffImage(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0)); // 'image/jpeg'
 * sniffImage(new TextEncoder().encode('root:x:0:0')); // null
 */
export function sniffImage(bytes: Uint8Array): PhotoMime | null {
  const at = (i: number, s: string) => [...s].every((c, k) => bytes[i + k] === c.charCodeAt(0));
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes[0] === 0x89 && at(1, 'PNG\r\n\x1a\n')) return 'image/png';
  if (bytes.length >= 12 && at(0, 'RIFF') && at(8, 'WEBP')) return 'image/webp';
  if (bytes.length >= 12 && at(4, 'ftyp')) {
    const brand = String.fromCharCode(...bytes.subarray(8, 12));
    if (HEIC_BRANDS.has(brand)) return 'image/heic';
  }
  return null;
}
