export { GossipNode, createGossipNode, FRAME_RATE_DEFAULT, type GossipEffect, type GossipNodeInit } from './gossip-node.js';
