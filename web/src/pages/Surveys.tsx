import { Alert, App, Button, Card, DatePicker, Flex, Form, Input, List, Radio, Rate, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { answer, api, ApiProblem, type Survey, type SurveyRun } from '../api';
import { BarChart } from '../components/BarChart';
import { ActionForm, momentField, PersonSelect } from '../components/forms';
import { formatMoment } from '../format';
import { useI18n } from '../i18n';
import { ProblemAlert, useLoaded } from '../loaded';
import { Link, useLocation } from '../router';
import { hasRole, SURVEY_READERS, useSession } from '../session';

type Question = { key: string; text: string; kind: 'rating' | 'text' };
type Schedule = { every?: string; cron?: string };
/** One group's results; `averages` and `texts` are null where the group is too small to show. */
type Group = { responses: number; averages: Record<string, number> | null; texts: Record<string, string[]> | null };
type Results = { invited: number; responses: number; overall: Group; byDepartment: Record<string, Group>; trend: Record<string, number> | null };
type ScheduleKind = keyof typeof PRESETS | 'every' | 'cron';
type Values = { title: string; questions: Question[]; departmentIds: string[]; anonymous: boolean; kind: ScheduleKind; schedule?: Schedule; answerWithin: string };

/**
 * Quarterly and monthly as calendar crons (09:00 Beijing time, 01:00 UTC, on the first day): the
 * API refuses months in a period (its durations have weeks at most).
 */
const PRESETS = { quarterly: '0 1 1 */3 *', monthly: '0 1 1 * *' } as const;
/** A period as the API's durations take it: weeks, days, hours, minutes, seconds. Checked here
 *  too, so the field says so as it is typed. */
const PERIOD = /^P(?!$)(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const RUN_COLOURS: Record<string, string> = { open: 'green', closed: 'default' };
/** The latest runs in the trend chart, oldest first: light to dark. */
const TREND_COLOURS = ['#91caff', '#4096ff', '#0958d9', '#002c8c'];

const questionsOf = (s: { questions?: unknown }) => (s.questions ?? []) as Question[];
const presetOf = (s: Schedule | undefined) => (Object.keys(PRESETS) as (keyof typeof PRESETS)[]).find((k) => PRESETS[k] === s?.cron);

/** "Quarterly", "every PT2S", "cron 0 9 1 * *": a schedule as people read it. */
function useScheduleText() {
  const { t } = useI18n();
  return (s: Schedule) => {
    const preset = presetOf(s);
    if (preset) return t(`survey.every.${preset}`);
    return s.cron ? t('survey.cronIs', { cron: s.cron }) : t('survey.everyIs', { every: s.every ?? '' });
  };
}

/** 员工调研: the surveys with their status and latest runs; HR pauses, resumes, runs now, deletes. */
export function SurveysPage() {
  const { t, lookup, departmentName } = useI18n();
  const { caller, directory } = useSession();
  const { go } = useLocation();
  const { message } = App.useApp();
  const scheduleText = useScheduleText();
  const [page, setPage] = useState(1);
  const { data, problem, reload } = useLoaded(() => answer(api.GET('/api/v1/surveys', { params: { query: { limit: 20, offset: (page - 1) * 20 } } })), String(page));
  const hr = hasRole(caller, 'hr');
  if (problem) return <ProblemAlert problem={problem} />;

  /** One of HR's buttons: says what happened, or the API's refusal (a run still open), and reads the list again. */
  async function act(call: Promise<unknown>, done: string) {
    try {
      await call;
      message.success(done);
    } catch (err) {
      message.error(err instanceof ApiProblem ? (err.detail ?? err.title) : String(err));
    }
    await reload();
  }
  const path = (s: Survey) => ({ params: { path: { id: s.id } } });

  return (
    <Flex vertical gap="middle">
      <Flex justify="space-between" align="center" wrap gap="small">
        <Typography.Title level={3} style={{ margin: 0 }}>{t('survey.title')}</Typography.Title>
        {hr && <Button type="primary" onClick={() => go('/surveys/new')}>{t('survey.new')}</Button>}
      </Flex>
      <Table<Survey>
        className="surveys"
        rowKey="id"
        loading={!data}
        dataSource={data?.items}
        scroll={{ x: true }}
        pagination={{ current: page, pageSize: 20, total: data?.total, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('survey.name'), dataIndex: 'title', render: (title: string, s) => (hr ? <Link to={`/surveys/${s.id}/edit`}>{title}</Link> : title) },
          { title: t('plans.status'), dataIndex: 'status', render: (st: string) => <Tag color={st === 'active' ? 'green' : 'orange'}>{lookup(`surveyStatus.${st}`, st)}</Tag> },
          { title: t('survey.schedule'), dataIndex: 'schedule', render: (s: Schedule) => scheduleText(s) },
          {
            title: t('survey.departments'),
            dataIndex: 'departmentIds',
            render: (ids: string[]) => (ids.length ? ids.map((id) => { const d = directory.departments.get(id); return d ? departmentName(d) : id; }).join(t('action.namesJoin')) : t('survey.everyone')),
          },
          {
            title: t('survey.runs'),
            dataIndex: 'runs',
            render: (runs: Survey['runs']) => (
              <Space wrap size={4}>
                {runs.slice(0, 3).map((r) => (
                  <Link key={r.id} to={`/survey-runs/${r.id}`}>
                    <Tag color={RUN_COLOURS[r.status]}>{t('survey.runLink', { no: r.runNo, status: lookup(`runStatus.${r.status}`, r.status) })}</Tag>
                  </Link>
                ))}
                {!runs.length && t('survey.noRuns')}
              </Space>
            ),
          },
          ...(hr
            ? [
                {
                  title: <span className="sr-only">{t('away.actions')}</span>,
                  key: 'actions',
                  render: (_: unknown, s: Survey) => (
                    <Space wrap size={4}>
                      {s.status === 'active' ? (
                        <Button size="small" onClick={() => act(answer(api.POST('/api/v1/surveys/{id}/pause', path(s))), t('survey.paused'))}>{t('survey.pause')}</Button>
                      ) : (
                        <Button size="small" onClick={() => act(answer(api.POST('/api/v1/surveys/{id}/resume', path(s))), t('survey.resumed'))}>{t('survey.resume')}</Button>
                      )}
                      <Button size="small" onClick={() => act(answer(api.POST('/api/v1/surveys/{id}/run-now', path(s))), t('survey.started'))}>{t('survey.runNow')}</Button>
                      <Button size="small" danger onClick={() => act(answer(api.DELETE('/api/v1/surveys/{id}', path(s))), t('survey.deleted'))}>{t('survey.delete')}</Button>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Flex>
  );
}

/** HR defines a survey, or changes one: later runs ask what it says then. */
export function SurveyEditorPage({ surveyId }: { surveyId?: string }) {
  const { data: survey, problem } = useLoaded(() => (surveyId ? answer(api.GET('/api/v1/surveys/{id}', { params: { path: { id: surveyId } } })) : Promise.resolve(undefined)), surveyId ?? 'new');
  if (problem) return <ProblemAlert problem={problem} />;
  if (surveyId && !survey) return null;
  return <SurveyForm survey={survey} />;
}

function SurveyForm({ survey }: { survey?: Survey }) {
  const { t, departmentName } = useI18n();
  const { directory } = useSession();
  const { go } = useLocation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const schedule = survey?.schedule as Schedule | undefined;
  const initialValues: Partial<Values> = survey
    ? {
        title: survey.title,
        questions: questionsOf(survey),
        departmentIds: survey.departmentIds,
        anonymous: survey.anonymous,
        kind: presetOf(schedule) ?? (schedule?.cron ? 'cron' : 'every'),
        schedule,
        answerWithin: survey.answerWithin,
      }
    : { questions: [{ key: '', text: '', kind: 'rating' }], departmentIds: [], anonymous: true, kind: 'quarterly', answerWithin: 'P5D' };

  async function send({ kind: k, schedule: typed, anonymous, ...rest }: Values) {
    const body = { ...rest, schedule: k === 'every' ? { every: typed?.every } : { cron: k === 'cron' ? typed?.cron : PRESETS[k] } };
    if (survey) await answer(api.PATCH('/api/v1/surveys/{id}', { params: { path: { id: survey.id } }, body }));
    else await answer(api.POST('/api/v1/surveys', { body: { ...body, anonymous } }));
    message.success(survey ? t('survey.saved') : t('survey.created'));
  }

  return (
    <Flex vertical gap="middle">
      <Typography.Title level={3} style={{ margin: 0 }}>{survey ? t('survey.edit', { title: survey.title }) : t('survey.new')}</Typography.Title>
      <ActionForm<Values> className="survey-form" form={form} initialValues={initialValues} submit={survey ? t('survey.save') : t('survey.create')} send={send} onSent={() => go('/surveys')} extra={<Button onClick={() => go('/surveys')}>{t('common.cancel')}</Button>}>
        <Form.Item name="title" label={t('survey.name')} rules={[{ required: true, whitespace: true, message: t('survey.needTitle') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.List name="questions">
          {(items, { add, remove }) => (
            <Card size="small" title={t('survey.questions')} style={{ marginBottom: 16 }}>
              <Flex vertical gap="small">
                {items.map((item, i) => (
                  <Flex key={item.key} gap="small" wrap align="start" className="survey-question">
                    <Form.Item name={[item.name, 'key']} label={t('survey.key', { n: i + 1 })} rules={[{ required: true, message: t('survey.needKey') }]}>
                      <Input placeholder="pay" style={{ width: 120 }} />
                    </Form.Item>
                    <Form.Item name={[item.name, 'text']} label={t('survey.question', { n: i + 1 })} rules={[{ required: true, whitespace: true, message: t('survey.needText') }]} style={{ flex: 1, minWidth: 220 }}>
                      <Input maxLength={500} />
                    </Form.Item>
                    <Form.Item name={[item.name, 'kind']} label={t('survey.kind', { n: i + 1 })}>
                      <Select style={{ width: 120 }} options={(['rating', 'text'] as const).map((k) => ({ value: k, label: t(`survey.kind.${k}`) }))} />
                    </Form.Item>
                    {items.length > 1 && <Button onClick={() => remove(item.name)} style={{ marginTop: 30 }}>{t('editor.remove')}</Button>}
                  </Flex>
                ))}
                <Button onClick={() => add({ key: '', text: '', kind: 'rating' })}>{t('survey.addQuestion')}</Button>
              </Flex>
            </Card>
          )}
        </Form.List>
        <Form.Item name="departmentIds" label={t('survey.departments')} extra={t('survey.departmentsHint')}>
          <Select mode="multiple" allowClear optionFilterProp="label" options={[...directory.departments.values()].map((d) => ({ value: d.id, label: departmentName(d) }))} />
        </Form.Item>
        <Form.Item name="anonymous" label={t('survey.anonymous')} valuePropName="checked" extra={survey ? t('survey.anonymousFixed') : t('survey.anonymousHint')}>
          <Switch disabled={!!survey} />
        </Form.Item>
        <Form.Item name="kind" label={t('survey.schedule')}>
          <Radio.Group className="stacked-choice" options={(['quarterly', 'monthly', 'every', 'cron'] as const).map((k) => ({ value: k, label: t(`survey.every.${k}`) }))} />
        </Form.Item>
        {kind === 'every' && (
          <Form.Item name={['schedule', 'every']} label={t('survey.everyLabel')} extra={t('survey.everyHint')} rules={[{ required: true, message: t('survey.needEvery') }, { pattern: PERIOD, message: t('survey.badEvery') }]}>
            <Input placeholder="P2W" style={{ maxWidth: 240 }} />
          </Form.Item>
        )}
        {kind === 'cron' && (
          <Form.Item name={['schedule', 'cron']} label={t('survey.cronLabel')} extra={t('survey.cronHint')} rules={[{ required: true, message: t('survey.needCron') }]}>
            <Input placeholder="0 9 1 */3 *" style={{ maxWidth: 240 }} />
          </Form.Item>
        )}
        <Form.Item name="answerWithin" label={t('survey.answerWithin')} extra={t('survey.answerWithinHint')} rules={[{ required: true, message: t('survey.needAnswerWithin') }]}>
          <Input placeholder="P5D" style={{ maxWidth: 240 }} />
        </Form.Item>
      </ActionForm>
    </Flex>
  );
}

/** A run: the questionnaire for a person asked, and for overseers the results by department with the trend. */
export function SurveyRunPage({ runId }: { runId: string }) {
  const { t, lookup, locale } = useI18n();
  const { caller } = useSession();
  const { data: run, problem, reload } = useLoaded(() => answer(api.GET('/api/v1/survey-runs/{id}', { params: { path: { id: runId } } })), runId);
  if (problem) return <ProblemAlert problem={problem} />;
  if (!run) return null;
  const overseer = hasRole(caller, ...SURVEY_READERS);
  const open = run.status === 'open';
  return (
    <Flex vertical gap="middle">
      <Space wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>{run.title}</Typography.Title>
        <Tag color={RUN_COLOURS[run.status]}>{lookup(`runStatus.${run.status}`, run.status)}</Tag>
        {run.anonymous && <Tag>{t('survey.anonymous')}</Tag>}
      </Space>
      <Typography.Text type="secondary">{t(open ? 'survey.closesAt' : 'survey.closedAt', { when: formatMoment(locale, run.closesAt) })}</Typography.Text>
      {run.me?.asked &&
        (run.me.answered ? (
          <Alert className="survey-answered" type="success" showIcon message={t('survey.answered')} description={run.anonymous ? t('survey.answeredAnonymous') : undefined} />
        ) : open ? (
          <Questionnaire run={run} onAnswered={reload} />
        ) : (
          <Alert type="info" showIcon message={t('survey.missed')} />
        ))}
      {overseer && <RunResults run={run} onAssigned={reload} />}
    </Flex>
  );
}

function Questionnaire({ run, onAnswered }: { run: SurveyRun; onAnswered(): unknown }) {
  const { t } = useI18n();
  return (
    <ActionForm<{ answers: Record<string, number | string> }>
      title={t('survey.questionnaire')}
      className="questionnaire"
      submit={t('survey.send')}
      send={(body) => answer(api.POST('/api/v1/survey-runs/{id}/answers', { params: { path: { id: run.id } }, body }))}
      onSent={onAnswered}
    >
      {run.anonymous && <Typography.Paragraph type="secondary">{t('survey.anonymousNote')}</Typography.Paragraph>}
      {questionsOf(run).map((q) => (
        <Form.Item key={q.key} name={['answers', q.key]} label={q.text} rules={[q.kind === 'rating' ? { required: true, type: 'number', message: t('survey.needRating') } : { required: true, whitespace: true, message: t('survey.needAnswer') }]}>
          {q.kind === 'rating' ? (
            <StarRating />
          ) : (
            <Input.TextArea rows={3} maxLength={2000} />
          )}
        </Form.Item>
      ))}
    </ActionForm>
  );
}

/**
 * A rating 1–5 as stars, each named by its number (a screen reader says "4", not just "radio").
 * The form's aria-required and aria-invalid go on a radio group around them: antd draws the stars
 * in a list, which may not carry them.
 */
function StarRating({ value, onChange, ...group }: { value?: number; onChange?(value: number): void } & HTMLAttributes<HTMLDivElement>) {
  return (
    <div role="radiogroup" {...group}>
      <Rate
        // Stars a thumb can hit on a phone.
        style={{ fontSize: 32 }}
        value={value}
        onChange={onChange}
        character={({ index = 0 }) => (
          <>
            <span aria-hidden>★</span>
            <span className="sr-only">{index + 1}</span>
          </>
        )}
      />
    </div>
  );
}

function RunResults({ run, onAssigned }: { run: SurveyRun; onAssigned(): unknown }) {
  const { t, locale, departmentName } = useI18n();
  const { caller, directory } = useSession();
  const results = run.results as Results | null;
  if (!results) return <Alert type="info" showIcon message={t('survey.resultsLater', { when: formatMoment(locale, run.closesAt), invited: run.invited })} />;
  const questions = questionsOf(run);
  const ratings = questions.filter((q) => q.kind === 'rating');
  const departmentLabel = (id: string) => {
    const d = directory.departments.get(id);
    return d ? departmentName(d) : id;
  };
  type Row = { key: string; name: string; group?: Group; change?: Record<string, number> };
  const rows: Row[] = [
    { key: 'overall', name: t('survey.overall'), group: results.overall },
    ...Object.entries(results.byDepartment).map(([id, group]) => ({ key: id, name: departmentLabel(id), group })),
    ...(results.trend ? [{ key: 'trend', name: t('survey.trend'), change: results.trend }] : []),
  ];
  const signed = (n: number) => (n > 0 ? `+${n.toFixed(2)}` : n.toFixed(2));
  const texts = questions.filter((q) => q.kind === 'text');
  return (
    <>
      <Card size="small" title={t('survey.results', { responses: results.responses, invited: results.invited })}>
        <Table<Row>
          className="survey-results"
          size="small"
          rowKey="key"
          pagination={false}
          scroll={{ x: true }}
          dataSource={rows}
          columns={[
            { title: t('survey.group'), dataIndex: 'name' },
            { title: t('survey.responses'), key: 'responses', render: (_, r) => r.group?.responses ?? '' },
            ...ratings.map((q, i) => ({
              title: q.text,
              key: q.key,
              // A group too small to show says so once, across its rating columns.
              onCell: (r: Row) => ({ colSpan: r.group && !r.group.averages ? (i === 0 ? ratings.length : 0) : 1 }),
              render: (_: unknown, r: Row) => {
                if (r.change) return r.change[q.key] === undefined ? '—' : signed(r.change[q.key]!);
                if (!r.group?.averages) return <Typography.Text type="secondary">{t('survey.hidden')}</Typography.Text>;
                return r.group.averages[q.key]?.toFixed(2) ?? '—';
              },
            })),
          ]}
        />
        {texts.map((q) => (
          <List
            key={q.key}
            size="small"
            header={<strong>{q.text}</strong>}
            dataSource={results.overall.texts?.[q.key] ?? []}
            locale={{ emptyText: results.overall.texts ? t('survey.noTexts') : t('survey.hidden') }}
            renderItem={(text) => <List.Item>{text}</List.Item>}
          />
        ))}
      </Card>
      <RunTrend surveyId={run.surveyId} ratings={ratings} />
      {hasRole(caller, 'hr') && run.status === 'closed' && <ActionAssignment run={run} onAssigned={onAssigned} />}
    </>
  );
}

/** Each rating's overall average in the survey's latest shown runs, so a drift over several quarters is seen, not only the last step. */
function RunTrend({ surveyId, ratings }: { surveyId: string; ratings: Question[] }) {
  const { t } = useI18n();
  const { data: survey } = useLoaded(() => answer(api.GET('/api/v1/surveys/{id}', { params: { path: { id: surveyId } } })), surveyId);
  const averagesOf = (r: Survey['runs'][number]) => (r.results as Results | null)?.overall.averages;
  const shown = (survey?.runs ?? []).filter(averagesOf).sort((a, b) => a.runNo - b.runNo).slice(-TREND_COLOURS.length);
  if (shown.length < 2 || !ratings.length) return null;
  return (
    <Card size="small" title={t('survey.trendAcrossRuns')} className="survey-trend">
      <BarChart
        label={t('survey.trendAcrossRuns')}
        rows={ratings.map((q) => q.text)}
        max={5}
        series={shown.map((r, i) => ({ name: t('survey.runNo', { no: r.runNo }), colour: TREND_COLOURS[i]!, values: ratings.map((q) => averagesOf(r)![q.key] ?? null) }))}
      />
    </Card>
  );
}

type ActionValues = { title: string; ownerId: string; dueAt: string };

/** HR assigns an improvement action on the results: a task for its owner, chased until done. */
function ActionAssignment({ run, onAssigned }: { run: SurveyRun; onAssigned(): unknown }) {
  const { t } = useI18n();
  const { nameOf } = useSession();
  const { message } = App.useApp();
  return (
    <ActionForm<ActionValues>
      title={t('survey.assign')}
      className="survey-action"
      submit={t('survey.assignSubmit')}
      send={async (body) => {
        await answer(api.POST('/api/v1/survey-runs/{id}/actions', { params: { path: { id: run.id } }, body }));
        message.success(t('survey.assigned', { who: nameOf(body.ownerId) }));
      }}
      onSent={onAssigned}
    >
      <Form.Item name="title" label={t('survey.actionTitle')} rules={[{ required: true, whitespace: true, message: t('survey.needTitle') }]}>
        <Input maxLength={500} />
      </Form.Item>
      <Form.Item name="ownerId" label={t('survey.owner')} rules={[{ required: true, message: t('action.needPerson') }]}>
        <PersonSelect placeholder={t('action.search')} only={(p) => p.status === 'active'} />
      </Form.Item>
      <Form.Item name="dueAt" label={t('survey.dueAt')} rules={[{ required: true, message: t('survey.needDue') }]} {...momentField}>
        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
      </Form.Item>
    </ActionForm>
  );
}
