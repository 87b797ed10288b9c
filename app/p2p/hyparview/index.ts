export { HyParView, createHyParView, type HyParViewInit, type ViewName } from './hyparview.js';
export { HYPARVIEW_DEFAULTS, recommendedActiveViewSize, resolveHyParViewConfig, type HyParViewConfig, type ReconnectConfig } from './config.js';
export type { HyParViewEffect, HyParViewMessage, Priority } from './messages.js';
export type { ActiveEntry, PassiveEntry } from './views.js';
