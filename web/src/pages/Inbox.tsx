import { Alert, App, Button, Checkbox, Empty, Flex, Input, List, Modal, Pagination, Space, Tabs, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { answer, api, ApiProblem, type InboxTask, type NextTask } from '../api';
import { TaskActions } from '../components/TaskActions';
import { NextTasks } from '../components/NextTasks';
import { formatMoment, formatRelative, taskTitle } from '../format';
import { useI18n } from '../i18n';
import { ProblemAlert, useLoaded } from '../loaded';
import { Link, useLocation } from '../router';
import { useSession } from '../session';
import { actionsOf } from '../taskActions';

type Task = InboxTask;
type Outcome = InboxTask['outcomes'][number];
type Status = InboxTask['status'];
const PAGE = 20;
const INBOX_REFRESH_MS = 5000;
const NEEDS_COMMENT: Outcome[] = ['reject', 'request_changes'];
type Subjects = {
  planId?: string;
  /** A reserve pool's key position (its quarterly review). */
  position?: string;
  followUpId?: string;
  resignationId?: string;
  cycleId?: string;
  sessionId?: string;
  suggestionId?: string;
  runId?: string;
  /** A career plan's employee, on its yearly review task. */
  employeeId?: string;
};

/** Where a task is done when its own form completes it (a survey, an article, scores). */
function placeOf(task: InboxTask): string | undefined {
  const { planId, followUpId, resignationId, cycleId, sessionId, suggestionId, runId, position, employeeId } = (task.payload ?? {}) as Subjects;
  // Every onboarding step is done by its form on the hire's page.
  if (task.type.startsWith('onboarding_') && employeeId) return `/onboardings/${employeeId}`;
  if (suggestionId) return `/suggestions/${suggestionId}`;
  if (task.type.startsWith('retention_')) return `/retention-flows/${encodeURIComponent(task.flow.id)}`;
  if (task.type === 'reserve_pool_review' && position) return `/reserve-pools/${position}`;
  if (task.flow.type === 'team_rebuilding' && resignationId) return `/team-rebuildings/${resignationId}`;
  if (task.type === 'plan_revision' && planId) return `/plans/${planId}/edit`;
  if (runId) return `/survey-runs/${runId}`;
  if (followUpId && planId) return `/plans/${planId}/follow-up`;
  if (sessionId) return `/sessions/${sessionId}`;
  if (cycleId) return `/needs-cycles/${cycleId}`;
  if (resignationId) return `/resignations/${resignationId}`;
  return planId ? `/plans/${planId}` : undefined;
}

/** 待办: my tasks, decided one by one or approved in a batch; after each decision the page says
 *  where the flow went next, from the decision's own answer. */
export function InboxPage({ focusTaskId }: { focusTaskId?: string }) {
  const { t, lookup, locale } = useI18n();
  const { caller, nameOf } = useSession();
  const { go } = useLocation();
  const { message } = App.useApp();
  const [status, setStatus] = useState<Status | 'cc'>('open');
  const [page, setPage] = useState(1);
  const [tasks, setTasks] = useState<{ items: InboxTask[]; total: number }>();
  const [selected, setSelected] = useState<string[]>([]);
  const [deciding, setDeciding] = useState<{ tasks: InboxTask[]; outcome: Outcome }>();
  const [next, setNext] = useState<{ tasks: NextTask[]; instead?: string }>();
  const [failed, setFailed] = useState<string[]>([]);

  const load = useCallback(async () => {
    if (status === 'cc') return;
    const found = await answer(api.GET('/api/v1/tasks', { params: { query: { status, limit: PAGE, offset: (page - 1) * PAGE } } }));
    setTasks(found);
    setSelected((s) => s.filter((id) => found.items.some((task) => task.id === id)));
  }, [status, page]);
  useEffect(() => {
    void load();
    // New tasks show within seconds while the page is open and in view (see the API's ETag).
    const timer = setInterval(() => document.visibilityState === 'visible' && void load().catch(() => {}), INBOX_REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const titleOf = (task: InboxTask) => taskTitle(locale, task.title, task.flow.subject);

  /** The last approval of a plan opens no task for the approver's flow: the plan's sessions are
   *  what it set going, each a flow of its own with tasks for others. */
  async function approvalNote(approved: InboxTask[]): Promise<string | undefined> {
    const planIds = approved.map((task) => (task.payload as Subjects | undefined)?.planId).filter((id): id is string => !!id);
    if (!planIds.length) return undefined;
    const plans = await Promise.all(planIds.map((id) => answer(api.GET('/api/v1/training-plans/{id}', { params: { path: { id } } }))));
    const sessions = plans.reduce((sum, plan) => sum + ((plan.versions.at(-1)?.content as { sessions?: unknown[] } | undefined)?.sessions?.length ?? 0), 0);
    return t('inbox.approvedWithSessions', { count: sessions });
  }

  /** A task waiting for the signer its holder added before themselves is not decided meanwhile. */
  const decidable = (task: Task) => task.status === 'open' && !task.waitingForId;
  const approvable = (tasks?.items ?? []).filter((task) => decidable(task) && task.outcomes.includes('approve'));

  async function decide(comment: string | undefined) {
    if (!deciding) return;
    const opened: NextTask[] = [];
    const problems: string[] = [];
    const approved: InboxTask[] = [];
    // One after another: each answer lists the tasks it opened, and a refusal stops only its own task.
    for (const task of deciding.tasks) {
      try {
        const done = await answer(api.POST('/api/v1/tasks/{id}/decision', { params: { path: { id: task.id } }, body: { decision: deciding.outcome, comment: comment || undefined } }));
        opened.push(...done.next);
        if (task.type === 'plan_approval' && deciding.outcome === 'approve' && !done.next.length) approved.push(task);
      } catch (err) {
        problems.push(`${titleOf(task)}: ${err instanceof ApiProblem ? err.message : String(err)}`);
      }
    }
    // The list first, then what happened: the page never says "moved on" beside a task already decided.
    // A list that cannot be read just now (the next poll reads it) does not keep the answer from showing.
    await load().catch(() => {});
    const decided = deciding.tasks.length - problems.length;
    if (decided) message.success(t('inbox.decided', { count: decided }));
    // Saying what an approval set going is a courtesy: a plan it cannot read now does not hold the page up.
    setNext({ tasks: opened, instead: opened.length ? undefined : await approvalNote(approved).catch(() => undefined) });
    setFailed(problems);
    setDeciding(undefined);
    setSelected([]);
  }

  /** After another action (转交, 加签, 退回, 抄送) the list is read again; where the flow went, as after a decision. */
  async function acted(opened: NextTask[]) {
    await load();
    if (opened.length) setNext({ tasks: opened });
  }

  const dueTag = (task: InboxTask) => {
    if (task.status !== 'open') return null;
    const left = Date.parse(task.dueAt) - Date.now();
    if (left < 0) return <Tag color="red">{t('inbox.overdue')}</Tag>;
    if (left < 24 * 3600_000) return <Tag color="orange">{t('inbox.dueSoon')}</Tag>;
    return null;
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('inbox.title')}
      </Typography.Title>
      {next && <NextTasks next={next.tasks} instead={next.instead} onClose={() => setNext(undefined)} />}
      {failed.length > 0 && <Alert type="error" closable onClose={() => setFailed([])} message={t('inbox.someFailed')} description={failed.join('\n')} />}
      <Tabs
        activeKey={status}
        onChange={(key) => {
          setStatus(key as Status | 'cc');
          setPage(1);
        }}
        items={(['open', 'done', 'cancelled', 'cc'] as const).map((s) => ({ key: s, label: t(`inbox.tab.${s}`) }))}
      />
      {status === 'cc' ? (
        <CopiedFlows />
      ) : (
        <>
      {status === 'open' && approvable.length > 0 && (
        <Flex gap="small" wrap align="center">
          <Checkbox
            checked={selected.length > 0 && selected.length === approvable.length}
            indeterminate={selected.length > 0 && selected.length < approvable.length}
            onChange={(e) => setSelected(e.target.checked ? approvable.map((task) => task.id) : [])}
          >
            {t('inbox.selectAll')}
          </Checkbox>
          <Button type="primary" disabled={!selected.length} onClick={() => setDeciding({ tasks: approvable.filter((task) => selected.includes(task.id)), outcome: 'approve' })}>
            {t('inbox.approveSelected', { count: selected.length })}
          </Button>
        </Flex>
      )}
      <List
        // Rows keyed by task, not position: a poll that drops or adds a task above keeps an open form below.
        rowKey="id"
        loading={!tasks}
        dataSource={tasks?.items ?? []}
        locale={{ emptyText: <Empty description={t('inbox.empty')} /> }}
        renderItem={(task: Task) => {
          const actingFor = task.assigneeId !== caller.id;
          const { planId, followUpId, resignationId, cycleId, sessionId, suggestionId, runId, employeeId } = (task.payload ?? {}) as Subjects;
          const place = task.outcomes.length ? undefined : placeOf(task);
          // A yearly career talk is recorded on the employee's career plan.
          const careerPlanId = task.type === 'career_plan_review' ? employeeId : undefined;
          // A send-back names the level it goes to: the actions menu offers it, not a button of its own.
          const outcomes = task.outcomes.filter((o) => (o as string) !== 'send_back');
          return (
            <List.Item
              key={task.id}
              className={task.id === focusTaskId ? 'task focused' : 'task'}
              data-task-id={task.id}
              actions={
                task.status === 'open'
                  ? [
                      ...(place
                        ? [<Button key="open" size="small" type="primary" onClick={() => go(place)}>{t('inbox.act')}</Button>]
                        : outcomes.map((o) => (
                            <Button key={o} size="small" type={o === 'approve' || o === 'done' ? 'primary' : 'default'} danger={o === 'reject'} disabled={!decidable(task)} onClick={() => setDeciding({ tasks: [task], outcome: o })}>
                              {t(`outcome.${o}`)}
                            </Button>
                          ))),
                      ...(actionsOf(task).length ? [<TaskActions key="more" task={task} onDone={acted} />] : []),
                    ]
                  : undefined
              }
            >
              <List.Item.Meta
                avatar={
                  status === 'open' && decidable(task) && task.outcomes.includes('approve') ? (
                    <Checkbox checked={selected.includes(task.id)} onChange={(e) => setSelected((s) => (e.target.checked ? [...s, task.id] : s.filter((id) => id !== task.id)))}>
                      <span className="sr-only">{t('inbox.select', { title: titleOf(task) })}</span>
                    </Checkbox>
                  ) : undefined
                }
                title={
                  <Space wrap size={4}>
                    <span className="task-title">{titleOf(task)}</span>
                    {dueTag(task)}
                    {actingFor && <Tag color="purple">{t('inbox.actingFor', { who: nameOf(task.assigneeId) })}</Tag>}
                    {task.actingForId && <Tag color="purple" className="acting-for">{t('inbox.delegatedBy', { who: nameOf(task.actingForId) })}</Tag>}
                    {task.reminderCount > 0 && <Tag>{t('inbox.reminded', { count: task.reminderCount })}</Tag>}
                    {task.status === 'open' && task.waitingForId && <Tag color="orange">{t('action.waitingFor', { who: nameOf(task.waitingForId) })}</Tag>}
                    {task.addedById && <Tag color="blue">{t('action.addedBy', { who: nameOf(task.addedById) })}</Tag>}
                  </Space>
                }
                description={
                  <Space direction="vertical" size={0}>
                    <span>
                      {lookup(`flowType.${task.flow.type}`, task.flow.type)} · {task.flow.subject}
                    </span>
                    {task.status === 'open' ? (
                      <span>
                        {t('inbox.due', { when: formatMoment(locale, task.dueAt), relative: formatRelative(locale, task.dueAt) })}
                      </span>
                    ) : (
                      <span>
                        {t(`outcome.${task.outcome ?? 'done'}`)} · {formatMoment(locale, task.decidedAt)}
                        {task.decidedById ? ` · ${nameOf(task.decidedById)}` : ''}
                        {task.comment ? ` · “${task.comment}”` : ''}
                      </span>
                    )}
                    <Space size="middle">
                      {planId && <Link to={`/plans/${planId}`}>{t('inbox.openPlan')}</Link>}
                      {followUpId && <Link to={`/plans/${planId}/follow-up`}>{t('inbox.openFollowUp')}</Link>}
                      {sessionId && <Link to={`/sessions/${sessionId}`}>{t('inbox.openSession')}</Link>}
                      {cycleId && <Link to={`/needs-cycles/${cycleId}`}>{t('inbox.openCycle')}</Link>}
                      {resignationId && task.flow.type === 'team_rebuilding' && <Link to={`/team-rebuildings/${resignationId}`}>{t('inbox.openTeam')}</Link>}
                      {resignationId && task.flow.type !== 'team_rebuilding' && <Link to={`/resignations/${resignationId}`}>{t('inbox.openHandover')}</Link>}
                      {suggestionId && <Link to={`/suggestions/${suggestionId}`}>{t('inbox.openSuggestion')}</Link>}
                      {runId && <Link to={`/survey-runs/${runId}`}>{t('inbox.openSurvey')}</Link>}
                      {careerPlanId && <Link to={`/career-plans/${careerPlanId}`}>{t('inbox.openCareerPlan')}</Link>}
                      <Link to={`/flows/${encodeURIComponent(task.flowId)}`}>{t('inbox.openFlow')}</Link>
                    </Space>
                  </Space>
                }
              />
            </List.Item>
          );
        }}
      />
      {(tasks?.total ?? 0) > PAGE && <Pagination current={page} pageSize={PAGE} total={tasks?.total} onChange={setPage} showSizeChanger={false} />}
        </>
      )}
      {deciding && <DecisionDialog tasks={deciding.tasks} titleOf={titleOf} outcome={deciding.outcome} onCancel={() => setDeciding(undefined)} onDecide={decide} />}
    </Space>
  );
}

/** 抄送我的: the flows I am copied in on, newest first, each opening its timeline. */
function CopiedFlows() {
  const { t, lookup, locale } = useI18n();
  const { nameOf } = useSession();
  const [page, setPage] = useState(1);
  const { data, problem } = useLoaded(() => answer(api.GET('/api/v1/flows', { params: { query: { cc: 'me', limit: PAGE, offset: (page - 1) * PAGE } } })), String(page));
  if (problem) return <ProblemAlert problem={problem} />;
  return (
    <>
      <List
        className="copied-flows"
        rowKey="id"
        loading={!data}
        dataSource={data?.items ?? []}
        locale={{ emptyText: <Empty description={t('inbox.noCopies')} /> }}
        renderItem={(flow) => (
          <List.Item key={flow.id} className="copied-flow">
            <List.Item.Meta
              title={<Link to={`/flows/${encodeURIComponent(flow.id)}`}>{flow.subject}</Link>}
              description={
                <Space wrap size={4}>
                  <span>{lookup(`flowType.${flow.type}`, flow.type)}</span>
                  <Tag>{lookup(`flowStatus.${flow.status}`, flow.status)}</Tag>
                  <span>{t('inbox.startedBy', { who: nameOf(flow.startedById), when: formatMoment(locale, flow.startedAt) })}</span>
                </Space>
              }
            />
          </List.Item>
        )}
      />
      {(data?.total ?? 0) > PAGE && <Pagination current={page} pageSize={PAGE} total={data?.total} onChange={setPage} showSizeChanger={false} />}
    </>
  );
}

function DecisionDialog({ tasks, titleOf, outcome, onCancel, onDecide }: {
  tasks: InboxTask[];
  titleOf(task: InboxTask): string;
  outcome: Outcome;
  onCancel(): void;
  onDecide(comment: string | undefined): Promise<void>;
}) {
  const { t } = useI18n();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const required = NEEDS_COMMENT.includes(outcome);
  const missing = required && !comment.trim();
  return (
    <Modal
      open
      title={tasks.length === 1 ? `${t(`outcome.${outcome}`)}: ${titleOf(tasks[0]!)}` : t('inbox.batchTitle', { count: tasks.length })}
      okText={t(`outcome.${outcome}`)}
      okButtonProps={{ disabled: missing, loading: busy, danger: outcome === 'reject' }}
      cancelText={t('common.cancel')}
      onCancel={onCancel}
      onOk={async () => {
        setBusy(true);
        await onDecide(comment.trim() || undefined).finally(() => setBusy(false));
      }}
    >
      {tasks.length > 1 && (
        <ul>
          {tasks.map((task) => (
            <li key={task.id}>{titleOf(task)}</li>
          ))}
        </ul>
      )}
      <label htmlFor="decision-comment">{required ? t('inbox.commentRequired') : t('inbox.comment')}</label>
      <Input.TextArea id="decision-comment" rows={3} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} status={missing ? 'warning' : undefined} />
    </Modal>
  );
}
