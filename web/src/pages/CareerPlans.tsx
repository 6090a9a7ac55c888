import { Alert, App, Button, Card, DatePicker, Descriptions, Empty, Flex, Form, Input, List, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { answer, api, ApiProblem, newIdempotencyKey, type Schemas } from '../api';
import { ActionForm, KeyedList, momentField } from '../components/forms';
import { formatMoment } from '../format';
import { useI18n } from '../i18n';
import { ProblemAlert, useLoaded } from '../loaded';
import { Link } from '../router';
import { useSession } from '../session';

type CareerPlan = Schemas['CareerPlan'];
type History = Schemas['CareerPlanHistory'];
/** What a revision says: the plan as it stands or as a past revision wrote it. */
type Content = History['revisions'][number]['content'] | CareerPlan;
type PlanValues = { goals: string; targetRole?: string; wantedSkills?: { key: string; name: string }[]; trainingWanted?: string; nextReviewAt?: string };
const PAGE = 20;

/** 职业规划 as its keepers see it: one's own at /career-plan, someone else's from the list. */
export const MyCareerPlanPage = () => <CareerPlanPage employeeId="me" />;

/** The plans the caller keeps (their reports', their department's, every one for HR), the next review first. */
export function CareerPlansPage() {
  const { t, locale, departmentName } = useI18n();
  const { directory } = useSession();
  const [page, setPage] = useState(1);
  const { data, problem } = useLoaded(
    () => answer(api.GET('/api/v1/career-plans', { params: { query: { limit: PAGE, offset: (page - 1) * PAGE } } })),
    String(page),
  );
  if (problem) return <ProblemAlert problem={problem} />;
  return (
    <Flex vertical gap="middle">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('career.listTitle')}
      </Typography.Title>
      <Table<CareerPlan>
        className="career-plans"
        rowKey="employeeId"
        loading={!data}
        dataSource={data?.items}
        scroll={{ x: true }}
        pagination={{ current: page, pageSize: PAGE, total: data?.total, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true }}
        columns={[
          {
            title: t('career.employee'),
            dataIndex: 'employee',
            render: (e: CareerPlan['employee'], p) => <Link to={`/career-plans/${p.employeeId}`}>{`${e.name} (${e.employeeNo})`}</Link>,
          },
          {
            title: t('career.department'),
            dataIndex: ['employee', 'departmentId'],
            render: (id: string) => {
              const d = directory.departments.get(id);
              return d ? departmentName(d) : id;
            },
          },
          { title: t('career.targetRole'), dataIndex: 'targetRole', render: (role: string | null) => role ?? '—' },
          {
            title: t('career.nextReview'),
            dataIndex: 'nextReviewAt',
            render: (at: string, p) => (
              <>
                {formatMoment(locale, at)} {p.mayReview && <Tag color="orange">{t('career.reviewDue')}</Tag>}
              </>
            ),
          },
          { title: t('career.updatedAt'), dataIndex: 'updatedAt', render: (at: string) => formatMoment(locale, at) },
        ]}
      />
    </Flex>
  );
}

/** One employee's plan (`me` for one's own): where it stands, the form to revise it, the yearly
 *  review for whoever holds its task, and every revision and review so far. */
