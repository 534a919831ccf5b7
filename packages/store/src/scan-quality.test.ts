import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceScanQuality } from './scan-quality';
import { setSeason } from './set-season';
import { tmp } from './test-world.test-util';
import { Workspace } from './workspace';

describe('workspaceScanQuality', () => {
  it("is the current season's imagery-quality thresholds: none without a season, false when the season turns the check off", () => {
    const ws = Workspace.create(join(tmp(), 'ws.gpkg'));
    expect(workspaceScanQuality(ws)).toBeUndefined();
    setSeason(ws, { id: '2026', year: 2026 }, 'lead');
    expect(workspaceScanQuality(ws)).toBeUndefined();
    setSeason(ws, { id: '2026', year: 2026, policy: { imagery_quality: { max_dark_share: 0.4 } } }, 'lead');
    const q = workspaceScanQuality(ws);
    expect(q).toEqual({ maxDarkShare: 0.4 });
    setSeason(ws, { id: '2026', year: 2026, policy: { imagery_quality: { enabled: false } } }, 'lead');
    expect(workspaceScanQuality(ws)).toBe(false);
    ws.close();
  });
});
