import { Alert, Card, Descriptions, Flex, Form, Input, Radio, Select, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { answer, api, newIdempotencyKey, type Schemas } from '../api';
import { ActionForm } from '../components/forms';
import { formatMoment } from '../format';
import { useI18n } from '../i18n';
import { ProblemAlert, useLoaded } from '../loaded';
import { Link } from '../router';
import { hasRole, useSession } from '../session';

type Suggestion = Schemas['Suggestion'];
type Stats = Schemas['ResponseStats'];
const CATEGORIES = ['workplace', 'process', 'pay_benefits', 'training', 'management', 'other'] as const;
const STATUS_COLOURS: Record<string, string> = { open: 'blue', answered: 'green', cancelled: 'default' };
const STATS_READERS = ['hr', 'hr_director', 'executive'] as const;

/** 意见反馈: anyone submits (anonymously if they wish) and reads the answers to their own; a
 *  department's head and HR read the department's; HR and directors the response times. */
export function SuggestionsPage() {
  const { t } = useI18n();
  const { caller, directory } = useSession();
  const heads = [...directory.departments.values()].some((d) => d.headId === caller.id);
  const mine = useLoaded(() => answer(api.GET('/api/v1/suggestions', { params: { query: { mine: 'true', limit: 100 } } })), 'mine');
  const tabs = [
    {
      key: 'mine',
      label: t('suggestions.mine'),
      children: (
        <Flex vertical gap="middle">
          <SubmitForm onSent={mine.reload} />
          <SuggestionTable items={mine.data?.items} loading={!mine.data} />
        </Flex>
      ),
    },
    ...(heads || hasRole(caller, 'hr', 'hr_director') ? [{ key: 'department', label: t('suggestions.department'), children: <DepartmentSuggestions /> }] : []),
    ...(hasRole(caller, ...STATS_READERS) ? [{ key: 'stats', label: t('suggestions.stats'), children: <ResponseTimes /> }] : []),
  ];
  return (
    <Flex vertical gap="middle">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('suggestions.title')}
      </Typography.Title>
      <Tabs items={tabs} />
    </Flex>
  );
}

type SubmitValues = { title: string; body: string; departmentId: string; category: (typeof CATEGORIES)[number]; anonymous: boolean };

