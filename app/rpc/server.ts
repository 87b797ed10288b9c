/** Start the CometBFT-compatible RPC server (HTTP + websocket on one port). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Dispatcher } from './dispatch.js';
import { EventHub } from './events/hub.js';
import { createHttpHandler } from './http.js';
import { resolveOptions, type RpcServerOptions } from './options.js';
import { createWebsocketEndpoint } from './websocket.js';

export interface RpcServer {
  /** Base URL for clients, e.g. `http://127.0.0.1:26657` (`ws://…/websocket` for events). */
  readonly address: string;
  readonly port: number;
  /** Stop listening, drop websocket clients, fail pending broadcast_tx_commit calls. */
  close(): Promise<void>;
}

/** Receiving a request (headers and body) may take this long; a slow sender is cut off. */
const REQUEST_TIMEOUT_MS = 30_000;

export async function startRpcServer(opts: RpcServerOptions): Promise<RpcServer> {
  const options = resolveOptions(opts);
  const server: Server = createServer({ requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: REQUEST_TIMEOUT_MS / 2 });
  server.maxConnections = options.maxOpenConnections;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostInUrl = options.host.includes(':') ? `[${options.host}]` : options.host;

  const hub = new EventHub(options.backend.consensus, options.maxSubscriptionClients, options.logger);
  const dispatcher = new Dispatcher(options.backend, options, hub, `tcp://${hostInUrl}:${port}`);
  const websocket = createWebsocketEndpoint(dispatcher, hub, options);
  server.on('request', createHttpHandler(dispatcher, options));
  server.on('upgrade', (req, socket, head) => websocket.handleUpgrade(req, socket, head));
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  server.on('error', (err) => options.logger.error({ err }, 'rpc: server error'));

  const address = `http://${hostInUrl}:${port}`;
  options.logger.info({ address }, 'rpc: listening');

  let closing: Promise<void> | undefined;
  return {
    address,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        hub.close();
        websocket.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
