import type { AccountStore } from '@tiandi/store/accounts';
import type { RouteModule } from '../context';
import { ACCOUNTS_SERVICE } from './account-service';

/**
 * A route module that puts a ready account store into `ctx.services` (before `auth`), for tests
 * and for servers that share one workspace connection. The store is not closed by the server.
 */
export function accountsModule(accounts: AccountStore): RouteModule {
  return {
    name: 'accounts',
    register(_app, ctx) {
      ctx.services.set(ACCOUNTS_SERVICE, accounts);
    },
  };
}
