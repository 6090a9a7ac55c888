import { Alert, App, Button, Card, Descriptions, Flex, Form, Input, Popconfirm, Result, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { answer, api, ApiProblem, type Schemas } from '../api';
import { ActionForm, PersonSelect, RatingInput, useProblemTitle } from '../components/forms';
import { FlowTimeline } from '../components/Timeline';
import { formatMoment, formatSpan } from '../format';
import { useI18n } from '../i18n';
import { ProblemAlert, useLoaded } from '../loaded';
import { SessionAdmin, SessionNotes } from './SessionForms';
import { Link, useLocation } from '../router';
import { hasRole, useSession } from '../session';

type Session = Schemas['TrainingSession'];
type Summary = Schemas['TrainingSessionSummary'];
const STATUS_COLOURS: Record<Summary['status'], string> = { scheduled: 'blue', signing_in: 'orange', in_progress: 'orange', feedback: 'purple', completed: 'green', cancelled: 'default' };
const RATINGS = ['content', 'method', 'trainer', 'usefulness'] as const;

/** The training calendar: sessions by start, upcoming first; staff see all, others their own. */
export function SessionsPage() {
  const { t, lookup, locale } = useI18n();
  const { nameOf } = useSession();
  const [status, setStatus] = useState<Summary['status']>();
  const [page, setPage] = useState(1);
  const [sessions, setSessions] = useState<{ items: Summary[]; total: number }>();
  useEffect(() => {
    void answer(api.GET('/api/v1/training-sessions', { params: { query: { status, limit: 20, offset: (page - 1) * 20 } } })).then(setSessions);
  }, [status, page]);
  return (
    <Flex vertical gap="middle">
      <Typography.Title level={3} style={{ margin: 0 }}>{t('sessions.title')}</Typography.Title>
      <Select allowClear aria-label={t('plans.status')} placeholder={t('plans.status')} style={{ maxWidth: 200 }} value={status} onChange={(v) => (setStatus(v), setPage(1))} options={Object.keys(STATUS_COLOURS).map((s) => ({ value: s, label: lookup(`sessionStatus.${s}`, s) }))} />
      <Table<Summary>
        rowKey="id"
        loading={!sessions}
        dataSource={sessions?.items}
        scroll={{ x: true }}
        pagination={{ current: page, pageSize: 20, total: sessions?.total, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('sessions.when'), dataIndex: 'startsAt', render: (at: string, s) => formatSpan(locale, at, s.endsAt) },
          { title: t('sessions.session'), dataIndex: 'title', render: (title: string, s) => <Link to={`/sessions/${s.id}`}>{title}</Link> },
          { title: t('editor.location'), dataIndex: 'location' },
          { title: t('editor.trainer'), dataIndex: 'trainerId', render: (id: string | null) => nameOf(id) },
          { title: t('plans.status'), dataIndex: 'status', render: (s: Summary['status']) => <Tag color={STATUS_COLOURS[s]}>{lookup(`sessionStatus.${s}`, s)}</Tag> },
        ]}
      />
    </Flex>
  );
}

/** One session: schedule, the sign-in code and QR for the trainer, sign-in and feedback for
 *  participants, attendance, notes, the trainer's report and the summary. */
