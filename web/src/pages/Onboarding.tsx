import { App, Button, Card, Checkbox, DatePicker, Descriptions, Empty, Flex, Form, Input, InputNumber, List, Radio, Select, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { answer, api, newIdempotencyKey, type Schemas } from '../api';
import { ActionForm, CancelFlow, CommentInput, dayField, PersonSelect, RatingInput } from '../components/forms';
import { formatDay, formatMoment, taskTitle } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { ProblemAlert, useLoaded } from '../loaded';
import { Link, useLocation } from '../router';
import { hasRole, useSession } from '../session';

type Onboarding = Schemas['Onboarding'];
type Step = Onboarding['steps'][number];
type Path = `/api/v1/onboardings/{employeeId}/${string}`;
const REFRESH_MS = 10_000;

/** 新员工入职: the hires the caller takes part in (all of them for HR). */
export function OnboardingsPage() {
  const { t, locale } = useI18n();
  const { caller, nameOf } = useSession();
  const { go } = useLocation();
  const loaded = useLoaded(() => answer(api.GET('/api/v1/onboardings', { params: { query: { limit: 100 } } })), 'all');
  if (loaded.problem) return <ProblemAlert problem={loaded.problem} />;
  return (
    <Flex vertical gap="middle">
      <Flex justify="space-between" align="center" wrap gap="small">
        <Typography.Title level={3} style={{ margin: 0 }}>{t('onboarding.list')}</Typography.Title>
        {hasRole(caller, 'hr') && <Button type="primary" onClick={() => go('/onboardings/new')}>{t('onboarding.register')}</Button>}
      </Flex>
      <List
        loading={!loaded.data}
        dataSource={loaded.data?.items ?? []}
        locale={{ emptyText: <Empty description={t('onboarding.none')} /> }}
        renderItem={(o) => (
          <List.Item key={o.employeeId}>
            <List.Item.Meta
              title={<Link to={`/onboardings/${o.employeeId}`}>{o.hire.name}</Link>}
              description={`${t('onboarding.startDate')} ${formatDay(locale, o.startDate)} · ${t('onboarding.manager')} ${nameOf(o.managerId)}`}
            />
            <StatusTag status={o.status} />
          </List.Item>
        )}
      />
    </Flex>
  );
}

const StatusTag = ({ status }: { status: string }) => {
  const { t } = useI18n();
  return <Tag color={status === 'open' ? 'blue' : status === 'passed' ? 'green' : 'default'}>{t(`onboarding.status.${status}` as MessageKey)}</Tag>;
};

/** The documents hires read (titles for their ids, and HR's choice when registering). */
const useDocuments = () => useLoaded(() => answer(api.GET('/api/v1/documents', { params: { query: { limit: 100 } } })), 'documents');

/** One hire's ninety days: the steps as a timeline (the late ones in red), the records, and the form of each step the reader holds. */
export function OnboardingPage({ employeeId }: { employeeId: string }) {
  const { t, locale } = useI18n();
  const { caller, nameOf } = useSession();
  const { message } = App.useApp();
  const loaded = useLoaded(() => answer(api.GET('/api/v1/onboardings/{employeeId}', { params: { path: { employeeId } } })), employeeId);
  const documents = useDocuments();
  const open = loaded.data?.status === 'open';
  const { reload } = loaded;
  useEffect(() => {
    if (!open) return;
    // Steps open as the flow moves (the first ones just after registration): seen within seconds while in view.
    const timer = setInterval(() => document.visibilityState === 'visible' && void reload().catch(() => {}), REFRESH_MS);
    return () => clearInterval(timer);
  }, [open, reload]);
  if (loaded.problem) return <ProblemAlert problem={loaded.problem} />;
  const o = loaded.data;
  if (!o) return null;
  const titleOf = (documentId: string) => documents.data?.items.find((d) => d.id === documentId)?.title ?? documentId;
  const steps = o.steps.filter((s) => s.status !== 'cancelled').sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  const late = steps.filter((s) => s.late && s.status === 'open').length;
  const mine = steps.filter((s) => s.status === 'open' && s.assigneeId === caller.id);
  return (
    <Flex vertical gap="middle" className="onboarding">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('onboarding.title', { who: o.hire.name })} <StatusTag status={o.status} />
      </Typography.Title>
      <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
        <Descriptions.Item label={t('onboarding.startDate')}>{formatDay(locale, o.startDate)}</Descriptions.Item>
        <Descriptions.Item label={t('onboarding.manager')}>{nameOf(o.managerId)}</Descriptions.Item>
        <Descriptions.Item label={t('onboarding.trainer')}>{nameOf(o.trainerId)}</Descriptions.Item>
        <Descriptions.Item label={t('onboarding.hr')}>{nameOf(o.hrId)}</Descriptions.Item>
      </Descriptions>
      {mine.map((s) => (
        <Card key={s.stepKey} size="small" title={taskTitle(locale, s.title)} styles={{ title: { whiteSpace: 'normal' } }} data-step={s.stepKey} className="onboarding-form">
          <StepForm onboarding={o} step={s} titleOf={titleOf} onSent={loaded.reload} />
        </Card>
      ))}
      <Card size="small" title={late ? t('onboarding.timelineLate', { n: late }) : t('onboarding.timeline')}>
        <Timeline items={steps.map((s) => ({ color: s.status === 'done' ? (s.late ? 'orange' : 'green') : s.late ? 'red' : 'blue', children: <StepLine step={s} hire={o.hire} /> }))} />
      </Card>
      <Records onboarding={o} titleOf={titleOf} />
      {open && hasRole(caller, 'hr') && (
        <CancelFlow
          labels={{ open: t('onboarding.cancel'), send: t('onboarding.cancelSend'), why: t('onboarding.cancelWhy') }}
          send={(body) => answer(api.POST('/api/v1/onboardings/{employeeId}/cancel', { params: { path: { employeeId } }, body }))}
          onSent={async () => (await reload(), message.success(t('onboarding.cancelled')))}
        />
      )}
    </Flex>
  );
}

