/**
 * A bug only coverage guidance finds in a few thousand runs: it needs three exact bytes, one nested branch
 * each (blind mutation would need about 2^24 tries). Used to check that the fuzzer is really guided.
 */
export function plantedBug(b: Uint8Array): void {
  if (b[0] === 0xff) {
    if (b[1] === 0x80) {
      if (b[2] === 0x7f) throw new RangeError('planted bug reached');
    }
  }
}
