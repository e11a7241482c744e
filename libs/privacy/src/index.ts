export * from './privacy-register.js';
export * from './personal-data.repository.js';
export * from './privacy.errors.js';
export * from './privacy.service.js';
export * from './retention-sweep.handler.js';
export * from './privacy.module.js';
