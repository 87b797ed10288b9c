export { Plumtree, createPlumtree, type BroadcastOptions, type PlumtreeInit, type PlumtreeStats } from './plumtree.js';
export { PLUMTREE_DEFAULTS, resolvePlumtreeConfig, type MessageCacheConfig, type MissingConfig, type PlumtreeConfig } from './config.js';
export { MessageCache, type CacheEntry, type CacheStatus } from './cache.js';
export { MissingMessages, type Announcement } from './missing.js';
export { messageIdOf, isMessageId, type MessageId } from './message-id.js';
export type { MessageRef, PlumtreeEffect, PlumtreeMessage, ValidationResult, Validator } from './messages.js';
