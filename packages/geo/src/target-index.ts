import RBush from 'rbush';
import { bboxOf } from './geojson';
import type { Target } from './target';

interface Entry {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  id: string;
}

/**
 * Targets by id and by outline box (an R-tree), so a report is measured against nearby targets only.
 * Kept up to date by {@link TargetIndex.set} as an import changes or adds targets.
 */
export class TargetIndex {
  private readonly tree = new RBush<Entry>();
  private readonly targets = new Map<string, Target>();
  private readonly entries = new Map<string, Entry>();

  constructor(targets: Iterable<Target> = []) {
    const entries: Entry[] = [];
    for (const t of targets) {
      const e = entryOf(t);
      this.targets.set(t.id, t);
      this.entries.set(t.id, e);
      entries.push(e);
    }
    this.tree.load(entries);
  }

  get size(): number {
    return this.targets.size;
  }

  get(id: string): Target | undefined {
    return this.targets.get(id);
  }

  values(): IterableIterator<Target> {
    return this.targets.values();
  }

  /** Adds a target or replaces the one with its id (re-indexed when its outline moved). */
  set(t: Target): void {
    const old = this.entries.get(t.id);
    const e = entryOf(t);
    this.targets.set(t.id, t);
    if (old && old.minX === e.minX && old.minY === e.minY && old.maxX === e.maxX && old.maxY === e.maxY) return;
    if (old) this.tree.remove(old);
    this.entries.set(t.id, e);
    this.tree.insert(e);
  }

  /** Targets whose outline box meets [x0, y0, x1, y1] (degrees). */
  within(x0: number, y0: number, x1: number, y1: number): Target[] {
    return this.tree.search({ minX: x0, minY: y0, maxX: x1, maxY: y1 }).map((e) => this.targets.get(e.id)!);
  }
}

function entryOf(t: Target): Entry {
  const [minX, minY, maxX, maxY] = bboxOf(t.geometry);
  return { minX, minY, maxX, maxY, id: t.id };
}
