import { Select, type SelectProps } from 'antd';
import { useI18n } from './i18n';

/** Why people stay or go, as the API takes them (domain/risk.ts LEAVING_CAUSES): the stay interview,
 *  the exit interview and the report of causes of leaving share the list. */
export const LEAVING_CAUSES = ['pay', 'workload', 'career', 'relations', 'management', 'family', 'other'] as const;

/** Picks one or more of the causes, named in the reader's language (a Form.Item's input). */
export function LeavingCausesSelect(props: Omit<SelectProps<string[]>, 'mode' | 'options'>) {
  const { t } = useI18n();
  return <Select mode="multiple" {...props} options={LEAVING_CAUSES.map((k) => ({ value: k, label: t(`retention.cause.${k}`) }))} />;
}
