/**
 * The web app, built once per test run into the run's own folder by whichever test file needs it
 * first; the others wait for that build. A folder of the run's own, not dist/web: the cluster
 * test's `npm run build` empties dist/ while other files may be serving the app.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { testEnvironment } from './environment';

const root = path.resolve(__dirname, '..', '..');

export async function builtWebApp(): Promise<string> {
  const { runDir } = testEnvironment();
  const dir = path.join(runDir, 'web');
  const outcome = path.join(runDir, 'web.outcome');
  try {
    mkdirSync(path.join(runDir, 'web.building')); // atomic: exactly one file of the run builds
  } catch {
    return builtByAnother(outcome, dir);
  }
  try {
    await promisify(execFile)(process.execPath, [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, 'scripts', 'web.ts'), 'build'], {
      cwd: root,
      env: { ...process.env, WEB_BUILD_DIR: dir },
      maxBuffer: 16 * 1024 * 1024,
    });
    writeFileSync(outcome, 'built');
    return dir;
  } catch (err) {
    const { stderr } = err as { stderr?: string };
    writeFileSync(outcome, `the web app did not build: ${stderr || String(err)}`);
    throw err;
  }
}

/** Waits for the building file to write its outcome: a check of one file's existence, not a deadline. */
async function builtByAnother(outcome: string, dir: string): Promise<string> {
  while (!existsSync(outcome)) await new Promise((resolve) => setTimeout(resolve, 250));
  const said = readFileSync(outcome, 'utf8');
  if (said !== 'built') throw new Error(said);
  return dir;
}
