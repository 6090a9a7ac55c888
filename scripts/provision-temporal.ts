// `npm run temporal:provision`: find or build the Temporal CLI (the dev server of `npm start` and
// the tests) and the Temporal server with its schema tool (the cluster's) up front, so CI pays a
// one-off Go build once, visibly, rather than inside a test's timeout.
import { cachedCliPath, findTemporalCli } from './temporal';
import { findTemporalServer } from './temporal-server';

async function main(): Promise<void> {
  const cli = await findTemporalCli();
  if (cli) console.log(`Temporal CLI: ${cli}`);
  else
    console.log(
      `No Temporal CLI found (TEMPORAL_CLI_PATH, PATH, ${cachedCliPath()}) and no Go to build one: ` +
        'the Temporal SDK will try to download the dev server when it is first started.',
    );
  const server = await findTemporalServer(console.log);
  console.log(`Temporal server: ${server.server} (schema tool ${server.sqlTool})`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