function StepLine({ step: s, hire }: { step: Step; hire: Onboarding['hire'] }) {
  const { t, locale } = useI18n();
  const { nameOf } = useSession();
  // The directory was read at sign-in: a hire registered since is named by their onboarding.
  const holder = s.assigneeId === hire.id ? hire.name : nameOf(s.assigneeId);
  const state = s.status === 'done' ? (s.late ? 'doneLate' : 'done') : s.late ? 'late' : 'open';
  return (
    <div className={`onboarding-step ${state}`} data-step={s.stepKey}>
      <Typography.Text strong type={state === 'late' ? 'danger' : undefined}>{taskTitle(locale, s.title)}</Typography.Text>{' '}
      <Tag color={{ done: 'green', doneLate: 'orange', late: 'red', open: 'blue' }[state]}>{t(`onboarding.step.${state}`)}</Tag>
      <div>
        <Typography.Text type="secondary">
          {t('onboarding.due', { when: formatMoment(locale, s.dueAt) })} · {t('onboarding.holder', { who: holder })}
          {s.doneAt ? ` · ${t('onboarding.doneAt', { when: formatMoment(locale, s.doneAt) })}` : ''}
          {s.remindersSent || s.escalationLevel ? ` · ${t('onboarding.chased', { reminders: s.remindersSent, escalations: s.escalationLevel })}` : ''}
        </Typography.Text>
      </div>
    </div>
  );
}

