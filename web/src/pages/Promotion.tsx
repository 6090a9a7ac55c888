import { Alert, App, Button, Card, DatePicker, Descriptions, Flex, Form, Input, InputNumber, Radio, Select, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { answer, api, newIdempotencyKey, type Schemas } from '../api';
import { ActionForm, KeyedList, momentField, PersonSelect } from '../components/forms';
import { formatMoment } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { ProblemAlert, useLoaded } from '../loaded';
import { Link } from '../router';
import { hasRole, useSession } from '../session';

type Vacancy = Schemas['Vacancy'];
const STATUS_COLOURS: Record<string, string> = { open: 'blue', evaluating: 'purple', deciding: 'orange', countersigning: 'orange', decided: 'green', cancelled: 'default' };
/** Nobody selected, as the decision form's choice (the API takes null). */
const NOBODY = '';

/** 晋升通道: open vacancies for everyone, those one applied to or judges; every one for HR, who posts them. */
export function VacanciesPage() {
  const { t, locale } = useI18n();
  const { caller } = useSession();
  const [posting, setPosting] = useState(false);
  const list = useLoaded(() => answer(api.GET('/api/v1/vacancies', { params: { query: { limit: 100 } } })), 'vacancies');
  if (list.problem) return <ProblemAlert problem={list.problem} />;
  return (
    <Flex vertical gap="middle">
      <Flex justify="space-between" align="center" wrap gap="small">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('promotion.title')}
        </Typography.Title>
        {hasRole(caller, 'hr') && !posting && (
          <Button type="primary" onClick={() => setPosting(true)}>
            {t('vacancy.new')}
          </Button>
        )}
      </Flex>
      {posting && (
        <NewVacancyForm
          onCancel={() => setPosting(false)}
          onSent={() => {
            setPosting(false);
            return list.reload();
          }}
        />
      )}
      <Table<Vacancy>
        rowKey="id"
        loading={!list.data}
        dataSource={list.data?.items}
        scroll={{ x: true }}
        pagination={false}
        columns={[
          { title: t('promotion.vacancy'), dataIndex: 'title', render: (title: string, v) => <Link to={`/vacancies/${v.id}`}>{title}</Link> },
          { title: t('promotion.status'), dataIndex: 'status', render: (st: string) => <Tag color={STATUS_COLOURS[st]}>{t(`promotionStatus.${st as 'open'}`)}</Tag> },
          { title: t('promotion.applyUntil'), dataIndex: 'applyUntil', render: (at: string) => formatMoment(locale, at) },
        ]}
      />
    </Flex>
  );
}

type VacancyValues = {
  title: string;
  departmentId: string;
  description: string;
  criteria: { key: string; name: string; weight: number }[];
  panelIds: string[];
  applyUntil: string;
};

