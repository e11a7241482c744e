export * from './course.entity.js';
export * from './course-version.entity.js';
export * from './lesson.entity.js';
export * from './catalog-reader.service.js';
export * from './catalog.module.js';
