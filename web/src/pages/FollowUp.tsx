import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Flex, Form, Input, InputNumber, List, Row, Space, Statistic, Table, Tabs, Tag, Typography, Upload } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { answer, api, ApiProblem, type Schemas } from '../api';
import { BarChart } from '../components/BarChart';
import { ActionForm, CommentInput, PersonSelect, RatingInput } from '../components/forms';
import { FlowTimeline } from '../components/Timeline';
import { formatDay, formatYuan } from '../format';
import { useI18n } from '../i18n';
import { ProblemAlert, useLoaded } from '../loaded';
import { Link } from '../router';
import { hasRole, useSession } from '../session';

type FollowUp = Schemas['FollowUp'];
type Participant = FollowUp['participants'][number];
type Report = Schemas['FollowUpReport'];
type OpenTask = FollowUp['openTasks'][number];
const REPORT_READERS = ['hr', 'hr_director', 'executive', 'admin', 'manager'] as const;
const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);
const employeeOf = (task: OpenTask) => (task.payload as { employeeId?: string } | null)?.employeeId;

/** A programme's follow-up: every participant's scores, checkpoints and coaching, the forms the
 *  flow is asking the caller for, and once everyone is through, the evaluation with its charts. */
export function FollowUpPage({ planId }: { planId: string }) {
  const { t, lookup } = useI18n();
  const { caller } = useSession();
  const { message } = App.useApp();
  const { data, problem, reload } = useLoaded(async () => {
    const followUp = await answer(api.GET('/api/v1/training-plans/{id}/follow-up', { params: { path: { id: planId } } }));
    const report = followUp.reportedAt && hasRole(caller, ...REPORT_READERS) ? await answer(api.GET('/api/v1/training-plans/{id}/follow-up/report', { params: { path: { id: planId } } })) : undefined;
    return { followUp, report };
  }, planId);
  if (problem) return <ProblemAlert problem={problem} />;
  if (!data) return null;
  const { followUp, report } = data;
  const sent = async (what: string) => {
    await reload();
    message.success(what);
  };

  return (
    <Flex vertical gap="middle">
      <Space wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('followUp.title', { title: followUp.title })}</Typography.Title>
        <Tag color={followUp.status === 'running' ? 'blue' : 'green'}>{lookup(`followUpStatus.${followUp.status}`, followUp.status)}</Tag>
      </Space>
      <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
        <Descriptions.Item label={t('sessions.plan')}><Link to={`/plans/${planId}`}>{followUp.title}</Link></Descriptions.Item>
        <Descriptions.Item label={t('followUp.passMark')}>{followUp.passMark}</Descriptions.Item>
        <Descriptions.Item label={t('followUp.competencies')}>{followUp.competencies.join('、')}</Descriptions.Item>
        <Descriptions.Item label={t('followUp.targets')}>{followUp.targets.map((x) => `${x.metric} ${x.target}${x.unit ?? ''}`).join('; ') || '—'}</Descriptions.Item>
      </Descriptions>
      <FollowUpForms planId={planId} followUp={followUp} onSent={sent} />
      <Tabs
        items={[
          { key: 'participants', label: t('followUp.participants', { count: followUp.participants.length }), children: <Participants planId={planId} followUp={followUp} onSent={sent} /> },
          ...(report ? [{ key: 'report', label: t('followUp.report'), children: <ReportView planId={planId} report={report} /> }] : []),
          { key: 'timeline', label: t('plan.timeline'), children: <FlowTimeline flowId={followUp.flowId} refresh={followUp.status} /> },
        ]}
      />
    </Flex>
  );
}

