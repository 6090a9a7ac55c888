import { Alert, App, Button, Card, Checkbox, DatePicker, Flex, Form, Input, InputNumber, Progress, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { answer, api, ApiProblem, newIdempotencyKey, type Schemas } from '../api';
import { BarChart } from '../components/BarChart';
import { ActionForm, keepEnterInPickers, PersonSelect, RatingInput, useFieldLine, useProblemTitle, useServerErrors } from '../components/forms';
import { FlowTimeline } from '../components/Timeline';
import { formatMoment } from '../format';
import { useI18n } from '../i18n';
import { ProblemAlert, useLoaded } from '../loaded';
import { Link, useLocation } from '../router';
import { hasRole, useSession } from '../session';

type Cycle = Schemas['NeedsCycle'];
type Summary = Schemas['NeedsCycleSummary'];
const METHODS = ['classroom', 'online', 'workshop', 'simulation', 'role_play'] as const;

/** Needs cycles, and HR's form to start one. */
export function NeedsCyclesPage() {
  const { t, lookup, locale, departmentName } = useI18n();
  const { caller, directory } = useSession();
  const { go } = useLocation();
  const [page, setPage] = useState(1);
  const [cycles, setCycles] = useState<{ items: Summary[]; total: number }>();
  useEffect(() => {
    void answer(api.GET('/api/v1/needs-cycles', { params: { query: { limit: 20, offset: (page - 1) * 20 } } })).then(setCycles);
  }, [page]);
  return (
    <Flex vertical gap="middle">
      <Flex justify="space-between" align="center" wrap gap="small">
        <Typography.Title level={3} style={{ margin: 0 }}>{t('needs.title')}</Typography.Title>
        {hasRole(caller, 'hr') && <Button type="primary" onClick={() => go('/needs-cycles/new')}>{t('needs.start')}</Button>}
      </Flex>
      <Table<Summary>
        rowKey="id"
        loading={!cycles}
        dataSource={cycles?.items}
        scroll={{ x: true }}
        pagination={{ current: page, pageSize: 20, total: cycles?.total, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('needs.name'), dataIndex: 'name', render: (name: string, c) => <Link to={`/needs-cycles/${c.id}`}>{name}</Link> },
          { title: t('plans.department'), dataIndex: 'departmentId', render: (id: string) => { const d = directory.departments.get(id); return d ? departmentName(d) : id; } },
          { title: t('plans.status'), dataIndex: 'status', render: (s: string) => <Tag>{lookup(`needsStatus.${s}`, s)}</Tag> },
          { title: t('needs.deadline'), dataIndex: 'surveyDeadline', render: (at: string) => formatMoment(locale, at) },
        ]}
      />
    </Flex>
  );
}

type StartForm = { name: string; departmentId: string; participantIds: string[]; competencies: { key: string; name: string; requiredLevel: number }[]; surveyDeadline: string };

