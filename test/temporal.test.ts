import { Client, Connection } from '@temporalio/client';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findTemporalCli, startTemporalDevServer } from '../scripts/temporal';

const log = (m: string) => process.stderr.write(`[temporal.test] ${m}\n`);

let dir: string;
let cli: string | undefined;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-temporal-test-'));
  // On a fresh machine this builds the CLI with Go (minutes); normally it is already cached.
  cli = await findTemporalCli(log);
}, 15 * 60_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('findTemporalCli', () => {
  const saved = process.env.TEMPORAL_CLI_PATH;
  afterEach(() => {
    if (saved === undefined) delete process.env.TEMPORAL_CLI_PATH;
    else process.env.TEMPORAL_CLI_PATH = saved;
  });

  it('returns TEMPORAL_CLI_PATH when it points to an executable', async () => {
    // Without a real CLI (SDK-download machines) any executable shows the variable is honoured.
    const target = cli ?? path.join(dir, 'fake-temporal');
    if (!cli) fs.writeFileSync(target, '#!/bin/sh\n', { mode: 0o755 });
    process.env.TEMPORAL_CLI_PATH = target;
    await expect(findTemporalCli(log)).resolves.toBe(target);
  });

  it('throws a clear error naming TEMPORAL_CLI_PATH when the file is missing', async () => {
    process.env.TEMPORAL_CLI_PATH = path.join(dir, 'no-such-temporal');
    await expect(findTemporalCli(log)).rejects.toThrow(/TEMPORAL_CLI_PATH=.*no-such-temporal.*does not exist/);
  });
});

describe('startTemporalDevServer', () => {
  it('serves requests, stops, and keeps workflows across a restart on the same db file', async () => {
    const dbFile = path.join(dir, 'nested', 'temporal.db');
    const workflowId = `never-run-${Date.now()}`;

    const first = await startTemporalDevServer({ dbFile, uiPort: false, log });
    try {
      const connection = await Connection.connect({ address: first.address });
      try {
        const ns = await connection.workflowService.describeNamespace({ namespace: 'default' });
        expect(ns.namespaceInfo?.name).toBe('default');
        // No worker polls this task queue: the execution just sits there, persisted.
        await new Client({ connection }).workflow.start('NoSuchWorkflow', { workflowId, taskQueue: 'nobody-polls-this' });
      } finally {
        await connection.close();
      }
    } finally {
      await first.stop();
    }
    expect(fs.existsSync(dbFile)).toBe(true);
    expect(await accepts(first.address)).toBe(false);

    const second = await startTemporalDevServer({ dbFile, uiPort: false, log });
    try {
      const connection = await Connection.connect({ address: second.address });
      try {
        const description = await new Client({ connection }).workflow.getHandle(workflowId).describe();
        expect(description.type).toBe('NoSuchWorkflow');
        expect(description.status.name).toBe('RUNNING');
      } finally {
        await connection.close();
      }
    } finally {
      await second.stop();
    }
  });
});

/** Whether anything still listens on host:port. */
async function accepts(address: string): Promise<boolean> {
  const [host, port] = address.split(':');
  return await new Promise((resolve) => {
    const socket = net.connect(Number(port), host, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