function Records({ onboarding: o, titleOf }: { onboarding: Onboarding; titleOf(documentId: string): string }) {
  const { t, locale } = useI18n();
  const item = (label: string, value: ReactNode) => <Descriptions.Item label={label}>{value}</Descriptions.Item>;
  const none = t('onboarding.noneYet');
  return (
    <Card size="small" title={t('onboarding.records')}>
      <Descriptions size="small" column={1}>
        {item(t('onboarding.culture'), o.cultureAttestedAt ? formatMoment(locale, o.cultureAttestedAt) : none)}
        {item(t('onboarding.documents'), o.documents.length ? o.documents.map((d) => `${titleOf(d.documentId)} v${d.version}`).join(', ') : none)}
        {item(t('onboarding.training'), o.sessionId ? `${o.attendance ?? '—'}${o.trainingScore != null ? ` · ${o.trainingScore}` : ''}` : none)}
        {item(t('onboarding.drills'), o.drills.length ? o.drills.map((d) => `#${d.drillNo} ${d.mean} ${d.passed ? '✓' : '✗'}`).join(', ') : none)}
        {item(t('onboarding.coaching'), o.rules ? t('onboarding.coachingCount', { n: o.coaching.length, min: o.rules.coachingMinimum }) : String(o.coaching.length))}
        {item(t('onboarding.assessments'), o.assessments.length ? o.assessments.map((a) => `${a.round}.${a.attempt}: ${a.score} ${a.passed ? '✓' : '✗'}`).join(', ') : none)}
        {item(t('onboarding.checkIns'), o.checkIns.length ? o.checkIns.map((c) => `${c.checkpoint}: ${formatDay(locale, c.heldOn)} (${c.progress}/5)`).join(', ') : none)}
        {item(t('onboarding.pulses'), o.pulses.length ? o.pulses.map((p) => `${p.checkpoint}: ${[p.workload, p.support, p.confidence, p.belonging].join('/')}`).join(', ') : none)}
      </Descriptions>
    </Card>
  );
}

/** The number a step's key ends with: the check-in, the pulse. */
const numberIn = (stepKey: string) => Number(stepKey.split('/')[1]);