export function SessionPage({ sessionId }: { sessionId: string }) {
  const { t, lookup, locale } = useI18n();
  const { caller, nameOf } = useSession();
  const { message } = App.useApp();
  const { data: session, problem, reload: load } = useLoaded(() => answer(api.GET('/api/v1/training-sessions/{id}', { params: { path: { id: sessionId } } })), sessionId);
  if (problem) return <ProblemAlert problem={problem} />;
  if (!session) return null;

  const runsIt = session.trainerId === caller.id || hasRole(caller, 'hr', 'admin');
  const own = session.participants.find((p) => p.employeeId === caller.id);
  const done = async (what: string) => {
    await load();
    message.success(what);
  };
  const openFeedback = session.openTasks?.some((task) => task.type === 'session_feedback' && task.assigneeId === caller.id) ?? session.status === 'feedback';
  return (
    <Flex vertical gap="middle">
      <Space wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>{session.title}</Typography.Title>
        <Tag color={STATUS_COLOURS[session.status]}>{lookup(`sessionStatus.${session.status}`, session.status)}</Tag>
      </Space>
      <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
        <Descriptions.Item label={t('sessions.when')}>{formatSpan(locale, session.startsAt, session.endsAt)}</Descriptions.Item>
        <Descriptions.Item label={t('editor.location')}>{session.location ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('editor.trainer')}>{nameOf(session.trainerId)}</Descriptions.Item>
        <Descriptions.Item label={t('editor.adminOwner')}>{nameOf(session.adminOwnerId)}</Descriptions.Item>
        <Descriptions.Item label={t('sessions.plan')}><Link to={`/plans/${session.planId}`}>{t('inbox.openPlan')}</Link></Descriptions.Item>
      </Descriptions>
      {runsIt && ['signing_in', 'in_progress'].includes(session.status) && <SignInCode sessionId={sessionId} />}
      {(session.trainerId === caller.id || hasRole(caller, 'hr')) && session.status === 'signing_in' && <CloseSignIn sessionId={sessionId} onDone={(absent) => done(t('sessions.signInClosed', { absent }))} />}
      {own && ['signing_in', 'in_progress'].includes(session.status) && own.attendance === 'expected' && <SignInForm sessionId={sessionId} onDone={() => done(t('sessions.signedIn'))} />}
      {own && own.attendance !== 'expected' && <Alert type="success" message={t('sessions.yourAttendance', { attendance: lookup(`attendance.${own.attendance}`, own.attendance), when: formatMoment(locale, own.signedInAt) })} />}
      {own && session.status === 'feedback' && openFeedback && <FeedbackForm sessionId={sessionId} onDone={() => done(t('sessions.feedbackSent'))} />}
      {session.summary && <SessionFigures title={t('sessions.summary')} figures={session.summary} />}
      {session.notes !== undefined && (
        <Card size="small" title={t('sessions.attendance', { count: session.participants.length })}>
          <Table
            className="attendance"
            size="small"
            rowKey="employeeId"
            pagination={false}
            scroll={{ x: true }}
            dataSource={session.participants}
            columns={[
              { title: t('needs.participant'), dataIndex: 'employeeId', render: (id: string | null) => nameOf(id) },
              { title: t('sessions.attendanceColumn'), dataIndex: 'attendance', render: (a: string) => <Tag color={a === 'present' ? 'green' : a === 'late' ? 'orange' : a === 'absent' ? 'red' : 'default'}>{lookup(`attendance.${a}`, a)}</Tag> },
              { title: t('sessions.signedInAt'), dataIndex: 'signedInAt', render: (at: string | null) => formatMoment(locale, at) },
              { title: t('sessions.recorded'), dataIndex: 'recordedReason', render: (r: string | null, p) => (r ? `${nameOf(p.recordedById)}: ${r}` : '') },
            ]}
          />
          {runsIt && ['signing_in', 'in_progress', 'feedback'].includes(session.status) && <AttendanceForm session={session} onDone={() => done(t('sessions.attendanceRecorded'))} />}
        </Card>
      )}
      <SessionNotes session={session} onSent={done} />
      <SessionAdmin session={session} onSent={done} />
      {session.report && (
        <Card size="small" title={t('sessions.report')}>
          <Typography.Paragraph>{session.report.covered}</Typography.Paragraph>
          {session.report.deviations && <Typography.Paragraph type="secondary">{session.report.deviations}</Typography.Paragraph>}
        </Card>
      )}
      {session.trainerId === caller.id && !session.report && ['in_progress', 'feedback'].includes(session.status) && <ReportForm sessionId={sessionId} onDone={() => done(t('sessions.reportSent'))} />}
      <Card size="small" title={t('plan.timeline')}>
        <FlowTimeline flowId={session.flowId} refresh={session.status} />
      </Card>
    </Flex>
  );
}

