/* eslint-disable */
// Jest on Node 20 cannot require() an ES module, and @fastify/static 10 (used by the queue
// dashboard, @bull-board/fastify) requires content-disposition 3, which is ESM-only. Node itself
// loads it fine (require(esm), Node >= 20.19). Under Jest, map it to the CommonJS
// content-disposition 1.x (a devDependency for this shim), exposing both shapes: the v1 function and v3's
// { create, parse }. Wired in jest.config.mjs (moduleNameMapper).
const v1 = require('../../../node_modules/content-disposition/index.js');
function create(filename, options) {
  return v1(filename, options);
}
module.exports = Object.assign(create, { create, parse: v1.parse });