/** The form that completes the step, sent by whoever holds it. */
function StepForm({ onboarding: o, step, titleOf, onSent }: { onboarding: Onboarding; step: Step; titleOf(documentId: string): string; onSent(): unknown }) {
  const { t } = useI18n();
  // One key per answer: a resent form is the same answer; once it is in, the next (another coaching session) is new.
  const [key, setKey] = useState(newIdempotencyKey);
  const sent = () => {
    setKey(newIdempotencyKey());
    return onSent();
  };
  const post = (path: Path) => (body: object) =>
    answer(api.POST(path as '/api/v1/onboardings/{employeeId}/culture', { params: { path: { employeeId: o.employeeId } }, headers: { 'Idempotency-Key': key }, body: body as never }));
  const form = (path: Path, children: ReactNode, initialValues?: object, shape: (v: Record<string, unknown>) => object = (v) => v) => (
    <ActionForm<Record<string, unknown>> name={step.stepKey.replace(/\W/g, '-')} submit={t('onboarding.send')} initialValues={initialValues} send={(v) => post(path)(shape(v))} onSent={sent}>
      {children}
    </ActionForm>
  );
  const required = (message: MessageKey) => [{ required: true, message: t(message) }];
  const today = { heldOn: dayjs().format('YYYY-MM-DD') };
  const heldOn = (
    <Form.Item name="heldOn" label={t('onboarding.heldOn')} rules={required('onboarding.needDay')} {...dayField}>
      <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
    </Form.Item>
  );
  const notes = (label: MessageKey, needed = true) => (
    <Form.Item name="notes" label={t(label)} rules={needed ? [{ required: true, whitespace: true, message: t('onboarding.needNotes') }] : undefined}>
      <Input.TextArea rows={3} maxLength={4000} />
    </Form.Item>
  );
  const rating = (name: string) => (
    <Form.Item key={name} name={name} label={t(`onboarding.${name}` as MessageKey)} rules={required('onboarding.needRating')}>
      <RatingInput />
    </Form.Item>
  );
  switch (step.type) {
    case 'onboarding_culture':
      return form(
        '/api/v1/onboardings/{employeeId}/culture',
        <>
          <Form.Item name="attest" valuePropName="checked" rules={[{ validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error(t('onboarding.needAttest')))) }]}>
            <Checkbox>{t('onboarding.attest')}</Checkbox>
          </Form.Item>
          <Form.Item name="statement" label={t('onboarding.statement')}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        </>,
      );
    case 'onboarding_document': {
      const [, documentId, v] = step.stepKey.split('/');
      return form('/api/v1/onboardings/{employeeId}/documents', <Typography.Paragraph>{t('onboarding.confirmDocument', { doc: titleOf(documentId!), v: v! })}</Typography.Paragraph>, undefined, () => ({
        documentId,
        version: Number(v!.slice(1)),
      }));
    }
    case 'onboarding_pulse':
      return form(
        '/api/v1/onboardings/{employeeId}/pulse',
        <>
          {['workload', 'support', 'confidence', 'belonging'].map(rating)}
          <CommentInput />
        </>,
        undefined,
        (v) => ({ ...v, checkpoint: numberIn(step.stepKey) }),
      );
    case 'onboarding_drill':
      return form(
        '/api/v1/onboardings/{employeeId}/drills',
        <>
          <Form.Item name="scenario" label={t('onboarding.scenario')} rules={[{ required: true, whitespace: true, message: t('onboarding.needScenario') }]}>
            <Input maxLength={500} />
          </Form.Item>
          {(o.rules?.drillCriteria ?? []).map((c) => (
            <Form.Item key={c.key} name={['scores', c.key]} label={c.name} rules={required('onboarding.needRating')}>
              <RatingInput />
            </Form.Item>
          ))}
          {notes('onboarding.notes', false)}
        </>,
      );
    case 'onboarding_coaching':
      return form('/api/v1/onboardings/{employeeId}/coaching', <>{heldOn}{notes('onboarding.coachingNotes')}</>, today);
    case 'onboarding_check_in':
      return form(
        '/api/v1/onboardings/{employeeId}/check-ins',
        <>
          {heldOn}
          {rating('progress')}
          {notes('onboarding.checkInNotes')}
        </>,
        today,
        (v) => ({ ...v, checkpoint: numberIn(step.stepKey) }),
      );
    case 'onboarding_assessment':
      return form(
        '/api/v1/onboardings/{employeeId}/assessment',
        <>
          <Form.Item name="score" label={t('onboarding.score')} rules={required('onboarding.needScore')}>
            <InputNumber min={0} max={100} />
          </Form.Item>
          {notes('onboarding.notes', false)}
        </>,
      );
    case 'onboarding_enrolment':
      return form(
        '/api/v1/onboardings/{employeeId}/training',
        <Form.Item name="sessionId" label={t('onboarding.session')} rules={required('onboarding.needSession')}>
          <SessionSelect />
        </Form.Item>,
      );
    case 'onboarding_portfolio':
      return form(
        '/api/v1/onboardings/{employeeId}/portfolio',
        <Form.Item name="accountIds" label={t('onboarding.accounts')} rules={required('onboarding.needAccounts')}>
          <Select mode="tags" open={false} tokenSeparators={[',', ' ']} />
        </Form.Item>,
      );
    case 'onboarding_probation':
      return form(
        '/api/v1/onboardings/{employeeId}/probation',
        <>
          <Form.Item name="decision" label={t('onboarding.decision')} rules={required('onboarding.needDecision')}>
            <Radio.Group options={(['extend', 'reassign', 'end'] as const).map((d) => ({ value: d, label: t(`onboarding.decision.${d}`) }))} />
          </Form.Item>
          <Form.Item name="reason" label={t('onboarding.reason')} rules={[{ required: true, whitespace: true, message: t('onboarding.needNotes') }]}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          <Form.Item noStyle shouldUpdate={(a, b) => a.decision !== b.decision}>
            {({ getFieldValue }) =>
              getFieldValue('decision') === 'reassign' && (
                <>
                  <Form.Item name="departmentId" label={t('onboarding.department')} rules={required('onboarding.needDepartment')}>
                    <DepartmentSelect />
                  </Form.Item>
                  <Form.Item name="managerId" label={t('onboarding.manager')} rules={required('onboarding.needManager')}>
                    <PersonSelect />
                  </Form.Item>
                </>
              )
            }
          </Form.Item>
        </>,
      );
    default:
      return <Typography.Text type="secondary">{t('onboarding.inInbox')}</Typography.Text>;
  }
}

