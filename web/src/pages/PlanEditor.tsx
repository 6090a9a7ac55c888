import { Alert, Button, Card, Checkbox, DatePicker, Flex, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { answer, api, ApiProblem, newIdempotencyKey, type Employee, type FieldError } from '../api';
import { formatYuan } from '../format';
import { useI18n } from '../i18n';
import type { paths } from '../generated/api';
import { dayField, keepEnterInPickers, momentField, PersonSelect, useFieldLine, useProblemTitle, useServerErrors } from '../components/forms';
import { isPlanField, planFieldLabel } from '../planFields';
import { useLocation } from '../router';
import { useSession } from '../session';

type CreateBody = NonNullable<paths['/api/v1/training-plans']['post']['requestBody']>['content']['application/json'];
/** The editor's values are the API's own request body: dates and money are converted only where shown. */
export type PlanForm = { title: string; departmentId: string; content: NonNullable<CreateBody['content']> };

const METHODS = ['classroom', 'online', 'workshop', 'simulation', 'role_play'] as const;
const CATEGORIES = ['fees', 'travel', 'materials', 'venue', 'equipment', 'other'] as const;

// Dates travel as ISO strings and money as fen; the pickers hold dayjs values (dayField, momentField) and yuan.
const asYuan = { getValueProps: (fen?: number) => ({ value: fen === undefined || fen === null ? fen : fen / 100 }), normalize: (yuan: number | null) => (yuan === null ? undefined : Math.round(yuan * 100)) };

/** A new plan shows one empty row of each list to fill in; a budget line starts as trainer's fees, the
 *  commonest, and nothing else in them is a value the person did not give. */
const EMPTY: PlanForm['content'] = {
  objectives: { targets: [{}] },
  modules: [{}],
  methods: [],
  resources: { trainers: [{}], materials: [], equipment: [] },
  sessions: [{}],
  participantIds: [],
  budget: { lines: [{ category: 'fees' }], totalFen: 0 },
};

/** Who may be named to do something from now on (an owner, a trainer): people still active. */
export const isActive = (p: Employee) => p.status === 'active';

const isEmptyRow = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;

/** Drops what the person left empty, rows left blank included: a half-filled draft saves as it is,
 *  and submitting names what is missing. */
function withoutBlanks(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutBlanks).filter((v) => !isEmptyRow(v));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => (typeof v === 'string' ? v.trim() !== '' : v !== undefined && v !== null)).map(([k, v]) => [k, withoutBlanks(v)]));
  }
  return value;
}

/** An error on a plan in a line of its own (a whole list, a session outside the cycle, one field of
 *  a submission refused), in the editor's words: "请填写预算第1行 金额". */
export function usePlanFieldLine() {
  const { t } = useI18n();
  return useFieldLine((field) => planFieldLabel(t, field));
}

