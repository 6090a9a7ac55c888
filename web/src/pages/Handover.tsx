import { Alert, App, Button, Card, Col, Descriptions, Flex, Input, List, Modal, Progress, Row, Segmented, Select, Space, Statistic, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { answer, api, ApiProblem, type Schemas } from '../api';
import { formatMoment } from '../format';
import type { paths } from '../generated/api';
import { useI18n } from '../i18n';
import { ProblemAlert, useLoaded } from '../loaded';
import { Link } from '../router';
import { HandoverForms } from './HandoverForms';
import { useSession } from '../session';

type Item = Schemas['HandoverItem'];
type Action = 'complete' | 'accept' | 'reopen';
const CATEGORIES = ['work_content', 'open_cases', 'payment_plans', 'account', 'documents', 'system_access', 'assets'] as const;
const STATUS_COLOURS: Record<Item['status'], string> = { open: 'default', reopened: 'orange', done: 'blue', verified: 'green' };
const isOverdue = (i: Item) => (i.status === 'open' || i.status === 'reopened') && Date.parse(i.dueAt) < Date.now();

/** Resignations in progress and done (HR, its director, admins). */
export function ResignationsPage() {
  const { t, lookup, locale } = useI18n();
  const [page, setPage] = useState(1);
  const [list, setList] = useState<paths['/api/v1/resignations']['get']['responses'][200]['content']['application/json']>();
  useEffect(() => {
    void answer(api.GET('/api/v1/resignations', { params: { query: { limit: 20, offset: (page - 1) * 20 } } })).then(setList);
  }, [page]);
  return (
    <Flex vertical gap="middle">
      <Typography.Title level={3} style={{ margin: 0 }}>{t('handover.list')}</Typography.Title>
      <Table
        rowKey="id"
        loading={!list}
        dataSource={list?.items}
        scroll={{ x: true }}
        pagination={{ current: page, pageSize: 20, total: list?.total, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('handover.leaver'), dataIndex: ['employee', 'name'], render: (name: string, r) => <Link to={`/resignations/${r.id}`}>{`${name} (${r.employee.employeeNo})`}</Link> },
          { title: t('handover.phase'), dataIndex: 'phase', render: (p: string) => <Tag>{lookup(`phase.${p}`, p)}</Tag> },
          { title: t('handover.lastDay'), dataIndex: 'departsAt', render: (at: string) => formatMoment(locale, at) },
          { title: t('plans.status'), dataIndex: 'status', render: (s: string) => lookup(`resignationStatus.${s}`, s) },
        ]}
      />
    </Flex>
  );
}

/** A resignation's handover board: the checklist by category with bulk actions, progress, who was
 *  chased when, the portfolio moving to the successor, knowledge, mentoring, assessment, sign-off. */
