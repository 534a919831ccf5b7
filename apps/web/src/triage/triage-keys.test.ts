import { describe, expect, it } from 'vitest';
import { actionOfKey } from './triage-keys';

describe('actionOfKey', () => {
  it('maps the gallery keys to decisions, skip, undo, surroundings and moves', () => {
    expect(actionOfKey('1')).toEqual({ kind: 'decide', decision: 'poppy_like' });
    expect(['2', '3', '4', '5', '6'].map((k) => (actionOfKey(k) as { reason: string }).reason)).toEqual(['roof', 'tarp', 'rapeseed', 'blossom', 'shadow']);
    expect(actionOfKey('7')).toEqual({ kind: 'other' });
    expect(actionOfKey(' ')).toEqual({ kind: 'skip' });
    expect(actionOfKey('u')).toEqual({ kind: 'undo' });
    expect(actionOfKey('c')).toEqual({ kind: 'context' });
    expect(actionOfKey('h')).toEqual({ kind: 'heat' });
    expect(actionOfKey('ArrowLeft')).toEqual({ kind: 'move', by: -1 });
    expect(actionOfKey('x')).toBeNull();
  });
});
