import { Button, Card, DatePicker, Descriptions, Flex, Form, Input, Radio, Result, Select, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { answer, api, newIdempotencyKey, type Schemas } from '../api';
import { ActionForm, dayField, PersonSelect } from '../components/forms';
import { formatDay, formatMoment } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { LeavingCausesSelect } from '../leavingCauses';
import { ProblemAlert, useLoaded } from '../loaded';
import { Link } from '../router';
import { hasRole, useSession } from '../session';

type Risk = Schemas['Risk'];
type Reason = Risk['reasons'][number];
type Level = 'high' | 'medium' | 'low';
type RetentionCase = Schemas['RetentionCase'];
type Interview = { heldOn: string; causes: string[]; notes: string; actions: { actionNo: number; what: string; ownerId: string; dueOn: string }[] };
type InterviewValues = Omit<Interview, 'actions'> & { actions: Omit<Interview['actions'][number], 'actionNo'>[] };

const LEVELS: Level[] = ['high', 'medium', 'low'];
const LEVEL_COLOR: Record<Level, string> = { high: 'red', medium: 'orange', low: 'green' };
const RISK_READERS = ['hr', 'hr_director', 'manager'] as const;
/** Enough for a whole team or company on one board. */
const BOARD = 200;

export const retentionPath = (flowId: string) => `/retention-flows/${encodeURIComponent(flowId)}`;

/** A reason in the reader's words, from its key and figures (the API's own text when the key is new). */
function useReasonText() {
  const { lookup, locale } = useI18n();
  return (r: Reason) => {
    const wording = lookup(`risk.reason.${r.key}`, '');
    return wording ? wording.replace(/\{(\w+)\}/g, (_, k: string) => String(r.params[k] ?? '')) : r.text[locale];
  };
}

const LevelTag = ({ level }: { level: string }) => {
  const { lookup } = useI18n();
  return <Tag color={LEVEL_COLOR[level as Level]}>{lookup(`risk.level.${level}`, level)}</Tag>;
};

/** 风险看板: HR sees everyone's levels, a manager their team's; counts by department, the people with
 *  their reasons, and the retention flows still open. */
export function RiskBoardPage() {
  const { t, locale, lookup, departmentName } = useI18n();
  const { caller, directory, nameOf } = useSession();
  const [departmentId, setDepartmentId] = useState<string>();
  const [level, setLevel] = useState<Level>();
  const reasonText = useReasonText();
  const allowed = hasRole(caller, ...RISK_READERS);
  const loaded = useLoaded(async () => {
    if (!allowed) return undefined;
    const query = { limit: BOARD, ...(departmentId ? { departmentId } : {}) };
    const [risks, flows] = await Promise.all([
      answer(api.GET('/api/v1/risk', { params: { query } })),
      answer(api.GET('/api/v1/retention-flows', { params: { query: { ...query, status: 'open' } } })),
    ]);
    return { risks: risks.items, flows: flows.items };
  }, `${departmentId ?? ''}`);
  if (!allowed) return <Result status="403" title={t('risk.notAllowed')} />;
  if (loaded.problem) return <ProblemAlert problem={loaded.problem} />;
  const deptName = (id: string) => {
    const d = directory.departments.get(id);
    return d ? departmentName(d) : id;
  };
  const risks = loaded.data?.risks ?? [];
  const byDepartment = [...new Set(risks.map((r) => r.employee.departmentId))].map((id) => ({
    departmentId: id,
    ...Object.fromEntries(LEVELS.map((l) => [l, risks.filter((r) => r.employee.departmentId === id && r.level === l).length])),
  })) as ({ departmentId: string } & Record<Level, number>)[];
  const shown = level ? risks.filter((r) => r.level === level) : risks;
  return (
    <Flex vertical gap="middle" className="risk-board">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('risk.title')}
      </Typography.Title>
      <Flex gap="small" wrap>
        <Select
          allowClear
          aria-label={t('risk.department')}
          placeholder={t('risk.allDepartments')}
          style={{ minWidth: 160 }}
          value={departmentId}
          onChange={setDepartmentId}
          options={[...directory.departments.values()].map((d) => ({ value: d.id, label: departmentName(d) }))}
        />
        <Radio.Group
          aria-label={t('risk.level')}
          optionType="button"
          value={level ?? 'all'}
          onChange={(e) => setLevel(e.target.value === 'all' ? undefined : (e.target.value as Level))}
          options={[{ value: 'all', label: t('risk.allLevels') }, ...LEVELS.map((l) => ({ value: l, label: t(`risk.level.${l}`) }))]}
        />
      </Flex>
      <Table
        className="risk-departments"
        size="small"
        rowKey="departmentId"
        loading={!loaded.data}
        dataSource={byDepartment}
        pagination={false}
        scroll={{ x: true }}
        columns={[
          { title: t('risk.department'), dataIndex: 'departmentId', render: deptName },
          ...LEVELS.map((l) => ({ title: t(`risk.level.${l}`), dataIndex: l, render: (n: number) => (n && l === 'high' ? <Tag color="red">{n}</Tag> : n) })),
        ]}
      />
      <Table<Risk>
        className="risk-people"
        rowKey="employeeId"
        loading={!loaded.data}
        dataSource={shown}
        scroll={{ x: true }}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        columns={[
          { title: t('risk.employee'), dataIndex: ['employee', 'name'] },
          { title: t('risk.department'), dataIndex: ['employee', 'departmentId'], render: deptName },
          { title: t('risk.level'), dataIndex: 'level', render: (l: string, r) => <>{<LevelTag level={l} />} {r.score}</> },
          {
            title: t('risk.reasons'),
            dataIndex: 'reasons',
            render: (reasons: Reason[]) => (
              <ul className="risk-reasons" style={{ margin: 0, paddingInlineStart: 16 }}>
                {reasons.map((r) => (
                  <li key={r.key}>{reasonText(r)}</li>
                ))}
              </ul>
            ),
          },
          { title: t('risk.flow'), dataIndex: 'retentionFlowId', render: (id: string | null) => id && <Link to={retentionPath(id)}>{t('risk.openFlow')}</Link> },
        ]}
      />
      <Card size="small" title={t('risk.openFlows')}>
        <Table
          className="retention-flows"
          size="small"
          rowKey="flowId"
          dataSource={loaded.data?.flows}
          pagination={false}
          scroll={{ x: true }}
          columns={[
            { title: t('risk.employee'), dataIndex: 'employeeId', render: (id: string, c) => <Link to={retentionPath(c.flowId)}>{nameOf(id)}</Link> },
            { title: t('retention.stage'), dataIndex: 'stage', render: (s: string) => lookup(`retention.stage.${s}`, s) },
            { title: t('retention.openedAt'), dataIndex: 'openedAt', render: (at: string) => formatMoment(locale, at) },
          ]}
        />
      </Card>
    </Flex>
  );
}

