import { z } from 'zod';
import { ROLES } from './roles';

/** `POST /api/users` body (admin): a new account. */
export const NewUserBody = z.strictObject({
  name: z.string().min(2).max(64),
  role: z.enum(ROLES),
  teamId: z.string().min(1).max(64).optional(),
  password: z.string().min(8).max(1024),
});
export type NewUserBody = z.infer<typeof NewUserBody>;

/** `POST /api/users/:name/password` body (admin). */
export const PasswordBody = z.strictObject({ password: z.string().min(8).max(1024) });
export type PasswordBody = z.infer<typeof PasswordBody>;
