import { dbOf } from './workspace';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportWorkspace } from './export-workspace';
import { Workspace } from './workspace';
import { tmp } from './test-world.test-util';

describe('exportWorkspace: photos in a copy', () => {
  it('carries only photos that are images stored under their own sha256 (not a file an old import read in)', async () => {
    const dir = tmp();
    const ws = Workspace.create(join(dir, 'ws.gpkg'));
    const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
    const hostname = Buffer.from('survey-laptop\n');
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    const ins = dbOf(ws).prepare('INSERT INTO photos (sha256, mime, size_bytes, bytes, added_at) VALUES (?, ?, ?, ?, ?)');
    ins.run(sha(jpeg), 'image/jpeg', jpeg.length, jpeg, '2026-04-20T00:00:00Z');
    ins.run(sha(hostname), null, hostname.length, hostname, '2026-04-20T00:00:00Z');
    ins.run('b'.repeat(64), 'image/jpeg', jpeg.length, jpeg, '2026-04-20T00:00:00Z');
    const r = await exportWorkspace(ws, join(dir, 'copy.gpkg'));
    ws.close();
    expect(r.invalidPhotos).toBe(2);
    const copy = Workspace.open(join(dir, 'copy.gpkg'));
    expect(dbOf(copy).prepare('SELECT sha256 FROM photos').all()).toEqual([{ sha256: sha(jpeg) }]);
    copy.close();
  });
});
