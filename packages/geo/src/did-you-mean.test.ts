import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { closestWord, didYouMean } from './did-you-mean';

const KEYS = ['flowering_window', 'policy', 'max_gsd_m', 'id'];

describe('closestWord and didYouMean', () => {
  it('finds a typo, a key cut short, and nothing for an unrelated word', () => {
    expect(closestWord('flowring_window', KEYS)).toBe('flowering_window');
    expect(closestWord('POLICY', KEYS)).toBe('policy');
    expect(closestWord('flow', KEYS)).toBeUndefined();
    expect(closestWord('flow', KEYS, { prefixes: true })).toBe('flowering_window');
    expect(closestWord('elevation', KEYS)).toBeUndefined();
    expect(didYouMean('polcy', KEYS)).toBe(" (是否为 did you mean 'policy'?)");
    expect(didYouMean('elevation', KEYS)).toBe('');
  });

  it('a longer word tolerates more edits when the caller allows', () => {
    expect(closestWord('inptu_siez_px', ['input_size_px'], { maxDistance: 4 })).toBe('input_size_px');
    expect(closestWord('inptu_siez_px', ['input_size_px'])).toBeUndefined();
  });

  it('any known word comes back for itself and for itself with one letter changed', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z_]{3,12}$/), { minLength: 1, maxLength: 6 }), fc.nat(), (known, k) => {
        const word = known[k % known.length];
        expect(closestWord(word, known)?.toLowerCase()).toBe(word);
        const typo = `${word.slice(0, -1)}${word.endsWith('q') ? 'z' : 'q'}`;
        expect(closestWord(typo, known)).toBeDefined();
      }),
    );
  });
});
