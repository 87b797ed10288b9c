export * from './types.js';
export * from './errors.js';
export * from './messages.js';
export * from './blocksync.js';
export * from './serve.js';
export * from './fast-verify.js';
