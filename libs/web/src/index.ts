export * from './html.js';
export * from './i18n.js';
export * from './messages/en.js';
export * from './web-http.js';
export * from './assets.service.js';
export * from './web.module.js';
export * from './peer-catalog.js';
