import { Client, Connection } from '@temporalio/client';
import { clientInterceptors, type Tracing } from '../activities/tracing';
import type { Server } from 'node:http';
import path from 'node:path';
import type { Logger } from 'pino';
import { channelChoice, type Settings } from '../domain/settings';
import type { Db } from '../prisma/db';
import { createApp } from './app';
import { FlowGateway } from './flows';

/** Where `npm run build` puts the web app, seen from this file in the source tree or in dist/. */
export const builtWebApp = path.basename(path.resolve(__dirname, '..')) === 'dist' ? path.resolve(__dirname, '..', 'web') : path.resolve(__dirname, '..', 'dist', 'web');

/** Connects the API to Temporal and listens; close() stops accepting and drains. With `tracing`,
 *  the flows a request starts or updates carry its trace (Temporal headers). */
export async function startApiServer(settings: Settings, db: Db, log: Logger, tracing?: Tracing): Promise<{ url: string; close(): Promise<void> }> {
  const connection = await Connection.connect({ address: settings.temporal.address });
  const client = new Client({ connection, namespace: settings.temporal.namespace, interceptors: clientInterceptors(tracing) });
  const app = createApp({
    db,
    flows: new FlowGateway(client, settings.temporal.taskQueue),
    flowDefaults: settings.flows,
    notificationChannels: channelChoice(settings.notifications),
    auth: settings.auth,
    attachments: settings.attachments,
    web: { ...settings.web, root: settings.web.dir ?? builtWebApp, namespace: settings.temporal.namespace },
    log,
    temporalReady: async () => {
      await connection.workflowService.getSystemInfo({});
      return true;
    },
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(settings.port, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  return {
    url: `http://localhost:${port}`,
    /** Stops accepting connections and answers the requests in flight (at most 30 s), then
     *  lets go of Temporal: a deploy or scale-down drops no request. */
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), 30_000).unref();
      await closed;
      clearTimeout(force);
      await connection.close();
    },
  };
}
