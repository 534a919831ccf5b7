/** What a key does in the triage gallery. */
export type TriageAction =
  | { kind: 'decide'; decision: 'poppy_like' }
  | { kind: 'decide'; decision: 'not_poppy'; reason: 'roof' | 'tarp' | 'rapeseed' | 'blossom' | 'shadow' }
  | { kind: 'other' }
  | { kind: 'skip' }
  | { kind: 'undo' }
  | { kind: 'context' }
  | { kind: 'heat' }
  | { kind: 'move'; by: number };

const REASONS = { '2': 'roof', '3': 'tarp', '4': 'rapeseed', '5': 'blossom', '6': 'shadow' } as const;

/** The action of a key press (KeyboardEvent.key), or null for keys the gallery leaves alone. */
export function actionOfKey(key: string): TriageAction | null {
  if (key === '1' || key === 'p' || key === 'P') return { kind: 'decide', decision: 'poppy_like' };
  if (key in REASONS) return { kind: 'decide', decision: 'not_poppy', reason: REASONS[key as keyof typeof REASONS] };
  if (key === '7') return { kind: 'other' };
  if (key === ' ' || key === 's' || key === 'S') return { kind: 'skip' };
  if (key === 'u' || key === 'U' || key === 'Backspace') return { kind: 'undo' };
  if (key === 'c' || key === 'C') return { kind: 'context' };
  if (key === 'h' || key === 'H') return { kind: 'heat' };
  if (key === 'ArrowRight' || key === 'ArrowDown') return { kind: 'move', by: 1 };
  if (key === 'ArrowLeft' || key === 'ArrowUp') return { kind: 'move', by: -1 };
  return null;
}
