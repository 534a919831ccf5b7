import { describe, expect, it } from 'vitest';
import { parseSeason, seasonToFile } from './season';

describe('season policy.imagery_quality', () => {
  it('reads the thresholds a season sets, camelCase, and writes them back as given', () => {
    const s = parseSeason({ id: 's2026', year: 2026, policy: { imagery_quality: { min_sharpness: 0.2, max_clipped_share: 0.4, enabled: true } } });
    expect(s.policy.imageryQuality).toEqual({ minSharpness: 0.2, maxClippedShare: 0.4, enabled: true });
    expect((seasonToFile(s).policy as Record<string, unknown>).imagery_quality).toEqual({ enabled: true, min_sharpness: 0.2, max_clipped_share: 0.4 });
  });

  it('leaves a season without it exactly as before (its stored form and certificates unchanged)', () => {
    const s = parseSeason({ id: 's2026', year: 2026 });
    expect(s.policy.imageryQuality).toBeUndefined();
    expect(seasonToFile(s).policy).not.toHaveProperty('imagery_quality');
  });

  it('refuses a misspelt threshold with a hint, and an out-of-range share', () => {
    expect(() => parseSeason({ id: 's', year: 2026, policy: { imagery_quality: { min_sharpnes: 0.2 } } })).toThrow(/min_sharpnes.*min_sharpness/);
    expect(() => parseSeason({ id: 's', year: 2026, policy: { imagery_quality: { max_dark_share: 2 } } })).toThrow(/max_dark_share/);
  });
});
