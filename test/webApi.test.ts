/**
 * What the web app reads besides the procedures' own routes: who am I, the departments, HR's
 * overview, the app's configuration, and the demo picker that exists only on embedded defaults.
 */
import { draftPlan, openTasks, people, planContent } from './support/fixtures';
import { apiTestStack, expectProblem } from './support/http';
import { trainingPlanFlowId } from '../workflows/trainingPlan';

const { stack, as, api } = apiTestStack();

test('/me names the caller and /departments lists every department', async () => {
  const me = await api().get('/api/v1/me').set(as('collectionHead')).expect(200);
  expect(me.body).toEqual({ id: people.collectionHead.id, name: people.collectionHead.name, roles: people.collectionHead.roles, departmentId: 'dept-collection' });
  const departments = await api().get('/api/v1/departments').set(as('collectorA')).expect(200);
  expect(departments.body.items.map((d: { id: string }) => d.id).sort()).toEqual((await stack.db.department.findMany({ select: { id: true } })).map((d) => d.id).sort());
});

test('HR’s overview counts what the database holds: running flows by type, open and overdue tasks by department', async () => {
  const plan = await draftPlan(stack.db, planContent());
  await api().post(`/api/v1/training-plans/${plan.id}/submit`).set(as('hrOfficer')).send({}).expect(202);
  const [task] = await openTasks(stack.db, trainingPlanFlowId(plan.id), 1);
  // One task made overdue by hand: the overview must count it under its assignee's department.
  await stack.db.task.update({ where: { id: task!.id }, data: { dueAt: new Date(Date.now() - 60_000) } });

  const res = await api().get('/api/v1/dashboard').set(as('hrDirector')).expect(200);
  const running = await stack.db.flow.groupBy({ by: ['type'], where: { status: 'running' }, _count: true });
  expect(Object.fromEntries(res.body.openFlowsByType.map((f: { type: string; running: number }) => [f.type, f.running]))).toEqual(Object.fromEntries(running.map((g) => [g.type, g._count])));
  const collection = res.body.overdueByDepartment.find((d: { departmentId: string }) => d.departmentId === 'dept-collection');
  const open = await stack.db.task.count({ where: { status: 'open', assignee: { departmentId: 'dept-collection' } } });
  const overdue = await stack.db.task.count({ where: { status: 'open', dueAt: { lt: new Date() }, assignee: { departmentId: 'dept-collection' } } });
  expect(collection).toEqual({ departmentId: 'dept-collection', open, overdue });
  expect(overdue).toBeGreaterThanOrEqual(1);
  expect(res.body.stalledFlows).toEqual([]);

  expectProblem(await api().get('/api/v1/dashboard').set(as('collectorA')), 403);
});

test('without the web app’s demo setting there is no demo picker, and the config says so', async () => {
  expect((await api().get('/api/config').expect(200)).body).toEqual({ demoSignIn: false, temporalWebUrl: null, namespace: 'default' });
  expect((await api().get('/api/demo/users')).status).toBe(404);
  expect((await api().post('/api/demo/sign-in').send({ employeeId: people.hrOfficer.id })).status).toBe(404);
});