function SubmitForm({ onSent }: { onSent(): unknown }) {
  const { t, departmentName } = useI18n();
  const { directory } = useSession();
  const [sent, setSent] = useState(false);
  // One key per suggestion typed: a retried send lands once; the next suggestion gets a new one.
  const [key, setKey] = useState(newIdempotencyKey);
  return (
    <ActionForm<SubmitValues>
      title={t('suggestions.new')}
      submit={t('suggestions.submit')}
      initialValues={{ anonymous: false }}
      send={(body) => answer(api.POST('/api/v1/suggestions', { body, headers: { 'Idempotency-Key': key } }))}
      onSent={() => {
        setSent(true);
        setKey(newIdempotencyKey());
        return onSent();
      }}
    >
      {sent && <Alert type="success" showIcon style={{ marginBottom: 12 }} message={t('suggestions.sent')} />}
      <Form.Item name="title" label={t('suggestions.titleField')} rules={[{ required: true, message: t('suggestions.required') }]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="body" label={t('suggestions.body')} rules={[{ required: true, message: t('suggestions.required') }]}>
        <Input.TextArea rows={4} maxLength={4000} />
      </Form.Item>
      <Flex gap="middle" wrap>
        <Form.Item name="departmentId" label={t('suggestions.owner')} rules={[{ required: true, message: t('suggestions.required') }]} style={{ minWidth: 200 }}>
          <Select showSearch optionFilterProp="label" options={[...directory.departments.values()].map((d) => ({ value: d.id, label: departmentName(d) }))} />
        </Form.Item>
        <Form.Item name="category" label={t('suggestions.category')} rules={[{ required: true, message: t('suggestions.required') }]} style={{ minWidth: 160 }}>
          <Select showSearch optionFilterProp="label" options={CATEGORIES.map((c) => ({ value: c, label: t(`suggestionCategory.${c}`) }))} />
        </Form.Item>
      </Flex>
      <Form.Item name="anonymous" label={t('suggestions.anonymous')} valuePropName="checked" extra={t('suggestions.anonymousNote')}>
        <Switch />
      </Form.Item>
    </ActionForm>
  );
}

function SuggestionTable({ items, loading }: { items?: Suggestion[]; loading: boolean }) {
  const { t, locale, departmentName } = useI18n();
  const { directory } = useSession();
  return (
    <Table<Suggestion>
      rowKey="id"
      loading={loading}
      dataSource={items}
      scroll={{ x: true }}
      pagination={false}
      expandable={{ expandedRowRender: (s) => <AnswerOf suggestion={s} />, rowExpandable: (s) => s.status === 'answered' }}
      columns={[
        { title: t('suggestions.titleField'), dataIndex: 'title', render: (title: string, s) => <Link to={`/suggestions/${s.id}`}>{title}</Link> },
        { title: t('suggestions.owner'), dataIndex: 'departmentId', render: (id: string) => { const d = directory.departments.get(id); return d ? departmentName(d) : id; } },
        { title: t('suggestions.from'), dataIndex: 'submitter', render: (who: Suggestion['submitter']) => who?.name ?? t('suggestions.anonymousSender') },
        { title: t('suggestions.status'), dataIndex: 'status', render: (st: string) => <Tag color={STATUS_COLOURS[st]}>{t(`suggestionStatus.${st as 'open'}`)}</Tag> },
        { title: t('suggestions.due'), dataIndex: 'dueAt', render: (at: string) => formatMoment(locale, at) },
      ]}
    />
  );
}

function AnswerOf({ suggestion: s }: { suggestion: Suggestion }) {
  const { t, locale } = useI18n();
  const { nameOf } = useSession();
  return (
    <Descriptions size="small" column={1}>
      <Descriptions.Item label={t('suggestions.answer')}>{s.answer}</Descriptions.Item>
      <Descriptions.Item label={t('suggestions.accepted')}>{s.accepted ? t('suggestions.yes') : t('suggestions.no')}</Descriptions.Item>
      {s.actionPlanned && <Descriptions.Item label={t('suggestions.actionPlanned')}>{s.actionPlanned}</Descriptions.Item>}
      <Descriptions.Item label={t('suggestions.answeredBy')}>{`${nameOf(s.answeredById)} · ${formatMoment(locale, s.answeredAt)}`}</Descriptions.Item>
    </Descriptions>
  );
}

function DepartmentSuggestions() {
  const list = useLoaded(() => answer(api.GET('/api/v1/suggestions', { params: { query: { limit: 100 } } })), 'department');
  return list.problem ? <ProblemAlert problem={list.problem} /> : <SuggestionTable items={list.data?.items} loading={!list.data} />;
}

function ResponseTimes() {
  const { t, departmentName } = useI18n();
  const { directory } = useSession();
  const stats = useLoaded(() => answer(api.GET('/api/v1/suggestions/stats')), 'stats');
  if (stats.problem) return <ProblemAlert problem={stats.problem} />;
  const rows = stats.data
    ? [
        { key: t('suggestions.overall'), ...stats.data.overall },
        ...Object.entries(stats.data.byDepartment).map(([id, s]) => { const d = directory.departments.get(id); return { key: d ? departmentName(d) : id, ...s }; }),
        ...Object.entries(stats.data.byMonth).map(([month, s]) => ({ key: month, ...s })),
      ]
    : undefined;
  const figure = (v: number | null) => (v === null ? '—' : String(v));
  return (
    <Table<Stats & { key: string }>
      rowKey="key"
      loading={!rows}
      dataSource={rows}
      scroll={{ x: true }}
      pagination={false}
      columns={[
        { title: '', dataIndex: 'key' },
        { title: t('suggestions.submitted'), dataIndex: 'submitted' },
        { title: t('suggestions.answeredCount'), dataIndex: 'answered' },
        { title: t('suggestions.overdue'), dataIndex: 'overdue' },
        { title: t('suggestions.median'), dataIndex: 'medianHours', render: figure },
        { title: t('suggestions.p90'), dataIndex: 'p90Hours', render: figure },
        { title: t('suggestions.onTime'), dataIndex: 'onTimeShare', render: (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`) },
      ]}
    />
  );
}

type AnswerValues = { answer: string; accepted: boolean; actionPlanned?: string };

/** One suggestion; whoever holds its task answers it here. */
export function SuggestionPage({ suggestionId }: { suggestionId: string }) {
  const { t, locale, departmentName } = useI18n();
  const { directory } = useSession();
  const loaded = useLoaded(() => answer(api.GET('/api/v1/suggestions/{id}', { params: { path: { id: suggestionId } } })), suggestionId);
  const key = useMemo(newIdempotencyKey, [suggestionId]);
  const [accepted, setAccepted] = useState<boolean>();
  if (loaded.problem) return <ProblemAlert problem={loaded.problem} />;
  const s = loaded.data;
  if (!s) return null;
  const department = directory.departments.get(s.departmentId);
  return (
    <Flex vertical gap="middle">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {s.title} <Tag color={STATUS_COLOURS[s.status]}>{t(`suggestionStatus.${s.status as 'open'}`)}</Tag>
      </Typography.Title>
      <Card size="small">
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t('suggestions.body')}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{s.body}</Typography.Paragraph>
          </Descriptions.Item>
          <Descriptions.Item label={t('suggestions.owner')}>{department ? departmentName(department) : s.departmentId}</Descriptions.Item>
          <Descriptions.Item label={t('suggestions.category')}>{t(`suggestionCategory.${s.category as 'other'}`)}</Descriptions.Item>
          <Descriptions.Item label={t('suggestions.from')}>{s.mine ? t('suggestions.you') : (s.submitter?.name ?? t('suggestions.anonymousSender'))}</Descriptions.Item>
          <Descriptions.Item label={t('suggestions.due')}>{formatMoment(locale, s.dueAt)}</Descriptions.Item>
        </Descriptions>
        {s.status === 'answered' && <AnswerOf suggestion={s} />}
      </Card>
      {s.mayAnswer && (
        <ActionForm<AnswerValues>
          title={t('suggestions.answerTitle')}
          submit={t('suggestions.sendAnswer')}
          send={(body) => answer(api.POST('/api/v1/suggestions/{id}/answer', { params: { path: { id: s.id } }, headers: { 'Idempotency-Key': key }, body }))}
          onSent={loaded.reload}
        >
          <Form.Item name="answer" label={t('suggestions.answer')} rules={[{ required: true, message: t('suggestions.required') }]}>
            <Input.TextArea rows={3} maxLength={4000} />
          </Form.Item>
          <Form.Item name="accepted" label={t('suggestions.accepted')} rules={[{ required: true, message: t('suggestions.required') }]}>
            <Radio.Group
              optionType="button"
              onChange={(e) => setAccepted(e.target.value as boolean)}
              options={[
                { value: true, label: t('suggestions.yes') },
                { value: false, label: t('suggestions.no') },
              ]}
            />
          </Form.Item>
          {accepted && (
            <Form.Item name="actionPlanned" label={t('suggestions.actionPlanned')}>
              <Input.TextArea rows={2} maxLength={2000} />
            </Form.Item>
          )}
        </ActionForm>
      )}
    </Flex>
  );
}
