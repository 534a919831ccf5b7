import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { narrowNote, openedModelCopy } from './opened-model';

describe('openedModelCopy', () => {
  const work = mkdtempSync(join(tmpdir(), 'tiandi-opened-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('copies the model without its training chips, with both second-stage thresholds at 0 and the rest of the card kept', () => {
    const dir = join(work, 'src');
    mkdirSync(join(dir, '.chips-verifier'), { recursive: true });
    mkdirSync(join(dir, 'verifier'));
    writeFileSync(join(dir, 'model.onnx'), 'graph');
    writeFileSync(join(dir, 'verifier', 'model.onnx'), 'verifier graph');
    writeFileSync(join(dir, '.chips-verifier', 'a.png'), 'chip');
    const card = { name: 'm', verifier: { threshold: 0.8, dir: 'verifier', prefilter: { threshold: 0.5, dir: 'prefilter' } } };
    const open = openedModelCopy(dir, card, work);
    expect(JSON.parse(readFileSync(join(open, 'model.json'), 'utf8'))).toEqual({
      name: 'm',
      verifier: { threshold: 0, dir: 'verifier', prefilter: { threshold: 0, dir: 'prefilter' } },
    });
    expect(readFileSync(join(open, 'verifier', 'model.onnx'), 'utf8')).toBe('verifier graph');
    expect(existsSync(join(open, '.chips-verifier'))).toBe(false);
    // A narrowing prefilter is opened too: one scan at 0 cannot say which windows a threshold would narrow to.
    const narrowing = { verifier: { threshold: 0.9, prefilter: { threshold: 0.7, narrow: true } } };
    const wide = openedModelCopy(dir, narrowing, join(work, 'narrow'));
    expect(JSON.parse(readFileSync(join(wide, 'model.json'), 'utf8')).verifier.prefilter).toEqual({ threshold: 0, narrow: false });
    expect(narrowNote(narrowing)).toMatch(/narrow off/);
    expect(narrowNote(card)).toBeUndefined();
    // Without a prefilter none is added.
    const plain = openedModelCopy(dir, { verifier: { threshold: 0.7 } }, join(work, 'plain'));
    expect(JSON.parse(readFileSync(join(plain, 'model.json'), 'utf8'))).toEqual({ verifier: { threshold: 0 } });
  });
});
