export { initHome, homePaths, isInitialised, type HomePaths, type InitHomeOptions } from './home.js';
export { startNode, loadGenesis, type RunningNode, type StartNodeOptions } from './node.js';
export { runDevnet, prepareDevnet, DEVNET_CHAIN_ID, DEVNET_FUNDS, type DevAccount, type DevnetOptions } from './devnet.js';
export { readConfig, writeConfig, defaultConfig, type NodeConfig } from './config.js';
export { createLogger, type LogFormat } from './logger.js';