/** The forms the flow asks of the caller now, one per open task of theirs. */
function FollowUpForms({ planId, followUp, onSent }: { planId: string; followUp: FollowUp; onSent(what: string): unknown }) {
  const { t } = useI18n();
  const { caller, nameOf } = useSession();
  const mine = followUp.openTasks.filter((task) => task.assigneeId === caller.id);
  const toParticipant = (employeeId: string) => ({ params: { path: { id: planId, employeeId } } });
  const retesting = followUp.openTasks.some((task) => task.type === 'followup_retest');
  const scoring = mine.some((task) => task.type === 'followup_scores') || (retesting && hasRole(caller, 'hr', 'trainer'));

  return (
    <>
      {scoring && <ScoresForm planId={planId} followUp={followUp} onSent={() => onSent(t('followUp.scoresSent'))} />}
      {mine.map((task) => {
        const employeeId = employeeOf(task);
        // What every answer form here shares: its task's title, a send button, a reload when sent.
        const common = (className: string, title = task.title) => ({ title, className, submit: t('followUp.send'), onSent: () => onSent(t('followUp.sent')) });
        const path = toParticipant(employeeId ?? '');
        if (task.type === 'followup_baseline' && employeeId)
          return (
            <ActionForm<{ levels: Record<string, number> }>
              key={task.id}
              {...common('baseline-form', t('followUp.baselineFor', { name: nameOf(employeeId) }))}
              send={(body) => answer(api.POST('/api/v1/training-plans/{id}/follow-up/participants/{employeeId}/baseline', { ...path, body }))}
            >
              <LevelInputs competencies={followUp.competencies} />
            </ActionForm>
          );
        if (task.type === 'followup_behaviour' && employeeId)
          return (
            <ActionForm<{ levels: Record<string, number>; comment?: string }>
              key={task.id}
              {...common('behaviour-form')}
              send={(body) => answer(api.POST('/api/v1/training-plans/{id}/follow-up/participants/{employeeId}/behaviour', { ...path, body }))}
            >
              <LevelInputs competencies={followUp.competencies} />
              <CommentInput max={4000} />
            </ActionForm>
          );
        if (task.type === 'followup_application' && employeeId)
          return (
            <ActionForm<{ level: number; examples: string }>
              key={task.id}
              {...common('application-form')}
              send={(body) => answer(api.POST('/api/v1/training-plans/{id}/follow-up/participants/{employeeId}/application', { ...path, body }))}
            >
              <Form.Item name="level" label={t('followUp.applicationLevel')} rules={[{ required: true }]}>
                <RatingInput aria-label={t('followUp.applicationLevel')} />
              </Form.Item>
              <Form.Item name="examples" label={t('followUp.examples')} rules={[{ required: true }]}>
                <Input.TextArea rows={3} maxLength={4000} />
              </Form.Item>
            </ActionForm>
          );
        if (task.type === 'followup_coaching' && employeeId)
          return (
            <ActionForm<{ heldOn: Dayjs; minutes: number; notes: string }>
              key={task.id}
              {...common('coaching-form')}
              submit={t('followUp.logCoaching')}
              onSent={() => onSent(t('followUp.coachingLogged'))}
              send={({ heldOn, ...rest }) =>
                answer(api.POST('/api/v1/training-plans/{id}/follow-up/participants/{employeeId}/coaching-sessions', { ...path, body: { ...rest, heldOn: heldOn.format('YYYY-MM-DD') } }))
              }
            >
              <Form.Item name="heldOn" label={t('followUp.heldOn')} rules={[{ required: true }]}>
                <DatePicker />
              </Form.Item>
              <Form.Item name="minutes" label={t('handover.minutes')} rules={[{ required: true }]}>
                <InputNumber min={1} max={600} />
              </Form.Item>
              <Form.Item name="notes" label={t('handover.notes')} rules={[{ required: true }]}>
                <Input.TextArea rows={3} maxLength={4000} />
              </Form.Item>
            </ActionForm>
          );
        if (task.type === 'followup_results')
          return (
            <ActionForm<{ actuals: { actual: number }[] }>
              key={task.id}
              {...common('results-form')}
              send={({ actuals }) => {
                const body = { actuals: followUp.targets.map((x, n) => ({ metric: x.metric, actual: actuals[n]!.actual })) };
                return answer(api.POST('/api/v1/training-plans/{id}/follow-up/results', { params: { path: { id: planId } }, body }));
              }}
            >
              {followUp.targets.map((x, n) => (
                <Form.Item key={x.metric} name={['actuals', n, 'actual']} label={t('followUp.actualOf', { metric: x.metric, target: `${x.target}${x.unit ?? ''}` })} rules={[{ required: true }]}>
                  <InputNumber />
                </Form.Item>
              ))}
            </ActionForm>
          );
        return null;
      })}
    </>
  );
}

