export * from './types.js';
export * from './errors.js';
export * from './basic.js';
export * from './verifier.js';
export * from './checkpoint.js';
export * from './trust-store.js';
export * from './bisection.js';
export * from './checkpoint-json.js';