/** 留任流程: the case, and the form for whichever step the reader holds. */
export function RetentionFlowPage({ flowId }: { flowId: string }) {
  const { t, locale, lookup } = useI18n();
  const { caller, nameOf } = useSession();
  const loaded = useLoaded(() => answer(api.GET('/api/v1/retention-flows/{flowId}', { params: { path: { flowId } } })), flowId);
  if (loaded.problem) return <ProblemAlert problem={loaded.problem} />;
  const c = loaded.data;
  if (!c) return null;
  const mine = c.openTasks.filter((task) => task.assigneeId === caller.id);
  const holds = (type: string) => mine.find((task) => task.type === type);
  const interview = c.stayInterview as Interview | undefined;
  const review = c.review as { comment: string } | undefined;
  return (
    <Flex vertical gap="middle" className="retention-flow">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('retention.title', { who: c.employee.name })} <Tag>{lookup(`retention.status.${c.status}`, c.status)}</Tag>
      </Typography.Title>
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('retention.stage')}>{lookup(`retention.stage.${c.stage}`, c.stage)}</Descriptions.Item>
        <Descriptions.Item label={t('retention.openedAt')}>{formatMoment(locale, c.openedAt)}</Descriptions.Item>
        {c.openTasks.map((task) => (
          <Descriptions.Item key={task.id} label={lookup(`retention.task.${task.type}`, task.type)}>
            {t('retention.taskLine', { who: nameOf(task.assigneeId), due: formatMoment(locale, task.dueAt) })}
          </Descriptions.Item>
        ))}
        {c.closedReason && <Descriptions.Item label={t('retention.closedReason')}>{c.closedReason}</Descriptions.Item>}
      </Descriptions>
      {interview && (
        <Card size="small" title={t('retention.interview')}>
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t('retention.heldOn')}>{formatDay(locale, interview.heldOn)}</Descriptions.Item>
            <Descriptions.Item label={t('retention.causes')}>{interview.causes.map((k) => <Tag key={k}>{lookup(`retention.cause.${k}`, k)}</Tag>)}</Descriptions.Item>
            <Descriptions.Item label={t('retention.notes')}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{interview.notes}</Typography.Paragraph>
            </Descriptions.Item>
            {interview.actions.map((a) => (
              <Descriptions.Item key={a.actionNo} label={t('retention.actionNo', { no: a.actionNo })}>
                {t('retention.actionLine', { what: a.what, who: nameOf(a.ownerId), due: formatDay(locale, a.dueOn) })}
              </Descriptions.Item>
            ))}
          </Descriptions>
        </Card>
      )}
      {review && (
        <Card size="small" title={t('retention.review')}>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{review.comment}</Typography.Paragraph>
        </Card>
      )}
      {holds('retention_stay_interview') && <StayInterviewForm flow={c} onSent={loaded.reload} />}
      {holds('retention_hr_review') && (
        <StepForm flow={c} step="review" field="comment" title={t('retention.review')} submit={t('retention.sendReview')} onSent={loaded.reload} />
      )}
      {mine
        .filter((task) => task.type === 'retention_action_check')
        .map((task) => (
          <ActionCheckForm key={task.id} flow={c} actionNo={Number(task.stepKey.split('/')[1])} onSent={loaded.reload} />
        ))}
      {c.status === 'open' && hasRole(caller, 'hr', 'hr_director') && (
        <StepForm flow={c} step="close" field="reason" title={t('retention.close')} submit={t('retention.closeButton')} onSent={loaded.reload} />
      )}
    </Flex>
  );
}

