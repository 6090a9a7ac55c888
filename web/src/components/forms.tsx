import { Alert, Button, Card, Flex, Form, Input, Radio, Select, type FormInstance, type GetProp, type SelectProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { ApiProblem, type Employee, type FieldError } from '../api';
import { formatYuan } from '../format';
import { fill, useI18n } from '../i18n';
import { useSession } from '../session';

/** An API error's field (`body.content.modules.0.title`) as a form's name path. */
export const namePath = (field: string) =>
  field
    .replace(/^body\./, '')
    .split('.')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));

/** A field error as its reader's language says it, from its code and the field's label ("请填写计划名称");
 *  the API's own reason when the app has no wording for its code. Money among its figures is shown in yuan. */
export function useFieldMessage() {
  const { t, lookup, locale } = useI18n();
  return (e: FieldError, label?: string) => {
    const wording = e.code ? lookup(`fieldError.${e.code}`, '') : '';
    if (!wording) return e.reason;
    const params: Record<string, string | number> = { label: label ?? t('fieldError.thisField') };
    for (const [k, v] of Object.entries(e.params ?? {})) {
      if (k.endsWith('Fen') && typeof v === 'number') params[k.slice(0, -3)] = formatYuan(locale, v);
      else params[k] = v;
    }
    return fill(wording, params);
  };
}

/** An error in a line of its own, above a form or in a dialog: worded with its field's label
 *  (`labelFor`, else the field's path), or the API's reason after that label. */
export function useFieldLine(labelFor: (field: string) => string | undefined = () => undefined) {
  const word = useFieldMessage();
  return (e: FieldError) => {
    const label = labelFor(e.field) ?? e.field.replace(/^body\./, '');
    const worded = word(e, label);
    return worded === e.reason ? `${label}: ${e.reason}` : worded;
  };
}

/** The label a form shows for the field with this id, without a hint in brackets at its end
 *  ("手机号（企业微信、钉钉 @提醒）" → "手机号"): what a message about the field calls it. */
const labelOf = (id: string) => {
  const label = document.querySelector(`label[for="${CSS.escape(id)}"]`);
  return (label?.getAttribute('title') || label?.textContent || undefined)?.replace(/\s*[（(][^（()）]*[）)]\s*$/, '');
};

/** Enter in a date picker takes the date typed; it does not also send the whole form. */
export const keepEnterInPickers = (e: KeyboardEvent) => {
  if (e.key === 'Enter' && (e.target as HTMLElement).closest('.ant-picker')) e.preventDefault();
};

/**
 * The API's errors on a form's fields, each worded for the reader under its field, and gone as soon
 * as the person changes that field (not at the next save). `formName` is the form's `name`, which
 * prefixes its fields' ids.
 */
export function useServerErrors(form: FormInstance, formName?: string) {
  const word = useFieldMessage();
  const marked = useRef(new Set<string>());
  return {
    /** Puts each error `shows` accepts (by default: those on a field the form has) on its field;
     *  answers the others, for a banner above the form. */
    show(errors: FieldError[], shows?: (e: FieldError) => boolean): FieldError[] {
      const fields = new Set(form.getFieldsError().map((f) => JSON.stringify(f.name)));
      const placed = errors.filter(shows ?? ((e) => fields.has(JSON.stringify(namePath(e.field)))));
      form.setFields(placed.map((e) => ({ name: namePath(e.field) as never, errors: [word(e, labelOf([formName, ...namePath(e.field)].filter((p) => p !== undefined).join('_')))] })));
      for (const e of placed) marked.current.add(JSON.stringify(namePath(e.field)));
      return errors.filter((e) => !placed.includes(e));
    },
    clear() {
      form.setFields([...marked.current].map((name) => ({ name: JSON.parse(name) as never, errors: [] })));
      marked.current.clear();
    },
    /** The form's onFieldsChange: a field the person changes drops the API's error on it. */
    onFieldsChange(changed: { name: unknown }[]) {
      const fixed = changed.filter((f) => marked.current.delete(JSON.stringify(f.name)));
      if (fixed.length) form.setFields(fixed.map((f) => ({ name: f.name as never, errors: [] })));
    },
  };
}

