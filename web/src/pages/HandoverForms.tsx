import { DatePicker, Form, Input, InputNumber, Radio, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { answer, api, newIdempotencyKey, type Schemas } from '../api';
import { ActionForm, CancelFlow, CommentInput, dayField, PersonSelect, RatingInput } from '../components/forms';
import { useI18n } from '../i18n';
import { LEAVING_CAUSES, LeavingCausesSelect } from '../leavingCauses';
import { useLoaded } from '../loaded';
import { hasRole, useSession } from '../session';

type Handover = Schemas['Handover'];
type Article = Handover['articles'][number];
const KINDS = ['procedure', 'lesson', 'key_customer'] as const;

/**
 * What the caller may write into a handover now, each form shown only while the flow asks it of
 * them (an open task assigned or escalated to them): naming the successor, knowledge articles,
 * mentoring, the assessment, HR's review after two fails, the successor's rating, HR's exit
 * interview; and HR's cancel.
 */
export function HandoverForms({ handover, onSent }: { handover: Handover; onSent(what: string): unknown }) {
  const { t } = useI18n();
  const { caller } = useSession();
  const id = handover.id;
  const path = { params: { path: { id } } };
  const asks = (type: string) => handover.openTasks.some((task) => task.type === type && (task.assigneeId === caller.id || task.escalatedToIds.includes(caller.id)));
  const sent = (key: Parameters<typeof t>[0]) => () => onSent(t(key));
  const cancellable = handover.status === 'in_progress' && hasRole(caller, 'hr') && Date.parse(handover.departsAt) > Date.now();

  return (
    <>
      {asks('handover_assign') && <AssignmentForm handover={handover} onSent={sent('handover.assigned')} />}
      {asks('knowledge_capture') && <ArticleForm handover={handover} onSent={sent('handover.articleSent')} />}
      {asks('mentoring') && (
        <ActionForm<{ heldAt: Dayjs; durationMinutes: number; topic: string; notes?: string }>
          title={t('handover.logMentoring')}
          className="mentoring-form"
          submit={t('handover.logMentoringSend')}
          send={({ heldAt, ...rest }) => answer(api.POST('/api/v1/resignations/{id}/mentoring-sessions', { ...path, body: { ...rest, heldAt: heldAt.toISOString() } }))}
          onSent={sent('handover.mentoringLogged')}
        >
          <Form.Item name="heldAt" label={t('handover.heldAt')} rules={[{ required: true }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
          <Form.Item name="durationMinutes" label={t('handover.minutes')} rules={[{ required: true }]}>
            <InputNumber min={5} max={600} />
          </Form.Item>
          <Form.Item name="topic" label={t('handover.topic')} rules={[{ required: true }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="notes" label={t('handover.notes')}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        </ActionForm>
      )}
      {asks('successor_assessment') && (
        <ActionForm<{ passed: boolean; score: number; comment?: string }>
          title={t('handover.assess')}
          className="assessment-form"
          submit={t('handover.assessSend')}
          send={(body) => answer(api.POST('/api/v1/resignations/{id}/assessment', { ...path, body }))}
          onSent={sent('handover.assessed')}
        >
          <Form.Item name="passed" label={t('handover.verdict')} rules={[{ required: true }]}>
            <Radio.Group optionType="button" aria-label={t('handover.verdict')} options={[{ value: true, label: t('handover.passed') }, { value: false, label: t('handover.failed') }]} />
          </Form.Item>
          <Form.Item name="score" label={t('handover.score')} rules={[{ required: true }]}>
            <RatingInput aria-label={t('handover.score')} />
          </Form.Item>
          <CommentInput />
        </ActionForm>
      )}
      {asks('successor_review') && <SuccessorReviewForm handover={handover} onSent={sent('handover.reviewed')} />}
      {asks('handover_rating') && (
        <ActionForm<{ score: number; comment?: string }>
          title={t('handover.rate')}
          className="rating-form"
          submit={t('handover.rateSend')}
          send={(body) => answer(api.POST('/api/v1/resignations/{id}/rating', { ...path, body }))}
          onSent={sent('handover.rated')}
        >
          <Form.Item name="score" label={t('handover.score')} rules={[{ required: true }]}>
            <RatingInput aria-label={t('handover.score')} />
          </Form.Item>
          <CommentInput />
        </ActionForm>
      )}
      {asks('handover_exit_interview') && <ExitInterviewForm handover={handover} onSent={sent('exitInterview.recorded')} />}
      {cancellable && (
        <CancelFlow
          labels={{ open: t('handover.cancel'), send: t('handover.cancelSend'), why: t('handover.cancelWhy') }}
          send={(body) => answer(api.POST('/api/v1/resignations/{id}/cancel', { params: { path: { id } }, body }))}
          onSent={sent('handover.cancelled')}
        />
      )}
    </>
  );
}

/** A new article, or one the reviewer sent back, revised with its text loaded. */
function ArticleForm({ handover, onSent }: { handover: Handover; onSent(): unknown }) {
  const { t, lookup } = useI18n();
  const { caller } = useSession();
  const [form] = Form.useForm<{ articleId?: string; kind: Article['kind']; title: string; body: string }>();
  const sentBack = handover.articles.filter((a) => a.authorId === caller.id && a.status === 'changes_requested');
  return (
    <ActionForm
      form={form}
      title={t('handover.writeArticle')}
      className="article-form"
      submit={t('handover.articleSend')}
      send={(body) => answer(api.POST('/api/v1/resignations/{id}/knowledge-articles', { params: { path: { id: handover.id } }, body }))}
      onSent={onSent}
    >
      {sentBack.length > 0 && (
        <Form.Item name="articleId" label={t('handover.revise')}>
          <Select
            allowClear
            options={sentBack.map((a) => ({ value: a.id, label: `${a.title}${a.reviewerComment ? ` · “${a.reviewerComment}”` : ''}` }))}
            onChange={(articleId?: string) => {
              const a = sentBack.find((x) => x.id === articleId);
              if (a) form.setFieldsValue({ kind: a.kind, title: a.title, body: a.body });
            }}
          />
        </Form.Item>
      )}
      <Form.Item name="kind" label={t('handover.articleKind')} rules={[{ required: true }]}>
        <Select options={KINDS.map((k) => ({ value: k, label: lookup(`articleKind.${k}`, k) }))} />
      </Form.Item>
      <Form.Item name="title" label={t('handover.articleTitle')} rules={[{ required: true }]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="body" label={t('handover.articleBody')} rules={[{ required: true }]}>
        <Input.TextArea rows={6} maxLength={50_000} />
      </Form.Item>
    </ActionForm>
  );
}

function SuccessorReviewForm({ handover, onSent }: { handover: Handover; onSent(): unknown }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ decision: 'keep' | 'replace'; successorId?: string; comment?: string }>();
  const decision = Form.useWatch('decision', form);
  return (
    <ActionForm
      form={form}
      title={t('handover.review')}
      className="successor-review-form"
      submit={t('handover.reviewSend')}
      send={(body) => answer(api.POST('/api/v1/resignations/{id}/successor-review', { params: { path: { id: handover.id } }, body }))}
      onSent={onSent}
    >
      <Form.Item name="decision" label={t('handover.verdict')} rules={[{ required: true }]}>
        <Radio.Group optionType="button" aria-label={t('handover.verdict')} options={(['keep', 'replace'] as const).map((d) => ({ value: d, label: t(`handover.review.${d}`) }))} />
      </Form.Item>
      {decision === 'replace' && (
        <Form.Item name="successorId" label={t('handover.newSuccessor')} rules={[{ required: true }]}>
          <PersonSelect only={(p) => p.status === 'active' && p.id !== handover.employeeId && p.id !== handover.successorId} />
        </Form.Item>
      )}
      <CommentInput />
    </ActionForm>
  );
}

type Assignment = { successorId: string; successorReason?: string; supervisorId: string; mentorId?: string };

/** HR names the successor: the leaver's reserve pool first (with readiness), then colleagues; someone
 *  from outside a pool that has candidates needs a reason (successorReason). */
function AssignmentForm({ handover, onSent }: { handover: Handover; onSent(): unknown }) {
  const { t } = useI18n();
  const [form] = Form.useForm<Assignment>();
  const path = { params: { path: { id: handover.id } } };
  const { data } = useLoaded(() => answer(api.GET('/api/v1/resignations/{id}/successor-candidates', path)), handover.id);
  const successorId = Form.useWatch('successorId', form);
  const fromPool = data?.fromPool ?? [];
  const needsReason = !!successorId && fromPool.length > 0 && !fromPool.some((c) => c.id === successorId);
  return (
    <ActionForm<Assignment>
      title={t('handover.assign')}
      className="assignment-form"
      form={form}
      submit={t('handover.assignSend')}
      initialValues={{ successorId: handover.successorId ?? undefined, supervisorId: handover.supervisorId ?? undefined, mentorId: handover.mentorId ?? undefined }}
      send={({ successorReason, ...body }) => answer(api.POST('/api/v1/resignations/{id}/assignment', { ...path, body: { ...body, ...(needsReason ? { successorReason } : {}) } }))}
      onSent={onSent}
    >
      <Form.Item name="successorId" label={t('handover.successor')} rules={[{ required: true }]}>
        <Select
          className="successor-select"
          showSearch
          optionFilterProp="label"
          loading={!data}
          options={[
            ...(fromPool.length
              ? [{ label: t('handover.fromPool'), options: fromPool.map((c) => ({ value: c.id, label: `${c.rank}. ${c.name} · ${t(`pool.readiness.${c.readiness}`)}` })) }]
              : []),
            { label: t('handover.others'), options: (data?.others ?? []).map((p) => ({ value: p.id, label: `${p.name} (${p.employeeNo})` })) },
          ]}
        />
      </Form.Item>
      {needsReason && (
        <Form.Item name="successorReason" label={t('handover.successorReason')} rules={[{ required: true, whitespace: true, message: t('handover.needSuccessorReason') }]}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      )}
      <Form.Item name="supervisorId" label={t('handover.supervisor')} rules={[{ required: true }]}>
        <PersonSelect only={(p) => p.status === 'active' && p.id !== handover.employeeId} />
      </Form.Item>
      <Form.Item name="mentorId" label={t('handover.mentor')}>
        <PersonSelect allowClear only={(p) => p.status === 'active'} />
      </Form.Item>
    </ActionForm>
  );
}

interface ExitInterviewValues {
  heldOn: string;
  causes: (typeof LEAVING_CAUSES)[number][];
  notes: string;
  wouldReturn: boolean;
  wouldRecommend: boolean;
}

/** HR's exit interview: the causes from the stay interview's list, so the report can count them. */
function ExitInterviewForm({ handover, onSent }: { handover: Handover; onSent(): unknown }) {
  const { t } = useI18n();
  // One key per form: a second click, or a retry after a lost answer, records the interview once.
  const key = useMemo(newIdempotencyKey, [handover.id]);
  const yesNo = [{ value: true, label: t('exitInterview.yes') }, { value: false, label: t('exitInterview.no') }];
  return (
    <ActionForm<ExitInterviewValues>
      title={t('exitInterview.title', { name: handover.employee.name })}
      name="exit"
      className="exit-interview-form"
      submit={t('exitInterview.send')}
      initialValues={{ heldOn: dayjs().format('YYYY-MM-DD') }}
      send={(body) => answer(api.POST('/api/v1/resignations/{id}/exit-interview', { params: { path: { id: handover.id } }, headers: { 'Idempotency-Key': key }, body }))}
      onSent={onSent}
    >
      <Form.Item name="heldOn" label={t('exitInterview.heldOn')} rules={[{ required: true }]} {...dayField}>
        <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
      </Form.Item>
      <Form.Item name="causes" label={t('exitInterview.causes')} rules={[{ required: true, message: t('retention.needCause') }]}>
        <LeavingCausesSelect />
      </Form.Item>
      <Form.Item name="notes" label={t('exitInterview.notes')} rules={[{ required: true, whitespace: true, message: t('retention.needNotes') }]}>
        <Input.TextArea rows={3} maxLength={4000} />
      </Form.Item>
      <Form.Item name="wouldReturn" label={t('exitInterview.wouldReturn')} rules={[{ required: true }]}>
        <Radio.Group optionType="button" aria-label={t('exitInterview.wouldReturn')} options={yesNo} />
      </Form.Item>
      <Form.Item name="wouldRecommend" label={t('exitInterview.wouldRecommend')} rules={[{ required: true }]}>
        <Radio.Group optionType="button" aria-label={t('exitInterview.wouldRecommend')} options={yesNo} />
      </Form.Item>
    </ActionForm>
  );
}
