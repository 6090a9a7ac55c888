import { App, Button, Dropdown, Form, Input, Modal, Radio, Select } from 'antd';
import { useMemo, useRef, useState, type ReactNode } from 'react';
import { answer, api, newIdempotencyKey, type ActionableTask, type NextTask } from '../api';
import { taskTitle } from '../format';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { actionsOf, type TaskAction } from '../taskActions';
import { ActionForm, PersonSelect } from './forms';

type Values = { toId: string; signerId: string; position: 'before' | 'after'; reason: string; backTo: string; comment: string; ids: string[]; note?: string };
const MAX_CC = 20;

/**
 * 转交, 加签, 退回 and 抄送 for one open task: a "More" menu of the actions the task allows, each a
 * small form. `onDone` hears the tasks the action opened (already in their inboxes), after the
 * toast that says what happened.
 */
export function TaskActions({ task, onDone }: { task: ActionableTask; onDone(next: NextTask[]): unknown }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<TaskAction>();
  const allowed = actionsOf(task);
  if (task.status !== 'open' || !allowed.length) return null;
  // A send-back is a decision: not while the task waits for a signer, nor with nowhere to go.
  const unavailable = (a: TaskAction) => a === 'send_back' && (!!task.waitingForId || !task.earlierLevels?.length);
  return (
    <>
      <Dropdown trigger={['click']} menu={{ items: allowed.map((a) => ({ key: a, label: t(`action.${a}`), disabled: unavailable(a) })), onClick: ({ key }) => setOpen(key as TaskAction) }}>
        <Button size="small">{t('action.more')}</Button>
      </Dropdown>
      {open && <ActionDialog task={task} action={open} onClose={() => setOpen(undefined)} onDone={onDone} />}
    </>
  );
}

function ActionDialog({ task, action, onClose, onDone }: { task: ActionableTask; action: TaskAction; onClose(): void; onDone(next: NextTask[]): unknown }) {
  const { t, lookup, locale } = useI18n();
  const { nameOf } = useSession();
  const { message } = App.useApp();
  // One key for this form: a send repeated after a lost answer is applied once.
  const key = useMemo(newIdempotencyKey, []);
  const opened = useRef<NextTask[]>([]);
  const names = (ids: string[]) => ids.map((id) => nameOf(id)).join(t('action.namesJoin'));
  const level = (l: string) => lookup(`level.${l}`, l);

  /** Sends the action's message; says what happened; the tasks it opened. */
  async function send(v: Values): Promise<NextTask[]> {
    const request = { params: { path: { id: task.id } }, headers: { 'Idempotency-Key': key } };
    if (action === 'transfer') {
      const done = await answer(api.POST('/api/v1/tasks/{id}/transfer', { ...request, body: { toId: v.toId, reason: v.reason } }));
      message.success(t('action.transferred', { who: nameOf(done.assigneeId) }));
      return done.next;
    }
    if (action === 'add_signer') {
      const done = await answer(api.POST('/api/v1/tasks/{id}/signers', { ...request, body: { signerId: v.signerId, position: v.position, reason: v.reason } }));
      message.success(t(v.position === 'before' ? 'action.signerBefore' : 'action.signerAfter', { who: nameOf(v.signerId) }));
      return done.next;
    }
    if (action === 'send_back') {
      const done = await answer(api.POST('/api/v1/tasks/{id}/decision', { ...request, body: { decision: 'send_back', backTo: v.backTo, comment: v.comment } }));
      message.success(t('action.sentBack', { level: level(v.backTo) }));
      return done.next;
    }
    const done = await answer(api.POST('/api/v1/tasks/{id}/cc', { ...request, body: { ids: v.ids, note: v.note } }));
    message.success(t('action.copied', { who: names(done.added) }));
    return done.next;
  }

  const reason = (name: 'reason' | 'comment', label: string, required: string) => (
    <Form.Item name={name} label={label} rules={[{ required: true, whitespace: true, message: required }]}>
      <Input.TextArea rows={3} maxLength={2000} />
    </Form.Item>
  );
  // Anyone active but the task's holder, searched by name or employee number.
  const picker = (props: { mode?: 'multiple' }) => <PersonSelect {...props} style={{ width: '100%' }} placeholder={t('action.search')} only={(p) => p.status === 'active' && p.id !== task.assigneeId} />;
  const person = (name: 'toId' | 'signerId', label: string) => (
    <Form.Item name={name} label={label} rules={[{ required: true, message: t('action.needPerson') }]}>
      {picker({})}
    </Form.Item>
  );
  const fields: Record<TaskAction, ReactNode> = {
    transfer: (
      <>
        {person('toId', t('action.toId'))}
        {reason('reason', t('action.reason'), t('action.needReason', { action: t('action.transfer') }))}
      </>
    ),
    add_signer: (
      <>
        {person('signerId', t('action.signerId'))}
        <Form.Item name="position" label={t('action.position')} rules={[{ required: true }]}>
          <Radio.Group className="stacked-choice" options={(['before', 'after'] as const).map((p) => ({ value: p, label: t(`action.${p}`) }))} />
        </Form.Item>
        {reason('reason', t('action.reason'), t('action.needReason', { action: t('action.add_signer') }))}
      </>
    ),
    send_back: (
      <>
        <Form.Item name="backTo" label={t('action.backTo')} rules={[{ required: true, message: t('action.needLevel') }]}>
          <Select options={(task.earlierLevels ?? []).map((l) => ({ value: l, label: level(l) }))} />
        </Form.Item>
        {reason('comment', t('action.comment'), t('action.needComment'))}
      </>
    ),
    cc: (
      <>
        <Form.Item
          name="ids"
          label={t('action.ccIds')}
          rules={[
            { required: true, type: 'array', min: 1, message: t('action.needPeople') },
            { type: 'array', max: MAX_CC, message: t('action.tooMany', { max: MAX_CC }) },
          ]}
        >
          {picker({ mode: 'multiple' })}
        </Form.Item>
        <Form.Item name="note" label={t('action.note')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </>
    ),
  };

  const only = task.earlierLevels?.length === 1 ? task.earlierLevels[0] : undefined;
  return (
    <Modal open title={`${t(`action.${action}`)}: ${taskTitle(locale, task.title)}`} footer={null} onCancel={onClose} className="task-action">
      <ActionForm<Values>
        submit={t(`action.${action}`)}
        initialValues={{ position: 'before', backTo: only }}
        send={async (v) => {
          opened.current = await send(v);
        }}
        onSent={() => {
          onClose();
          return onDone(opened.current);
        }}
        extra={<Button onClick={onClose}>{t('common.cancel')}</Button>}
      >
        {fields[action]}
      </ActionForm>
    </Modal>
  );
}