const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)}%`);

/** Attendance and feedback figures of a session, or of a plan's sessions together (`held`: how many). */
export function SessionFigures({ title, figures, held }: { title: string; figures: NonNullable<Session['summary']>; held?: number }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={title}>
      <Flex gap="large" wrap>
        {held !== undefined && <Statistic title={t('plan.sessionsHeld')} value={held} />}
        <Statistic title={t('sessions.attendanceRate')} value={percent(figures.attendanceRate)} />
        <Statistic title={t('sessions.punctuality')} value={percent(figures.punctuality)} />
        <Statistic title={t('sessions.responseRate')} value={percent(figures.responseRate)} />
        {[...RATINGS, 'overall' as const].map((k) => <Statistic key={k} title={t(`sessions.rating.${k}`)} value={figures.ratings[k] ?? '—'} />)}
      </Flex>
    </Card>
  );
}

/** The code the trainer shows in the room, with its QR code; fetched again when it rotates. */
function SignInCode({ sessionId }: { sessionId: string }) {
  const { t, locale } = useI18n();
  const [code, setCode] = useState<Schemas['SignInCode']>();
  const [qr, setQr] = useState<string>();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fetchCode = async () => {
      const c = await answer(api.GET('/api/v1/training-sessions/{id}/sign-in-code', { params: { path: { id: sessionId } } }));
      const svg = await api.GET('/api/v1/training-sessions/{id}/sign-in-code.svg', { params: { path: { id: sessionId } }, parseAs: 'text' });
      setCode(c);
      if (typeof svg.data === 'string') setQr(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg.data)}`);
      timer = setTimeout(fetchCode, Math.max(1000, Date.parse(c.validUntil) - Date.now()));
    };
    void fetchCode();
    return () => clearTimeout(timer);
  }, [sessionId]);
  if (!code) return null;
  return (
    <Card size="small" title={t('sessions.codeTitle')}>
      <Flex gap="large" wrap align="center">
        <div>
          <div className="sign-in-code" style={{ fontSize: 40, letterSpacing: 8, fontWeight: 600 }}>{code.code}</div>
          <Typography.Text type="secondary">{t('sessions.validUntil', { when: formatMoment(locale, code.validUntil) })}</Typography.Text>
        </div>
        {qr && <img src={qr} alt={t('sessions.qrAlt')} width={160} height={160} />}
      </Flex>
    </Card>
  );
}