/** HR posts a vacancy: what it is, the criteria the panel scores (weights summing to 100), the panel, when applications close. */
function NewVacancyForm({ onSent, onCancel }: { onSent(): unknown; onCancel(): void }) {
  const { t, departmentName } = useI18n();
  const { directory } = useSession();
  const { message } = App.useApp();
  // One key per vacancy typed: a retried send posts it once.
  const key = useMemo(newIdempotencyKey, []);
  const required = (what: MessageKey) => [{ required: true, whitespace: true, message: t(what) }];
  return (
    <ActionForm<VacancyValues>
      title={t('vacancy.new')}
      submit={t('vacancy.create')}
      className="vacancy-form"
      initialValues={{ criteria: [{ key: '', name: '', weight: 100 }], panelIds: [] }}
      send={(body) => answer(api.POST('/api/v1/vacancies', { body, headers: { 'Idempotency-Key': key } }))}
      onSent={() => {
        message.success(t('vacancy.created'));
        return onSent();
      }}
      extra={<Button onClick={onCancel}>{t('common.cancel')}</Button>}
    >
      <Form.Item name="title" label={t('vacancy.titleField')} rules={required('vacancy.needTitle')}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="departmentId" label={t('vacancy.department')} rules={required('vacancy.needDepartment')}>
        <Select showSearch optionFilterProp="label" options={[...directory.departments.values()].map((d) => ({ value: d.id, label: departmentName(d) }))} />
      </Form.Item>
      <Form.Item name="description" label={t('vacancy.description')} rules={required('vacancy.needDescription')}>
        <Input.TextArea rows={3} maxLength={4000} />
      </Form.Item>
      <KeyedList
        name="criteria"
        title={t('vacancy.criteria')}
        what={t('vacancy.criterion')}
        example="performance"
        fresh={{ weight: 10 }}
        rules={[
          {
            validator: async (_, criteria?: { weight?: number }[]) => {
              if (!criteria?.length) throw new Error(t('vacancy.needCriteria'));
              const sum = criteria.reduce((total, c) => total + (c?.weight ?? 0), 0);
              if (sum !== 100) throw new Error(t('vacancy.weightsSum', { sum }));
            },
          },
        ]}
        more={(name, n) => (
          <Form.Item name={[name, 'weight']} label={t('vacancy.weight', { n })} rules={[{ required: true, message: t('vacancy.needWeight') }]}>
            <InputNumber min={1} max={100} precision={0} />
          </Form.Item>
        )}
      />
      <Form.Item name="panelIds" label={t('vacancy.panel')} rules={[{ required: true, message: t('vacancy.needPanel') }]}>
        <PersonSelect mode="multiple" />
      </Form.Item>
      <Form.Item name="applyUntil" label={t('vacancy.applyUntil')} rules={[{ required: true, message: t('vacancy.needApplyUntil') }]} {...momentField}>
        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
      </Form.Item>
    </ActionForm>
  );
}

/** One vacancy: its published criteria; the caller's application and result; the panel's and
 *  HR's steps for whoever takes them now. */
