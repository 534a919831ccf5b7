import { describe, expect, it } from 'vitest';
import { amapNavigationUriGcj02, toGcj02 } from './amap-uri';

// Published reference points: googollee/eviltransform test fixtures (WGS 84 → GCJ-02).
const VECTORS: [number, number, number, number][] = [
  [31.1774276, 121.5272106, 31.17530398364597, 121.531541859215], // Shanghai
  [22.543847, 113.912316, 22.540796131694766, 113.9171764808363], // Shenzhen
  [39.911954, 116.377817, 39.91334545536069, 116.38404722455657], // Beijing
];

describe('toGcj02', () => {
  it('matches the published WGS 84 → GCJ-02 reference points to 1e-8°', () => {
    for (const [wLat, wLon, gLat, gLon] of VECTORS) {
      const [lon, lat] = toGcj02([wLon, wLat]);
      expect(Math.abs(lon - gLon)).toBeLessThan(1e-8);
      expect(Math.abs(lat - gLat)).toBeLessThan(1e-8);
    }
  });

  it('leaves points outside China unchanged', () => {
    expect(toGcj02([-104.9903, 39.7392])).toEqual([-104.9903, 39.7392]);
  });
});

describe('amapNavigationUriGcj02', () => {
  it('writes GCJ-02 coordinates, says so, and encodes the name', () => {
    const uri = amapNavigationUriGcj02([121.5272106, 31.1774276], '目标 T-1');
    const url = new URL(uri);
    expect(url.hostname).toBe('uri.amap.com');
    expect(url.searchParams.get('coordinate')).toBe('gaode');
    const [lon, lat, name] = url.searchParams.get('to')!.split(',');
    expect(Number(lon)).toBeCloseTo(121.531542, 6);
    expect(Number(lat)).toBeCloseTo(31.175304, 6);
    expect(name).toBe('目标 T-1');
  });
});
