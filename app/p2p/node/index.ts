export { GossipNode, createGossipNode, FRAME_RATE_DEFAULT, type GossipEffect, type GossipNodeInit, type ReportSeverity } from './gossip-node.js';