const flowPath = (flow: RetentionCase) => ({ params: { path: { flowId: flow.flowId } } });

function StayInterviewForm({ flow, onSent }: { flow: RetentionCase; onSent(): unknown }) {
  const { t } = useI18n();
  const key = useMemo(newIdempotencyKey, [flow.flowId]);
  return (
    <ActionForm<InterviewValues>
      title={t('retention.interview')}
      name="stay"
      className="stay-interview"
      submit={t('retention.recordInterview')}
      initialValues={{ heldOn: dayjs().format('YYYY-MM-DD'), actions: [{ what: '', ownerId: '', dueOn: dayjs().add(30, 'day').format('YYYY-MM-DD') }] }}
      send={(body) => answer(api.POST('/api/v1/retention-flows/{flowId}/stay-interview', { ...flowPath(flow), headers: { 'Idempotency-Key': key }, body: body as never }))}
      onSent={onSent}
    >
      <Form.Item name="heldOn" label={t('retention.heldOn')} rules={[{ required: true, message: t('retention.needDay') }]} {...dayField}>
        <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
      </Form.Item>
      <Form.Item name="causes" label={t('retention.causes')} rules={[{ required: true, message: t('retention.needCause') }]}>
        <LeavingCausesSelect />
      </Form.Item>
      <Form.Item name="notes" label={t('retention.notes')} rules={[{ required: true, whitespace: true, message: t('retention.needNotes') }]}>
        <Input.TextArea rows={3} maxLength={4000} />
      </Form.Item>
      <Form.List name="actions">
        {(fields, { add, remove }) => (
          <Flex vertical gap="small">
            <Typography.Text strong>{t('retention.actions')}</Typography.Text>
            {fields.map((f, i) => (
              <Card key={f.key} size="small" className="stay-action" title={t('retention.actionNo', { no: i + 1 })}
                extra={fields.length > 1 && <Button size="small" onClick={() => remove(f.name)}>{t('retention.removeAction')}</Button>}>
                <Form.Item name={[f.name, 'what']} label={t('retention.what')} rules={[{ required: true, whitespace: true, message: t('retention.needWhat') }]}>
                  <Input maxLength={500} />
                </Form.Item>
                <Form.Item name={[f.name, 'ownerId']} label={t('retention.owner')} rules={[{ required: true, message: t('retention.needOwner') }]}>
                  <PersonSelect only={(p) => p.roles.some((r) => r === 'manager' || r === 'hr' || r === 'hr_director')} />
                </Form.Item>
                <Form.Item name={[f.name, 'dueOn']} label={t('retention.dueOn')} rules={[{ required: true, message: t('retention.needDay') }]} {...dayField}>
                  <DatePicker />
                </Form.Item>
              </Card>
            ))}
            <Button onClick={() => add({ dueOn: dayjs().add(30, 'day').format('YYYY-MM-DD') })}>{t('retention.addAction')}</Button>
          </Flex>
        )}
      </Form.List>
    </ActionForm>
  );
}

