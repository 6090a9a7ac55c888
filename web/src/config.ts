import { useEffect, useState } from 'react';
import { answer, api, type Schemas } from './api';

let loaded: Promise<Schemas['WebConfig']> | undefined;

/** The deployment's settings for the web app, read once. */
export function useWebConfig(): Schemas['WebConfig'] | undefined {
  const [config, setConfig] = useState<Schemas['WebConfig']>();
  useEffect(() => {
    // A failed read is forgotten, so the next page asks again.
    loaded ??= answer(api.GET('/api/config')).catch((err: unknown) => {
      loaded = undefined;
      throw err;
    });
    loaded.then(setConfig, () => undefined);
  }, []);
  return config;
}