/** One rating 1–5 per competency, as `levels.<competency>`. */
function LevelInputs({ competencies }: { competencies: string[] }) {
  return competencies.map((c) => (
    <Form.Item key={c} name={['levels', c]} label={c} rules={[{ required: true }]}>
      <RatingInput aria-label={c} />
    </Form.Item>
  ));
}

/**
 * The score table: everyone still without a passing score; the rows left empty are not sent. A
 * CSV (`employeeId,score`) can be uploaded instead. One bad row refuses the whole table, and the
 * API names each: shown on its row.
 */
function ScoresForm({ planId, followUp, onSent }: { planId: string; followUp: FollowUp; onSent(): unknown }) {
  const { t } = useI18n();
  const { nameOf } = useSession();
  const [csvProblem, setCsvProblem] = useState<ApiProblem>();
  const waiting = followUp.participants.filter((p) => !p.scores.some((s) => s.passed) && p.scores.length < 2);
  const path = { params: { path: { id: planId } } };

  // The form holds only the scores (a form sends only the fields it shows); row n is waiting[n].
  async function send({ scores = [] }: { scores?: ({ score?: number | null } | undefined)[] }) {
    const filled = waiting.map((p, n) => ({ employeeId: p.employeeId, score: scores[n]?.score, n })).filter((s): s is typeof s & { score: number } => typeof s.score === 'number');
    try {
      return await answer(api.POST('/api/v1/training-plans/{id}/follow-up/scores', { ...path, body: { scores: filled.map(({ employeeId, score }) => ({ employeeId, score })) } }));
    } catch (err) {
      // The API numbers the rows it was sent; the form numbers every row it shows.
      if (!(err instanceof ApiProblem)) throw err;
      const shown = (field: string) => field.replace(/^(body\.)?scores\.(\d+)/, (_, _body: string, i: string) => `scores.${filled[Number(i)]?.n ?? i}`);
      throw new ApiProblem(err.status, err.title, err.detail, err.errors.map((e) => ({ ...e, field: shown(e.field) })), err.code);
    }
  }

  async function upload(file: File) {
    const csv = await file.text();
    try {
      await answer(api.POST('/api/v1/training-plans/{id}/follow-up/scores', { ...path, body: csv as never, bodySerializer: (b: unknown) => b as string, headers: { 'Content-Type': 'text/csv' } }));
      setCsvProblem(undefined);
      await onSent();
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
      setCsvProblem(err);
    }
  }

  return (
    <ActionForm<{ scores?: ({ score?: number | null } | undefined)[] }>
      title={t('followUp.scores')}
      className="scores-form"
      submit={t('followUp.sendScores')}
      send={send}
      onSent={onSent}
      extra={
        <Upload accept=".csv,text/csv" showUploadList={false} beforeUpload={(file) => (void upload(file), false)}>
          <Button>{t('followUp.uploadCsv')}</Button>
        </Upload>
      }
    >
      {csvProblem && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={csvProblem.detail ?? csvProblem.title} description={<ul>{csvProblem.errors.map((e) => <li key={e.field}>{`${e.field}: ${e.reason}`}</li>)}</ul>} />}
      <Typography.Paragraph type="secondary">{t('followUp.scoresHint', { passMark: followUp.passMark })}</Typography.Paragraph>
      {waiting.map((p, n) => (
        <Form.Item key={p.employeeId} name={['scores', n, 'score']} label={`${nameOf(p.employeeId)}${p.scores.length ? ` · ${t('followUp.retest')}` : ''}`}>
          <InputNumber min={0} max={100} />
        </Form.Item>
      ))}
    </ActionForm>
  );
}

