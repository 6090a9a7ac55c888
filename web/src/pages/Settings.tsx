import { App, Checkbox, Flex, Form, Input, Radio, Switch, Typography } from 'antd';
import { useState } from 'react';
import { answer, api, type Schemas } from '../api';
import { ActionForm, PersonSelect } from '../components/forms';
import { useI18n } from '../i18n';
import { ProblemAlert, useLoaded } from '../loaded';
import { hasRole, useSession } from '../session';

type Preferences = Schemas['NotificationPreferences'];
type Changes = Pick<Preferences, 'channels' | 'locale' | 'digest' | 'email'> & { mobile?: string; feishuUserId?: string };

/** How I am notified: channels in the order I prefer, language, a daily digest of reminders, the
 *  addresses the robots @-mention. HR and admins may look after anyone's. */
export function NotificationSettingsPage() {
  const { t, lookup } = useI18n();
  const { caller } = useSession();
  const { message } = App.useApp();
  const [employeeId, setEmployeeId] = useState(caller.id);
  const { data: prefs, problem, reload } = useLoaded(() => answer(api.GET('/api/v1/employees/{id}/notification-preferences', { params: { path: { id: employeeId } } })), employeeId);
  return (
    <Flex vertical gap="middle" style={{ maxWidth: 640 }}>
      <Typography.Title level={3} style={{ margin: 0 }}>{t('settings.title')}</Typography.Title>
      {hasRole(caller, 'hr', 'admin') && (
        <label>
          {t('settings.whose')}{' '}
          <PersonSelect value={employeeId} onChange={(id) => setEmployeeId(id as string)} />
        </label>
      )}
      {problem && <ProblemAlert problem={problem} />}
      {prefs && (
        <ActionForm<Changes>
          key={JSON.stringify(prefs)}
          className="preferences-form"
          submit={t('settings.save')}
          initialValues={{ ...prefs, mobile: prefs.mobile ?? undefined, feishuUserId: prefs.feishuUserId ?? undefined }}
          send={({ mobile, feishuUserId, ...rest }) => answer(api.PATCH('/api/v1/employees/{id}/notification-preferences', { params: { path: { id: employeeId } }, body: { ...rest, mobile: mobile || null, feishuUserId: feishuUserId || null } }))}
          onSent={async () => (await reload(), message.success(t('settings.saved')))}
        >
          <Form.Item name="channels" label={t('settings.channels')} extra={t('settings.effective', { channels: prefs.effectiveChannels.map((c) => lookup(`channel.${c}`, c)).join('、') })}>
            <Checkbox.Group options={prefs.availableChannels.map((c) => ({ value: c, label: lookup(`channel.${c}`, c) }))} />
          </Form.Item>
          <Form.Item name="locale" label={t('common.language')}>
            <Radio.Group optionType="button" options={[{ value: 'zh-CN', label: '中文' }, { value: 'en', label: 'English' }]} />
          </Form.Item>
          <Form.Item name="digest" label={t('settings.digest')} valuePropName="checked" extra={t('settings.digestHint')}>
            <Switch />
          </Form.Item>
          <Form.Item name="email" label={t('settings.email')} rules={[{ required: true }]}><Input type="email" maxLength={200} /></Form.Item>
          <Form.Item name="mobile" label={t('settings.mobile')}><Input inputMode="tel" maxLength={11} /></Form.Item>
          <Form.Item name="feishuUserId" label={t('settings.feishu')}><Input maxLength={100} /></Form.Item>
        </ActionForm>
      )}
    </Flex>
  );
}
