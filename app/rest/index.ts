/** The REST gateway on 1317 (DESIGN §8); see README.md for its routes. */
export { startRestServer, type RestServer, type RestServerOptions } from './server.js';
export { startNodeRest, type NodeRestParts } from './node.js';
export type { RestBackend } from './backend.js';
export { ErrRoute, ErrMethod, ErrBodyTooLarge, ErrParam, ErrBody, ErrUnavailable } from './errors.js';
