import { App, Button, Card, Col, Empty, Row, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { answer, api, type Schemas } from '../api';
import { BarChart } from '../components/BarChart';
import { formatMoment } from '../format';
import { useI18n } from '../i18n';
import { Link } from '../router';
import { useSession } from '../session';

/** HR's overview: open flows by type, late tasks by department, flows waiting for the organisation. */
export function DashboardPage() {
  const { t, lookup, locale, departmentName } = useI18n();
  const { directory } = useSession();
  const { message } = App.useApp();
  const [board, setBoard] = useState<Schemas['Dashboard']>();
  const load = useCallback(() => answer(api.GET('/api/v1/dashboard')).then(setBoard), []);
  useEffect(() => {
    void load();
  }, [load]);
  if (!board) return null;
  const department = (id: string) => {
    const d = directory.departments.get(id);
    return d ? departmentName(d) : id;
  };
  return (
    <Row gutter={[16, 16]}>
      <Col span={24}>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('dashboard.title')}</Typography.Title>
      </Col>
      <Col xs={24} lg={12}>
        <Card size="small" title={t('dashboard.openFlows')} className="open-flows">
          {board.openFlowsByType.length ? (
            <BarChart
              label={t('dashboard.openFlows')}
              rows={board.openFlowsByType.map((f) => lookup(`flowType.${f.type}`, f.type))}
              max={Math.max(1, ...board.openFlowsByType.map((f) => f.running + f.stalled))}
              series={[
                { name: t('flowStatus.running'), colour: '#0958d9', values: board.openFlowsByType.map((f) => f.running) },
                { name: t('flowStatus.stalled'), colour: '#a8071a', values: board.openFlowsByType.map((f) => f.stalled) },
              ]}
            />
          ) : (
            <Empty />
          )}
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card size="small" title={t('dashboard.overdue')}>
          <Table
            className="overdue-by-department"
            size="small"
            rowKey="departmentId"
            pagination={false}
            dataSource={board.overdueByDepartment}
            columns={[
              { title: t('plans.department'), dataIndex: 'departmentId', render: department },
              { title: t('dashboard.overdueTasks'), dataIndex: 'overdue' },
              { title: t('dashboard.openTasks'), dataIndex: 'open' },
            ]}
          />
        </Card>
      </Col>
      <Col span={24}>
        <Card size="small" title={t('dashboard.stalled', { count: board.stalledFlows.length })}>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            scroll={{ x: true }}
            dataSource={board.stalledFlows}
            locale={{ emptyText: t('dashboard.noneStalled') }}
            columns={[
              { title: t('dashboard.flow'), dataIndex: 'subject', render: (subject: string, f) => <Link to={`/flows/${encodeURIComponent(f.id)}`}>{subject}</Link> },
              { title: t('dashboard.type'), dataIndex: 'type', render: (type: string) => lookup(`flowType.${type}`, type) },
              { title: t('dashboard.why'), dataIndex: 'stalledReason' },
              { title: t('dashboard.since'), dataIndex: 'updatedAt', render: (at: string) => formatMoment(locale, at) },
              {
                title: '',
                key: 'resume',
                render: (_: unknown, f) => (
                  <Button size="small" onClick={() => answer(api.POST('/api/v1/flows/{id}/resume', { params: { path: { id: f.id } } })).then(() => (message.success(t('dashboard.resumed')), load()))}>
                    {t('dashboard.resume')}
                  </Button>
                ),
              },
            ]}
          />
        </Card>
      </Col>
    </Row>
  );
}
