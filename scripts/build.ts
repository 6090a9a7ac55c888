/**
 * `npm run build`: the production build in dist/. TypeScript compiled to JavaScript, the SQL
 * migrations beside it, and the workflow bundle made once (`dist/workflow-bundle.js`, and
 * `workflow-bundle-traced.js` for workers that trace), and the web app (`dist/web`), so workers
 * and API instances start from built files (`npm run start:worker`, `npm run start:api`).
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { builtBundleName, quietBundlerLogger, workflowBundleOptions } from '../worker/worker';
import { ensureWebApp } from './web';

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');

async function main(): Promise<void> {
  const started = Date.now();
  fs.rmSync(dist, { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  fs.cpSync(path.join(root, 'prisma', 'migrations'), path.join(dist, 'prisma', 'migrations'), { recursive: true });
  // Two bundles: a traced worker's has the tracing interceptors in it.
  for (const traced of [false, true]) {
    const { code } = await bundleWorkflowCode({ ...workflowBundleOptions(traced), logger: quietBundlerLogger });
    fs.writeFileSync(path.join(dist, builtBundleName(traced)), code);
  }
  await ensureWebApp();
  console.log(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
