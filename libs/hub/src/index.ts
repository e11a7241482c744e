export * from './directory.service.js';
export * from './community.service.js';
export * from './hub.module.js';
