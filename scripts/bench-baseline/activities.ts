/**
 * The bare baseline's activities (see ./workflows.ts): one no-op "write". It stands where Baton
 * writes a row to PostgreSQL; here it does nothing, so the baseline measures Temporal alone.
 */
export const baselineActivities = {
  async write(_what: string): Promise<void> {},
};

export type BaselineActivities = typeof baselineActivities;
