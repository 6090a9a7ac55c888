import { Card, DatePicker, Descriptions, Flex, Form, Input, Select, Table, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { answer, api, newIdempotencyKey, type Schemas } from '../api';
import { ActionForm, momentField, PersonSelect } from '../components/forms';
import { formatSpan } from '../format';
import { useI18n } from '../i18n';
import { ProblemAlert, useLoaded } from '../loaded';
import { Link } from '../router';
import { hasRole, useSession } from '../session';

type Adjustment = Schemas['StaffingAdjustment'];
type Values = { coveringId: string; coveredId: string; startsAt: string; endsAt: string; kind: 'deployment' | 'rotation'; reason: string; training?: string; trainingSessionId?: string };
const STATUS_COLOURS: Record<string, string> = { awaiting_approval: 'blue', active: 'green', left_with_cover: 'orange', refused: 'red' };

const StatusTag = ({ status }: { status: string }) => {
  const { lookup } = useI18n();
  return <Tag color={STATUS_COLOURS[status] ?? 'default'}>{lookup(`staffing.status.${status}`, status)}</Tag>;
};

/** 人员调整: the adjustments that concern the caller, and HR's form to start one. */
export function StaffingAdjustmentsPage() {
  const { t, lookup, locale } = useI18n();
  const { caller } = useSession();
  // One key per adjustment asked: a send repeated after a lost answer finds the same one.
  const key = useRef(newIdempotencyKey());
  const [changed, setChanged] = useState(0);
  const { data, problem } = useLoaded(() => answer(api.GET('/api/v1/staffing-adjustments', { params: { query: { limit: 50 } } })), String(changed));
  return (
    <Flex vertical gap="middle">
      <Typography.Title level={3} style={{ margin: 0 }}>{t('staffing.title')}</Typography.Title>
      {hasRole(caller, 'hr') && (
        <ActionForm<Values>
          title={t('staffing.new')}
          className="staffing-form"
          name="staffing"
          submit={t('staffing.submit')}
          initialValues={{ kind: 'deployment' }}
          send={(body) => answer(api.POST('/api/v1/staffing-adjustments', { body, headers: { 'Idempotency-Key': key.current } }))}
          onSent={() => {
            key.current = newIdempotencyKey();
            setChanged((n) => n + 1);
          }}
        >
          <Form.Item name="coveringId" label={t('staffing.covering')} rules={[{ required: true, message: t('action.needPerson') }]}>
            <PersonSelect placeholder={t('action.search')} only={(p) => p.status === 'active'} />
          </Form.Item>
          <Form.Item name="coveredId" label={t('staffing.covered')} extra={t('staffing.coveredHint')} rules={[{ required: true, message: t('action.needPerson') }]}>
            <PersonSelect placeholder={t('action.search')} only={(p) => p.status !== 'left'} />
          </Form.Item>
          <Flex gap="small" wrap>
            <Form.Item name="startsAt" label={t('staffing.startsAt')} rules={[{ required: true, message: t('staffing.needMoment') }]} {...momentField}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
            </Form.Item>
            <Form.Item name="endsAt" label={t('staffing.endsAt')} rules={[{ required: true, message: t('staffing.needMoment') }]} {...momentField}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
            </Form.Item>
          </Flex>
          <Form.Item name="kind" label={t('staffing.kind')}>
            <Select options={(['deployment', 'rotation'] as const).map((k) => ({ value: k, label: t(`staffing.kind.${k}`) }))} style={{ maxWidth: 240 }} />
          </Form.Item>
          <Form.Item name="reason" label={t('staffing.reason')} rules={[{ required: true, whitespace: true, message: t('staffing.needReason') }]}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          <Form.Item name="training" label={t('staffing.training')} extra={t('staffing.trainingHint')}>
            <Input maxLength={500} />
          </Form.Item>
          <Form.Item name="trainingSessionId" label={t('staffing.session')} extra={t('staffing.sessionHint')}>
            <ScheduledSessionSelect />
          </Form.Item>
        </ActionForm>
      )}
      {problem ? (
        <ProblemAlert problem={problem} />
      ) : (
        <Table<Schemas['StaffingAdjustmentPage']['items'][number]>
          className="staffing-adjustments"
          rowKey="id"
          size="small"
          loading={!data}
          dataSource={data?.items}
          pagination={false}
          scroll={{ x: true }}
          columns={[
            { title: t('staffing.covering'), key: 'covering', render: (_, a) => <Link to={`/staffing-adjustments/${a.id}`}>{a.covering.name}</Link> },
            { title: t('staffing.covered'), key: 'covered', render: (_, a) => a.covered.name },
            { title: t('staffing.period'), key: 'period', render: (_, a) => formatSpan(locale, a.startsAt, a.endsAt) },
            { title: t('staffing.kind'), dataIndex: 'kind', render: (k: string) => lookup(`staffing.kind.${k}`, k) },
            { title: t('plans.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          ]}
        />
      )}
    </Flex>
  );
}

/** The sessions still ahead whose sign-in has not opened: the covering collector may join one. */
function ScheduledSessionSelect(props: { id?: string; value?: string; onChange?(value?: string): void }) {
  const { locale } = useI18n();
  const { data, problem } = useLoaded(() => answer(api.GET('/api/v1/training-sessions', { params: { query: { status: 'scheduled', from: new Date().toISOString(), limit: 100 } } })), 'scheduled');
  const options = data?.items.map((s) => ({ value: s.id, label: `${s.title} · ${formatSpan(locale, s.startsAt, s.endsAt)}` }));
  return <Select {...props} allowClear showSearch optionFilterProp="label" loading={!data && !problem} status={problem ? 'error' : undefined} options={options} />;
}

/** One adjustment; HR makes an active one permanent or ends it early, each with a reason. */
export function StaffingAdjustmentPage({ adjustmentId }: { adjustmentId: string }) {
  const { t, lookup, locale } = useI18n();
  const loaded = useLoaded(() => answer(api.GET('/api/v1/staffing-adjustments/{id}', { params: { path: { id: adjustmentId } } })), adjustmentId);
  if (loaded.problem) return <ProblemAlert problem={loaded.problem} />;
  const a = loaded.data;
  if (!a) return null;
  return (
    <Flex vertical gap="middle" className="staffing-adjustment">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('staffing.heading', { covering: a.covering.name, covered: a.covered.name })} <StatusTag status={a.status} />
      </Typography.Title>
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('staffing.kind')}>{lookup(`staffing.kind.${a.kind}`, a.kind)}</Descriptions.Item>
        <Descriptions.Item label={t('staffing.period')}>{formatSpan(locale, a.startsAt, a.endsAt)}</Descriptions.Item>
        <Descriptions.Item label={t('staffing.head')}>{a.head?.name ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('staffing.accounts')}>
          <span className="staffing-accounts">{a.movedAccountIds.length || a.accountIds.length}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('staffing.reason')}>{a.reason}</Descriptions.Item>
        {a.training && <Descriptions.Item label={t('staffing.training')}>{a.training}</Descriptions.Item>}
        {a.trainingSessionId && (
          <Descriptions.Item label={t('staffing.session')}>
            <Link to={`/sessions/${a.trainingSessionId}`}>{t('staffing.openSession')}</Link>
          </Descriptions.Item>
        )}
        {a.endReason && <Descriptions.Item label={t('staffing.endReason')}>{a.endReason}</Descriptions.Item>}
      </Descriptions>
      {a.mayReassign && <ReassignForm adjustment={a} onSent={loaded.reload} />}
      {a.mayChange && (
        <Flex gap="middle" wrap>
          <ChangeForm adjustment={a} change="make-permanent" onSent={loaded.reload} />
          <ChangeForm adjustment={a} change="end-early" onSent={loaded.reload} />
        </Flex>
      )}
    </Flex>
  );
}

/** The owner left during the cover: who keeps the accounts (the covering collector, if so). */
function ReassignForm({ adjustment, onSent }: { adjustment: Adjustment; onSent(): unknown }) {
  const { t } = useI18n();
  const key = useRef(newIdempotencyKey());
  return (
    <ActionForm<{ toId: string }>
      title={t('staffing.reassign', { covered: adjustment.covered.name })}
      className="staffing-reassign"
      name="reassign"
      submit={t('staffing.reassignSubmit')}
      initialValues={{ toId: adjustment.covering.id }}
      send={(body) => answer(api.POST('/api/v1/staffing-adjustments/{id}/reassign', { params: { path: { id: adjustment.id } }, headers: { 'Idempotency-Key': key.current }, body }))}
      onSent={onSent}
    >
      <Form.Item name="toId" label={t('staffing.keeper')} rules={[{ required: true, message: t('action.needPerson') }]}>
        <PersonSelect placeholder={t('action.search')} only={(p) => p.status === 'active'} />
      </Form.Item>
    </ActionForm>
  );
}

function ChangeForm({ adjustment, change, onSent }: { adjustment: Adjustment; change: 'make-permanent' | 'end-early'; onSent(): unknown }) {
  const { t } = useI18n();
  const key = useRef(newIdempotencyKey());
  const path = change === 'make-permanent' ? '/api/v1/staffing-adjustments/{id}/make-permanent' : '/api/v1/staffing-adjustments/{id}/end-early';
  return (
    <Card size="small" title={t(`staffing.${change}`)} style={{ flex: '1 1 280px' }} className={`staffing-${change}`}>
      <ActionForm<{ reason: string }>
        name={change}
        submit={t(`staffing.${change}`)}
        send={(body) => answer(api.POST(path, { params: { path: { id: adjustment.id } }, headers: { 'Idempotency-Key': key.current }, body }))}
        onSent={onSent}
      >
        <Form.Item name="reason" label={t('staffing.changeReason')} rules={[{ required: true, whitespace: true, message: t('staffing.needReason') }]}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </ActionForm>
    </Card>
  );
}