export function HandoverPage({ resignationId }: { resignationId: string }) {
  const { t, lookup, locale } = useI18n();
  const { caller, nameOf } = useSession();
  const { message } = App.useApp();
  const [category, setCategory] = useState<Item['category'] | 'all'>('all');
  const [status, setStatus] = useState<Item['status'] | 'overdue'>();
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const [acting, setActing] = useState<Action>();
  const [signOffProblem, setSignOffProblem] = useState<string>();

  // The board, and how many accounts the successor holds now (their portfolio may be closed to the caller).
  const { data, problem, reload: load } = useLoaded(async () => {
    const board = await answer(api.GET('/api/v1/resignations/{id}', { params: { path: { id: resignationId }, query: { limit: 10_000 } } }));
    const portfolio = board.successorId ? await answer(api.GET('/api/v1/accounts', { params: { query: { assignee: board.successorId, limit: 1 } } })).catch(() => undefined) : undefined;
    return { board, successorAccounts: portfolio?.total };
  }, resignationId);
  const handover = data?.board;
  const successorAccounts = data?.successorAccounts;

  const items = handover?.checklist.items ?? [];
  const shown = useMemo(
    () =>
      items.filter(
        (i) =>
          (category === 'all' || i.category === category) &&
          (!status || (status === 'overdue' ? isOverdue(i) : i.status === status)) &&
          (!search.trim() || i.title.toLowerCase().includes(search.trim().toLowerCase()) || String(i.itemNo) === search.trim()),
      ),
    [items, category, status, search],
  );
  if (problem) return <ProblemAlert problem={problem} />;
  if (!handover) return null;

  const c = handover.checklist;
  const chosen = items.filter((i) => selected.includes(i.id));
  // What the caller may do to the selected lines: complete their own open lines, verify lines they check.
  const may: Record<Action, Item[]> = {
    complete: chosen.filter((i) => i.ownerId === caller.id && (i.status === 'open' || i.status === 'reopened')),
    accept: chosen.filter((i) => i.verifierId === caller.id && i.status === 'done'),
    reopen: chosen.filter((i) => i.verifierId === caller.id && (i.status === 'done' || i.status === 'verified')),
  };

  async function act(action: Action, comment: string | undefined) {
    const lines = may[action];
    // One message per checklist round: lines of one round travel together.
    const rounds = new Map<string, string[]>();
    for (const i of lines) rounds.set(i.checklistFlowId, [...(rounds.get(i.checklistFlowId) ?? []), i.id]);
    let applied = 0;
    let moved = 0;
    for (const itemIds of rounds.values()) {
      const done =
        action === 'complete'
          ? await answer(api.POST('/api/v1/handover-items/complete', { body: { itemIds, note: comment } }))
          : await answer(api.POST('/api/v1/handover-items/verify', { body: { itemIds, verdict: action, comment } }));
      applied += done.applied;
      moved += done.accountsMoved ?? 0;
    }
    await load();
    message.success(t('handover.applied', { count: applied, moved }));
    setSelected([]);
    setActing(undefined);
  }

  async function signOff() {
    try {
      await answer(api.POST('/api/v1/resignations/{id}/sign-off', { params: { path: { id: resignationId } }, body: {} }));
      setSignOffProblem(undefined);
      await load();
      message.success(t('handover.signedOff'));
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
      setSignOffProblem(err.detail ?? err.title);
    }
  }

  const percent = (n: number) => (c.total ? Math.round((n / c.total) * 100) : 0);
  return (
    <Flex vertical gap="middle">
      <Flex justify="space-between" align="center" wrap gap="small">
        <Space wrap>
          <Typography.Title level={3} style={{ margin: 0 }}>{t('handover.title', { name: handover.employee.name })}</Typography.Title>
          <Tag color="blue">{lookup(`phase.${handover.phase}`, handover.phase)}</Tag>
          <Tag>{lookup(`resignationStatus.${handover.status}`, handover.status)}</Tag>
        </Space>
        {handover.status === 'in_progress' && (handover.supervisorId === caller.id || handover.hrId === caller.id) && <Button type="primary" onClick={signOff}>{t('handover.signOff')}</Button>}
      </Flex>
      <HandoverForms handover={handover} onSent={async (what) => (await load(), message.success(what))} />
      {signOffProblem && <Alert type="warning" showIcon closable onClose={() => setSignOffProblem(undefined)} message={t('handover.signOffRefused')} description={signOffProblem} />}
      <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }}>
        <Descriptions.Item label={t('handover.lastDay')}>{formatMoment(locale, handover.departsAt)}</Descriptions.Item>
        <Descriptions.Item label={t('handover.successor')}>{nameOf(handover.successorId)}</Descriptions.Item>
        <Descriptions.Item label={t('handover.supervisor')}>{nameOf(handover.supervisorId)}</Descriptions.Item>
        <Descriptions.Item label={t('handover.mentor')}>{nameOf(handover.mentorId)}</Descriptions.Item>
        <Descriptions.Item label={t('handover.hr')}>{nameOf(handover.hrId)}</Descriptions.Item>
        <Descriptions.Item label={t('handover.reason')}>{handover.reason}</Descriptions.Item>
      </Descriptions>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12}>
          <Card size="small" title={t('handover.progress')}>
            <div>{t('handover.completed', { n: c.done + c.verified, total: c.total })}</div>
            <Progress percent={percent(c.done + c.verified)} aria-label={t('handover.completed', { n: c.done + c.verified, total: c.total })} />
            <div>{t('handover.verified', { n: c.verified, total: c.total })}</div>
            <Progress percent={percent(c.verified)} status="success" aria-label={t('handover.verified', { n: c.verified, total: c.total })} />
            {c.overdue > 0 && <Tag color="red">{t('handover.overdueLines', { count: c.overdue })}</Tag>}
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small"><Statistic className="accounts-with-leaver" title={t('handover.withLeaver', { name: handover.employee.name })} value={c.accountsWithLeaver} /></Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small"><Statistic className="accounts-with-successor" title={t('handover.withSuccessor', { name: nameOf(handover.successorId) })} value={successorAccounts ?? '—'} /></Card>
        </Col>
      </Row>
      <Tabs
        items={[
          {
            key: 'checklist',
            label: t('handover.checklist', { count: c.total }),
            children: (
              <Flex vertical gap="small">
                {!c.ready && <Alert type="info" message={t('handover.notReady')} />}
                <Segmented
                  value={category}
                  onChange={(v) => setCategory(v as typeof category)}
                  options={[{ value: 'all', label: t('handover.all') }, ...CATEGORIES.map((k) => ({ value: k, label: `${lookup(`category.${k}`, k)} (${items.filter((i) => i.category === k).length})` }))]}
                  style={{ overflowX: 'auto', maxWidth: '100%' }}
                />
                <Flex gap="small" wrap>
                  <Input.Search aria-label={t('handover.search')} placeholder={t('handover.search')} allowClear value={search} onChange={(e) => setSearch(e.target.value)} style={{ maxWidth: 280 }} />
                  <Select
                    allowClear
                    aria-label={t('plans.status')}
                    placeholder={t('plans.status')}
                    style={{ minWidth: 140 }}
                    value={status}
                    onChange={setStatus}
                    options={[...(['open', 'reopened', 'done', 'verified'] as const).map((s) => ({ value: s, label: lookup(`itemStatus.${s}`, s) })), { value: 'overdue', label: t('inbox.overdue') }]}
                  />
                  <Button onClick={() => setSelected(shown.map((i) => i.id))}>{t('handover.selectShown', { count: shown.length })}</Button>
                  {selected.length > 0 && <Button onClick={() => setSelected([])}>{t('handover.clearSelection')}</Button>}
                </Flex>
                <Flex gap="small" wrap align="center">
                  <span>{t('handover.selected', { count: selected.length })}</span>
                  <Button type="primary" disabled={!may.complete.length || !c.ready} onClick={() => setActing('complete')}>{t('handover.complete', { count: may.complete.length })}</Button>
                  <Button disabled={!may.accept.length || !c.ready} onClick={() => setActing('accept')}>{t('handover.accept', { count: may.accept.length })}</Button>
                  <Button danger disabled={!may.reopen.length || !c.ready} onClick={() => setActing('reopen')}>{t('handover.reopen', { count: may.reopen.length })}</Button>
                </Flex>
                <Table<Item>
                  className="checklist"
                  size="small"
                  rowKey="id"
                  dataSource={shown}
                  scroll={{ x: true }}
                  pagination={{ defaultPageSize: 50, showSizeChanger: true, pageSizeOptions: [50, 100, 500] }}
                  rowSelection={{
                    selectedRowKeys: selected,
                    onChange: (keys) => setSelected(keys as string[]),
                    preserveSelectedRowKeys: true,
                    // antd copies the header into a hidden measuring row, where a select-all checkbox is a focus trap; the buttons above select all.
                    columnTitle: <span className="sr-only">{t('handover.selectColumn')}</span>,
                  }}
                  rowClassName={(i) => (isOverdue(i) ? 'overdue' : '')}
                  columns={[
                    { title: '#', dataIndex: 'itemNo', width: 60 },
                    { title: t('handover.line'), dataIndex: 'title', render: (title: string, i) => <span>{i.critical && <Tag color="red">{t('handover.critical')}</Tag>}{title}</span> },
                    { title: t('handover.category'), dataIndex: 'category', render: (k: string) => lookup(`category.${k}`, k) },
                    { title: t('plans.status'), dataIndex: 'status', render: (s: Item['status'], i) => <Space size={2} wrap><Tag color={STATUS_COLOURS[s]}>{lookup(`itemStatus.${s}`, s)}</Tag>{isOverdue(i) && <Tag color="red">{t('inbox.overdue')}</Tag>}</Space> },
                    { title: t('handover.owner'), dataIndex: 'ownerId', render: (id: string | null) => nameOf(id) },
                    { title: t('handover.due'), dataIndex: 'dueAt', render: (at: string) => formatMoment(locale, at) },
                    { title: t('handover.chased'), dataIndex: 'reminderCount', render: (n: number, i) => (n ? `${n}× · ${formatMoment(locale, i.lastChasedAt)}` : '—') },
                    { title: t('plan.comment'), dataIndex: 'lastComment', render: (x: string | null, i) => x ?? i.note ?? '' },
                  ]}
                />
              </Flex>
            ),
          },
          {
            key: 'chasing',
            label: t('handover.chasing', { count: handover.chasing.length }),
            children: handover.chasing.length ? (
              <Timeline
                items={handover.chasing.map((e, n) => {
                  // Reminders name the person chased (`to`); escalations the role (`to`) and the person (`targetId`).
                  const who = (e as { targetId?: string }).targetId ?? (e as { to?: string }).to;
                  const lines = (e as { itemNos?: number[] }).itemNos;
                  return { key: n, color: e.action.includes('escalat') ? 'red' : 'orange', children: `${formatMoment(locale, e.at)} · ${lookup(`audit.${e.action}`, e.action)}${who ? ` · ${nameOf(who)}` : ''}${lines ? ` · ${t('handover.lines', { count: lines.length })}` : ''}` };
                })}
              />
            ) : (
              <Typography.Text type="secondary">{t('handover.noChasing')}</Typography.Text>
            ),
          },
          {
            key: 'knowledge',
            label: t('handover.knowledge', { count: handover.articles.length }),
            children: <List dataSource={handover.articles} renderItem={(a) => <List.Item><List.Item.Meta title={<Space wrap>{a.title}<Tag>{lookup(`articleStatus.${a.status}`, a.status)}</Tag><Tag>{lookup(`articleKind.${a.kind}`, a.kind)}</Tag></Space>} description={a.body} /></List.Item>} />,
          },
          {
            key: 'mentoring',
            label: t('handover.mentoring', { count: handover.mentoringSessions.length }),
            children: <List dataSource={handover.mentoringSessions} renderItem={(m) => <List.Item><List.Item.Meta title={`${formatMoment(locale, m.heldAt)} · ${m.topic}`} description={`${nameOf(m.mentorId)} → ${nameOf(m.successorId)} · ${m.durationMinutes} min${m.notes ? ` · ${m.notes}` : ''}`} /></List.Item>} />,
          },
          {
            key: 'assessment',
            label: t('handover.assessment', { count: handover.assessments.length }),
            children: <List dataSource={handover.assessments} renderItem={(a) => <List.Item><List.Item.Meta title={<Space>{t('handover.attempt', { n: a.attempt })}<Tag color={a.passed ? 'green' : 'red'}>{a.passed ? t('handover.passed') : t('handover.failed')}</Tag>{a.score}</Space>} description={`${nameOf(a.assessorId)} · ${formatMoment(locale, a.assessedAt)}${a.comment ? ` · ${a.comment}` : ''}`} /></List.Item>} />,
          },
        ]}
      />
      {acting && <ItemsDialog action={acting} count={may[acting].length} onCancel={() => setActing(undefined)} onConfirm={(comment) => act(acting, comment)} />}
    </Flex>
  );
}

function ItemsDialog({ action, count, onCancel, onConfirm }: { action: Action; count: number; onCancel(): void; onConfirm(comment: string | undefined): Promise<void> }) {
  const { t } = useI18n();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const missing = action === 'reopen' && !comment.trim();
  const title = t(`handover.${action}`, { count });
  return (
    <Modal
      open
      title={title}
      okText={title}
      okButtonProps={{ disabled: missing, loading: busy, danger: action === 'reopen' }}
      cancelText={t('common.cancel')}
      onCancel={onCancel}
      onOk={async () => {
        setBusy(true);
        await onConfirm(comment.trim() || undefined).finally(() => setBusy(false));
      }}
    >
      <label htmlFor="items-comment">{action === 'reopen' ? t('handover.reopenWhy') : action === 'complete' ? t('handover.note') : t('inbox.comment')}</label>
      <Input.TextArea id="items-comment" rows={3} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
    </Modal>
  );
}
