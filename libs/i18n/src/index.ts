export * from './locale.js';
export * from './transliterate.js';
export * from './transliteration-exceptions.js';
export * from './localised-name.js';
