import { describe, expect, it } from 'vitest';
import { uploadRate } from './upload-panel';

describe('uploadRate', () => {
  it('measures speed and time left from the first sample of the attempt (resumed bytes do not count)', () => {
    expect(uploadRate({ t: 0, bytes: 500 }, { t: 500, bytes: 900 }, 10_000)).toBeNull();
    expect(uploadRate({ t: 0, bytes: 1_000_000 }, { t: 2000, bytes: 5_000_000 }, 13_000_000)).toEqual({ bytesPerS: 2_000_000, etaS: 4 });
  });
});