/** What a banner says of a refusal: how many fields to fix, or the API's own words when it names none. */
export function useProblemTitle() {
  const { t } = useI18n();
  return (err: ApiProblem) => (err.errors.length ? t('problem.fields', { count: err.errors.length }) : (err.detail ?? err.title));
}

/**
 * A form that sends one message: each problem+json error shows on the field it names, whatever
 * no field of this form shows goes above it, and what was typed stays until the message is taken.
 */
export function ActionForm<T extends object>({
  title,
  submit,
  send,
  onSent,
  children,
  layout = 'vertical',
  initialValues,
  className,
  extra,
  form: given,
  name,
}: {
  title?: ReactNode;
  submit: string;
  send(values: T): Promise<unknown>;
  onSent(): unknown;
  children: ReactNode;
  layout?: 'vertical' | 'inline';
  initialValues?: Partial<T>;
  className?: string;
  extra?: ReactNode;
  /** The form's instance, for a page that fills fields in (a revision loads its text). */
  form?: FormInstance<T>;
  /** Prefixes its fields' ids: several forms on one page keep their labels apart. */
  name?: string;
}) {
  const [form] = Form.useForm<T>(given);
  const [problem, setProblem] = useState<{ title: string; unplaced: FieldError[] }>();
  const [busy, setBusy] = useState(false);
  const fieldErrors = useServerErrors(form, name);
  const line = useFieldLine();
  const problemTitle = useProblemTitle();

  async function finish(values: T) {
    setBusy(true);
    try {
      // A field left blank is not sent: optional text means "none", not an empty string.
      await send(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'string' && !v.trim() ? undefined : v])) as T);
      setProblem(undefined);
      form.resetFields();
      await onSent();
    } catch (err) {
      // No answer at all (the network, the server gone): said above the form, what was typed kept.
      if (!(err instanceof ApiProblem)) return setProblem({ title: err instanceof Error ? err.message : String(err), unplaced: [] });
      setProblem({ title: problemTitle(err), unplaced: fieldErrors.show(err.errors) });
    } finally {
      setBusy(false);
    }
  }

  const body = (
    <>
      {problem && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={problem.title}
          description={problem.unplaced.length ? <ul>{problem.unplaced.map((e) => <li key={e.field}>{line(e)}</li>)}</ul> : undefined}
        />
      )}
      <Form<T>
        form={form}
        name={name}
        layout={layout}
        initialValues={initialValues}
        onFinish={finish}
        onFieldsChange={fieldErrors.onFieldsChange}
        onKeyDown={keepEnterInPickers}
        style={layout === 'inline' ? { rowGap: 8 } : undefined}>
        {children}
        <Flex gap="small">
          <Button type="primary" htmlType="submit" loading={busy}>
            {submit}
          </Button>
          {extra}
        </Flex>
      </Form>
    </>
  );
  return title ? (
    <Card size="small" title={title} className={className}>
      {body}
    </Card>
  ) : (
    <div className={className}>{body}</div>
  );
}

/** HR cancels a flow: a button that first asks why (the reason is required and kept with the flow's end). */
export function CancelFlow({ labels, send, onSent }: { labels: { open: string; send: string; why: string }; send(body: { reason: string }): Promise<unknown>; onSent(): unknown }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  if (!open)
    return (
      <Flex>
        <Button danger onClick={() => setOpen(true)}>
          {labels.open}
        </Button>
      </Flex>
    );
  return (
    <ActionForm<{ reason: string }> title={labels.open} className="cancel-form" submit={labels.send} extra={<Button onClick={() => setOpen(false)}>{t('common.cancel')}</Button>} send={send} onSent={onSent}>
      <Form.Item name="reason" label={labels.why} rules={[{ required: true }]}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
    </ActionForm>
  );
}

/** Form.Item props for a date picker whose field holds a calendar day (YYYY-MM-DD), as the API takes it. */
export const dayField = { getValueProps: (day?: string) => ({ value: day ? dayjs(day) : undefined }), normalize: (d: Dayjs | null) => d?.format('YYYY-MM-DD') };

