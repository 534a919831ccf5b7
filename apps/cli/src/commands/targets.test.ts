import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Workspace, listTargets, readAuditLog } from '@tiandi/store';
import { afterEach, describe, expect, it } from 'vitest';
import { rect, surveyWorkspace, WHOLE_IMAGE } from '../../../../packages/store/src/test-world.test-util';
import { tiandi } from '../../../../test/helpers/run-tiandi';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('tiandi targets dismiss', () => {
  it('records a desk dismissal (dismissed_desk, audited with the actor), refuses inspected_negative without a ground report, and undoes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-targets-'));
    dirs.push(dir);
    const file = path.join(dir, 'w.gpkg');
    // The shared survey world: village V01 flown in one image with one plot scoring 0.72.
    const ws = await surveyWorkspace(file, {
      township: false,
      actor: 'lead',
      scanActor: 'op',
      scanDir: path.join(dir, 'scan'),
      images: [WHOLE_IMAGE],
      cands: [{ id: 'c1', image: WHOLE_IMAGE.image, poly: rect(100.004, 25.004, 100.0044, 25.0044), score: 0.72, modelVersion: '3.0.0' }],
    });
    const [t] = listTargets(ws);
    ws.close();

    const neg = await tiandi(dir, 'targets', 'set-status', t.id, 'inspected_negative', '--reason', 'looked at it', '--workspace', file);
    expect(neg.code).not.toBe(0);
    expect(neg.err).toMatch(/no ground report/);
    const d = await tiandi(dir, 'targets', 'dismiss', t.id, '--reason', '屋顶 roof', '--actor', 'op-li', '--workspace', file);
    expect(d.code).toBe(0);
    expect(d.out).toBe(`${t.id} → dismissed_desk\n`);
    expect((await tiandi(dir, 'targets', 'dismiss', t.id, '--workspace', file)).err).toMatch(/--reason/);
    const cert = await tiandi(dir, 'certify', '--zone', 'V01', '--sign', 'mgr', '--workspace', file);
    expect(cert.code).toBe(1);
    expect(cert.err + cert.out).toMatch(/desk_dismissals/);
    expect((await tiandi(dir, 'targets', 'undo-dismiss', t.id, '--reason', 'oops', '--workspace', file)).out).toBe(`${t.id} → detected\n`);
    const again = Workspace.open(file);
    expect(
      readAuditLog(again)
        .filter((e) => e.subject === t.id)
        .map((e) => [e.action, e.actor]),
    ).toEqual(expect.arrayContaining([['target.desk_dismiss', 'op-li']]));
    again.close();

    // A one-stage model's candidate (no verifier score): the open target is listed as unverified, and certify owes it a visit.
    const list = await tiandi(dir, 'targets', 'list', '--workspace', file);
    expect(list.out).toContain(`${t.id}\tdetected\t0.72\t`);
    expect(list.out).toContain('\t未复核 unverified');
    const open = await tiandi(dir, 'certify', '--zone', 'V01', '--sign', 'mgr', '--workspace', file);
    expect(open.code).toBe(1);
    expect(open.err + open.out).toMatch(/其中 1 个未经复核 of them 1 unverified/);
  });
});
