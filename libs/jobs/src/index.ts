export * from './outbox-event.entity.js';
