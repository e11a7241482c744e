export * from './outbox-event.entity.js';
export * from './job-catalogue.js';
export * from './job-handler.js';
export * from './outbox.service.js';
export * from './jobs.module.js';
