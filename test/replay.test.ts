/**
 * Replays recorded histories (test/histories, made by `npm run histories:record`) against today's
 * workflow code: a change that would break a flow already running fails here (non-determinism).
 */
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import fs from 'node:fs';
import path from 'node:path';
import * as workflows from '../workflows';
import { testEnvironment } from './support/environment';

// Replay workers report every state change at INFO; only problems are worth reading here.
Runtime.install({ logger: new DefaultLogger('WARN') });

const dir = path.join(__dirname, 'histories');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));

function load(file: string) {
  const { workflowId, ...recorded } = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  return { workflowId: workflowId as string, history: temporal.api.history.v1.History.fromObject(recorded) };
}

test('every workflow type has recorded histories', () => {
  const recorded = new Set(files.map((f) => f.split('-')[0]));
  expect([...recorded].sort()).toEqual(Object.keys(workflows).sort());
});

test.each(files)('%s replays without non-determinism', async (file) => {
  const { history } = load(file);
  // More than a start and its end: the shortest flow (the quarterly run that asks the pools) has 8.
  expect(history.events?.length).toBeGreaterThan(6);
  const results = Worker.runReplayHistories({ workflowBundle: { codePath: testEnvironment().workflowBundlePath } }, [load(file)]);
  for await (const result of results) expect(result.error).toBeUndefined();
});
