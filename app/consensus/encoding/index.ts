export * from './merkle.js';
export * from './cdc.js';
export * from './time.js';
export * from './canonical.js';
export * from './hashes.js';
export * from './block.js';