/** The class begins: sign-in closes now rather than at its set time (confirmed first: whoever is not in is absent). */
function CloseSignIn({ sessionId, onDone }: { sessionId: string; onDone(absent: number): unknown }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const problemTitle = useProblemTitle();
  const [busy, setBusy] = useState(false);
  const close = async () => {
    setBusy(true);
    try {
      const closed = await answer(api.POST('/api/v1/training-sessions/{id}/close-sign-in', { params: { path: { id: sessionId } }, body: {} }));
      await onDone(Number(closed.absent));
    } catch (err) {
      message.error(err instanceof ApiProblem ? problemTitle(err) : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Flex>
      <Popconfirm title={t('sessions.closeSignInConfirm')} okText={t('sessions.closeSignIn')} cancelText={t('common.cancel')} onConfirm={close}>
        <Button loading={busy}>{t('sessions.closeSignIn')}</Button>
      </Popconfirm>
    </Flex>
  );
}

function SignInForm({ sessionId, onDone }: { sessionId: string; onDone(): unknown }) {
  const { t } = useI18n();
  return (
    <ActionForm<{ code: string }> title={t('sessions.signIn')} layout="inline" submit={t('sessions.signIn')} send={({ code }) => answer(api.POST('/api/v1/training-sessions/{id}/sign-in', { params: { path: { id: sessionId } }, body: { code: code.trim() } }))} onSent={onDone}>
      <Form.Item name="code" label={t('sessions.code')} rules={[{ required: true }]}><Input inputMode="numeric" maxLength={6} style={{ width: 120 }} /></Form.Item>
    </ActionForm>
  );
}

function FeedbackForm({ sessionId, onDone }: { sessionId: string; onDone(): unknown }) {
  const { t } = useI18n();
  return (
    <ActionForm<Record<(typeof RATINGS)[number], number> & { comments?: string }>
      title={t('sessions.feedback')}
      className="feedback-form"
      submit={t('sessions.sendFeedback')}
      send={(v) => answer(api.POST('/api/v1/training-sessions/{id}/feedback', { params: { path: { id: sessionId } }, body: v }))}
      onSent={onDone}
    >
      {RATINGS.map((k) => (
        <Form.Item key={k} name={k} label={t(`sessions.rating.${k}`)} rules={[{ required: true }]}>
          <RatingInput aria-label={t(`sessions.rating.${k}`)} />
        </Form.Item>
      ))}
      <Form.Item name="comments" label={t('sessions.comments')}><Input.TextArea rows={3} maxLength={4000} /></Form.Item>
    </ActionForm>
  );
}

function AttendanceForm({ session, onDone }: { session: Session; onDone(): unknown }) {
  const { t, lookup } = useI18n();
  return (
    <ActionForm<{ participantId: string; attendance: 'present' | 'late' | 'absent'; reason: string }> layout="inline" className="attendance-form" submit={t('sessions.record')} send={(body) => answer(api.POST('/api/v1/training-sessions/{id}/attendance', { params: { path: { id: session.id } }, body }))} onSent={onDone}>
      <Form.Item name="participantId" label={t('needs.participant')} rules={[{ required: true }]}>
        <PersonSelect only={(p) => session.participants.some((x) => x.employeeId === p.id)} />
      </Form.Item>
      <Form.Item name="attendance" label={t('sessions.attendanceColumn')} rules={[{ required: true }]}>
        <Select style={{ minWidth: 100 }} options={(['present', 'late', 'absent'] as const).map((a) => ({ value: a, label: lookup(`attendance.${a}`, a) }))} />
      </Form.Item>
      <Form.Item name="reason" label={t('sessions.reason')} rules={[{ required: true }]}><Input /></Form.Item>
    </ActionForm>
  );
}

function ReportForm({ sessionId, onDone }: { sessionId: string; onDone(): unknown }) {
  const { t } = useI18n();
  return (
    <ActionForm<{ covered: string; deviations?: string }> title={t('sessions.report')} submit={t('sessions.sendReport')} send={(v) => answer(api.POST('/api/v1/training-sessions/{id}/report', { params: { path: { id: sessionId } }, body: v }))} onSent={onDone}>
      <Form.Item name="covered" label={t('sessions.covered')} rules={[{ required: true }]}><Input.TextArea rows={3} /></Form.Item>
      <Form.Item name="deviations" label={t('sessions.deviations')}><Input.TextArea rows={2} /></Form.Item>
    </ActionForm>
  );
}

/** Where the QR code leads: a participant signs in with the code it carries, in one step. */
export function SessionSignInPage({ sessionId }: { sessionId: string }) {
  const { t } = useI18n();
  const { query, go } = useLocation();
  const code = query.get('code') ?? '';
  const [state, setState] = useState<'sending' | 'done' | string>('sending');
  useEffect(() => {
    answer(api.POST('/api/v1/training-sessions/{id}/sign-in', { params: { path: { id: sessionId } }, body: { code } })).then(
      () => setState('done'),
      (err: unknown) => setState(err instanceof ApiProblem ? (err.errors[0]?.reason ?? err.detail ?? err.title) : String(err)),
    );
  }, [sessionId, code]);
  if (state === 'sending') return null;
  return (
    <Result
      status={state === 'done' ? 'success' : 'warning'}
      title={state === 'done' ? t('sessions.signedIn') : t('sessions.signInFailed')}
      subTitle={state === 'done' ? undefined : state}
      extra={<Button onClick={() => go(`/sessions/${sessionId}`)}>{t('sessions.open')}</Button>}
    />
  );
}
