import { Alert, Button, Card, Flex, Input, List, Select, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { answer, api, ApiProblem, type Schemas } from '../api';
import { useWebConfig } from '../config';
import { LanguageSwitch, useI18n } from '../i18n';

/** On embedded defaults a picker of demo people (marked as such); elsewhere a token from the issuer. */
export function SignInPage({ signedIn }: { signedIn(token: string): void }) {
  const { t, lookup, departmentName } = useI18n();
  const config = useWebConfig();
  const [people, setPeople] = useState<Schemas['DemoUser'][]>();
  const [department, setDepartment] = useState<string>();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!config?.demoSignIn) return;
    setError(undefined);
    answer(api.GET('/api/demo/users')).then(
      (r) => setPeople(r.items),
      (err: unknown) => setError(err instanceof ApiProblem ? (err.detail ?? err.title) : String(err)),
    );
  }, [config?.demoSignIn, attempt]);
  const pick = async (employeeId: string) => {
    try {
      signedIn((await answer(api.POST('/api/demo/sign-in', { body: { employeeId } }))).token);
    } catch (err) {
      setError(err instanceof ApiProblem ? err.message : String(err));
    }
  };
  const shown = (people ?? []).filter((p) => !department || p.departmentId === department);
  return (
    <Flex vertical align="center" style={{ padding: 16 }}>
      <Card style={{ width: '100%', maxWidth: 560 }} title={<Typography.Title level={2} style={{ margin: 0 }}>{t('app.name')}</Typography.Title>} extra={<LanguageSwitch />}>
        {error && <Alert type="error" message={error} style={{ marginBottom: 12 }} action={<Button size="small" onClick={() => setAttempt((n) => n + 1)}>{t('common.retry')}</Button>} />}
        {config?.demoSignIn ? (
          <Flex vertical gap="small">
            <Alert type="warning" showIcon message={t('signIn.demoTitle')} description={t('signIn.demoNote')} />
            <Select allowClear aria-label={t('plans.department')} placeholder={t('plans.department')} value={department} onChange={setDepartment} options={[...new Map((people ?? []).map((p) => [p.departmentId, p.department])).entries()].map(([id, d]) => ({ value: id, label: departmentName(d) }))} />
            <List
              className="demo-users"
              loading={!people}
              dataSource={shown}
              renderItem={(p) => (
                <List.Item actions={[<Button key="go" type="primary" aria-label={t('signIn.as', { name: p.name })} onClick={() => pick(p.id)}>{t('signIn.button')}</Button>]}>
                  <List.Item.Meta title={`${p.name} · ${p.employeeNo}`} description={p.roles.filter((r) => r !== 'employee').map((r) => <Tag key={r}>{lookup(`role.${r}`, r)}</Tag>)} />
                </List.Item>
              )}
            />
          </Flex>
        ) : (
          <Flex vertical gap="small">
            <Typography.Paragraph>{t('signIn.tokenNote')}</Typography.Paragraph>
            <label htmlFor="token">{t('signIn.token')}</label>
            <Input.TextArea id="token" rows={4} value={token} onChange={(e) => setToken(e.target.value)} />
            <Button type="primary" disabled={!token.trim()} onClick={() => signedIn(token.trim())}>{t('signIn.button')}</Button>
          </Flex>
        )}
      </Card>
    </Flex>
  );
}
