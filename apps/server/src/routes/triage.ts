import { TriageDecisionBody, TriageNextBody, type TriageBatch } from '@tiandi/api';
import { decideTriage, imagesOfTarget, listTriage, readTarget, skipTriage, undoTriage, type TriageFilter } from '@tiandi/store';
import { z } from 'zod';
import type { RouteModule, Role, ServerContext } from '../context';
import { ServerError } from '../errors';
import { parseInput } from '../validate';
import { renderChip } from '../triage/render-chip';
import { TriageLeases } from '../triage/triage-leases';
import { actorOf, workspaceOf } from '../workspace/workspace-service';
import { rasterCatalogOf } from './rasters';

const REVIEWERS: Role[] = ['operator', 'manager', 'admin'];
const Filter = {
  zone: z.string().min(1).max(200).optional(),
  image: z.string().min(1).max(300).optional(),
  minScore: z.coerce.number().min(0).max(1).optional(),
  maxScore: z.coerce.number().min(0).max(1).optional(),
  model: z.string().min(1).max(200).optional(),
};
const ListQuery = z.strictObject(Filter);
const IdParams = z.strictObject({ id: z.string().min(1).max(300) });
const ChipQuery = z.strictObject({
  context: z.coerce.number().min(1).max(12).default(1.5),
  image: z.string().min(1).max(300).optional(),
  heat: z.enum(['0', '1']).optional(),
});

const filterOf = (q: { zone?: string; image?: string; minScore?: number; maxScore?: number; model?: string }): TriageFilter => ({
  zoneId: q.zone,
  imageId: q.image,
  minScore: q.minScore,
  maxScore: q.maxScore,
  modelVersion: q.model,
});

function leasesOf(ctx: ServerContext): TriageLeases {
  let l = ctx.services.get('triage-leases') as TriageLeases | undefined;
  if (!l) ctx.services.set('triage-leases', (l = new TriageLeases(() => workspaceOf(ctx))));
  return l;
}

/**
 * The desk triage gallery (issue 17): GET /api/triage (targets best first, filters, progress), POST /api/triage/next
 * (the next undecided targets, leased to the caller so no two reviewers get the same one; the leases are kept in the
 * workspace, so they outlive a server restart; POST /api/triage/release gives them back), POST/DELETE
 * /api/triage/:id/decision (poppy_like / not_poppy with a preset reason and note / skip, each audited with its reviewer; undo), and
 * GET /api/triage/:id/chip.png (the orthophoto around the target at full resolution; ?context=6 for the surroundings,
 * ?heat=1 with the scan's heatmap over it).
 */
const triage: RouteModule = {
  name: 'triage',
  register(app, ctx) {
    app.get('/api/triage', { config: { roles: REVIEWERS } }, async (req) => {
      const q = parseInput(ListQuery, req.query, 'query');
      const { items, reviewed, total } = listTriage(workspaceOf(ctx), filterOf(q));
      const held = leasesOf(ctx).heldByOthers(actorOf(req.account));
      return { reviewed, total, items: items.map((i) => ({ ...i, claimedBy: held.get(i.targetId) ?? null })) };
    });

    app.post('/api/triage/next', { config: { roles: REVIEWERS } }, async (req) =>
      nextBatch(ctx, parseInput(TriageNextBody, req.body ?? {}), actorOf(req.account)),
    );

    app.post('/api/triage/release', { config: { roles: REVIEWERS } }, async (req) => {
      const body = parseInput(z.strictObject({ targetIds: z.array(z.string().min(1).max(300)).max(1000) }), req.body ?? {});
      const actor = actorOf(req.account);
      for (const id of body.targetIds) leasesOf(ctx).release(id, actor);
      return { released: body.targetIds.length };
    });

    app.post('/api/triage/:id/decision', { config: { roles: REVIEWERS } }, async (req) => {
      const { id } = parseInput(IdParams, req.params, 'params');
      const body = parseInput(TriageDecisionBody, req.body);
      return decide(ctx, id, body, actorOf(req.account));
    });

    app.delete('/api/triage/:id/decision', { config: { roles: REVIEWERS } }, async (req) => {
      const { id } = parseInput(IdParams, req.params, 'params');
      undoTriage(workspaceOf(ctx), { targetId: id, force: req.account?.role === 'manager' || req.account?.role === 'admin' }, actorOf(req.account));
      leasesOf(ctx).claim([id], actorOf(req.account));
      return { targetId: id, undone: true };
    });

    app.get('/api/triage/:id/chip.png', { config: { roles: REVIEWERS } }, async (req, reply) => {
      const { id } = parseInput(IdParams, req.params, 'params');
      const q = parseInput(ChipQuery, req.query, 'query');
      const png = await chipPng(ctx, id, q);
      return reply.header('content-type', 'image/png').header('cache-control', 'private, max-age=3600').send(png);
    });
  },
};
export default triage;

