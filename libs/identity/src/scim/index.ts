export * from './scim-client.entity.js';
export * from './scim-protocol.js';
export * from './scim-filter.js';
export * from './scim-user-mapping.js';
export * from './scim-client.service.js';
export * from './scim-client.guard.js';
export * from './scim-user.service.js';
export * from './scim-discovery.js';
