export * from './locale.js';
export * from './transliterate.js';
