export * from './org-unit.entity.js';
export * from './user.entity.js';
export * from './role-grant.entity.js';