/** Creates a draft or edits one: every field the API takes; each error it answers shows on its field. */
export function PlanEditorPage({ planId }: { planId?: string }) {
  const { t, lookup, locale, departmentName } = useI18n();
  const { directory } = useSession();
  const { go } = useLocation();
  const [form] = Form.useForm<PlanForm>();
  const [loaded, setLoaded] = useState(!planId);
  const [unplaced, setUnplaced] = useState<FieldError[]>([]);
  const [problem, setProblem] = useState<string>();
  const [saving, setSaving] = useState(false);
  const fieldErrors = useServerErrors(form);
  const unplacedLine = usePlanFieldLine();
  const problemTitle = useProblemTitle();
  // One key per editor: a repeated click or a retry after a timeout creates one plan.
  const createKey = useMemo(newIdempotencyKey, []);
  const lines: { amountFen?: number }[] | undefined = Form.useWatch(['content', 'budget', 'lines'], form);

  useEffect(() => {
    if (!planId) return void form.setFieldsValue({ content: EMPTY });
    void answer(api.GET('/api/v1/training-plans/{id}', { params: { path: { id: planId } } })).then((plan) => {
      form.setFieldsValue({ title: plan.title, departmentId: plan.departmentId, content: { ...EMPTY, ...(plan.draft as object) } });
      setLoaded(true);
    });
  }, [planId, form]);
  useEffect(() => {
    form.setFieldValue(['content', 'budget', 'totalFen'], (lines ?? []).reduce((sum, l) => sum + (l?.amountFen ?? 0), 0));
  }, [lines, form]);

  async function save() {
    const values = withoutBlanks(form.getFieldsValue(true)) as PlanForm;
    setSaving(true);
    setUnplaced([]);
    setProblem(undefined);
    fieldErrors.clear();
    try {
      const plan = planId
        ? await answer(api.PUT('/api/v1/training-plans/{id}', { params: { path: { id: planId } }, body: { title: values.title, content: values.content } }))
        : await answer(api.POST('/api/v1/training-plans', { body: values, headers: { 'Idempotency-Key': createKey } }));
      go(`/plans/${plan.id}`);
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
      setProblem(problemTitle(err));
      setUnplaced(fieldErrors.show(err.errors, (e) => isPlanField(e.field)));
    } finally {
      setSaving(false);
    }
  }

  const list = (name: (string | number)[], title: string, blank: object, fields: (n: number) => ReactNode) => (
    <Card size="small" title={title}>
      <Form.List name={name}>
        {(items, { add, remove }) => (
          <Flex vertical gap="small">
            {items.map((item, i) => (
              <Card key={item.key} size="small" type="inner" title={`${title} ${i + 1}`} extra={<Button size="small" onClick={() => remove(item.name)}>{t('editor.remove')}</Button>}>
                {fields(item.name)}
              </Card>
            ))}
            <Button onClick={() => add(blank)}>{t('editor.add', { what: title })}</Button>
          </Flex>
        )}
      </Form.List>
    </Card>
  );

  if (!loaded) return null;
  return (
    <Form form={form} layout="vertical" onFinish={save} onFieldsChange={fieldErrors.onFieldsChange} onKeyDown={keepEnterInPickers} scrollToFirstError className="plan-editor">
      <Typography.Title level={3}>{planId ? t('editor.editTitle') : t('plans.new')}</Typography.Title>
      {problem && <Alert type="error" showIcon message={problem} description={unplaced.length ? <ul>{unplaced.map((e) => <li key={e.field}>{unplacedLine(e)}</li>)}</ul> : undefined} style={{ marginBottom: 16 }} />}
      <Flex vertical gap="middle">
        <Card size="small">
          <Form.Item name="title" label={t('plans.planTitle')}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="departmentId" label={t('plans.department')}>
            <Select disabled={!!planId} options={[...directory.departments.values()].map((d) => ({ value: d.id, label: departmentName(d) }))} />
          </Form.Item>
        </Card>
        <Card size="small" title={t('editor.objectives')}>
          <Form.Item name={['content', 'objectives', 'general']} label={t('editor.general')}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        </Card>
        {list(['content', 'objectives', 'targets'], t('editor.target'), {}, (n) => (
          <>
            <Form.Item name={[n, 'description']} label={t('editor.description')}><Input /></Form.Item>
            <Space wrap>
              <Form.Item name={[n, 'metric']} label={t('editor.metric')}><Input /></Form.Item>
              <Form.Item name={[n, 'target']} label={t('editor.targetValue')}><InputNumber /></Form.Item>
              <Form.Item name={[n, 'unit']} label={t('editor.unit')}><Input style={{ width: 80 }} /></Form.Item>
              <Form.Item name={[n, 'better']} label={t('editor.better')}>
                <Select allowClear style={{ width: 120 }} options={[{ value: 'higher', label: t('editor.higher') }, { value: 'lower', label: t('editor.lower') }]} />
              </Form.Item>
            </Space>
          </>
        ))}
        {list(['content', 'modules'], t('editor.module'), {}, (n) => (
          <>
            <Form.Item name={[n, 'title']} label={t('editor.moduleTitle')}><Input /></Form.Item>
            <Form.Item name={[n, 'content']} label={t('editor.moduleContent')}><Input.TextArea rows={2} /></Form.Item>
            <Form.Item name={[n, 'hours']} label={t('editor.hours')}><InputNumber min={0.5} step={0.5} /></Form.Item>
          </>
        ))}
        <Card size="small" title={t('editor.resources')}>
          <Form.Item name={['content', 'methods']} label={t('editor.methods')}>
            <Checkbox.Group options={METHODS.map((m) => ({ value: m, label: lookup(`method.${m}`, m) }))} />
          </Form.Item>
          <Form.Item name={['content', 'resources', 'venue']} label={t('editor.venue')}><Input /></Form.Item>
          <Form.Item name={['content', 'resources', 'materials']} label={t('editor.materials')}><Select mode="tags" open={false} /></Form.Item>
          <Form.Item name={['content', 'resources', 'equipment']} label={t('editor.equipment')}><Select mode="tags" open={false} /></Form.Item>
          <Form.Item name={['content', 'resources', 'adminOwnerId']} label={t('editor.adminOwner')} extra={t('editor.adminOwnerHint')}>
            <PersonSelect allowClear only={isActive} />
          </Form.Item>
        </Card>
        {list(['content', 'resources', 'trainers'], t('editor.trainer'), {}, (n) => (
          <Space wrap>
            <Form.Item name={[n, 'name']} label={t('editor.trainerName')}><Input /></Form.Item>
            <Form.Item name={[n, 'employeeId']} label={t('editor.employee')}><PersonSelect allowClear /></Form.Item>
            <Form.Item name={[n, 'qualification']} label={t('editor.qualification')}><Input /></Form.Item>
          </Space>
        ))}
        <Card size="small" title={t('editor.cycle')}>
          <Space wrap>
            <Form.Item name={['content', 'cycle', 'startsOn']} label={t('editor.startsOn')} {...dayField}><DatePicker /></Form.Item>
            <Form.Item name={['content', 'cycle', 'endsOn']} label={t('editor.endsOn')} {...dayField}><DatePicker /></Form.Item>
          </Space>
        </Card>
        {list(['content', 'sessions'], t('editor.session'), {}, (n) => (
          <>
            <Form.Item name={[n, 'title']} label={t('editor.sessionTitle')}><Input /></Form.Item>
            <Space wrap>
              <Form.Item name={[n, 'startsAt']} label={t('editor.startsAt')} {...momentField}><DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" /></Form.Item>
              <Form.Item name={[n, 'endsAt']} label={t('editor.endsAt')} {...momentField}><DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" /></Form.Item>
              <Form.Item name={[n, 'location']} label={t('editor.location')}><Input /></Form.Item>
              <Form.Item name={[n, 'trainerId']} label={t('editor.trainer')}><PersonSelect allowClear /></Form.Item>
              <Form.Item name={[n, 'adminOwnerId']} label={t('editor.adminOwner')}><PersonSelect allowClear only={isActive} /></Form.Item>
              <Form.Item name={[n, 'modules']} label={t('editor.sessionModules')}><Select mode="multiple" allowClear style={{ minWidth: 160 }} options={(form.getFieldValue(['content', 'modules']) ?? []).map((_m: unknown, i: number) => ({ value: i + 1, label: `${t('editor.module')} ${i + 1}` }))} /></Form.Item>
            </Space>
          </>
        ))}
        <Card size="small" title={t('editor.participants')}>
          <Form.Item name={['content', 'participantIds']} label={t('editor.participants')}><PersonSelect mode="multiple" allowClear /></Form.Item>
          <Form.Item name={['content', 'passMark']} label={t('editor.passMark')}><InputNumber min={0} max={100} /></Form.Item>
        </Card>
        {list(['content', 'budget', 'lines'], t('editor.budgetLine'), { category: 'fees' }, (n) => (
          <Space wrap>
            <Form.Item name={[n, 'category']} label={t('editor.category')}><Select style={{ width: 140 }} options={CATEGORIES.map((c) => ({ value: c, label: lookup(`budget.${c}`, c) }))} /></Form.Item>
            <Form.Item name={[n, 'description']} label={t('editor.description')}><Input /></Form.Item>
            <Form.Item name={[n, 'amountFen']} label={t('editor.amountYuan')} {...asYuan}><InputNumber min={0} step={100} precision={2} /></Form.Item>
          </Space>
        ))}
        <Form.Item name={['content', 'budget', 'totalFen']} label={t('editor.budgetTotal')}>
          <TotalShown locale={locale} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={saving}>{t('editor.save')}</Button>
          <Button onClick={() => go(planId ? `/plans/${planId}` : '/plans')}>{t('common.cancel')}</Button>
        </Space>
      </Flex>
    </Form>
  );
}

/** The budget's total, always the sum of its lines. */
function TotalShown({ value, locale }: { value?: number; locale: Parameters<typeof formatYuan>[0] }) {
  return <Typography.Text strong>{formatYuan(locale, value ?? 0)}</Typography.Text>;
}
