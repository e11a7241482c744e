export * from './enrolment.entity.js';
