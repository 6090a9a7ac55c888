import { Button, Card, Flex, Form, Input, Popover, Radio, Select, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { answer, api, newIdempotencyKey, type Schemas } from '../api';
import { ActionForm, PersonSelect, RatingInput } from '../components/forms';
import { formatMoment } from '../format';
import { useI18n } from '../i18n';
import { ProblemAlert, useLoaded } from '../loaded';
import { Link } from '../router';
import { hasRole, useSession } from '../session';

type Pool = Schemas['ReservePool'];
type Candidate = Schemas['ReserveCandidate'];
type Position = Pool['position'];
type Readiness = Candidate['readiness'];
const READINESS: Readiness[] = ['ready_now', 'ready_later'];

export const ReadinessTag = ({ readiness }: { readiness: Readiness }) => {
  const { t } = useI18n();
  return <Tag color={readiness === 'ready_now' ? 'green' : 'blue'}>{t(`pool.readiness.${readiness}`)}</Tag>;
};
const readinessOptions = (t: ReturnType<typeof useI18n>['t']) => READINESS.map((r) => ({ value: r, label: t(`pool.readiness.${r}`) }));

/** 后备人才库: each key position's pool against its minimum. */
export function ReservePoolsPage() {
  const { t } = useI18n();
  const { data, problem } = useLoaded(() => answer(api.GET('/api/v1/reserve-pools')), '');
  if (problem) return <ProblemAlert problem={problem} />;
  return (
    <Flex vertical gap="middle" className="reserve-pools">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('pool.title')}
      </Typography.Title>
      <Table
        rowKey="position"
        loading={!data}
        dataSource={data?.items}
        pagination={false}
        scroll={{ x: true }}
        columns={[
          { title: t('pool.position'), dataIndex: 'position', render: (p: Position) => <Link to={`/reserve-pools/${p}`}>{t(`pool.position.${p}`)}</Link> },
          { title: t('pool.held'), dataIndex: 'held', render: (held: number, s) => <>{`${held} / ${s.minimum}`} {s.short && <Tag color="red">{t('pool.short', { needed: s.needed })}</Tag>}</> },
          { title: t('pool.readyNow'), dataIndex: 'readyNow' },
        ]}
      />
    </Flex>
  );
}

/** One pool: its candidates ranked, nominations, HR's assessments and withdrawals, and the quarter's review. */
export function ReservePoolPage({ position }: { position: Position }) {
  const { t, locale } = useI18n();
  const { caller } = useSession();
  const loaded = useLoaded(() => answer(api.GET('/api/v1/reserve-pools/{position}', { params: { path: { position } } })), position);
  if (loaded.problem) return <ProblemAlert problem={loaded.problem} />;
  const pool = loaded.data;
  if (!pool) return null;
  const hr = hasRole(caller, 'hr');
  return (
    <Flex vertical gap="middle" className="reserve-pool">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('pool.of', { position: t(`pool.position.${position}`) })} {pool.short && <Tag color="red">{t('pool.short', { needed: pool.needed })}</Tag>}
      </Typography.Title>
      <Typography.Text>{t('pool.summary', { held: pool.held, minimum: pool.minimum, readyNow: pool.readyNow })}</Typography.Text>
      <Table<Candidate>
        className="pool-candidates"
        rowKey={(c) => c.employee.id}
        dataSource={pool.candidates}
        pagination={false}
        scroll={{ x: true }}
        columns={[
          { title: t('pool.rank'), dataIndex: 'rank' },
          { title: t('pool.candidate'), dataIndex: ['employee', 'name'] },
          { title: t('pool.readiness'), dataIndex: 'readiness', render: (r: Readiness) => <ReadinessTag readiness={r} /> },
          { title: t('pool.score'), dataIndex: 'score', render: (s: number | null) => s ?? '—' },
          { title: t('pool.panelRating'), dataIndex: 'panelRating', render: (s: number | null) => s ?? '—' },
          { title: t('pool.nominatedBy'), dataIndex: ['nominatedBy', 'name'], render: (who: string, c) => `${who} · ${formatMoment(locale, c.nominatedAt)}` },
          ...(hr
            ? [{ title: '', key: 'act', render: (_: unknown, c: Candidate) => <CandidateActions pool={pool} candidate={c} onSent={loaded.reload} /> }]
            : []),
        ]}
      />
      {hasRole(caller, 'manager', 'hr') && <NominateForm pool={pool} onSent={loaded.reload} />}
      {pool.reviewTask?.assigneeId === caller.id && <ReviewForm pool={pool} onSent={loaded.reload} />}
    </Flex>
  );
}

const candidatePath = (pool: Pool, c: Candidate) => ({ params: { path: { position: pool.position, employeeId: c.employee.id } } });

