import { Kind, type SceneObject } from '../scene-types';
import { shapeHit } from '../shapes';

/**
 * True when scene point (x, y) (metres) lies under a tree crown, in blossom or not. A training window centred
 * there shows the crown, not the poppy a plot's outline says grows beneath it, so it must not be labelled poppy.
 */
export function underTreeCrown(objects: readonly SceneObject[], x: number, y: number): boolean {
  return objects.some((o) => (o.kind === Kind.Tree || o.kind === Kind.BlossomTree) && shapeHit(o.shape, x, y));
}