function DepartmentSelect(props: { id?: string; value?: string; onChange?(v: string): void }) {
  const { directory } = useSession();
  return <Select {...props} showSearch optionFilterProp="label" style={{ minWidth: 200 }} options={[...directory.departments.values()].map((d) => ({ value: d.id, label: d.name }))} />;
}

/** The training sessions still ahead, to enrol the hire in. */
function SessionSelect(props: { id?: string; value?: string; onChange?(v: string): void }) {
  const { locale } = useI18n();
  const from = useMemo(() => new Date().toISOString(), []);
  const loaded = useLoaded(() => answer(api.GET('/api/v1/training-sessions', { params: { query: { from, limit: 50 } } })), from);
  const options = (loaded.data?.items ?? []).filter((s) => s.status === 'scheduled').map((s) => ({ value: s.id, label: `${s.title} · ${formatMoment(locale, s.startsAt)}` }));
  return <Select {...props} loading={!loaded.data} style={{ minWidth: 200 }} options={options} />;
}

type Registration = { name: string; employeeNo: string; email: string; departmentId: string; managerId: string; trainerId: string; startDate: string; documentIds?: string[] };

/** HR registers a new hire: who they are, where they work, who trains them, when they start and what they read. */
export function NewOnboardingPage() {
  const { t } = useI18n();
  const { go } = useLocation();
  const key = useMemo(newIdempotencyKey, []);
  const documents = useDocuments();
  let registered = '';
  return (
    <Flex vertical gap="middle">
      <Typography.Title level={3} style={{ margin: 0 }}>{t('onboarding.register')}</Typography.Title>
      <ActionForm<Registration>
        name="registration"
        submit={t('onboarding.register')}
        initialValues={{ startDate: dayjs().format('YYYY-MM-DD') }}
        send={async ({ name, employeeNo, email, documentIds, ...rest }) => {
          const started = await answer(
            api.POST('/api/v1/onboardings', { headers: { 'Idempotency-Key': key }, body: { ...rest, documentIds: documentIds ?? [], person: { name, employeeNo, email, locale: 'zh-CN' } } }),
          );
          registered = started.employeeId;
        }}
        onSent={() => go(`/onboardings/${registered}`)}
      >
        <Form.Item name="name" label={t('onboarding.name')} rules={[{ required: true, whitespace: true, message: t('onboarding.needName') }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="employeeNo" label={t('onboarding.employeeNo')} rules={[{ required: true, pattern: /^[A-Za-z0-9-]{2,20}$/, message: t('onboarding.needEmployeeNo') }]}>
          <Input maxLength={20} />
        </Form.Item>
        <Form.Item name="email" label={t('onboarding.email')} rules={[{ required: true, type: 'email', message: t('onboarding.needEmail') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="departmentId" label={t('onboarding.department')} rules={[{ required: true, message: t('onboarding.needDepartment') }]}>
          <DepartmentSelect />
        </Form.Item>
        <Form.Item name="managerId" label={t('onboarding.manager')} rules={[{ required: true, message: t('onboarding.needManager') }]}>
          <PersonSelect only={(p) => p.status === 'active'} />
        </Form.Item>
        <Form.Item name="trainerId" label={t('onboarding.trainer')} rules={[{ required: true, message: t('onboarding.needTrainer') }]}>
          <PersonSelect only={(p) => p.status === 'active' && p.roles.includes('trainer')} />
        </Form.Item>
        <Form.Item name="startDate" label={t('onboarding.startDate')} rules={[{ required: true, message: t('onboarding.needDay') }]} {...dayField}>
          <DatePicker disabledDate={(d) => d.isBefore(dayjs().subtract(7, 'day'), 'day')} />
        </Form.Item>
        <Form.Item name="documentIds" label={t('onboarding.documents')}>
          <Select mode="multiple" loading={!documents.data} options={(documents.data?.items ?? []).map((d) => ({ value: d.id, label: `${d.title} (v${d.version})` }))} />
        </Form.Item>
      </ActionForm>
    </Flex>
  );
}
