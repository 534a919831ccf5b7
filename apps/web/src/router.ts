/** A view draws itself into `root` and returns an optional cleanup run when the user leaves it. */
export type View = (root: HTMLElement) => void | (() => void) | Promise<void | (() => void)>;

/** Route name → lazy view loader. Keep each view's code in its own chunk. */
export type ViewRegistry = Record<string, () => Promise<{ default: View }>>;

/** The route name of a location hash: '#/planner?x=1' → 'planner'; '' → fallback. */
export function routeOf(hash: string, fallback: string): string {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return name || fallback;
}

/**
 * A tiny hash router: on every hash change it unmounts the current view and mounts the one named
 * by the hash (#/operator, #/planner, #/field, #/manager). Unknown names show `notFound`.
 * Returns a function that re-renders the current view (used after a language switch).
 */
export function startRouter(opts: {
  root: HTMLElement;
  views: ViewRegistry;
  fallback: string;
  notFound: View;
  onRoute?: (name: string) => void;
  /**
   * Runs before a view mounts (e.g. sign-in); the view mounts when it resolves, unless it resolves
   * to false (the guard drew a refusal instead). `stale()` turns true once another render started.
   */
  guard?: (root: HTMLElement, name: string, stale: () => boolean) => Promise<void | boolean>;
}): () => Promise<void> {
  let cleanup: (() => void) | void = undefined;
  let seq = 0;
  const render = async (): Promise<void> => {
    const mine = ++seq;
    const name = routeOf(location.hash, opts.fallback);
    if (typeof cleanup === 'function') cleanup();
    cleanup = undefined;
    opts.root.replaceChildren();
    opts.onRoute?.(name);
    if (opts.guard) {
      const allowed = await opts.guard(opts.root, name, () => mine !== seq);
      if (mine !== seq || allowed === false) return;
      opts.root.replaceChildren();
    }
    const load = opts.views[name];
    const view = load ? (await load()).default : opts.notFound;
    if (mine !== seq) return;
    cleanup = await view(opts.root);
  };
  window.addEventListener('hashchange', () => void render());
  void render();
  return render;
}