export function CareerPlanPage({ employeeId }: { employeeId: string }) {
  const { t, locale } = useI18n();
  const { caller, nameOf } = useSession();
  const loaded = useLoaded(async () => {
    const path = { params: { path: { employeeId } } };
    const [plan, history] = await Promise.all([
      // No plan yet: the form starts the first.
      answer(api.GET('/api/v1/career-plans/{employeeId}', path)).catch((err: unknown) =>
        err instanceof ApiProblem && err.status === 404 ? null : Promise.reject(err),
      ),
      answer(api.GET('/api/v1/career-plans/{employeeId}/history', path)),
    ]);
    return { plan, history };
  }, employeeId);
  if (loaded.problem) return <ProblemAlert problem={loaded.problem} />;
  if (!loaded.data) return null;
  const { plan, history } = loaded.data;
  const own = employeeId === 'me' || employeeId === caller.id;
  return (
    <Flex vertical gap="middle" className="career-plan">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {own ? t('career.mine') : t('career.of', { name: plan?.employee.name ?? nameOf(employeeId) })}
      </Typography.Title>
      {plan ? (
        <Card size="small">
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t('career.revision')}>{t('career.revisionNo', { revision: plan.revision })}</Descriptions.Item>
            <Descriptions.Item label={t('career.nextReview')}>
              {formatMoment(locale, plan.nextReviewAt)} {plan.mayReview && <Tag color="orange">{t('career.reviewDue')}</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label={t('career.lastReviewed')}>{formatMoment(locale, plan.lastReviewedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('career.updated')}>
              {t('career.byAt', { who: nameOf(plan.updatedById), when: formatMoment(locale, plan.updatedAt) })}
            </Descriptions.Item>
          </Descriptions>
        </Card>
      ) : (
        <Alert type="info" showIcon message={t('career.none')} />
      )}
      {plan?.mayReview && <ReviewForm employeeId={employeeId} plan={plan} onSent={loaded.reload} />}
      {/* A new revision on record starts the form again from it. */}
      <PlanEditor key={plan?.revision ?? 0} employeeId={employeeId} plan={plan} onSaved={loaded.reload} />
      <PlanHistory history={history} />
    </Flex>
  );
}

/**
 * The plan's form, sent over the revision it started from. When someone else saved a newer one
 * meanwhile, the API refuses (409): the form keeps what was typed, the newer revision shows beside
 * it, and saving again puts the typed plan over that one; or the newer one replaces the draft.
 */
function PlanEditor({ employeeId, plan, onSaved }: { employeeId: string; plan: CareerPlan | null; onSaved(): unknown }) {
  const { t, locale } = useI18n();
  const { nameOf } = useSession();
  const { message } = App.useApp();
  const [newer, setNewer] = useState<CareerPlan>();
  const path = { params: { path: { employeeId } } };
  const seen = (newer ?? plan)?.revision ?? 0;

  async function send({ wantedSkills = [], ...values }: PlanValues) {
    try {
      await answer(api.PUT('/api/v1/career-plans/{employeeId}', { ...path, body: { ...values, wantedSkills, revision: seen } }));
    } catch (err) {
      if (!(err instanceof ApiProblem && err.status === 409)) throw err;
      const latest = await answer(api.GET('/api/v1/career-plans/{employeeId}', path));
      if (latest.revision === seen) throw err;
      setNewer(latest);
      const who = nameOf(latest.updatedById);
      throw new Error(t('career.conflict', { who, when: formatMoment(locale, latest.updatedAt), revision: latest.revision }), { cause: err });
    }
    message.success(t('career.saved'));
  }

  return (
    <Flex gap="middle" wrap align="start" className="career-editor">
      <ActionForm<PlanValues>
        title={plan ? t('career.edit') : t('career.start')}
        submit={newer ? t('career.saveOver', { revision: newer.revision }) : t('career.save')}
        className="career-form"
        initialValues={plan ? valuesOf(plan) : { wantedSkills: [] }}
        send={send}
        onSent={onSaved}
      >
        <Form.Item name="goals" label={t('career.goals')} rules={[{ required: true, whitespace: true, message: t('career.needGoals') }]}>
          <Input.TextArea rows={4} maxLength={4000} />
        </Form.Item>
        <Form.Item name="targetRole" label={t('career.targetRole')}>
          <Input maxLength={200} />
        </Form.Item>
        <KeyedList name="wantedSkills" title={t('career.skills')} what={t('career.skill')} example="negotiation" />
        <Form.Item name="trainingWanted" label={t('career.training')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="nextReviewAt" label={t('career.moveReview')} extra={t('career.moveReviewHint')} {...momentField}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
        </Form.Item>
      </ActionForm>
      {newer && (
        <Card size="small" className="career-newer" title={t('career.newer', { revision: newer.revision, who: nameOf(newer.updatedById) })}>
          <Flex vertical gap="small" align="start">
            <PlanContent plan={newer} />
            <Button onClick={onSaved}>{t('career.takeNewer')}</Button>
          </Flex>
        </Card>
      )}
    </Flex>
  );
}

const valuesOf = (plan: CareerPlan): PlanValues => ({
  goals: plan.goals,
  targetRole: plan.targetRole ?? undefined,
  wantedSkills: plan.wantedSkills,
  trainingWanted: plan.trainingWanted ?? undefined,
});

/** The yearly talk, recorded by whoever holds its task: what was said; the plan as it stands goes with it. */
function ReviewForm({ employeeId, plan, onSent }: { employeeId: string; plan: CareerPlan; onSent(): unknown }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  // One key per review due: a retried send lands once.
  const key = useMemo(newIdempotencyKey, [plan.flowId, plan.nextReviewAt]);
  return (
    <ActionForm<{ comment: string }>
      title={t('career.review')}
      submit={t('career.recordReview')}
      className="career-review"
      send={(body) =>
        answer(api.POST('/api/v1/career-plans/{employeeId}/review', { params: { path: { employeeId } }, headers: { 'Idempotency-Key': key }, body }))
      }
      onSent={() => {
        message.success(t('career.reviewed'));
        return onSent();
      }}
    >
      <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('career.reviewNote')} />
      <Form.Item name="comment" label={t('career.reviewComment')} rules={[{ required: true, whitespace: true, message: t('career.needComment') }]}>
        <Input.TextArea rows={3} maxLength={4000} />
      </Form.Item>
    </ActionForm>
  );
}

function PlanContent({ plan }: { plan: Content }) {
  const { t } = useI18n();
  return (
    <Descriptions size="small" column={1} className="plan-content">
      <Descriptions.Item label={t('career.goals')}>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{plan.goals}</Typography.Paragraph>
      </Descriptions.Item>
      <Descriptions.Item label={t('career.targetRole')}>{plan.targetRole ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('career.skills')}>
        {plan.wantedSkills.length ? plan.wantedSkills.map((s) => <Tag key={s.key}>{s.name}</Tag>) : '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('career.training')}>{plan.trainingWanted ?? '—'}</Descriptions.Item>
    </Descriptions>
  );
}

/** Every revision (newest first, each opening to what it said) and every yearly review. */
function PlanHistory({ history }: { history: History }) {
  const { t, locale } = useI18n();
  const { nameOf } = useSession();
  type Revision = History['revisions'][number];
  return (
    <Card size="small" title={t('career.history')} className="career-history">
      <Flex vertical gap="middle">
        <Table<Revision>
          rowKey="revision"
          size="small"
          dataSource={[...history.revisions].reverse()}
          pagination={false}
          scroll={{ x: true }}
          expandable={{ expandedRowRender: (r) => <PlanContent plan={r.content} /> }}
          columns={[
            { title: t('career.revision'), dataIndex: 'revision', render: (revision: number) => t('career.revisionNo', { revision }) },
            { title: t('career.by'), dataIndex: 'actorId', render: (id: string) => nameOf(id) },
            { title: t('career.at'), dataIndex: 'createdAt', render: (at: string) => formatMoment(locale, at) },
          ]}
        />
        <List
          className="career-reviews"
          header={<Typography.Text strong>{t('career.reviews')}</Typography.Text>}
          dataSource={[...history.reviews].reverse()}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('career.noReviews')} /> }}
          renderItem={(r) => (
            <List.Item key={r.reviewNo}>
              <List.Item.Meta
                title={t('career.reviewLine', { no: r.reviewNo, revision: r.revision, who: nameOf(r.reviewerId), when: formatMoment(locale, r.reviewedAt) })}
                description={<span style={{ whiteSpace: 'pre-wrap' }}>{r.comment}</span>}
              />
            </List.Item>
          )}
        />
      </Flex>
    </Card>
  );
}
