import { Alert } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ApiProblem } from './api';

/** What a page shows of one resource: loaded on mount and whenever `key` changes, and again on
 *  `reload()`; a refusal from the API is kept to be shown, anything else is thrown. */
export function useLoaded<T>(load: () => Promise<T>, key: string) {
  const [data, setData] = useState<T>();
  const [problem, setProblem] = useState<ApiProblem>();
  // `key` names what `load` reads: a new key loads again.
  const reload = useCallback(() => load().then(setData, (err: unknown) => (err instanceof ApiProblem ? setProblem(err) : Promise.reject(err))), [key]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, problem, reload };
}

export const ProblemAlert = ({ problem }: { problem: ApiProblem }) => <Alert type="error" message={problem.title} description={problem.detail} />;
