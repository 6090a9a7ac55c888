import { DatePicker, Empty, Flex, Form, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { answer, api, type Schemas } from '../api';
import { dayField } from '../components/forms';
import { useI18n } from '../i18n';
import { LEAVING_CAUSES } from '../leavingCauses';
import { ProblemAlert, useLoaded } from '../loaded';

type Group = Schemas['LeavingCausesReport']['groups'][number];

/** Causes of leaving from exit interviews, by department and quarter (HR: all; a manager: their
 *  own department). Groups too small to keep a leaver unrecognisable come without their counts. */
export function LeavingCausesPage() {
  const { t, departmentName } = useI18n();
  // The last four quarters by default.
  const [range, setRange] = useState({ from: dayjs().subtract(1, 'year').startOf('month').format('YYYY-MM-DD'), to: dayjs().format('YYYY-MM-DD') });
  const { data: report, problem } = useLoaded(() => answer(api.GET('/api/v1/reports/leaving-causes', { params: { query: range } })), `${range.from}/${range.to}`);
  const count = (cause: string) => (n: unknown, g: Group) => (g.suppressed ? '' : (g.causes?.[cause] ?? 0));
  return (
    <Flex vertical gap="middle">
      <Typography.Title level={3} style={{ margin: 0 }}>{t('leavingCauses.title')}</Typography.Title>
      <Form layout="inline" className="leaving-causes-range" initialValues={range} onValuesChange={(_changed, all: typeof range) => all.from && all.to && setRange(all)}>
        <Form.Item name="from" label={t('leavingCauses.from')} {...dayField}>
          <DatePicker allowClear={false} />
        </Form.Item>
        <Form.Item name="to" label={t('leavingCauses.to')} {...dayField}>
          <DatePicker allowClear={false} />
        </Form.Item>
      </Form>
      {problem && <ProblemAlert problem={problem} />}
      {report && (
        <>
          <Typography.Text type="secondary">{t('leavingCauses.privacy', { n: report.minGroup })}</Typography.Text>
          <Table<Group>
            className="leaving-causes"
            size="small"
            rowKey={(g) => `${g.departmentId}/${g.quarter}`}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: <Empty description={t('leavingCauses.none')} /> }}
            dataSource={report.groups}
            columns={[
              { title: t('plans.department'), dataIndex: 'department', fixed: 'left', render: (d: Group['department']) => departmentName(d) },
              { title: t('leavingCauses.quarter'), dataIndex: 'quarter' },
              { title: t('leavingCauses.leavers'), dataIndex: 'leavers', render: (n: number | null, g) => (g.suppressed ? t('leavingCauses.fewer', { n: report.minGroup }) : n) },
              ...LEAVING_CAUSES.map((cause) => ({ title: t(`retention.cause.${cause}`), key: cause, render: count(cause) })),
            ]}
          />
        </>
      )}
    </Flex>
  );
}
