// Child processes of the local stacks (the Temporal server, workers, API instances): output kept
// for the error message, killed with the parent, stopped with SIGTERM and then SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

export interface Supervised {
  child: ChildProcess;
  /** Resolves when the process has ended, however it ended. */
  exited: Promise<void>;
  /** The last few thousand characters it printed. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has ended. */
  stop(graceMs?: number): Promise<void>;
}

export function tail(text: string, max = 4000): string {
  return text.length > max ? '...' + text.slice(-max) : text;
}

/**
 * Starts a process. `onUnexpectedExit` hears of an exit that nobody asked for (after `stop()`
 * nothing is reported); `logFile` receives everything it prints as well.
 */
export function supervise(
  command: string,
  args: string[],
  o: { env?: NodeJS.ProcessEnv; cwd?: string; logFile?: string; onUnexpectedExit?: (description: string) => void } = {},
): Supervised {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: o.env ?? process.env, cwd: o.cwd });
  let output = '';
  const file = o.logFile ? fs.createWriteStream(o.logFile, { flags: 'a' }) : undefined;
  const keep = (chunk: Buffer) => {
    output = tail(output + chunk.toString(), 8000);
    file?.write(chunk);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let stopping = false;
  const exited = new Promise<void>((resolve) => {
    child.once('close', () => resolve());
    // A spawn failure (EACCES, ENOENT) emits 'error' and maybe no 'close'.
    child.once('error', (err) => {
      output += `\n${String(err)}`;
      resolve();
    });
  });
  // No orphan holding ports or files if the parent exits without stop().
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('close', (code, signal) => {
    process.removeListener('exit', killOnExit);
    file?.end();
    if (!stopping) o.onUnexpectedExit?.(`exited (code ${code}, signal ${signal}):\n${tail(output)}`);
  });
  return {
    child,
    exited,
    output: () => output,
    async stop(graceMs = 10_000) {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
