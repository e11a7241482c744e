export * from './org-unit.entity.js';
export * from './user.entity.js';
export * from './role-grant.entity.js';
export * from './access-scope.service.js';
export * from './jwt-auth.guard.js';
export * from './identity.module.js';
