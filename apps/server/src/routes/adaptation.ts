import { adoptedModel, restoreModel } from '@tiandi/store';
import { z } from 'zod';
import type { Role, RouteModule, ServerContext } from '../context';
import { AdaptationJobs } from '../adapt/adaptation-job';
import { adaptedVersion, checkHasLabels, listAdaptedVersions, runAdaptation, runAdoption } from '../adapt/run-adaptation';
import { ServerError } from '../errors';
import { parseInput } from '../validate';
import { actorOf, workspaceOf } from '../workspace/workspace-service';

/** Managers adapt, adopt and restore; admins may look. */
const LOOK: Role[] = ['manager', 'admin'];
const DECIDE: Role[] = ['manager'];

const AdaptBody = z.strictObject({ synthetic: z.number().int().min(0).max(20).default(0) });
const AdoptBody = z.strictObject({ version: z.string().min(1).max(200), force: z.boolean().default(false) });

function jobsOf(ctx: ServerContext): AdaptationJobs {
  let j = ctx.services.get('adaptation-jobs') as AdaptationJobs | undefined;
  if (!j) ctx.services.set('adaptation-jobs', (j = new AdaptationJobs()));
  return j;
}

function refuseWhileRunning(jobs: AdaptationJobs): void {
  const j = jobs.current;
  if (j?.state === 'running')
    throw new ServerError(
      'TIANDI_E_CONFLICT',
      `正在进行 ${j.kind === 'adapt' ? '适配 an adaptation' : '采用 an adoption'}（${j.actor}）: wait for it to finish`,
      { field: 'job' },
    );
}

/**
 * Local adaptation from the manager's page (issue 17), as `tiandi adapt` and `tiandi model adopt|restore` do:
 * GET /api/adaptation (the version in force, the adapted versions on the server, the running or last job with its
 * progress); POST /api/adaptation (fit a new version from the workspace's labels: 202 and a job to poll);
 * POST /api/adaptation/adopt { version, force } (re-score every verified candidate with it: a job; a version its
 * record does not recommend needs force); POST /api/adaptation/restore (back to the scores before the last adoption).
 * Managers only (admins may look); everything is audited with the account (model.adapt, model.adopt, model.restore).
 */
const adaptation: RouteModule = {
  name: 'adaptation',
  register(app, ctx) {
    app.get('/api/adaptation', { config: { roles: LOOK } }, async () => {
      return { inForce: adoptedModel(workspaceOf(ctx)), versions: listAdaptedVersions(ctx), job: jobsOf(ctx).current };
    });

    app.post('/api/adaptation', { config: { roles: DECIDE } }, async (req, reply) => {
      const body = parseInput(AdaptBody, req.body ?? {});
      const jobs = jobsOf(ctx),
        ws = workspaceOf(ctx),
        actor = actorOf(req.account);
      refuseWhileRunning(jobs);
      checkHasLabels(ws);
      const job = jobs.start('adapt', actor, (say) => runAdaptation(ctx, ws, actor, body, say));
      return reply.code(202).send({ job });
    });

    app.post('/api/adaptation/adopt', { config: { roles: DECIDE } }, async (req, reply) => {
      const body = parseInput(AdoptBody, req.body ?? {});
      const jobs = jobsOf(ctx),
        ws = workspaceOf(ctx),
        actor = actorOf(req.account);
      refuseWhileRunning(jobs);
      const { record } = adaptedVersion(ctx, body.version);
      if (!record.adopt && !body.force)
        throw new ServerError('TIANDI_E_CONFLICT', `不建议采用 not recommended: ${record.why} (adopt with force to override; it is audited as forced)`, {
          field: 'force',
        });
      const job = jobs.start('adopt', actor, (say) => runAdoption(ctx, ws, actor, { name: body.version, force: body.force }, say));
      return reply.code(202).send({ job });
    });

    app.post('/api/adaptation/restore', { config: { roles: DECIDE } }, async (req) => {
      refuseWhileRunning(jobsOf(ctx));
      return restoreModel(workspaceOf(ctx), actorOf(req.account));
    });
  },
  async close(ctx) {
    await (ctx.services.get('adaptation-jobs') as AdaptationJobs | undefined)?.settled();
  },
};
export default adaptation;
