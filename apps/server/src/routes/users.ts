import { NewUserBody, PasswordBody } from '@tiandi/api';
import { z } from 'zod';
import { AccountError } from '@tiandi/store/accounts';
import type { RouteModule } from '../context';
import { accountService } from '../auth/account-service';
import { ServerError } from '../errors';
import { parseInput } from '../validate';

const NameParams = z.strictObject({ name: z.string().min(1).max(64) });

/**
 * Account administration (role `admin` only):
 * `GET /api/users`, `POST /api/users` `{ name, role, teamId?, password }`,
 * `POST /api/users/:name/password` `{ password }`, `POST /api/users/:name/disable`.
 * Responses never include password hashes.
 */
const users: RouteModule = {
  name: 'users',
  register(app, ctx) {
    const admin = { config: { roles: ['admin' as const] } };
    app.get('/api/users', admin, async () => ({ accounts: (await accountService(ctx)).listAccounts() }));

    app.post('/api/users', admin, async (req, reply) => {
      const body = parseInput(NewUserBody, req.body);
      const account = await wrap(async () => (await accountService(ctx)).addAccount(body));
      return reply.status(201).send({ account });
    });

    app.post('/api/users/:name/password', admin, async (req) => {
      const { name } = parseInput(NameParams, req.params, 'params');
      const { password } = parseInput(PasswordBody, req.body);
      await wrap(async () => (await accountService(ctx)).setPassword(name, password));
      return { ok: true };
    });

    app.post('/api/users/:name/disable', admin, async (req) => {
      const { name } = parseInput(NameParams, req.params, 'params');
      if (req.account?.name.toLowerCase() === name.toLowerCase()) {
        throw new ServerError('TIANDI_E_CONFLICT', '不能停用自己的账号 You cannot disable your own account', { field: 'name' });
      }
      return { account: await wrap(async () => (await accountService(ctx)).disableAccount(name)) };
    });
  },
};
export default users;

async function wrap<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AccountError) {
      const code =
        err.code === 'TIANDI_E_ACCOUNT_EXISTS' ? 'TIANDI_E_CONFLICT' : err.code === 'TIANDI_E_ACCOUNT_NOT_FOUND' ? 'TIANDI_E_NOT_FOUND' : 'TIANDI_E_VALIDATION';
      throw new ServerError(code, err.message, { field: err.field });
    }
    throw err;
  }
}
