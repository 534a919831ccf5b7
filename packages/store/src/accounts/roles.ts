import { ROLES, type Role } from '@tiandi/api';

/** The roles of Tiandi accounts, declared once in the API contract (@tiandi/api): operator, planner, field, manager, admin. */
export { ROLES, type Role };

/** Narrows an unknown value to a {@link Role}. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Chinese and English labels for each role, for UI and CLI messages. */
export const ROLE_LABELS: Readonly<Record<Role, { zh: string; en: string }>> = Object.freeze({
  operator: { zh: '飞手', en: 'operator' },
  planner: { zh: '规划员', en: 'planner' },
  field: { zh: '外业组', en: 'field team' },
  manager: { zh: '管理员', en: 'manager' },
  admin: { zh: '系统管理员', en: 'admin' },
});
