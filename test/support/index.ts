export * from './app.js';
export * from './database.js';
