/** Everything in index.ts plus what needs Node built-ins: node:crypto ed25519 and the file WAL. */
export * from './index.js';
export { createEd25519Verifier, ed25519KeyFromSeed, type Ed25519Key } from './crypto.js';
export { FileWal, WalError, decodeRecords, encodeRecord, eventsToReplay, DEFAULT_WAL_MAX_BYTES, MAX_RECORD_BYTES, type WalOpenResult } from './wal.js';
export { decodeEvent, encodeEvent } from './walcodec.js';
export { crc32c } from './crc32c.js';
