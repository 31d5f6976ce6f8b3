// Runs the hono app on a Node HTTP server with graceful shutdown: stop accepting, drain, close the database.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Logger } from '../log.js';

export type RunningServer = { url: string; port: number; close(): Promise<void> };

/** Listens on host:port (0 → any free port) and resolves once the server accepts connections. */
export function listen(app: Hono, opts: { port: number; host: string; log: Logger }): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }, (info: AddressInfo) => {
      const host = opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host;
      let closing: Promise<void> | undefined;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close() {
          closing ??= new Promise<void>((done) => {
            // close() stops accepting and waits for in-flight requests; idle keep-alive sockets are closed now,
            // and anything still busy after 10 s is cut so shutdown always finishes.
            server.close(() => done());
            if ('closeIdleConnections' in server) server.closeIdleConnections();
            const force = setTimeout(() => {
              if ('closeAllConnections' in server) server.closeAllConnections();
            }, 10_000);
            force.unref();
          });
          return closing;
        },
      });
    });
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        opts.log.error(`port ${opts.port} is already in use; set PORT to a free port`);
      }
      reject(err);
    });
  });
}
