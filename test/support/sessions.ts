/** Training-session test helpers over HTTP: plans whose sessions run seconds from now, their
 *  approval, and waits for a session's own events (its status, its tasks). */
import type { PlanContent } from '../../domain/trainingPlan';
import { eventually, people, planContent } from './fixtures';
import type { apiTestStack, Who } from './http';

export const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
export const participants = [people.collectorA.id, people.collectorB.id, people.collectorC.id];

export interface SessionTimes {
  startsIn: number;
  endsIn: number;
}

/** The helpers on one file's stack (`apiTestStack()`). */
export function sessionKit({ stack, as, api }: ReturnType<typeof apiTestStack>) {
  /** Creates and submits a plan whose sessions run at these times (`adjust` changes its content
   *  further); answers it with its first approval task. */
  async function submittedPlan(times: SessionTimes[], sessions: Record<string, string> = {}, adjust: (content: PlanContent) => PlanContent = (c) => c) {
    const base = planContent(1_200_000);
    const content = adjust({
      ...base,
      cycle: { startsOn: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10), endsOn: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10) },
      sessions: times.map((t, i) => ({ title: `第${i + 1}期 Session ${i + 1}`, startsAt: inSeconds(t.startsIn), endsAt: inSeconds(t.endsIn), trainerId: people.trainer.id })),
      participantIds: participants,
    });
    const plan = await api().post('/api/v1/training-plans').set(as('hrOfficer')).send({ title: '谈判技巧', departmentId: 'dept-collection', content });
    expect(plan.status).toBe(201);
    const submitted = await api().post(`/api/v1/training-plans/${plan.body.id}/submit`).set(as('hrOfficer')).send({ settings: { sessions } });
    expect(submitted.status).toBe(202);
    return { planId: plan.body.id as string, task: submitted.body.next[0] as { taskId: string } };
  }

  const sessionsOnRecord = (planId: string, n: number) =>
    eventually(async () => {
      const found = await stack.db.trainingSession.findMany({ where: { planId }, orderBy: { sessionNo: 'asc' } });
      return found.length === n ? found : undefined;
    }, `${n} session(s) on record`);

  async function decide(taskId: string, who: Who, decision: string, comment?: string) {
    const res = await api().post(`/api/v1/tasks/${taskId}/decision`).set(as(who)).send({ decision, comment });
    expect(res.status).toBe(200);
    return res.body;
  }

  /** Creates, submits and approves a plan whose sessions run at these times; answers the sessions. */
  async function approvedPlan(times: SessionTimes[], sessions: Record<string, string> = {}, adjust?: (content: PlanContent) => PlanContent) {
    const { planId, task: first } = await submittedPlan(times, sessions, adjust);
    let task = first;
    for (const who of ['collectionHead', 'hrDirector'] as Who[]) task = (await decide(task.taskId, who, 'approve')).next[0];
    return { planId, sessions: await sessionsOnRecord(planId, times.length) };
  }

  const sessionStatus = (id: string, status: string) =>
    eventually(async () => ((await stack.db.trainingSession.findUnique({ where: { id } }))?.status === status ? true : undefined), `session ${status}`, 60_000);

  const taskOf = (flowId: string, type: string, assigneeId?: string) =>
    eventually(async () => (await stack.db.task.findFirst({ where: { flowId, type, status: 'open', ...(assigneeId ? { assigneeId } : {}) } })) ?? undefined, `an open ${type} task`);

  /** HR confirms, the administrative owner prepares the room, HR approves the trainer. */
  async function prepare(flowId: string) {
    await decide((await taskOf(flowId, 'session_schedule')).id, 'hrOfficer', 'confirm');
    const checklist = await taskOf(flowId, 'session_preparation');
    await decide(checklist.id, whoIs(checklist.assigneeId), 'done');
    await decide((await taskOf(flowId, 'session_trainer_review')).id, 'hrOfficer', 'approve');
  }

  const code = async (sessionId: string) => (await api().get(`/api/v1/training-sessions/${sessionId}/sign-in-code`).set(as('trainer'))).body.code as string;

  return { submittedPlan, sessionsOnRecord, decide, approvedPlan, sessionStatus, taskOf, prepare, code };
}

/** The demo key of an employee id. */
export const whoIs = (id: string) => (Object.keys(people) as Who[]).find((k) => people[k].id === id)!;