/** HR's review (a comment) or HR's close (a reason): one text field each. */
function StepForm({ flow, step, field, title, submit, onSent }: { flow: RetentionCase; step: 'review' | 'close'; field: 'comment' | 'reason'; title: string; submit: string; onSent(): unknown }) {
  const { t } = useI18n();
  const key = useMemo(newIdempotencyKey, [flow.flowId, step]);
  const send = (body: Record<string, string>) =>
    step === 'review'
      ? answer(api.POST('/api/v1/retention-flows/{flowId}/review', { ...flowPath(flow), headers: { 'Idempotency-Key': key }, body: body as { comment: string } }))
      : answer(api.POST('/api/v1/retention-flows/{flowId}/close', { ...flowPath(flow), headers: { 'Idempotency-Key': key }, body: body as { reason: string } }));
  return (
    <ActionForm<Record<string, string>> title={title} name={step} className={`retention-${step}`} submit={submit} send={send} onSent={onSent}>
      <Form.Item name={field} label={t(`retention.${field}` as MessageKey)} rules={[{ required: true, whitespace: true, message: t('retention.needText') }]}>
        <Input.TextArea rows={2} maxLength={step === 'review' ? 2000 : 1000} />
      </Form.Item>
    </ActionForm>
  );
}

function ActionCheckForm({ flow, actionNo, onSent }: { flow: RetentionCase; actionNo: number; onSent(): unknown }) {
  const { t } = useI18n();
  const key = useMemo(newIdempotencyKey, [flow.flowId, actionNo]);
  return (
    <ActionForm<{ done: boolean; notes: string }>
      title={t('retention.check', { no: actionNo })}
      name={`check-${actionNo}`}
      className="retention-check"
      submit={t('retention.sendCheck')}
      send={(body) => answer(api.POST('/api/v1/retention-flows/{flowId}/action-checks', { ...flowPath(flow), headers: { 'Idempotency-Key': key }, body: { ...body, actionNo } }))}
      onSent={onSent}
    >
      <Form.Item name="done" label={t('retention.done')} rules={[{ required: true, message: t('retention.needDone') }]}>
        <Radio.Group options={[{ value: true, label: t('retention.doneYes') }, { value: false, label: t('retention.doneNo') }]} />
      </Form.Item>
      <Form.Item name="notes" label={t('retention.notes')} rules={[{ required: true, whitespace: true, message: t('retention.needNotes') }]}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
    </ActionForm>
  );
}