/** HR starts a cycle: who is surveyed, on which competencies, until when. */
export function StartNeedsCyclePage() {
  const { t, departmentName } = useI18n();
  const { directory } = useSession();
  const { go } = useLocation();
  const [form] = Form.useForm<StartForm>();
  const [problem, setProblem] = useState<string>();
  const key = useMemo(newIdempotencyKey, []);
  const fieldErrors = useServerErrors(form);
  const line = useFieldLine();
  const problemTitle = useProblemTitle();
  async function start(values: StartForm) {
    try {
      const started = await answer(api.POST('/api/v1/needs-cycles', { body: values, headers: { 'Idempotency-Key': key } }));
      go(`/needs-cycles/${started.cycleId}`);
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
      const unplaced = fieldErrors.show(err.errors);
      setProblem([problemTitle(err), ...unplaced.map(line)].join(' · '));
    }
  }
  return (
    <Form form={form} layout="vertical" onFinish={start} onFieldsChange={fieldErrors.onFieldsChange} onKeyDown={keepEnterInPickers} initialValues={{ competencies: [{ key: '', name: '', requiredLevel: 4 }], participantIds: [] }}>
      <Typography.Title level={3}>{t('needs.start')}</Typography.Title>
      {problem && <Alert type="error" message={problem} style={{ marginBottom: 16 }} />}
      <Card size="small">
        <Form.Item name="name" label={t('needs.name')}><Input maxLength={200} /></Form.Item>
        <Form.Item name="departmentId" label={t('plans.department')}><Select options={[...directory.departments.values()].map((d) => ({ value: d.id, label: departmentName(d) }))} /></Form.Item>
        <Form.Item name="participantIds" label={t('editor.participants')}><PersonSelect mode="multiple" only={(p) => p.status === 'active'} /></Form.Item>
        <Form.Item name="surveyDeadline" label={t('needs.deadline')} getValueProps={(iso?: string) => ({ value: iso ? dayjs(iso) : undefined })} normalize={(d: Dayjs | null) => d?.format('YYYY-MM-DDTHH:mm:ssZ')}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
        </Form.Item>
      </Card>
      <Card size="small" title={t('needs.competencies')} style={{ marginTop: 16 }}>
        <Form.List name="competencies">
          {(items, { add, remove }) => (
            <Flex vertical gap="small">
              {items.map((item) => (
                <Space key={item.key} wrap align="start">
                  <Form.Item name={[item.name, 'key']} label={t('needs.key')}><Input placeholder="negotiation" /></Form.Item>
                  <Form.Item name={[item.name, 'name']} label={t('needs.competency')}><Input /></Form.Item>
                  <Form.Item name={[item.name, 'requiredLevel']} label={t('needs.required')}><InputNumber min={1} max={5} /></Form.Item>
                  <Button onClick={() => remove(item.name)} style={{ marginTop: 30 }}>{t('editor.remove')}</Button>
                </Space>
              ))}
              <Button onClick={() => add({ key: '', name: '', requiredLevel: 4 })}>{t('editor.add', { what: t('needs.competency') })}</Button>
            </Flex>
          )}
        </Form.List>
      </Card>
      <Button type="primary" htmlType="submit" style={{ marginTop: 16 }}>{t('needs.start')}</Button>
    </Form>
  );
}

/** A cycle: its response, the analysis as charts and tables, the caller's own survey or
 *  observations, HR's decisions, confirmations, and the way to a plan once confirmed. */
