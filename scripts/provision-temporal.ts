// `npm run temporal:provision`: find or build the Temporal CLI up front (CI runs this first so the
// one-off Go build is paid once, visibly, rather than inside a test's timeout).
import { cachedCliPath, findTemporalCli } from './temporal';

findTemporalCli().then(
  (cli) => {
    if (cli) console.log(`Temporal CLI: ${cli}`);
    else
      console.log(
        `No Temporal CLI found (TEMPORAL_CLI_PATH, PATH, ${cachedCliPath()}) and no Go to build one: ` +
          'the Temporal SDK will try to download the dev server when it is first started.',
      );
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
