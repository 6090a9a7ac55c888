import type { Logger } from 'pino';
import type { ChannelName } from '../domain/notifications';
import type { FlowSettings } from '../domain/settings';
import type { Db } from '../prisma/db';
import type { AuthSettings } from './auth';
import type { FlowGateway } from './flows';

/** What every router needs: reads go to Postgres, changes to flows go through the gateway. */
export interface ApiContext {
  db: Db;
  flows: FlowGateway;
  flowDefaults: FlowSettings;
  auth: AuthSettings;
  log: Logger;
  /** The deployment's notification channels (people may choose among them) and its defaults. */
  notificationChannels: { configured: ChannelName[]; defaults: ChannelName[] };
  /** The web app: its built files (served at `/` when present), whether the demo picker signs
   *  people in (embedded defaults only), and where the Temporal Web UI is. */
  web?: { root?: string; demoSignIn: boolean; temporalWebUrl?: string; namespace: string };
  /** Where comments' attachments are stored and how large one may be (unset: .data/attachments, 10 MiB). */
  attachments?: { dir: string; maxBytes: number };
  /** Readiness of Temporal (the API's connection to it). */
  temporalReady: () => Promise<boolean>;
}
