import type { Role } from '@tiandi/api';

/**
 * Which pages each role may use, mirroring the server's route roles: uploads and scan review
 * (operator), planning (planner), ground reports (field, which alone may send them), certification
 * (manager). Admin sees every office page; reports are the field teams' own.
 */
const PAGES_BY_ROLE: Readonly<Record<Role, readonly string[]>> = Object.freeze({
  operator: ['operator'],
  planner: ['planner'],
  field: ['field'],
  manager: ['manager'],
  admin: ['operator', 'planner', 'manager'],
});

/** The pages `role` may open, in tab order; every page for nobody signed in yet (sign-in comes first). */
export function pagesFor(role: Role | null | undefined, allPages: readonly string[]): string[] {
  if (!role) return [...allPages];
  return allPages.filter((p) => PAGES_BY_ROLE[role].includes(p));
}

/** Whether `role` may open `page`; unknown pages are left to the router's "not found". */
export function mayOpen(role: Role, page: string, allPages: readonly string[]): boolean {
  return !allPages.includes(page) || PAGES_BY_ROLE[role].includes(page);
}

/** The page a role lands on when the address names none. */
export function homePage(role: Role | null | undefined, allPages: readonly string[], fallback: string): string {
  return pagesFor(role, allPages)[0] ?? fallback;
}
