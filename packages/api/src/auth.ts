import { z } from 'zod';
import type { Role } from './roles';

/** The signed-in account as the server sends it (never a password or token). */
export interface Account {
  id: string;
  name: string;
  role: Role;
  /** For field accounts: the team they belong to. */
  team?: string;
}

/** `POST /api/auth/login` body. */
export const LoginBody = z.strictObject({
  name: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});
export type LoginBody = z.infer<typeof LoginBody>;

/** `POST /api/auth/login` answer (the token is for scripts; the browser uses the HttpOnly cookie). */
export interface LoginAnswer {
  account: Account;
  expiresAt: string;
  token: string;
}

/** `GET /api/auth/session` answer: the account, or nulls when signed out (200 either way). */
export interface SessionAnswer {
  account: Account | null;
  expiresAt: string | null;
}
