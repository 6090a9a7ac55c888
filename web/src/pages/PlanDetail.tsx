import { Alert, App, Button, DatePicker, Descriptions, Flex, Form, Input, List, Modal, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { answer, api, ApiProblem, type NextTask, type Plan } from '../api';
import { ActionForm, PersonSelect } from '../components/forms';
import { NextTasks } from '../components/NextTasks';
import { FlowTimeline } from '../components/Timeline';
import { VersionDiff } from '../components/VersionDiff';
import { formatDay, formatMoment, formatSpan, formatYuan } from '../format';
import { useI18n } from '../i18n';
import { ProblemAlert, useLoaded } from '../loaded';
import { Link, useLocation } from '../router';
import { hasRole, useSession } from '../session';
import { STATUS_COLOURS } from './Plans';
import { isActive, usePlanFieldLine, type PlanForm } from './PlanEditor';
import { SessionFigures } from './Sessions';

const EDITABLE: Plan['status'][] = ['draft', 'changes_requested'];

/** A plan: what it says, how it changed between versions, who decided what, and its timeline. */
export function PlanDetailPage({ planId }: { planId: string }) {
  const { t, lookup, locale, departmentName } = useI18n();
  const { caller, directory, nameOf } = useSession();
  const { message } = App.useApp();
  const { go } = useLocation();
  const [next, setNext] = useState<NextTask[]>();
  const [withdrawing, setWithdrawing] = useState(false);
  const fieldLine = usePlanFieldLine();
  const { data: plan, problem, reload: load } = useLoaded(() => answer(api.GET('/api/v1/training-plans/{id}', { params: { path: { id: planId } } })), planId);
  if (problem) return <ProblemAlert problem={problem} />;
  if (!plan) return null;

  const mine = plan.drafterId === caller.id;
  const editable = EDITABLE.includes(plan.status);
  const latest = plan.versions.at(-1);
  const content = (editable || !latest ? plan.draft : latest.content) as PlanForm['content'];
  const department = directory.departments.get(plan.departmentId);
  const lastRequest = [...plan.decisions].reverse().find((d) => d.decision === 'request_changes');

  async function submit() {
    try {
      const done = await answer(api.POST('/api/v1/training-plans/{id}/submit', { params: { path: { id: planId } }, body: {} }));
      setNext(done.next);
      message.success(t('plan.submitted'));
    } catch (err) {
      if (err instanceof ApiProblem) {
        // Each missing or inconsistent field in the editor's own words ("请填写预算第1行 金额").
        Modal.error({
          title: err.errors.length ? t('problem.incomplete', { count: err.errors.length }) : (err.detail ?? err.title),
          content: err.errors.length ? <ul className="submit-problems">{err.errors.map((e) => <li key={e.field}>{fieldLine(e)}</li>)}</ul> : undefined,
        });
      }
    }
    await load();
  }

  return (
    <Flex vertical gap="middle">
      <Flex justify="space-between" align="center" wrap gap="small">
        <Space wrap>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {plan.title}
          </Typography.Title>
          <Tag color={STATUS_COLOURS[plan.status]}>{t(`planStatus.${plan.status}`)}</Tag>
        </Space>
        {mine && (
          <Space wrap>
            {editable && <Button onClick={() => go(`/plans/${planId}/edit`)}>{t('plan.edit')}</Button>}
            {editable && (
              <Button type="primary" onClick={submit}>
                {plan.status === 'changes_requested' ? t('plan.resubmit') : t('plan.submit')}
              </Button>
            )}
            {plan.status === 'in_approval' && (
              <Button danger onClick={() => setWithdrawing(true)}>
                {t('plan.withdraw')}
              </Button>
            )}
          </Space>
        )}
      </Flex>
      {next && next.length > 0 && (
        <NextTasks next={next} onClose={() => setNext(undefined)} />
      )}
      {plan.status === 'changes_requested' && lastRequest && (
        <Alert type="warning" message={t('plan.changesRequestedBy', { who: nameOf(lastRequest.decidedById) })} description={lastRequest.comment} />
      )}
      <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
        <Descriptions.Item label={t('plans.department')}>{department ? departmentName(department) : plan.departmentId}</Descriptions.Item>
        <Descriptions.Item label={t('plans.drafter')}>{nameOf(plan.drafterId)}</Descriptions.Item>
        <Descriptions.Item label={t('plan.version')}>{plan.currentVersion || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('plans.updated')}>{formatMoment(locale, plan.updatedAt)}</Descriptions.Item>
      </Descriptions>
      {plan.followUp && (
        <Space>
          <Link to={`/plans/${planId}/follow-up`}>{t('followUp.open')}</Link>
          <Tag>{lookup(`followUpStatus.${plan.followUp.status}`, plan.followUp.status)}</Tag>
        </Space>
      )}
      {plan.sessionSummary && <SessionFigures title={t('plan.rollUp')} figures={plan.sessionSummary} held={plan.sessionSummary.sessions} />}
      {editable && plan.lessons && plan.lessons.length > 0 && (
        <Alert type="warning" showIcon message={t('plan.lessons')} description={<ul>{plan.lessons.map((l) => <li key={`${l.planId}/${l.module}`}>{t('plan.lesson', { module: l.module, plan: l.planTitle, rating: l.rating ?? '—' })}</li>)}</ul>} />
      )}
      <Tabs
        items={[
          { key: 'content', label: t('plan.content'), children: <PlanContent content={content} /> },
          { key: 'versions', label: t('plan.versions', { count: plan.versions.length }), children: <VersionDiff plan={plan} /> },
          {
            key: 'decisions',
            label: t('plan.decisions', { count: plan.decisions.length }),
            children: (
              <Table
                size="small"
                rowKey="taskId"
                pagination={false}
                scroll={{ x: true }}
                dataSource={plan.decisions}
                columns={[
                  { title: t('plan.version'), dataIndex: 'version' },
                  { title: t('plan.level'), dataIndex: 'level', render: (l: string) => lookup(`level.${l}`, l) },
                  { title: t('plan.decision'), dataIndex: 'decision', render: (d: string) => lookup(`outcome.${d}`, d) },
                  { title: t('plan.decidedBy'), dataIndex: 'decidedById', render: (id: string, d) => (d.onBehalfOfId ? `${nameOf(id)} (${t('timeline.onBehalfOf', { who: nameOf(d.onBehalfOfId) })})` : nameOf(id)) },
                  { title: t('plan.comment'), dataIndex: 'comment' },
                  { title: t('plan.decidedAt'), dataIndex: 'decidedAt', render: (at: string) => formatMoment(locale, at) },
                ]}
              />
            ),
          },
          ...(plan.status === 'approved' ? [{ key: 'sessions', label: t('plan.sessions', { count: plan.sessions.length }), children: <PlanSessions plan={plan} onAdded={load} /> }] : []),
          ...(plan.flowId ? [{ key: 'timeline', label: t('plan.timeline'), children: <FlowTimeline flowId={plan.flowId} refresh={plan.updatedAt} /> }] : []),
        ]}
      />
      {withdrawing && <WithdrawDialog planId={planId} onClose={() => (setWithdrawing(false), void load())} />}
    </Flex>
  );
}

function WithdrawDialog({ planId, onClose }: { planId: string; onClose(): void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  return (
    <Modal
      open
      title={t('plan.withdraw')}
      okText={t('plan.withdraw')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      onCancel={onClose}
      onOk={async () => {
        await answer(api.POST('/api/v1/training-plans/{id}/withdraw', { params: { path: { id: planId } }, body: { reason: reason.trim() || undefined } }));
        onClose();
      }}
    >
      <label htmlFor="withdraw-reason">{t('plan.withdrawReason')}</label>
      <Input.TextArea id="withdraw-reason" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />
    </Modal>
  );
}

/** The plan's sections as a reader sees them. */
function PlanContent({ content }: { content: PlanForm['content'] }) {
  const { t, lookup, locale } = useI18n();
  const { nameOf } = useSession();
  const c = content;
  return (
    <Flex vertical gap="middle">
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('editor.objectives')}>{c.objectives?.general ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('editor.targets')}>
          <List size="small" dataSource={c.objectives?.targets ?? []} renderItem={(x) => <List.Item>{`${x.description ?? '…'} — ${x.metric ?? '…'} ${x.better === 'lower' ? '≤' : '≥'} ${x.target ?? '…'}${x.unit ?? ''}`}</List.Item>} />
        </Descriptions.Item>
        <Descriptions.Item label={t('editor.methods')}>{(c.methods ?? []).map((m) => <Tag key={m}>{lookup(`method.${m}`, m)}</Tag>)}</Descriptions.Item>
        <Descriptions.Item label={t('editor.cycle')}>{c.cycle?.startsOn || c.cycle?.endsOn ? `${c.cycle.startsOn ? formatDay(locale, c.cycle.startsOn) : '…'} – ${c.cycle.endsOn ? formatDay(locale, c.cycle.endsOn) : '…'}` : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('editor.venue')}>{c.resources?.venue ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('editor.trainers')}>{(c.resources?.trainers ?? []).map((x) => x.name).join(', ') || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('editor.participants')}>{(c.participantIds ?? []).map((id) => nameOf(id)).join(', ') || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('editor.budgetTotal')}>{c.budget?.totalFen !== undefined ? formatYuan(locale, c.budget.totalFen) : '—'}</Descriptions.Item>
      </Descriptions>
      <Table
        size="small"
        title={() => t('editor.modules')}
        rowKey={(_m, i) => String(i)}
        pagination={false}
        scroll={{ x: true }}
        dataSource={c.modules ?? []}
        columns={[
          { title: t('editor.moduleTitle'), dataIndex: 'title' },
          { title: t('editor.hours'), dataIndex: 'hours' },
          { title: t('editor.moduleContent'), dataIndex: 'content' },
        ]}
      />
      <Table
        size="small"
        title={() => t('editor.sessions')}
        rowKey={(_s, i) => String(i)}
        pagination={false}
        scroll={{ x: true }}
        dataSource={c.sessions ?? []}
        columns={[
          { title: t('editor.sessionTitle'), dataIndex: 'title' },
          { title: t('editor.startsAt'), dataIndex: 'startsAt', render: (at: string) => formatMoment(locale, at) },
          { title: t('editor.endsAt'), dataIndex: 'endsAt', render: (at: string) => formatMoment(locale, at) },
          { title: t('editor.location'), dataIndex: 'location' },
        ]}
      />
      <Table
        size="small"
        title={() => t('editor.budget')}
        rowKey={(_b, i) => String(i)}
        pagination={false}
        dataSource={c.budget?.lines ?? []}
        columns={[
          { title: t('editor.category'), dataIndex: 'category', render: (x: string) => lookup(`budget.${x}`, x) },
          { title: t('editor.description'), dataIndex: 'description' },
          { title: t('editor.amount'), dataIndex: 'amountFen', render: (fen?: number) => (fen === undefined ? '—' : formatYuan(locale, fen)) },
        ]}
      />
    </Flex>
  );
}

/** An approved plan's sessions, each with its own flow; HR adds a repeat session here. */
function PlanSessions({ plan, onAdded }: { plan: Plan; onAdded(): unknown }) {
  const { t, lookup, locale } = useI18n();
  const { caller } = useSession();
  const { message } = App.useApp();
  return (
    <Flex vertical gap="middle">
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        scroll={{ x: true }}
        dataSource={plan.sessions}
        columns={[
          { title: '#', dataIndex: 'sessionNo', width: 50 },
          { title: t('sessions.session'), dataIndex: 'title', render: (title: string, s) => <Link to={`/sessions/${s.id}`}>{title}</Link> },
          { title: t('sessions.when'), dataIndex: 'startsAt', render: (at: string, s) => formatSpan(locale, at, s.endsAt) },
          { title: t('editor.location'), dataIndex: 'location' },
          { title: t('plans.status'), dataIndex: 'status', render: (s: string) => lookup(`sessionStatus.${s}`, s) },
        ]}
      />
      {hasRole(caller, 'hr') && (
        <ActionForm<{ title: string; when: [Dayjs, Dayjs]; location?: string; trainerId?: string; adminOwnerId?: string }>
          title={t('plan.addSession')}
          className="add-session-form"
          submit={t('plan.addSessionSend')}
          send={({ when: [startsAt, endsAt], ...rest }) => {
            const body = { ...rest, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() };
            return answer(api.POST('/api/v1/training-plans/{id}/sessions', { params: { path: { id: plan.id } }, body }));
          }}
          onSent={async () => (await onAdded(), message.success(t('plan.sessionAdded')))}
        >
          <Form.Item name="title" label={t('sessions.session')} rules={[{ required: true }]}><Input maxLength={200} /></Form.Item>
          <Form.Item name="when" label={t('sessions.when')} rules={[{ required: true }]}><DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" /></Form.Item>
          <Form.Item name="location" label={t('editor.location')}><Input maxLength={200} /></Form.Item>
          <Form.Item name="trainerId" label={t('editor.trainer')}><PersonSelect allowClear /></Form.Item>
          <Form.Item name="adminOwnerId" label={t('editor.adminOwner')} extra={t('editor.adminOwnerHint')}><PersonSelect allowClear only={isActive} /></Form.Item>
        </ActionForm>
      )}
    </Flex>
  );
}