/** Form.Item props for a date picker whose field holds an ISO moment, as the API takes it. */
export const momentField = { getValueProps: (iso?: string) => ({ value: iso ? dayjs(iso) : undefined }), normalize: (d: Dayjs | null) => d?.format('YYYY-MM-DDTHH:mm:ssZ') };

/** Picks someone from the directory by name or employee number; `only` narrows the choice. */
export function PersonSelect({ only, ...props }: Omit<SelectProps<string | string[]>, 'options'> & { only?: (p: Employee) => boolean }) {
  const { directory } = useSession();
  const options = [...directory.people.values()].filter((p) => p.status !== 'left' && (!only || only(p))).map((p) => ({ value: p.id, label: `${p.name} (${p.employeeNo})` }));
  return <Select style={{ minWidth: 200 }} {...props} showSearch optionFilterProp="label" options={options} />;
}

/** A rating 1–5 as five buttons: one tap on a phone. */
export const RatingInput = (props: { id?: string; value?: number; onChange?(value: number): void; 'aria-label'?: string }) => (
  <Radio.Group {...props} optionType="button" onChange={(e) => props.onChange?.(e.target.value as number)} options={[1, 2, 3, 4, 5].map((n) => ({ value: n, label: String(n) }))} />
);

/** The optional comment most answers may carry. */
export function CommentInput({ name = 'comment', max = 2000 }: { name?: string; max?: number }) {
  const { t } = useI18n();
  return (
    <Form.Item name={name} label={t('inbox.comment')}>
      <Input.TextArea rows={2} maxLength={max} />
    </Form.Item>
  );
}

/** A key the API takes for a competency or a criterion: a slug of lower-case letters, digits and _. */
const SLUG = /^[a-z][a-z0-9_]*$/;

/**
 * A list of named things, each a key and a name (a competency wanted, a vacancy's criterion), with
 * what else each row takes (`more`, e.g. a weight); `rules` check the list as a whole, their
 * message and the API's under it.
 */
export function KeyedList({ name, title, what, example, rules, more, fresh = {} }: {
  name: string;
  title: string;
  /** One item, as "Add {what}" names it. */
  what: string;
  /** A key such a list holds, shown in an empty key field. */
  example: string;
  rules?: GetProp<typeof Form.List, 'rules'>;
  /** The row's further fields: its name in the list, and its number from 1 for labels. */
  more?(name: number, n: number): ReactNode;
  fresh?: object;
}) {
  const { t } = useI18n();
  return (
    <Form.List name={name} rules={rules}>
      {(items, { add, remove }, { errors }) => (
        <Card size="small" title={title} style={{ marginBottom: 16 }}>
          <Flex vertical gap="small">
            {items.map((item, i) => (
              <Flex key={item.key} gap="small" wrap align="start" className="keyed-row">
                <Form.Item
                  name={[item.name, 'key']}
                  label={t('keyed.key', { n: i + 1 })}
                  rules={[{ required: true, message: t('keyed.needKey') }, { pattern: SLUG, message: t('keyed.slug') }]}
                >
                  <Input placeholder={example} maxLength={40} style={{ width: 140 }} />
                </Form.Item>
                <Form.Item
                  name={[item.name, 'name']}
                  label={t('keyed.name', { n: i + 1 })}
                  rules={[{ required: true, whitespace: true, message: t('keyed.needName') }]}
                  style={{ flex: 1, minWidth: 180 }}
                >
                  <Input maxLength={200} />
                </Form.Item>
                {more?.(item.name, i + 1)}
                <Button onClick={() => remove(item.name)} style={{ marginTop: 30 }}>{t('editor.remove')}</Button>
              </Flex>
            ))}
            <Form.ErrorList errors={errors} />
            <Button onClick={() => add({ key: '', name: '', ...fresh })}>{t('editor.add', { what })}</Button>
          </Flex>
        </Card>
      )}
    </Form.List>
  );
}
