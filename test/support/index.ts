export * from './app.js';
export * from './builders.js';
export * from './database.js';
export * from './process.js';
export * from './jobs.js';
export * from './postgres.js';
