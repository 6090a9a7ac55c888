import { Button, Flex, Select, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { answer, api, type PlanSummary } from '../api';
import { formatMoment } from '../format';
import { useI18n } from '../i18n';
import { Link, useLocation } from '../router';
import { hasRole, useSession } from '../session';

const STATUSES = ['draft', 'in_approval', 'changes_requested', 'approved', 'rejected', 'withdrawn'] as const;
export const STATUS_COLOURS: Record<PlanSummary['status'], string> = { draft: 'default', in_approval: 'blue', changes_requested: 'orange', approved: 'green', rejected: 'red', withdrawn: 'default' };
const PAGE = 20;

/** Training plans, newest first, filtered by status and department. */
export function PlansPage() {
  const { t, locale, departmentName } = useI18n();
  const { caller, directory, nameOf } = useSession();
  const { go } = useLocation();
  const [status, setStatus] = useState<PlanSummary['status']>();
  const [departmentId, setDepartmentId] = useState<string>();
  const [page, setPage] = useState(1);
  const [plans, setPlans] = useState<{ items: PlanSummary[]; total: number }>();
  useEffect(() => {
    setPlans(undefined);
    void answer(api.GET('/api/v1/training-plans', { params: { query: { status, departmentId, limit: PAGE, offset: (page - 1) * PAGE } } })).then(setPlans);
  }, [status, departmentId, page]);
  return (
    <Flex vertical gap="middle">
      <Flex justify="space-between" align="center" wrap gap="small">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('plans.title')}
        </Typography.Title>
        {hasRole(caller, 'hr') && (
          <Button type="primary" onClick={() => go('/plans/new')}>
            {t('plans.new')}
          </Button>
        )}
      </Flex>
      <Flex gap="small" wrap>
        <Select allowClear aria-label={t('plans.status')} placeholder={t('plans.status')} style={{ minWidth: 160 }} value={status} onChange={(v) => (setStatus(v), setPage(1))} options={STATUSES.map((s) => ({ value: s, label: t(`planStatus.${s}`) }))} />
        <Select
          allowClear
          aria-label={t('plans.department')}
          placeholder={t('plans.department')}
          style={{ minWidth: 160 }}
          value={departmentId}
          onChange={(v) => (setDepartmentId(v), setPage(1))}
          options={[...directory.departments.values()].map((d) => ({ value: d.id, label: departmentName(d) }))}
        />
      </Flex>
      <Table<PlanSummary>
        rowKey="id"
        loading={!plans}
        dataSource={plans?.items}
        scroll={{ x: true }}
        pagination={{ current: page, pageSize: PAGE, total: plans?.total, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('plans.planTitle'), dataIndex: 'title', render: (title: string, p) => <Link to={`/plans/${p.id}`}>{title}</Link> },
          { title: t('plans.status'), dataIndex: 'status', render: (s: PlanSummary['status']) => <Tag color={STATUS_COLOURS[s]}>{t(`planStatus.${s}`)}</Tag> },
          { title: t('plans.department'), dataIndex: 'departmentId', render: (id: string) => { const d = directory.departments.get(id); return d ? departmentName(d) : id; } },
          { title: t('plans.drafter'), dataIndex: 'drafterId', render: (id: string) => nameOf(id) },
          { title: t('plans.updated'), dataIndex: 'updatedAt', render: (at: string) => formatMoment(locale, at) },
        ]}
      />
    </Flex>
  );
}
