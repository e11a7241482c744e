export * from './package.types.js';
export * from './package.schemas.js';
export * from './problem-list.js';
export * from './package-validator.js';
export * from './package-digest.js';
export { SourceDoc, formatPath } from './yaml-source.js';
export * from './serbian-scripts.js';
export * from './glossary.js';
