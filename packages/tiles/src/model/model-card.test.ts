import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseModelCard } from './model-card';

const seg = JSON.parse(readFileSync(new URL('../../fixtures/models/redness-seg/model.json', import.meta.url), 'utf8'));

describe('parseModelCard', () => {
  it('accepts the test cards and freezes them', () => {
    const c = parseModelCard(seg);
    expect(c.task).toBe('segmentation');
    expect(c.output.stride).toBe(8);
    expect(Object.isFrozen(c)).toBe(true);
  });
  it('accepts the example of docs/model-card.md', () => {
    const c = parseModelCard({
      name: 'poppy-synth',
      version: '1.0.0',
      task: 'segmentation',
      input: { name: 'image', size: 256, channels: ['R', 'G', 'B'], scale: 255, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] },
      output: { name: 'scores', activation: 'sigmoid', stride: 8 },
      gsd_m: 0.08,
      tile_stride: 224,
      classes: ['background', 'poppy'],
      positive_class: 'poppy',
      thresholds: { high: 0.6, low: 0.35, min_area_m2: 1.0 },
      training: { data: 'synthetic', warning: 'w', recipe: 'r', command: 'c', seed: 7 },
      metrics: { eval_seeds: '9000-9019', plot_recall: 0.97, f1: 0.93 },
    });
    expect(c.gsd_m).toBe(0.08);
  });
  it('rejects unknown keys with a did-you-mean hint', () => {
    expect(() => parseModelCard({ ...seg, gsd: 0.1 })).toThrow(/unknown key 'gsd' \(did you mean 'gsd_m'\?\)/);
    expect(() => parseModelCard({ ...seg, input: { ...seg.input, sise: 64 } })).toThrow(/input.sise.*did you mean 'size'/);
  });
  it('checks consistency: positive class, thresholds, strides', () => {
    expect(() => parseModelCard({ ...seg, positive_class: 'opium' })).toThrow(/positive_class/);
    expect(() => parseModelCard({ ...seg, thresholds: { high: 0.3, low: 0.5, min_area_m2: 1 } })).toThrow(/thresholds.low/);
    expect(() => parseModelCard({ ...seg, output: { name: 'scores', activation: 'sigmoid' } })).toThrow(/output.stride: is required/);
    expect(() => parseModelCard({ ...seg, input: { ...seg.input, mean: [0.5] } })).toThrow(/input.mean/);
    expect(() => parseModelCard({ ...seg, version: 'v1' })).toThrow(/semver/);
  });
  it('takes an optional whole merge_gap_cells among the thresholds', () => {
    expect(parseModelCard({ ...seg, thresholds: { ...seg.thresholds, merge_gap_cells: 1 } }).thresholds.merge_gap_cells).toBe(1);
    expect(parseModelCard(seg).thresholds.merge_gap_cells).toBeUndefined();
    expect(() => parseModelCard({ ...seg, thresholds: { ...seg.thresholds, merge_gap_cells: 0.5 } })).toThrow(/thresholds.merge_gap_cells/);
    expect(() => parseModelCard({ ...seg, thresholds: { ...seg.thresholds, merge_gap: 1 } })).toThrow(/unknown key 'thresholds.merge_gap'/);
  });
  it('takes merge_join and outline among the thresholds, each only where it can act', () => {
    const v = { model: 'verifier', threshold: 0.6 };
    const c = parseModelCard({ ...seg, thresholds: { ...seg.thresholds, merge_gap_cells: 2, merge_join: 'nearest', outline: 'kept_parts' }, verifier: v });
    expect(c.thresholds.merge_join).toBe('nearest');
    expect(c.thresholds.outline).toBe('kept_parts');
    expect(parseModelCard(seg).thresholds.outline).toBeUndefined();
    expect(() => parseModelCard({ ...seg, thresholds: { ...seg.thresholds, merge_gap_cells: 2, merge_join: 'chains' } })).toThrow(/thresholds.merge_join/);
    expect(() => parseModelCard({ ...seg, thresholds: { ...seg.thresholds, merge_join: 'pair' } })).toThrow(
      /thresholds.merge_join: joins nothing without thresholds.merge_gap_cells/,
    );
    expect(() => parseModelCard({ ...seg, thresholds: { ...seg.thresholds, outline: 'kept_windows' } })).toThrow(
      /thresholds.outline: 'kept_windows' needs a verifier/,
    );
    expect(() => parseModelCard({ ...seg, thresholds: { ...seg.thresholds, outline: 'kept' }, verifier: v })).toThrow(/thresholds.outline/);
    expect(parseModelCard({ ...seg, thresholds: { ...seg.thresholds, outline: 'traced' } }).thresholds.outline).toBe('traced');
  });
  it('takes growth_peak_share and max_part_m2 only where they can bound a part', () => {
    const t = seg.thresholds;
    const c = parseModelCard({ ...seg, thresholds: { ...t, growth_peak_share: 0.5, max_part_m2: 600 } });
    expect(c.thresholds.growth_peak_share).toBe(0.5);
    expect(c.thresholds.max_part_m2).toBe(600);
    expect(parseModelCard(seg).thresholds.growth_peak_share).toBeUndefined();
    expect(() => parseModelCard({ ...seg, thresholds: { ...t, growth_peak_share: t.low } })).toThrow(
      new RegExp(`thresholds.growth_peak_share: bounds nothing at or under thresholds.low \\(${t.low}\\)`),
    );
    expect(() => parseModelCard({ ...seg, thresholds: { ...t, growth_peak_share: 1.5 } })).toThrow(/thresholds.growth_peak_share/);
    expect(() => parseModelCard({ ...seg, thresholds: { ...t, max_part_m2: t.min_area_m2 / 2 } })).toThrow(
      /thresholds.max_part_m2: must be at least thresholds.min_area_m2/,
    );
    expect(() => parseModelCard({ ...seg, thresholds: { ...t, max_part_m3: 600 } })).toThrow(/did you mean 'max_part_m2'/);
  });
  it('validates the optional verifier block', () => {
    const c = parseModelCard({ ...seg, verifier: { model: 'verifier', threshold: 0.6 } });
    expect(c.verifier).toEqual({ model: 'verifier', threshold: 0.6, max_windows: 4 });
    expect(() => parseModelCard({ ...seg, verifier: { model: 'verifier', threshold: 1.5 } })).toThrow(/verifier.threshold/);
    expect(() => parseModelCard({ ...seg, verifier: { model: '/abs/path', threshold: 0.5 } })).toThrow(/relative to the model folder/);
    expect(() => parseModelCard({ ...seg, verifier: { model: 'v', threshold: 0.5, max_window: 2 } })).toThrow(
      /verifier.max_window.*did you mean 'max_windows'/,
    );
    const p = parseModelCard({ ...seg, verifier: { model: 'verifier', threshold: 0.9, prefilter: { model: 'prefilter', threshold: 0.3, max_windows: 16 } } });
    expect(p.verifier?.prefilter).toEqual({ model: 'prefilter', threshold: 0.3, max_windows: 16 });
    const narrow = parseModelCard({ ...seg, verifier: { model: 'v', threshold: 0.9, prefilter: { model: 'p', threshold: 0.3, narrow: true } } });
    expect(narrow.verifier?.prefilter?.narrow).toBe(true);
    expect(() => parseModelCard({ ...seg, verifier: { model: 'v', threshold: 0.5, prefilter: { model: 'p', threshold: 0.5, narrow: 'yes' } } })).toThrow(
      /verifier.prefilter.narrow/,
    );
    expect(() => parseModelCard({ ...seg, verifier: { model: 'v', threshold: 0.5, prefilter: { model: 'p', threshold: 2 } } })).toThrow(
      /verifier.prefilter.threshold/,
    );
    expect(() => parseModelCard({ ...seg, verifier: { model: 'v', threshold: 0.5, prefilter: { model: 'p', threshold: 0.5, treshold: 1 } } })).toThrow(
      /verifier.prefilter.treshold.*did you mean 'threshold'/,
    );
  });
});