function NominateForm({ pool, onSent }: { pool: Pool; onSent(): unknown }) {
  const { t } = useI18n();
  const { caller } = useSession();
  const key = useMemo(newIdempotencyKey, [pool.held]);
  const held = new Set(pool.candidates.map((c) => c.employee.id));
  return (
    <ActionForm<{ employeeId: string; readiness: Readiness; reason: string }>
      title={t('pool.nominate')}
      name="nominate"
      className="pool-nominate"
      submit={t('pool.nominateButton')}
      initialValues={{ readiness: 'ready_later' }}
      send={(body) => answer(api.POST('/api/v1/reserve-pools/{position}/candidates', { params: { path: { position: pool.position } }, headers: { 'Idempotency-Key': key }, body }))}
      onSent={onSent}
    >
      <Form.Item name="employeeId" label={t('pool.candidate')} rules={[{ required: true, message: t('pool.needCandidate') }]}>
        <PersonSelect only={(p) => !held.has(p.id) && (hasRole(caller, 'hr') || p.managerId === caller.id)} />
      </Form.Item>
      <Form.Item name="readiness" label={t('pool.readiness')} rules={[{ required: true }]}>
        <Radio.Group optionType="button" options={readinessOptions(t)} />
      </Form.Item>
      <Form.Item name="reason" label={t('pool.reason')} rules={[{ required: true, whitespace: true, message: t('pool.needReason') }]}>
        <Input.TextArea rows={2} maxLength={1000} />
      </Form.Item>
    </ActionForm>
  );
}

/** HR's assessment (panel rating, readiness) and withdrawal of one candidate, each in a popover. */
function CandidateActions({ pool, candidate, onSent }: { pool: Pool; candidate: Candidate; onSent(): unknown }) {
  const { t } = useI18n();
  const id = candidate.employee.id;
  return (
    <Flex gap="small">
      <Popover trigger="click" title={t('pool.assess')} content={
        <ActionForm<{ panelRating: number; readiness: Readiness; comment?: string }>
          name={`assess-${id}`}
          submit={t('pool.assessButton')}
          initialValues={{ readiness: candidate.readiness, panelRating: candidate.panelRating ?? undefined }}
          send={(body) => answer(api.POST('/api/v1/reserve-pools/{position}/candidates/{employeeId}/assessment', { ...candidatePath(pool, candidate), body }))}
          onSent={onSent}
        >
          <Form.Item name="panelRating" label={t('pool.panelRating')} rules={[{ required: true, message: t('pool.needRating') }]}>
            <RatingInput />
          </Form.Item>
          <Form.Item name="readiness" label={t('pool.readiness')} rules={[{ required: true }]}>
            <Radio.Group optionType="button" options={readinessOptions(t)} />
          </Form.Item>
          <Form.Item name="comment" label={t('pool.comment')}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        </ActionForm>
      }>
        <Button size="small">{t('pool.assess')}</Button>
      </Popover>
      <Popover trigger="click" title={t('pool.withdraw')} content={
        <ActionForm<{ reason: string }>
          name={`withdraw-${id}`}
          submit={t('pool.withdrawButton')}
          send={(body) => answer(api.POST('/api/v1/reserve-pools/{position}/candidates/{employeeId}/withdrawal', { ...candidatePath(pool, candidate), body }))}
          onSent={onSent}
        >
          <Form.Item name="reason" label={t('pool.reason')} rules={[{ required: true, whitespace: true, message: t('pool.needReason') }]}>
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
        </ActionForm>
      }>
        <Button size="small" danger>{t('pool.withdraw')}</Button>
      </Popover>
    </Flex>
  );
}

type Verdict = Readiness | 'withdraw';

/** The quarter's review: each candidate kept at a readiness or withdrawn. */
function ReviewForm({ pool, onSent }: { pool: Pool; onSent(): unknown }) {
  const { t } = useI18n();
  const key = useMemo(newIdempotencyKey, [pool.reviewTask?.taskId]);
  const send = ({ verdicts, comment }: { verdicts: Record<string, Verdict>; comment?: string }) =>
    answer(api.POST('/api/v1/reserve-pools/{position}/reviews', {
      params: { path: { position: pool.position } },
      headers: { 'Idempotency-Key': key },
      body: {
        comment,
        verdicts: pool.candidates.map((c) => {
          const v = verdicts[c.employee.id] ?? c.readiness;
          return v === 'withdraw' ? { employeeId: c.employee.id, withdraw: true } : { employeeId: c.employee.id, readiness: v };
        }),
      },
    }));
  return (
    <Card size="small" className="pool-review">
      <ActionForm
        title={t('pool.review')}
        name="review"
        submit={t('pool.reviewButton')}
        initialValues={{ verdicts: Object.fromEntries(pool.candidates.map((c) => [c.employee.id, c.readiness])) }}
        send={send}
        onSent={onSent}
      >
        {pool.candidates.map((c) => (
          <Form.Item key={c.employee.id} name={['verdicts', c.employee.id]} label={c.employee.name}>
            <Select
              style={{ minWidth: 160 }}
              options={[...readinessOptions(t).map((o) => ({ ...o, label: t('pool.keep', { readiness: o.label }) })), { value: 'withdraw', label: t('pool.withdraw') }]}
            />
          </Form.Item>
        ))}
        <Form.Item name="comment" label={t('pool.comment')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </ActionForm>
    </Card>
  );
}