export function VacancyPage({ vacancyId }: { vacancyId: string }) {
  const { t, locale } = useI18n();
  const { caller, nameOf } = useSession();
  const loaded = useLoaded(() => answer(api.GET('/api/v1/vacancies/{id}', { params: { path: { id: vacancyId } } })), vacancyId);
  // One key per step shown: a retried send lands once.
  const key = useMemo(newIdempotencyKey, [vacancyId, loaded.data?.status]);
  if (loaded.problem) return <ProblemAlert problem={loaded.problem} />;
  const v = loaded.data;
  if (!v) return null;
  const path = { params: { path: { id: v.id } }, headers: { 'Idempotency-Key': key } };
  const panelist = v.panelIds.includes(caller.id);
  const applicants = (v.applications ?? []).filter((a) => a.status !== 'withdrawn');
  const scoredByMe = (v.evaluations ?? []).some((e) => e.panelistId === caller.id);
  return (
    <Flex vertical gap="middle">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {v.title} <Tag color={STATUS_COLOURS[v.status]}>{t(`promotionStatus.${v.status as 'open'}`)}</Tag>
      </Typography.Title>
      <Card size="small">
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t('promotion.description')}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{v.description}</Typography.Paragraph>
          </Descriptions.Item>
          <Descriptions.Item label={t('promotion.criteria')}>{v.criteria.map((c) => `${c.name} ${c.weight}%`).join(' · ')}</Descriptions.Item>
          <Descriptions.Item label={t('promotion.panel')}>{v.panelIds.map((id) => nameOf(id)).join('、')}</Descriptions.Item>
          <Descriptions.Item label={t('promotion.applyUntil')}>{formatMoment(locale, v.applyUntil)}</Descriptions.Item>
        </Descriptions>
      </Card>
      {v.mine && (
        <Card size="small" title={t('promotion.mine')}>
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t('promotion.status')}>{t(`applicationStatus.${v.mine.status as 'applied'}`)}</Descriptions.Item>
            {v.mine.reason && <Descriptions.Item label={t('promotion.reason')}>{v.mine.reason}</Descriptions.Item>}
            {v.mine.score !== null && <Descriptions.Item label={t('promotion.score')}>{v.mine.score}</Descriptions.Item>}
          </Descriptions>
        </Card>
      )}
      {v.mayApply && (
        <ActionForm<{ statement: string }> title={t('promotion.apply')} submit={t('promotion.send')} send={(body) => answer(api.POST('/api/v1/vacancies/{id}/applications', { ...path, body }))} onSent={loaded.reload}>
          <Form.Item name="statement" label={t('promotion.statement')} rules={[{ required: true, message: t('promotion.required') }]}>
            <Input.TextArea rows={4} maxLength={4000} />
          </Form.Item>
        </ActionForm>
      )}
      {v.applications && (
        <Table
          rowKey="applicantId"
          dataSource={v.applications}
          pagination={false}
          scroll={{ x: true }}
          columns={[
            { title: t('promotion.applicant'), dataIndex: 'applicantName' },
            { title: t('promotion.statement'), dataIndex: 'statement' },
            { title: t('promotion.status'), dataIndex: 'status', render: (st: string) => t(`applicationStatus.${st as 'applied'}`) },
            { title: t('promotion.score'), dataIndex: 'score', render: (s: number | null) => s ?? '—' },
            { title: t('promotion.reason'), dataIndex: 'reason', render: (r: string | null) => r ?? '' },
          ]}
        />
      )}
      {panelist && v.status === 'evaluating' && !scoredByMe && (
        <ActionForm<{ scores: Record<string, Record<string, number>> }>
          title={t('promotion.evaluate')}
          submit={t('promotion.send')}
          send={({ scores }) => answer(api.POST('/api/v1/vacancies/{id}/evaluations', { ...path, body: { evaluations: applicants.map((a) => ({ applicantId: a.applicantId, scores: scores[a.applicantId] ?? {} })) } }))}
          onSent={loaded.reload}
        >
          {applicants.map((a) => (
            <Flex key={a.applicantId} gap="middle" wrap align="baseline">
              <Typography.Text strong style={{ minWidth: 120 }}>{a.applicantName}</Typography.Text>
              {v.criteria.map((c) => (
                <Form.Item key={c.key} name={['scores', a.applicantId, c.key]} label={c.name} rules={[{ required: true, message: t('promotion.required') }]}>
                  <InputNumber min={1} max={5} precision={0} />
                </Form.Item>
              ))}
            </Flex>
          ))}
        </ActionForm>
      )}
      {hasRole(caller, 'hr') && v.status === 'deciding' && (
        <ActionForm<{ selectedId: string; reason: string; reasons: Record<string, string> }>
          title={t('promotion.decide')}
          submit={t('promotion.send')}
          send={({ selectedId, reason, reasons }) =>
            answer(api.POST('/api/v1/vacancies/{id}/decision', { ...path, body: { selectedId: selectedId === NOBODY ? null : selectedId, reason, reasons: Object.fromEntries(Object.entries(reasons ?? {}).filter(([id, r]) => id !== selectedId && r)) } }))
          }
          onSent={loaded.reload}
        >
          <Form.Item name="selectedId" label={t('promotion.selected')} rules={[{ required: true, message: t('promotion.required') }]}>
            <Select options={[...applicants.map((a) => ({ value: a.applicantId, label: `${a.applicantName} (${a.score ?? '—'})` })), { value: NOBODY, label: t('promotion.nobody') }]} />
          </Form.Item>
          <Form.Item name="reason" label={t('promotion.reason')} rules={[{ required: true, message: t('promotion.required') }]}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('promotion.reasonsNote')} />
          {applicants.map((a) => (
            <Form.Item key={a.applicantId} name={['reasons', a.applicantId]} label={a.applicantName}>
              <Input.TextArea rows={1} maxLength={2000} />
            </Form.Item>
          ))}
        </ActionForm>
      )}
      {panelist && v.status === 'countersigning' && (
        <ActionForm<{ decision: 'approve' | 'reject'; comment?: string }> title={t('promotion.countersign')} submit={t('promotion.send')} send={(body) => answer(api.POST('/api/v1/vacancies/{id}/countersign', { ...path, body }))} onSent={loaded.reload}>
          <Form.Item name="decision" rules={[{ required: true, message: t('promotion.required') }]}>
            <Radio.Group optionType="button" options={[{ value: 'approve', label: t('promotion.approve') }, { value: 'reject', label: t('promotion.reject') }]} />
          </Form.Item>
          <Form.Item name="comment" label={t('promotion.comment')}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        </ActionForm>
      )}
    </Flex>
  );
}