function Participants({ planId, followUp, onSent }: { planId: string; followUp: FollowUp; onSent(what: string): unknown }) {
  const { t, lookup, locale } = useI18n();
  const { caller, nameOf } = useSession();
  const mean = (levels: Record<string, number> | null) => (levels && Object.keys(levels).length ? (Object.values(levels).reduce((a, b) => a + b, 0) / Object.keys(levels).length).toFixed(1) : '—');
  return (
    <Table<Participant>
      className="follow-up-participants"
      size="small"
      rowKey="employeeId"
      pagination={{ defaultPageSize: 50, hideOnSinglePage: true }}
      scroll={{ x: true }}
      dataSource={followUp.participants}
      expandable={{
        expandedRowRender: (p) => (
          <Flex vertical gap="small">
            <List
              size="small"
              header={t('followUp.checkpoints')}
              dataSource={p.checkpoints}
              locale={{ emptyText: '—' }}
              renderItem={(c) => (
                <List.Item>
                  {`#${c.checkpointNo} · ${t('followUp.applicationLevel')}: ${c.application ?? '—'}${c.examples ? ` “${c.examples}”` : ''} · ${t('followUp.observed')}: ${mean(c.observed)}${c.observerComment ? ` “${c.observerComment}”` : ''}`}
                </List.Item>
              )}
            />
            <List size="small" header={t('followUp.coaching')} dataSource={p.coachingSessions} locale={{ emptyText: '—' }} renderItem={(c) => <List.Item>{`${formatDay(locale, c.heldOn)} · ${nameOf(c.coachId)} · ${c.minutes} min · ${c.notes}`}</List.Item>} />
            {hasRole(caller, 'hr') && p.status !== 'completed' && p.coachingSessions.length === 0 && (
              <ActionForm<{ mentorId: string }>
                layout="inline"
                submit={t('followUp.nameMentor')}
                send={(body) => answer(api.POST('/api/v1/training-plans/{id}/follow-up/participants/{employeeId}/mentor', { params: { path: { id: planId, employeeId: p.employeeId } }, body }))}
                onSent={() => onSent(t('followUp.mentorNamed'))}
              >
                <Form.Item name="mentorId" label={t('followUp.mentor')} rules={[{ required: true }]}>
                  <PersonSelect only={(e) => e.status === 'active' && e.id !== p.employeeId} />
                </Form.Item>
              </ActionForm>
            )}
          </Flex>
        ),
      }}
      columns={[
        { title: t('needs.participant'), dataIndex: 'employeeId', render: (id: string | null) => nameOf(id) },
        { title: t('plans.status'), dataIndex: 'status', render: (s: string) => <Tag>{lookup(`participantStatus.${s}`, s)}</Tag> },
        {
          title: t('followUp.score'),
          dataIndex: 'scores',
          render: (scores: Participant['scores']) => (scores.length ? <Space size={2}>{scores.map((s) => <Tag key={s.attempt} color={s.passed ? 'green' : 'red'}>{s.score}</Tag>)}</Space> : '—'),
        },
        { title: t('followUp.baseline'), dataIndex: 'baseline', render: (b: Participant['baseline'], p) => (b ? `${mean(b)} (${lookup(`baselineSource.${p.baselineSource}`, p.baselineSource ?? '')})` : '—') },
        { title: t('followUp.checkpoints'), dataIndex: 'checkpoints', render: (c: Participant['checkpoints']) => c.filter((x) => x.application !== null || x.observed !== null).length },
        { title: t('followUp.coaching'), dataIndex: 'coachingReason', render: (r: string | null, p) => (r ? `${lookup(`coachingReason.${r}`, r)} · ${p.coachingSessions.length}${p.recheck ? ` · ${t(`outcome.${p.recheck}`)}` : ''}` : '—') },
        { title: t('followUp.mentor'), dataIndex: 'mentorId', render: (id: string | null) => nameOf(id) },
      ]}
    />
  );
}

/** The evaluation: the programme's levels, each person's overall score and the modules' ratings
 *  as charts (their numbers in the tables beside them), targets against actuals, top performers. */