export function NeedsCyclePage({ cycleId }: { cycleId: string }) {
  const { t, lookup, locale } = useI18n();
  const { caller, nameOf } = useSession();
  const { go } = useLocation();
  const { message } = App.useApp();
  const { data: cycle, problem, reload: load } = useLoaded(() => answer(api.GET('/api/v1/needs-cycles/{id}', { params: { path: { id: cycleId } } })), cycleId);
  if (problem) return <ProblemAlert problem={problem} />;
  if (!cycle) return null;

  const mine = cycle.openTasks.filter((task) => task.assigneeId === caller.id || task.escalatedToIds.includes(caller.id));
  const surveyTask = mine.find((task) => task.type === 'needs_survey');
  const observeTasks = mine.filter((task) => task.type === 'needs_observation');
  const lowResponse = mine.find((task) => task.type === 'needs_low_response');
  const adjust = mine.find((task) => task.type === 'needs_adjust');
  const a = cycle.analysis;
  const done = async (what: string) => {
    await load();
    message.success(what);
  };
  async function draftPlan() {
    const plan = await answer(api.POST('/api/v1/training-plans', { body: { title: `${cycle!.name}`, departmentId: cycle!.departmentId, needsAssessmentId: cycle!.id }, headers: { 'Idempotency-Key': `from-needs-${cycle!.id}` } }));
    go(`/plans/${plan.id}/edit`);
  }

  return (
    <Flex vertical gap="middle">
      <Flex justify="space-between" align="center" wrap gap="small">
        <Space wrap>
          <Typography.Title level={3} style={{ margin: 0 }}>{cycle.name}</Typography.Title>
          <Tag color="blue">{lookup(`needsStatus.${cycle.status}`, cycle.status)}</Tag>
        </Space>
        {cycle.status === 'confirmed' && hasRole(caller, 'hr') && <Button type="primary" onClick={draftPlan}>{t('needs.draftPlan')}</Button>}
      </Flex>
      <Flex gap="large" wrap>
        <div style={{ minWidth: 220 }}>{t('needs.surveys')}<Progress percent={Math.round(cycle.responseRate.surveys * 100)} aria-label={t('needs.surveys')} /></div>
        <div style={{ minWidth: 220 }}>{t('needs.observations')}<Progress percent={Math.round(cycle.responseRate.observations * 100)} aria-label={t('needs.observations')} /></div>
        <div>{t('needs.deadline')}: {formatMoment(locale, cycle.surveyDeadline)}</div>
      </Flex>
      {surveyTask && <SurveyForm cycle={cycle} onDone={() => done(t('needs.surveySent'))} />}
      {observeTasks.map((task) => {
        const participantId = (task.payload as { participantId: string }).participantId;
        return <ObservationForm key={task.id} cycle={cycle} participantId={participantId} participantName={nameOf(participantId)} onDone={() => done(t('needs.observationSent'))} />;
      })}
      {lowResponse && (
        <Alert
          type="warning"
          message={t('needs.lowResponse', { rate: Math.round(cycle.responseRate.surveys * 100) })}
          action={
            <Space>
              <Button onClick={() => answer(api.POST('/api/v1/needs-cycles/{id}/low-response', { params: { path: { id: cycleId } }, body: { choice: 'extend' } })).then(() => done(t('needs.extended')))}>{t('needs.extend')}</Button>
              <Button type="primary" onClick={() => answer(api.POST('/api/v1/needs-cycles/{id}/low-response', { params: { path: { id: cycleId } }, body: { choice: 'proceed' } })).then(() => done(t('needs.proceeded')))}>{t('needs.proceed')}</Button>
            </Space>
          }
        />
      )}
      {adjust && <AdjustmentForm cycle={cycle} onDone={() => done(t('needs.adjusted'))} />}
      <Tabs
        items={[
          {
            key: 'analysis',
            label: t('needs.analysis'),
            children: a ? (
              <Flex vertical gap="middle">
                <BarChart
                  label={t('needs.chartLabel')}
                  rows={a.competencies.map((c) => c.name)}
                  max={5}
                  series={[
                    { name: t('needs.required'), colour: '#8c8c8c', values: a.competencies.map((c) => c.requiredLevel) },
                    { name: t('needs.observed'), colour: '#0958d9', values: a.competencies.map((c) => c.observedMean) },
                    { name: t('needs.self'), colour: '#d46b08', values: a.competencies.map((c) => c.selfMean) },
                  ]}
                />
                <Table
                  size="small"
                  rowKey="key"
                  pagination={false}
                  scroll={{ x: true }}
                  title={() => t('needs.ranked')}
                  dataSource={a.rankedNeeds}
                  columns={[
                    { title: t('needs.rank'), dataIndex: 'rank' },
                    { title: t('needs.competency'), dataIndex: 'name' },
                    { title: t('needs.gap'), dataIndex: 'gap' },
                    { title: t('needs.affected'), dataIndex: 'peopleAffected' },
                    { title: t('needs.priority'), dataIndex: 'priority' },
                  ]}
                />
                <Table
                  size="small"
                  rowKey="participantId"
                  pagination={{ pageSize: 20 }}
                  scroll={{ x: true }}
                  title={() => t('needs.individuals')}
                  dataSource={a.individuals}
                  columns={[
                    { title: t('needs.participant'), dataIndex: 'participantId', render: (id: string | null) => nameOf(id) },
                    { title: t('needs.largestGap'), dataIndex: 'largestGap' },
                    { title: t('needs.totalGap'), dataIndex: 'totalGap' },
                    { title: t('needs.gaps'), dataIndex: 'competencies', render: (cs: { key: string; gap: number }[]) => cs.map((c) => <Tag key={c.key}>{`${c.key} −${c.gap}`}</Tag>) },
                  ]}
                />
              </Flex>
            ) : (
              <Typography.Text type="secondary">{t('needs.noAnalysis')}</Typography.Text>
            ),
          },
          {
            key: 'confirmations',
            label: t('needs.confirmations'),
            children: (
              <Table
                size="small"
                rowKey="taskId"
                pagination={false}
                scroll={{ x: true }}
                dataSource={[...cycle.confirmations.approvals, ...cycle.confirmations.participants]}
                columns={[
                  { title: t('needs.who'), dataIndex: 'who', render: (id: string | null) => nameOf(id) },
                  { title: t('plan.version'), dataIndex: 'version' },
                  { title: t('plans.status'), dataIndex: 'status', render: (s: string, c) => (c.outcome ? lookup(`outcome.${c.outcome}`, c.outcome) : lookup(`taskStatus.${s}`, s)) },
                  { title: t('plan.comment'), dataIndex: 'comment' },
                  { title: t('plan.decidedAt'), dataIndex: 'decidedAt', render: (at: string | null) => formatMoment(locale, at) },
                ]}
              />
            ),
          },
          { key: 'timeline', label: t('plan.timeline'), children: <FlowTimeline flowId={cycle.flowId} refresh={cycle.status} /> },
        ]}
      />
    </Flex>
  );
}

