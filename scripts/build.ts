/**
 * `npm run build`: the production build in dist/. TypeScript compiled to JavaScript, the SQL
 * migrations beside it, and the workflow bundle made once (`dist/workflow-bundle.js`), so workers
 * and API instances start from built files (`npm run start:worker`, `npm run start:api`).
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { quietBundlerLogger, workflowBundleOptions } from '../worker/worker';

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');

async function main(): Promise<void> {
  const started = Date.now();
  fs.rmSync(dist, { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  fs.cpSync(path.join(root, 'prisma', 'migrations'), path.join(dist, 'prisma', 'migrations'), { recursive: true });
  const { code } = await bundleWorkflowCode({ ...workflowBundleOptions(), logger: quietBundlerLogger });
  fs.writeFileSync(path.join(dist, 'workflow-bundle.js'), code);
  console.log(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s (workflow bundle ${(code.length / 1024 / 1024).toFixed(1)} MiB)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