function ReportView({ planId, report }: { planId: string; report: Report }) {
  const { t, locale } = useI18n();
  const [downloading, setDownloading] = useState(false);
  async function download() {
    setDownloading(true);
    try {
      const { data } = await api.GET('/api/v1/training-plans/{id}/follow-up/report.csv', { params: { path: { id: planId } }, parseAs: 'blob' });
      if (!(data instanceof Blob)) return;
      const link = document.createElement('a');
      link.href = URL.createObjectURL(data);
      link.download = `follow-up-${planId}.csv`;
      link.click();
      URL.revokeObjectURL(link.href);
    } finally {
      setDownloading(false);
    }
  }
  const scored = report.people.filter((p) => p.overall !== null);
  return (
    <Flex vertical gap="middle" className="follow-up-report">
      <Row gutter={[16, 16]}>
        {(
          [
            ['followUp.overall', report.overall ?? '—'],
            ['sessions.attendanceRate', percent(report.attendanceRate)],
            ['followUp.reaction', report.reaction ?? '—'],
            ['followUp.meanScore', report.knowledge.meanScore ?? '—'],
            ['followUp.passRate', percent(report.knowledge.passRate)],
            ['followUp.application', report.application ?? '—'],
            ['followUp.behaviourChange', report.behaviourChange ?? '—'],
            ['followUp.resultsScore', report.results.score ?? '—'],
            ['followUp.costPerParticipant', report.costPerParticipantFen === null ? '—' : formatYuan(locale, report.costPerParticipantFen)],
          ] as const
        ).map(([key, value]) => (
          <Col key={key} xs={12} sm={8} md={6}>
            <Card size="small"><Statistic title={t(key)} value={value} /></Card>
          </Col>
        ))}
      </Row>
      <Space>
        <Button onClick={download} loading={downloading}>{t('followUp.downloadCsv')}</Button>
      </Space>
      {scored.length > 0 && (
        <Card size="small" title={t('followUp.overallByPerson')}>
          <BarChart label={t('followUp.overallByPerson')} rows={scored.map((p) => p.name)} max={100} series={[{ name: t('followUp.overall'), colour: '#0958d9', values: scored.map((p) => p.overall) }]} />
        </Card>
      )}
      {report.modules.length > 0 && (
        <Card size="small" title={t('followUp.modules')}>
          <BarChart label={t('followUp.modules')} rows={report.modules.map((m) => m.title)} max={5} series={[{ name: t('followUp.reaction'), colour: '#389e0d', values: report.modules.map((m) => m.rating) }]} />
          {report.modules.some((m) => m.flagged) && <Alert type="warning" message={t('followUp.flagged', { modules: report.modules.filter((m) => m.flagged).map((m) => m.title).join('、') })} />}
        </Card>
      )}
      {report.results.targets.length > 0 && (
        <Table
          size="small"
          rowKey="metric"
          pagination={false}
          title={() => t('followUp.targets')}
          dataSource={report.results.targets}
          columns={[
            { title: t('editor.metric'), dataIndex: 'metric' },
            { title: t('editor.target'), dataIndex: 'target', render: (v: number, x) => `${v}${x.unit ?? ''}${x.better === 'lower' ? ' ↓' : ''}` },
            { title: t('followUp.actual'), dataIndex: 'actual', render: (v: number | undefined, x) => (v === undefined ? '—' : `${v}${x.unit ?? ''}`) },
            { title: t('followUp.achievement'), dataIndex: 'achievement', render: percent },
          ]}
        />
      )}
      {report.topPerformers.length > 0 && <Alert type="success" message={t('followUp.topPerformers', { names: report.topPerformers.map((p) => `${p.name} (${p.overall})`).join('、') })} />}
      <Table
        size="small"
        rowKey="employeeId"
        pagination={false}
        scroll={{ x: true }}
        dataSource={report.people}
        columns={[
          { title: t('needs.participant'), dataIndex: 'name' },
          { title: t('sessions.attendanceRate'), dataIndex: ['attendance', 'rate'], render: percent },
          { title: t('followUp.reaction'), dataIndex: 'reaction', render: (v: number | null) => v ?? '—' },
          { title: t('followUp.score'), dataIndex: 'knowledge', render: (k: Report['people'][number]['knowledge']) => (k ? `${k.score}${k.retested ? ` (${t('followUp.retest')})` : ''}` : '—') },
          { title: t('followUp.application'), dataIndex: 'application', render: (v: number | null) => v ?? '—' },
          { title: t('followUp.behaviourChange'), dataIndex: 'behaviour', render: (b: Report['people'][number]['behaviour']) => (b ? `${b.baseline} → ${b.observed}` : '—') },
          { title: t('followUp.overall'), dataIndex: 'overall', render: (v: number | null) => v ?? '—' },
          { title: t('followUp.missing'), dataIndex: 'missing', render: (m: string[]) => m.join(', ') },
        ]}
      />
    </Flex>
  );
}