function LevelInputs({ cycle, name }: { cycle: Cycle; name: string }) {
  return (
    <>
      {cycle.competencies.map((c) => (
        <Form.Item key={c.key} name={[name, c.key]} label={c.name} rules={[{ required: true }]}>
          <RatingInput aria-label={c.name} />
        </Form.Item>
      ))}
    </>
  );
}

function SurveyForm({ cycle, onDone }: { cycle: Cycle; onDone(): unknown }) {
  const { t, lookup } = useI18n();
  return (
    <ActionForm<{ selfRatings: Record<string, number>; needs?: string; preferredFormats?: (typeof METHODS)[number][] }>
      title={t('needs.surveyTitle')}
      className="survey-form"
      submit={t('needs.sendSurvey')}
      send={(v) => answer(api.POST('/api/v1/needs-cycles/{id}/survey', { params: { path: { id: cycle.id } }, body: { ...v, preferredFormats: v.preferredFormats ?? [] } }))}
      onSent={onDone}
    >
      <Typography.Paragraph type="secondary">{t('needs.selfHint')}</Typography.Paragraph>
      <LevelInputs cycle={cycle} name="selfRatings" />
      <Form.Item name="needs" label={t('needs.needsText')}><Input.TextArea rows={3} maxLength={4000} /></Form.Item>
      <Form.Item name="preferredFormats" label={t('needs.formats')}><Checkbox.Group options={METHODS.map((m) => ({ value: m, label: lookup(`method.${m}`, m) }))} /></Form.Item>
    </ActionForm>
  );
}

function ObservationForm({ cycle, participantId, participantName, onDone }: { cycle: Cycle; participantId: string; participantName: string; onDone(): unknown }) {
  const { t } = useI18n();
  return (
    <ActionForm<{ observedLevels: Record<string, number>; notes?: string }>
      title={t('needs.observeTitle', { name: participantName })}
      className="observation-form"
      submit={t('needs.sendObservation')}
      send={(v) => answer(api.POST('/api/v1/needs-cycles/{id}/observations', { params: { path: { id: cycle.id } }, body: { participantId, ...v } }))}
      onSent={onDone}
    >
      <LevelInputs cycle={cycle} name="observedLevels" />
      <Form.Item name="notes" label={t('needs.notes')}><Input.TextArea rows={2} maxLength={4000} /></Form.Item>
    </ActionForm>
  );
}

function AdjustmentForm({ cycle, onDone }: { cycle: Cycle; onDone(): unknown }) {
  const { t } = useI18n();
  return (
    <ActionForm<{ requiredLevels?: Record<string, number | null>; excluded?: string[]; note: string }>
      title={t('needs.adjustTitle')}
      submit={t('needs.adjust')}
      send={(v) =>
        answer(
          api.POST('/api/v1/needs-cycles/{id}/adjustment', {
            params: { path: { id: cycle.id } },
            body: { requiredLevels: Object.fromEntries(Object.entries(v.requiredLevels ?? {}).filter((e): e is [string, number] => typeof e[1] === 'number')), excluded: v.excluded ?? [], note: v.note },
          }),
        )
      }
      onSent={onDone}
    >
      <Space wrap>
        {cycle.competencies.map((c) => (
          <Form.Item key={c.key} name={['requiredLevels', c.key]} label={`${c.name} (${t('needs.required')} ${c.requiredLevel})`}>
            <InputNumber min={1} max={5} />
          </Form.Item>
        ))}
      </Space>
      <Form.Item name="excluded" label={t('needs.excluded')}><Select mode="multiple" options={cycle.competencies.map((c) => ({ value: c.key, label: c.name }))} /></Form.Item>
      <Form.Item name="note" label={t('needs.adjustNote')} rules={[{ required: true }]}><Input.TextArea rows={2} /></Form.Item>
    </ActionForm>
  );
}
