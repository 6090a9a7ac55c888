/** Why people stay or go, as the API takes them (domain/risk.ts LEAVING_CAUSES): the stay interview,
 *  the exit interview and the report of causes of leaving share the list. */
export const LEAVING_CAUSES = ['pay', 'workload', 'career', 'relations', 'management', 'family', 'other'] as const;