/** The next undecided targets, best first, not excluded and not held by another reviewer; leased to `actor`. */
function nextBatch(ctx: ServerContext, body: z.infer<typeof TriageNextBody>, actor: string): TriageBatch {
  const leases = leasesOf(ctx);
  const { items, reviewed, total } = listTriage(workspaceOf(ctx), filterOf(body));
  const skip = new Set(body.exclude),
    held = leases.heldByOthers(actor);
  const open = items.filter((i) => !i.decision && !skip.has(i.targetId) && !held.has(i.targetId));
  const got = new Set(
    leases.claim(
      open.slice(0, body.count).map((i) => i.targetId),
      actor,
    ),
  );
  return { reviewed, total, items: open.filter((i) => got.has(i.targetId)) };
}

/** Records a decision (or a skip) unless another reviewer holds the target (409), then gives the lease back. */
function decide(ctx: ServerContext, id: string, body: z.infer<typeof TriageDecisionBody>, actor: string) {
  const leases = leasesOf(ctx);
  const other = leases.heldByOther(id, actor);
  if (other) throw new ServerError('TIANDI_E_CONFLICT', `目标 ${id} 正由 ${other} 判读 is being reviewed by ${other}`, { field: 'id' });
  if (body.decision === 'skip') {
    const skipped = skipTriage(workspaceOf(ctx), id, actor);
    leases.release(id, actor);
    return skipped;
  }
  const d = decideTriage(workspaceOf(ctx), { targetId: id, decision: body.decision, reason: body.reason ?? null, note: body.note ?? null }, actor);
  leases.release(id, actor);
  return d;
}

/** The orthophoto around a target (optionally with the scan's heatmap over it) as PNG; 404 naming what is missing. */
async function chipPng(ctx: ServerContext, id: string, q: z.infer<typeof ChipQuery>): Promise<Buffer> {
  const ws = workspaceOf(ctx);
  const t = readTarget(ws, id);
  const images = imagesOfTarget(ws, id);
  const imageId = q.image ?? images[0];
  if (!imageId || !images.includes(imageId))
    throw new ServerError('TIANDI_E_NOT_FOUND', `目标 ${id} 没有影像 ${imageId ?? ''} has no candidate from that image`, { field: 'image' });
  const catalog = rasterCatalogOf(ctx);
  const entry = (await catalog.list()).find((e) => e.kind === 'ortho' && (e.imageId === imageId || e.name === imageId));
  if (!entry)
    throw new ServerError(
      'TIANDI_E_NOT_FOUND',
      `服务器上没有影像 ${imageId} 的文件 the server holds no file of image '${imageId}' (upload it, or list it in the workspace's rasters table)`,
      { field: 'image' },
    );
  const src = await catalog.source(entry);
  if (!src.reader) throw new ServerError('TIANDI_E_UNAVAILABLE', `影像 ${imageId} 无法按窗口读取 cannot be read by window`, { field: 'image' });
  const heatEntry = q.heat === '1' ? (await catalog.list()).find((e) => e.kind === 'heatmap' && (e.imageId === imageId || e.name === imageId)) : undefined;
  if (q.heat === '1' && !heatEntry)
    throw new ServerError('TIANDI_E_NOT_FOUND', `服务器上没有影像 ${imageId} 的热力图 the server holds no heatmap of image '${imageId}'`, { field: 'heat' });
  const png = await renderChip(src.reader, src.toSource, t.geometry, { context: q.context, heat: heatEntry ? await catalog.source(heatEntry) : null });
  if (!png) throw new ServerError('TIANDI_E_NOT_FOUND', `目标 ${id} 不在影像 ${imageId} 内 is outside image ${imageId}`, { field: 'image' });
  return png;
}
