import { Empty, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import type { Plan } from '../api';
import { formatYuan } from '../format';
import { useI18n } from '../i18n';
import { planFieldLabel } from '../planFields';
import { useSession } from '../session';

/** Every leaf of a plan as `path → value`: `modules[1].hours → 6`. */
export function flatten(value: unknown, path = '', into = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) value.forEach((v, i) => flatten(v, `${path}[${i}]`, into));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) flatten(v, path ? `${path}.${k}` : k, into);
  else if (value !== undefined) into.set(path, String(value));
  return into;
}

export type Change = { field: string; before?: string; after?: string };

/** The fields that differ between two contents, in the order of the later one, removals last. */
export function changesBetween(before: unknown, after: unknown): Change[] {
  const a = flatten(before);
  const b = flatten(after);
  const changed: Change[] = [...b].filter(([field, value]) => a.get(field) !== value).map(([field, value]) => ({ field, before: a.get(field), after: value }));
  const removed: Change[] = [...a].filter(([field]) => !b.has(field)).map(([field, value]) => ({ field, before: value }));
  return [...changed, ...removed];
}

/** Two versions side by side, field by field: what changed since an approver sent the plan back. */
export function VersionDiff({ plan }: { plan: Plan }) {
  const { t, lookup, locale } = useI18n();
  const { nameOf } = useSession();
  /** A value as the editor shows it: money in yuan, a choice by its name, a person by theirs. */
  const shown = (field: string, value: string) => {
    const name = field.replace(/\[\d+\]$/, '').split('.').at(-1)!;
    if (name.endsWith('Fen')) return formatYuan(locale, Number(value));
    if (name === 'category') return lookup(`budget.${value}`, value);
    if (name === 'methods') return lookup(`method.${value}`, value);
    if (name === 'better') return lookup(`editor.${value}`, value);
    if (/Ids?$/.test(name)) return nameOf(value);
    return value;
  };
  const versions = plan.versions.map((v) => v.version);
  const [from, setFrom] = useState(versions.at(-2) ?? versions[0]);
  const [to, setTo] = useState(versions.at(-1));
  if (versions.length < 2) return <Empty description={t('plan.oneVersion')} />;
  const contentOf = (n: number | undefined) => plan.versions.find((v) => v.version === n)?.content;
  const changes = changesBetween(contentOf(from), contentOf(to));
  const options = versions.map((v) => ({ value: v, label: t('plan.versionN', { n: v }) }));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Select aria-label={t('plan.compareFrom')} value={from} options={options} onChange={setFrom} style={{ minWidth: 120 }} />
        <span>→</span>
        <Select aria-label={t('plan.compareTo')} value={to} options={options} onChange={setTo} style={{ minWidth: 120 }} />
        <Tag>{t('plan.changeCount', { count: changes.length })}</Tag>
      </Space>
      <Table<Change>
        className="version-diff"
        size="small"
        rowKey="field"
        pagination={false}
        scroll={{ x: true }}
        dataSource={changes}
        locale={{ emptyText: t('plan.noChanges') }}
        columns={[
          { title: t('plan.field'), dataIndex: 'field', render: (f: string) => planFieldLabel(t, `content.${f}`) ?? <code>{f}</code> },
          { title: t('plan.versionN', { n: from ?? '' }), dataIndex: 'before', render: (v: string | undefined, c) => (v === undefined ? <Tag>{t('plan.absent')}</Tag> : <del>{shown(c.field, v)}</del>) },
          { title: t('plan.versionN', { n: to ?? '' }), dataIndex: 'after', render: (v: string | undefined, c) => (v === undefined ? <Tag color="red">{t('plan.removed')}</Tag> : <ins>{shown(c.field, v)}</ins>) },
        ]}
      />
    </Space>
  );
}
